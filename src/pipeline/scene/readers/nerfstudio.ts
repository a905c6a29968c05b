/**
 * nerfstudio `transforms.json`: intrinsics `fl_x fl_y cx cy w h` at the top level or per frame,
 * `frames[].file_path` (relative to the JSON's folder), `frames[].transform_matrix` camera-to-world
 * in OpenGL camera axes (x right, y up, looking −z), converted to ours by flipping the camera's
 * y and z axes (right-multiplying by diag(1, −1, −1, 1)). Optional `depth_file_path` (16-bit PNG)
 * with `depth_unit_scale_factor` (metres per raw unit, default 0.001). Frames without depth load
 * an all-invalid depth image. Distortion coefficients are ignored (with a warning).
 * nerfstudio's principal point uses pixel-corner coordinates (pixel centres at +0.5, as COLMAP);
 * ours has centres at integers, so cx and cy shift by −0.5. Without fl_x, `camera_angle_x`
 * (instant-ngp) gives fx = w / (2·tan(angle/2)); cx, cy default to the image centre.
 */
import { checkFrameCount } from '../../budget/resource-budget';
import { ParseError, throwIfAborted } from '../../errors';
import { openGlToOpenCvCamera } from '../../geometry/mat4';
import type { FileSource } from '../../io/file-source';
import { basename, dirname, joinPath } from '../../io/file-source';
import { parseJsonBytes } from '../../io/safe-json';
import type { OpenSceneOptions, SceneReader } from '../open-scene';
import type { Intrinsics, RgbdFrame, Scene } from '../types';
import {
  checkPose,
  displayPath,
  makeFrame,
  probeImageSize,
  requireFrames,
  validateIntrinsics,
  warningSink,
} from './rgbd-frame';

type Json = Record<string, unknown>;

const INTRINSIC_KEYS = ['fl_x', 'fl_y', 'cx', 'cy', 'w', 'h'] as const;
const DISTORTION_KEYS = ['k1', 'k2', 'k3', 'k4', 'p1', 'p2'];

function findTransforms(paths: string[]): string | undefined {
  return paths
    .filter((p) => basename(p) === 'transforms.json')
    .sort((a, b) => a.length - b.length)[0];
}

/** Resolves a frame path like "./images/frame_00001.png" against the JSON's folder. */
function resolvePath(root: string, relative: string): string {
  const parts = joinPath(root, relative).split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '.' || part === '') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

function numberField(o: Json, key: string, file: string, where: string): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new ParseError({ file }, `${where}: "${key}" must be a finite number`);
  }
  return v;
}

function parseMatrix(value: unknown, file: string, where: string): Float64Array {
  if (!Array.isArray(value) || (value.length !== 4 && value.length !== 3)) {
    throw new ParseError({ file }, `${where}: transform_matrix must be a 4x4 (or 3x4) array`);
  }
  const m = new Float64Array(16);
  m[15] = 1;
  value.forEach((row, r) => {
    if (!Array.isArray(row) || row.length !== 4 || !row.every((v) => typeof v === 'number')) {
      throw new ParseError({ file }, `${where}: transform_matrix row ${r} must hold 4 numbers`);
    }
    m.set(row as number[], r * 4);
  });
  return m;
}

async function read(
  source: FileSource,
  paths: string[],
  options: OpenSceneOptions,
): Promise<Scene> {
  const { warnings, warn } = warningSink(options);
  const jsonPath = findTransforms(paths)!;
  const file = displayPath(source, jsonPath);
  const root = dirname(jsonPath);
  // Size- and depth-limited; syntax errors carry the line and column.
  const json = parseJsonBytes(await source.read(jsonPath), file) as Json;
  if (typeof json !== 'object' || json === null || !Array.isArray(json.frames)) {
    throw new ParseError({ file }, 'expected an object with a "frames" array');
  }
  checkFrameCount(json.frames.length, { file }, 'frames');
  const cameraModel = json.camera_model;
  if (typeof cameraModel === 'string' && cameraModel !== 'OPENCV' && cameraModel !== 'PINHOLE') {
    warn(`camera_model ${cameraModel.slice(0, 40)} treated as a pinhole camera`);
  }
  const topScale = numberField(json, 'depth_unit_scale_factor', file, 'top level') ?? 0.001;
  const existing = new Set(paths);
  let distortionWarned = false;
  let missing = 0;
  let withoutDepth = 0;
  const frames: RgbdFrame[] = [];
  let probedSize: { width: number; height: number } | undefined;
  let probedDepthSize: { width: number; height: number } | undefined;

  for (let i = 0; i < json.frames.length; i++) {
    throwIfAborted(options.signal);
    const where = `frames[${i}]`;
    const f = json.frames[i] as Json;
    if (typeof f !== 'object' || f === null || typeof f.file_path !== 'string') {
      throw new ParseError({ file }, `${where}: expected an object with a "file_path" string`);
    }
    const colorPath = resolvePath(root, f.file_path);
    if (!existing.has(colorPath)) {
      missing++;
      continue;
    }
    const field = (k: string) =>
      numberField(f, k, file, where) ?? numberField(json, k, file, 'top level');
    if (!distortionWarned && DISTORTION_KEYS.some((k) => (field(k) ?? 0) !== 0)) {
      warn('lens distortion coefficients are ignored (images are treated as undistorted)');
      distortionWarned = true;
    }
    const [flX, flY, cxEdge, cyEdge, w, h] = INTRINSIC_KEYS.map(field);
    // Without w/h, probe one image and assume the rest match (loadColor checks each one).
    let size = w !== undefined && h !== undefined ? { width: w, height: h } : probedSize;
    if (!size) size = probedSize = await probeImageSize(source, colorPath);
    // instant-ngp / Blender files may give only the horizontal field of view.
    const angleX = field('camera_angle_x');
    const fx =
      flX ?? (angleX !== undefined ? (0.5 * size.width) / Math.tan(0.5 * angleX) : undefined);
    if (fx === undefined) {
      throw new ParseError({ file }, `${where}: needs fl_x (or camera_angle_x)`);
    }
    // nerfstudio (like COLMAP) puts pixel centres at +0.5; ours are at integers.
    const intrinsics: Intrinsics = validateIntrinsics(
      {
        fx,
        fy: flY ?? fx,
        cx: (cxEdge ?? size.width / 2) - 0.5,
        cy: (cyEdge ?? size.height / 2) - 0.5,
        width: size.width,
        height: size.height,
      },
      file,
    );
    const pose = checkPose(
      openGlToOpenCvCamera(parseMatrix(f.transform_matrix, file, where)),
      file,
      undefined,
      `${where} transform_matrix`,
    );
    let depthPath: string | undefined;
    let depthSize: { width: number; height: number } | undefined;
    if (typeof f.depth_file_path === 'string') {
      depthPath = resolvePath(root, f.depth_file_path);
      if (!existing.has(depthPath)) {
        missing++;
        continue;
      }
      depthSize = probedDepthSize ??= await probeImageSize(source, depthPath);
    } else withoutDepth++;
    const scale = numberField(f, 'depth_unit_scale_factor', file, where) ?? topScale;
    if (!(scale > 0))
      throw new ParseError({ file }, `${where}: depth_unit_scale_factor must be > 0`);
    frames.push(
      makeFrame(source, {
        index: frames.length,
        name: basename(colorPath).replace(/\.[^.]+$/, ''),
        colorPath,
        depthPath,
        intrinsics,
        depthSize,
        cameraToWorld: pose,
        depthScale: 1 / scale,
        invalidValues: [0],
      }),
    );
  }
  if (missing > 0) warn(`${missing} frame(s) reference missing image files; skipped`);
  if (withoutDepth > 0) warn(`${withoutDepth} frame(s) have no depth (colour only)`);
  requireFrames(frames, source.name, 'nerfstudio');
  return { name: source.name, format: 'nerfstudio', frames, warnings };
}

export const nerfstudioReader: SceneReader = {
  format: 'nerfstudio',
  detect: (paths) => findTransforms(paths) !== undefined,
  read,
};
