/**
 * The one scene model every reader produces and every stage consumes.
 *
 * Conventions (readers convert on load; nothing downstream converts again):
 * - Units: metres everywhere (positions, AABBs, translations, depth after applying `depthScale`).
 * - Camera axes: OpenCV / pinhole: x right, y down, z forward (looking along +z).
 *   Readers of OpenGL-style poses (nerfstudio, Polycam) flip y and z of the camera frame;
 *   world-to-camera trajectories (ARKitScenes) are inverted on load.
 * - Matrices: 4x4, row-major, in a Float64Array(16): m[r*4 + c]. Translation is m[3], m[7], m[11].
 * - Pose direction: `cameraToWorld` maps camera coordinates to world coordinates
 *   (world = pose * [x_cam, y_cam, z_cam, 1]). World up is whatever the source uses
 *   (ScanNet: +z after axisAlignment); the viewer infers up from the cloud.
 * - Images: row-major, top-left origin, pixel (u, v) = column u, row v; pixel centres at integer
 *   coordinates (OpenCV), so u = fx * x / z + cx.
 * - Colour: 8-bit RGB, 3 bytes per pixel, no alpha.
 * - Depth: Uint16 raw sensor units; metres = raw / depthScale. Raw values listed in
 *   `invalidValues` (always 0; also 65535 for 7-Scenes) mean "no depth".
 * - Point attributes are parallel typed arrays (no per-point objects).
 */

export type Mat4 = Float64Array; // length 16, row-major

export interface Intrinsics {
  fx: number;
  fy: number;
  cx: number;
  cy: number;
  width: number;
  height: number;
}

export interface RgbImage {
  width: number;
  height: number;
  /** width*height*3 bytes, RGB, row-major. */
  data: Uint8Array;
}

export interface DepthImage {
  width: number;
  height: number;
  /** Raw sensor values, width*height, row-major. */
  data: Uint16Array;
  /** Raw units per metre (1000 for millimetres, 5000 for TUM). */
  depthScale: number;
  /** Raw values that mean "no depth" (0 always included). */
  invalidValues: number[];
}

export interface Aabb {
  min: [number, number, number];
  max: [number, number, number];
}

export interface PointCloud {
  /** N*3 xyz in metres. */
  positions: Float32Array;
  /** N*3 RGB. */
  colors: Uint8Array;
  /** N*3 unit normals, when the source has them. */
  normals?: Float32Array;
  /** Per-point semantic label id (e.g. ScanNet's `label`), when known. */
  semanticIds?: Int32Array;
  /** Per-point instance / object id (-1 = none), when known. */
  instanceIds?: Int32Array;
  /** Triangle indices (M*3), when the source is a mesh. Kept for export; the viewer draws points. */
  faces?: Uint32Array;
}

export interface GtObject {
  id: number;
  label: string;
  /** Optional colour name (demo room) or other descriptive attribute. */
  colorName?: string;
  aabb: Aabb;
  /** Indices into the scene's point cloud, when known. */
  pointIds?: Uint32Array;
}

/**
 * One RGB-D frame. Pixels load lazily (ScanNet .sens files hold thousands of frames and several
 * GB), so a Scene is cheap to open and frames are decoded one at a time.
 */
export interface RgbdFrame {
  index: number;
  /** Source name of the frame (file stem or frame number) for messages. */
  name: string;
  /** Colour camera intrinsics. */
  intrinsics: Intrinsics;
  /** Depth camera intrinsics; the depth image is registered to the colour camera's pose. */
  depthIntrinsics: Intrinsics;
  cameraToWorld: Mat4;
  /** Seconds, when the source has timestamps. */
  timestamp?: number;
  loadColor(): Promise<RgbImage>;
  loadDepth(): Promise<DepthImage>;
  /** Per-pixel instance ids (demo room), aligned to the colour image, when known. */
  loadInstances?(): Promise<Int32Array>;
  /** Rendered from the scene's mesh or points (render/rendered-frames.ts), not captured. */
  rendered?: boolean;
}

export type SceneFormat =
  | 'ply'
  | 'sens'
  | 'scannet'
  | '7scenes'
  | 'redwood'
  | 'tum'
  | 'nerfstudio'
  | 'arkitscenes'
  | 'polycam'
  | 'replica'
  /** 3D Gaussian Splatting .ply (centres, SH DC colour, opacity). */
  | 'gaussian-splat'
  /** antimatter15 .splat (32 bytes per splat). */
  | 'splat'
  | 'las'
  | 'bundle'
  /** Built in memory by our own code (the demo room), not read from files. */
  | 'generated';

export interface Scene {
  /** Display name (folder or file name). */
  name: string;
  format: SceneFormat;
  cloud?: PointCloud;
  frames: RgbdFrame[];
  objects?: GtObject[];
  /** Non-fatal notes for the user (e.g. default intrinsics assumed). Text from our code only. */
  warnings: string[];
}

/** Plain-data summary of a scene (what `info` prints and what the worker sends the viewer). */
export interface SceneInfo {
  name: string;
  format: SceneFormat;
  frameCount: number;
  imageSizes: { color?: [number, number]; depth?: [number, number] };
  intrinsics?: Intrinsics;
  depthScale?: number;
  pointCount: number;
  bounds?: Aabb;
  objectCount: number;
  warnings: string[];
}
