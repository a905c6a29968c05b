/**
 * Eye-dome lighting (Boucheny 2009, as in Potree and CloudCompare): a full-screen pass over the
 * points' depth that darkens each pixel by how much nearer its screen neighbours are, in log
 * depth, so surfaces read as shapes without normals or lights. It writes the points' colour and
 * depth, so lines drawn before it are still occluded correctly.
 */
import { ShaderMaterial, Vector2 } from 'three';

/** Objects drawn through the EDL pass carry this flag in userData (the point cloud does). */
export const EDL_FLAG = 'eyeDome';

/** Neighbours sampled per pixel, evenly around a circle. */
export const EDL_NEIGHBOURS = 8;
/** Their distance in device pixels. */
export const EDL_RADIUS_PX = 1.5;
/** Scales the mean log-depth difference before exp(−x): Potree's constant (strength 1). */
const EDL_RESPONSE_SCALE = 300;

const vertexShader = /* glsl */ `
varying vec2 vUv;
void main() {
  vUv = uv;
  gl_Position = vec4(position.xy, 0.0, 1.0);
}
`;

const fragmentShader = /* glsl */ `
uniform sampler2D tColor;
uniform sampler2D tDepth;
uniform vec2 uTexel;
uniform float uRadius;
uniform float uStrength;
uniform float uNear;
uniform float uFar;
varying vec2 vUv;

const int NEIGHBOURS = ${EDL_NEIGHBOURS};

float depthAt(vec2 uv) { return texture2D(tDepth, uv).x; }

/** log2 of the eye-space distance of a perspective depth-buffer value. */
float logDepth(float d) {
  float z = d * 2.0 - 1.0;
  return log2(2.0 * uNear * uFar / (uFar + uNear - z * (uFar - uNear)));
}

void main() {
  float d = depthAt(vUv);
  // No point here: leave what is already on screen (background, lines).
  if (d >= 1.0) discard;
  float centre = logDepth(d);
  float sum = 0.0;
  for (int k = 0; k < NEIGHBOURS; k++) {
    float a = 6.2831853 * float(k) / float(NEIGHBOURS);
    float n = depthAt(vUv + vec2(cos(a), sin(a)) * uRadius * uTexel);
    // As Potree: a gap to the background adds nothing, or every point of a sparse cloud (gaps
    // between its splats everywhere) would turn black.
    if (n < 1.0) sum += max(0.0, centre - logDepth(n));
  }
  float shade = exp(-sum / float(NEIGHBOURS) * ${EDL_RESPONSE_SCALE}.0 * uStrength);
  gl_FragColor = vec4(texture2D(tColor, vUv).rgb * shade, 1.0);
  gl_FragDepth = d;
}
`;

export function createEdlMaterial(): ShaderMaterial {
  return new ShaderMaterial({
    vertexShader,
    fragmentShader,
    uniforms: {
      tColor: { value: null },
      tDepth: { value: null },
      /** One device pixel in texture coordinates. */
      uTexel: { value: new Vector2(1, 1) },
      uRadius: { value: EDL_RADIUS_PX },
      uStrength: { value: 1 },
      uNear: { value: 0.01 },
      uFar: { value: 1000 },
    },
    depthTest: true,
    depthWrite: true,
  });
}
