/**
 * Shared plumbing for readers of RGB-D folders (7-Scenes, Redwood, TUM, nerfstudio): lazy frames
 * over a FileSource, pose checks, intrinsics files and image-size probing.
 */
import { checkPixels } from '../../budget/resource-budget';
import { ParseError, UnsupportedError } from '../../errors';
import type { FileSource } from '../../io/file-source';
import { decodeColorImage, decodeDepthPng } from '../../image/decode';
import { IMAGE_HEADER_PROBE_BYTES, readImageSize } from '../../image/image-size';
import { isFiniteMatrix, isRigid } from '../../geometry/mat4';
import { scaleIntrinsics } from '../../geometry/camera';
import { RGBD_READER_DEFAULTS } from '../../defaults';
import type { DepthImage, Intrinsics, Mat4, RgbdFrame, RgbImage } from '../types';
import type { OpenSceneOptions } from '../open-scene';

export interface FrameSpec {
  index: number;
  name: string;
  colorPath: string;
  /** Absent: colour-only frame (nerfstudio without depth); loadDepth gives all-invalid depth. */
  depthPath?: string;
  intrinsics: Intrinsics;
  /** Size of the depth images; intrinsics are scaled to it when it differs from colour. */
  depthSize?: { width: number; height: number };
  cameraToWorld: Mat4;
  timestamp?: number;
  depthScale: number;
  invalidValues: number[];
}

/** How a path is named in messages: the source's name plus the relative path. */
export function displayPath(source: FileSource, path: string): string {
  return `${source.name}/${path}`;
}

export function makeFrame(source: FileSource, spec: FrameSpec): RgbdFrame {
  const { intrinsics } = spec;
  const depthSize = spec.depthSize ?? { width: intrinsics.width, height: intrinsics.height };
  const depthIntrinsics =
    depthSize.width === intrinsics.width && depthSize.height === intrinsics.height
      ? intrinsics
      : scaleIntrinsics(intrinsics, depthSize.width, depthSize.height);
  return {
    index: spec.index,
    name: spec.name,
    intrinsics,
    depthIntrinsics,
    cameraToWorld: spec.cameraToWorld,
    timestamp: spec.timestamp,
    async loadColor(): Promise<RgbImage> {
      const file = displayPath(source, spec.colorPath);
      const img = await decodeColorImage(await source.read(spec.colorPath), file);
      if (img.width !== intrinsics.width || img.height !== intrinsics.height) {
        throw new ParseError(
          { file },
          `colour image is ${img.width}x${img.height} but the scene's intrinsics are for ` +
            `${intrinsics.width}x${intrinsics.height}`,
        );
      }
      return img;
    },
    async loadDepth(): Promise<DepthImage> {
      const base = { depthScale: spec.depthScale, invalidValues: spec.invalidValues };
      if (!spec.depthPath) {
        const { width, height } = depthIntrinsics;
        return { width, height, data: new Uint16Array(width * height), ...base };
      }
      const file = displayPath(source, spec.depthPath);
      const depth = decodeDepthPng(await source.read(spec.depthPath), file);
      if (depth.width !== depthIntrinsics.width || depth.height !== depthIntrinsics.height) {
        throw new ParseError(
          { file },
          `depth image is ${depth.width}x${depth.height}, expected ` +
            `${depthIntrinsics.width}x${depthIntrinsics.height}`,
        );
      }
      return { ...depth, ...base };
    },
  };
}

/**
 * Throws a ParseError at file/line unless the pose is finite and rigid. `where` prefixes the
 * reason for formats without lines (JSON: "frames[3]").
 */
export function checkPose(pose: Mat4, file: string, line?: number, where = 'pose'): Mat4 {
  if (!isFiniteMatrix(pose))
    throw new ParseError({ file, line }, `${where} contains NaN or infinity`);
  if (!isRigid(pose, RGBD_READER_DEFAULTS.rigidTolerance)) {
    throw new ParseError(
      { file, line },
      `${where} is not a rigid transform (rotation not orthonormal or last row not 0 0 0 1)`,
    );
  }
  return pose;
}

/** True if the pose is usable; for formats with known gaps (TUM) that skip instead of failing. */
export function isUsablePose(pose: Mat4): boolean {
  return isRigid(pose, RGBD_READER_DEFAULTS.rigidTolerance);
}

export async function probeImageSize(
  source: FileSource,
  path: string,
): Promise<{ width: number; height: number }> {
  const head = await source.readRange(path, 0, IMAGE_HEADER_PROBE_BYTES);
  const file = displayPath(source, path);
  const size = readImageSize(head, file);
  checkPixels(size.width, size.height, { file, byteOffset: 0 }, 'image', 4);
  return size;
}

export function validateIntrinsics(k: Intrinsics, file: string, line?: number): Intrinsics {
  const ok =
    [k.fx, k.fy, k.cx, k.cy].every(Number.isFinite) &&
    k.fx > 0 &&
    k.fy > 0 &&
    Number.isInteger(k.width) &&
    Number.isInteger(k.height) &&
    k.width > 0 &&
    k.height > 0;
  if (!ok) {
    throw new ParseError(
      { file, line },
      `invalid intrinsics fx=${k.fx} fy=${k.fy} cx=${k.cx} cy=${k.cy} size ${k.width}x${k.height}`,
    );
  }
  // Every frame buffer of the scene is sized from these: the shared pixel budget, up front.
  checkPixels(k.width, k.height, { file, line }, 'image size', 4);
  return k;
}

/** Collects warnings into the scene and forwards them to the caller as they appear. */
export function warningSink(options: OpenSceneOptions) {
  const warnings: string[] = [];
  return {
    warnings,
    warn(message: string) {
      warnings.push(message);
      options.onWarning?.(message);
    },
  };
}

export function requireFrames(frames: unknown[], sourceName: string, format: string): void {
  if (frames.length === 0) {
    throw new UnsupportedError(`${sourceName}: ${format} layout found but no usable frames`);
  }
}
