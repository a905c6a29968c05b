/**
 * The camera pose shared through the URL hash: CameraRig registers how to read the live pose
 * and applies a pose a link asked for once its scene has been fitted.
 */
export interface CameraPose {
  position: [number, number, number];
  target: [number, number, number];
}

let reader: (() => CameraPose) | undefined;
let pending: CameraPose | undefined;

export function registerCameraReader(fn: (() => CameraPose) | undefined): void {
  reader = fn;
}

export function currentCameraPose(): CameraPose | undefined {
  return reader?.();
}

/** A pose to apply after the next scene fit (from a shared link). */
export function requestCameraPose(pose: CameraPose | undefined): void {
  pending = pose;
}

export function takeRequestedPose(): CameraPose | undefined {
  const p = pending;
  pending = undefined;
  return p;
}

/** "x,y,z,tx,ty,tz" with millimetre precision. */
export function formatPose(p: CameraPose): string {
  return [...p.position, ...p.target].map((v) => Number(v.toFixed(3))).join(',');
}

export function parsePose(text: string | null | undefined): CameraPose | undefined {
  if (!text) return undefined;
  const v = text.split(',').map(Number);
  if (v.length !== 6 || !v.every(Number.isFinite)) return undefined;
  return { position: [v[0], v[1], v[2]], target: [v[3], v[4], v[5]] };
}

/** The live camera's projection × view matrix and the canvas size (tests project points with it). */
export interface ViewTransform {
  viewProjection: number[];
  width: number;
  height: number;
}

let viewReader: (() => ViewTransform) | undefined;

export function registerViewReader(fn: (() => ViewTransform) | undefined): void {
  viewReader = fn;
}

export function currentViewTransform(): ViewTransform | undefined {
  return viewReader?.();
}
