/**
 * Shared types of the view renderer (scene/types.ts conventions: metres, OpenCV camera axes,
 * row-major camera-to-world, pixel centres at integer coordinates).
 */
import type { Intrinsics, Mat4 } from '../scene/types';

export type Vec3 = [number, number, number];

/** A pinhole camera to render from. */
export interface CameraView {
  intrinsics: Intrinsics;
  /** Rigid camera-to-world pose (OpenCV camera axes). */
  cameraToWorld: Mat4;
}

/**
 * One rendered view: colour, metric depth and which primitive won each pixel, with the exact
 * camera it was rendered with (so back-projection with camera.ts lands on the geometry).
 */
export interface RenderedImages extends CameraView {
  width: number;
  height: number;
  /** width·height·3 bytes, RGB, row-major; background where nothing was drawn. */
  color: Uint8Array;
  /** Depth along the camera's +z axis in metres; 0 where nothing was drawn. */
  depth: Float32Array;
  /** Index of the triangle (mesh) or point (splats) seen at each pixel; −1 where none. */
  ids: Int32Array;
}

/** Near and far limits of what is drawn, in metres along +z. */
export interface DepthRange {
  nearM: number;
  farM: number;
}
