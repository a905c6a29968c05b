/**
 * ARKitScenes raw scans (`<video_id>_frames/`): `lowres_wide/<video_id>_<t>.png` colour,
 * `lowres_depth/<video_id>_<t>.png` depth (uint16 millimetres, same size as colour),
 * `lowres_wide_intrinsics/<video_id>_<t>.pincam` (`w h fx fy cx cy` on one line), and
 * `lowres_wide.traj`, one line per pose: `t rx ry rz tx ty tz`, a WORLD-TO-CAMERA axis-angle
 * rotation and translation (ARKitScenes' own code inverts it). The camera axes are already
 * OpenCV's (x right, y down, z forward). A frame's pose is interpolated between the trajectory
 * samples around its timestamp (rotation slerp, translation lerp) when both are within
 * `arkitMaxPoseGapS`, else the nearest sample within that gap; frames with neither are skipped.
 */
import { ParseError, throwIfAborted } from '../../errors';
import { RGBD_READER_DEFAULTS, SCAN_READER_DEFAULTS } from '../../defaults';
import { fromQuaternion, invertRigid, toQuaternion } from '../../geometry/mat4';
import type { FileSource } from '../../io/file-source';
import { basename, dirname, readText } from '../../io/file-source';
import type { OpenSceneOptions, SceneReader } from '../open-scene';
import type { Mat4, RgbdFrame, Scene } from '../types';
import {
  checkPose,
  displayPath,
  makeFrame,
  probeImageSize,
  requireFrames,
  validateIntrinsics,
  warningSink,
} from './rgbd-frame';

interface TrajectorySample {
  time: number;
  cameraToWorld: Mat4;
}

const TRAJ_NAME = 'lowres_wide.traj';
/** `<video_id>_<seconds>.<ext>`: the timestamp is the last underscore-separated field. */
const FRAME_NAME = /_(\d+(?:\.\d+)?)\.(png|jpg|jpeg|pincam)$/i;

/** Rodrigues: the rotation matrix (row-major 3x3 inside a Mat4) of an axis-angle vector. */
export function axisAngleToMatrix(rx: number, ry: number, rz: number): Mat4 {
  const angle = Math.hypot(rx, ry, rz);
  const m = new Float64Array(16);
  m[0] = m[5] = m[10] = m[15] = 1;
  if (angle < 1e-12) return m;
  const [x, y, z] = [rx / angle, ry / angle, rz / angle];
  const s = Math.sin(angle);
  const c = 1 - Math.cos(angle);
  m[0] = 1 - c * (y * y + z * z);
  m[1] = -s * z + c * x * y;
  m[2] = s * y + c * x * z;
  m[4] = s * z + c * x * y;
  m[5] = 1 - c * (x * x + z * z);
  m[6] = -s * x + c * y * z;
  m[8] = -s * y + c * x * z;
  m[9] = s * x + c * y * z;
  m[10] = 1 - c * (x * x + y * y);
  return m;
}

/** Parses `lowres_wide.traj` into camera-to-world samples sorted by time. */
export function parseArkitTrajectory(text: string, file: string): TrajectorySample[] {
  const samples: TrajectorySample[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    const words = line.split(/\s+/);
    const values = words.map(Number);
    if (words.length !== 7 || !values.every(Number.isFinite)) {
      throw new ParseError(
        { file, line: i + 1 },
        'expected 7 numbers: timestamp rx ry rz tx ty tz (world-to-camera axis-angle)',
      );
    }
    const [time, rx, ry, rz, tx, ty, tz] = values;
    const worldToCamera = axisAngleToMatrix(rx, ry, rz);
    worldToCamera[3] = tx;
    worldToCamera[7] = ty;
    worldToCamera[11] = tz;
    const pose = checkPose(invertRigid(worldToCamera), file, i + 1);
    samples.push({ time, cameraToWorld: pose });
  }
  return samples.sort((a, b) => a.time - b.time);
}

function interpolatePose(a: TrajectorySample, b: TrajectorySample, time: number): Mat4 {
  const w = b.time === a.time ? 0 : (time - a.time) / (b.time - a.time);
  const qa = toQuaternion(a.cameraToWorld);
  let qb = toQuaternion(b.cameraToWorld);
  let dot = qa[0] * qb[0] + qa[1] * qb[1] + qa[2] * qb[2] + qa[3] * qb[3];
  if (dot < 0) {
    qb = [-qb[0], -qb[1], -qb[2], -qb[3]];
    dot = -dot;
  }
  let wa = 1 - w;
  let wb = w;
  if (dot < 0.9995) {
    const theta = Math.acos(Math.min(1, dot));
    wa = Math.sin((1 - w) * theta) / Math.sin(theta);
    wb = Math.sin(w * theta) / Math.sin(theta);
  }
  const q = qa.map((v, k) => wa * v + wb * qb[k]);
  const norm = Math.hypot(...q);
  const t = [3, 7, 11].map((k) => (1 - w) * a.cameraToWorld[k] + w * b.cameraToWorld[k]);
  return fromQuaternion(q[0] / norm, q[1] / norm, q[2] / norm, q[3] / norm, t[0], t[1], t[2]);
}

/** The pose at `time`: interpolated inside a short gap, else the nearest close sample. */
export function poseAt(
  samples: TrajectorySample[],
  time: number,
  maxGap: number,
): Mat4 | undefined {
  let lo = 0;
  let hi = samples.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (samples[mid].time < time) lo = mid + 1;
    else hi = mid;
  }
  const after = samples[lo];
  const before = samples[lo - 1];
  if (after && Math.abs(after.time - time) < 1e-9) return after.cameraToWorld;
  if (before && after && after.time - before.time <= maxGap) {
    return interpolatePose(before, after, time);
  }
  const near = [before, after]
    .filter((s): s is TrajectorySample => s !== undefined && Math.abs(s.time - time) <= maxGap)
    .sort((x, y) => Math.abs(x.time - time) - Math.abs(y.time - time))[0];
  return near?.cameraToWorld;
}

function parsePincam(text: string, file: string) {
  const values = text.trim().split(/\s+/).map(Number);
  if (values.length !== 6 || !values.every(Number.isFinite)) {
    throw new ParseError({ file, line: 1 }, 'expected 6 numbers: width height fx fy cx cy');
  }
  const [width, height, fx, fy, cx, cy] = values;
  return validateIntrinsics({ width, height, fx, fy, cx, cy }, file, 1);
}

function timestampKey(path: string): string | undefined {
  const m = FRAME_NAME.exec(basename(path));
  return m ? m[1] : undefined;
}

function findTrajectory(paths: string[]): string | undefined {
  return paths.filter((p) => basename(p) === TRAJ_NAME).sort((a, b) => a.length - b.length)[0];
}

async function read(
  source: FileSource,
  paths: string[],
  options: OpenSceneOptions,
): Promise<Scene> {
  const { warnings, warn } = warningSink(options);
  const trajPath = findTrajectory(paths)!;
  const root = dirname(trajPath);
  const under = (folder: string) => {
    const prefix = root === '' ? `${folder}/` : `${root}/${folder}/`;
    const byKey = new Map<string, string>();
    for (const p of paths) {
      if (!p.startsWith(prefix) || p.slice(prefix.length).includes('/')) continue;
      const key = timestampKey(p);
      if (key !== undefined) byKey.set(key, p);
    }
    return byKey;
  };
  const colors = under('lowres_wide');
  const depths = under('lowres_depth');
  const pincams = under('lowres_wide_intrinsics');
  const trajFile = displayPath(source, trajPath);
  const samples = parseArkitTrajectory(await readText(source, trajPath), trajFile);
  if (samples.length === 0) throw new ParseError({ file: trajFile, line: 1 }, 'no poses');

  const maxGap = SCAN_READER_DEFAULTS.arkitMaxPoseGapS;
  const keys = [...colors.keys()].sort((a, b) => Number(a) - Number(b));
  const frames: RgbdFrame[] = [];
  let withoutDepth = 0;
  let withoutPose = 0;
  let depthSize: { width: number; height: number } | undefined;
  for (const key of keys) {
    throwIfAborted(options.signal);
    const colorPath = colors.get(key)!;
    const depthPath = depths.get(key);
    const pincamPath = pincams.get(key);
    if (!depthPath || !pincamPath) {
      withoutDepth++;
      continue;
    }
    const time = Number(key);
    const pose = poseAt(samples, time, maxGap);
    if (!pose) {
      withoutPose++;
      continue;
    }
    const pincamFile = displayPath(source, pincamPath);
    const intrinsics = parsePincam(await readText(source, pincamPath), pincamFile);
    depthSize ??= await probeImageSize(source, depthPath);
    frames.push(
      makeFrame(source, {
        index: frames.length,
        name: basename(colorPath).replace(/\.[^.]+$/, ''),
        colorPath,
        depthPath,
        intrinsics,
        depthSize,
        cameraToWorld: pose,
        timestamp: time,
        depthScale: RGBD_READER_DEFAULTS.millimetreDepthScale,
        invalidValues: [0],
      }),
    );
  }
  if (withoutDepth > 0) {
    warn(`${withoutDepth} colour frame(s) have no matching depth or .pincam file; skipped`);
  }
  if (withoutPose > 0) {
    warn(`${withoutPose} frame(s) have no trajectory pose within ${maxGap} s; skipped`);
  }
  requireFrames(frames, source.name, 'ARKitScenes');
  return { name: source.name, format: 'arkitscenes', frames, warnings };
}

export const arkitScenesReader: SceneReader = {
  format: 'arkitscenes',
  detect: (paths) => findTrajectory(paths) !== undefined,
  read,
};
