/**
 * The point cloud's shader: every colour mode in one material, switched by a uniform, so changing
 * mode, range, colour map or size never touches the geometry.
 */
import {
  ClampToEdgeWrapping,
  DataTexture,
  LinearFilter,
  RGBAFormat,
  ShaderMaterial,
  Vector2,
  Vector3,
} from 'three';
import { colormapLut } from './colormaps';
import type { ColorMode, ColormapName } from './store';

export const COLOR_MODE_INDEX: Record<ColorMode, number> = {
  rgb: 0,
  heatmap: 1,
  views: 2,
  instance: 3,
  segment: 4,
  height: 5,
  normal: 6,
};

const vertexShader = /* glsl */ `
attribute vec3 rgb;
attribute float score;
attribute float views;
attribute float instanceId;
attribute vec3 segmentRgb;
attribute vec3 pointNormal;
uniform int uMode;
uniform sampler2D uColormap;
uniform vec2 uRange;
uniform vec2 uViewRange;
uniform float uSize;
uniform bool uWorldSize;
uniform float uProjScale;
uniform float uPixelRatio;
uniform vec3 uUp;
uniform vec2 uHeightRange;
uniform bool uClip;
uniform vec3 uClipMin;
uniform vec3 uClipMax;
varying vec3 vColor;

bool hasValue(float v) { return v > -1e30 && v < 1e30; } // NaN fails both comparisons

vec3 ramp(float v, vec2 range) {
  float t = clamp((v - range.x) / max(range.y - range.x, 1e-9), 0.0, 1.0);
  return texture2D(uColormap, vec2(t * (255.0 / 256.0) + 0.5 / 256.0, 0.5)).rgb;
}

vec3 instanceColor(float id) {
  if (id < 0.0) return vec3(0.35);
  vec3 h = fract(sin(vec3(id * 12.9898, id * 78.233, id * 37.719)) * 43758.5453);
  return 0.25 + 0.75 * h;
}

void main() {
  if (uClip && (any(lessThan(position, uClipMin)) || any(greaterThan(position, uClipMax)))) {
    // Outside the clip volume of every view: the point is culled before rasterisation.
    gl_Position = vec4(2.0, 2.0, 2.0, 1.0);
    gl_PointSize = 0.0;
    return;
  }
  vec3 base = rgb;
  if (uMode == 1) {
    base = hasValue(score) ? ramp(score, uRange) : mix(rgb, vec3(0.5), 0.7) * 0.5;
  } else if (uMode == 2) {
    base = hasValue(views) ? ramp(views, uViewRange) : vec3(0.25);
  } else if (uMode == 3) {
    base = instanceColor(instanceId);
  } else if (uMode == 4) {
    base = segmentRgb;
  } else if (uMode == 5) {
    base = ramp(dot(position, uUp), uHeightRange);
  } else if (uMode == 6) {
    // Unknown normals (0, 0, 0, or not fetched yet) stay mid grey.
    base = 0.5 + 0.5 * pointNormal;
  }
  vColor = base;
  vec4 mv = modelViewMatrix * vec4(position, 1.0);
  gl_Position = projectionMatrix * mv;
  gl_PointSize = uWorldSize ? max(1.0, uSize * uProjScale / max(-mv.z, 1e-3)) : uSize * uPixelRatio;
}
`;

const fragmentShader = /* glsl */ `
varying vec3 vColor;
void main() {
  gl_FragColor = vec4(vColor, 1.0);
}
`;

export function colormapTexture(name: ColormapName): DataTexture {
  const tex = new DataTexture(colormapLut(name), 256, 1, RGBAFormat);
  tex.magFilter = LinearFilter;
  tex.minFilter = LinearFilter;
  tex.wrapS = ClampToEdgeWrapping;
  tex.needsUpdate = true;
  return tex;
}

export function createPointMaterial(): ShaderMaterial {
  return new ShaderMaterial({
    vertexShader,
    fragmentShader,
    uniforms: {
      uMode: { value: 0 },
      uColormap: { value: colormapTexture('turbo') },
      uRange: { value: new Vector2(0, 1) },
      uViewRange: { value: new Vector2(0, 1) },
      uSize: { value: 2 },
      uWorldSize: { value: false },
      uProjScale: { value: 500 },
      /** Device pixels per CSS pixel: sizes in 'pixels' mean CSS pixels. */
      uPixelRatio: { value: 1 },
      /** World up (unit) and the cloud's range of heights along it, for the 'height' mode. */
      uUp: { value: new Vector3(0, 0, 1) },
      uHeightRange: { value: new Vector2(0, 1) },
      uClip: { value: false },
      uClipMin: { value: new Vector3() },
      uClipMax: { value: new Vector3() },
    },
  });
}
