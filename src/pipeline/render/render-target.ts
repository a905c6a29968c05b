/**
 * Buffers of one render (colour, z-buffer, winning primitive) and their conversion to the frame
 * forms the fusion reads (Uint16 depth with a scale).
 */
import type { DepthImage, Intrinsics, Mat4, RgbImage } from '../scene/types';
import { checkIntrinsics } from './camera-model';
import type { RenderedImages } from './types';

/**
 * Buffers for a render with these intrinsics, reusing `reuse` when its size matches. The depth
 * array doubles as the z-buffer while drawing.
 */
export function prepareTarget(
  intrinsics: Intrinsics,
  cameraToWorld: Mat4,
  farM: number,
  background: readonly [number, number, number],
  reuse?: RenderedImages,
): RenderedImages {
  checkIntrinsics(intrinsics);
  const { width, height } = intrinsics;
  const pixels = width * height;
  const target: RenderedImages =
    reuse && reuse.width === width && reuse.height === height
      ? reuse
      : {
          width,
          height,
          intrinsics,
          cameraToWorld,
          color: new Uint8Array(pixels * 3),
          depth: new Float32Array(pixels),
          ids: new Int32Array(pixels),
        };
  target.intrinsics = { ...intrinsics };
  target.cameraToWorld = Float64Array.from(cameraToWorld);
  target.depth.fill(farM);
  target.ids.fill(-1);
  const [r, g, b] = background;
  const color = target.color;
  if (r === g && g === b) color.fill(r);
  else {
    for (let i = 0; i < pixels; i++) {
      color[i * 3] = r;
      color[i * 3 + 1] = g;
      color[i * 3 + 2] = b;
    }
  }
  return target;
}

/** After drawing: pixels nothing won get depth 0 ("no depth", as in sensor frames). */
export function finishTarget(target: RenderedImages): RenderedImages {
  const { depth, ids } = target;
  for (let i = 0; i < ids.length; i++) if (ids[i] < 0) depth[i] = 0;
  return target;
}

/** Largest raw value written; 65535 is left free (7-Scenes' "invalid"). */
const MAX_RAW_DEPTH = 65534;

/**
 * Metric depth as a sensor-style Uint16 image: raw = round(metres · depthScale); pixels without
 * a surface, or beyond the Uint16 range at this scale, become 0 (invalid).
 */
export function toDepthImage(images: RenderedImages, depthScale: number): DepthImage {
  const data = new Uint16Array(images.width * images.height);
  const depth = images.depth;
  for (let i = 0; i < data.length; i++) {
    const raw = Math.round(depth[i] * depthScale);
    data[i] = raw >= 1 && raw <= MAX_RAW_DEPTH ? raw : 0;
  }
  return { width: images.width, height: images.height, data, depthScale, invalidValues: [0] };
}

export function toRgbImage(images: RenderedImages): RgbImage {
  return { width: images.width, height: images.height, data: images.color.slice() };
}
