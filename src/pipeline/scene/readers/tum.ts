/**
 * TUM RGB-D benchmark layout: `rgb.txt` and `depth.txt` ("timestamp filename" per line),
 * `groundtruth.txt` ("timestamp tx ty tz qx qy qz qw", camera-to-world), '#' comments.
 * Colour and depth are paired like TUM's associate.py (greedy closest pairs with
 * |Δt| < 0.02 s, each image used once); each pair takes the ground-truth pose at the colour
 * timestamp: nearest sample within the same limit, or (RGBD_READER_DEFAULTS.tumInterpolatePoses)
 * interpolated between the samples around it. Depth scale 5000, 0 = invalid.
 * Intrinsics: `camera-intrinsics.txt` (3x3) or `intrinsics.txt` / `calibration.txt`
 * ("fx fy cx cy [distortion...]") if present, else the ROS default (525, 525, 319.5, 239.5)
 * with a warning. Ground-truth lines with NaN values or a zero quaternion (tracking gaps) are
 * skipped with a warning; anything else malformed is a ParseError with the line.
 */
import { RGBD_READER_DEFAULTS } from '../../defaults';
import { MissingFileError, ParseError, throwIfAborted } from '../../errors';
import { scaleIntrinsics } from '../../geometry/camera';
import { fromQuaternion } from '../../geometry/mat4';
import type { FileSource } from '../../io/file-source';
import { basename, dirname, joinPath, readText } from '../../io/file-source';
import type { OpenSceneOptions, SceneReader } from '../open-scene';
import type { Intrinsics, Mat4, RgbdFrame, Scene } from '../types';
import { parseIntrinsicsMatrixText } from './intrinsics-file';
import {
  displayPath,
  isUsablePose,
  makeFrame,
  probeImageSize,
  requireFrames,
  validateIntrinsics,
} from './rgbd-frame';
import { warningSink } from './rgbd-frame';
import { numericLines, parseNumberAt, tokenLines } from './text-matrix';

export interface TimedFile {
  time: number;
  path: string;
  line: number;
}

export interface TimedPose {
  time: number;
  pose: Mat4;
  /** Unit quaternion (x, y, z, w) and translation, kept for interpolation. */
  q: [number, number, number, number];
  t: [number, number, number];
}

function findRoot(paths: string[]): string | undefined {
  const set = new Set(paths);
  for (const p of paths) {
    if (basename(p) !== 'rgb.txt') continue;
    const root = dirname(p);
    if (set.has(joinPath(root, 'depth.txt'))) return root;
  }
  return undefined;
}

/** Parses rgb.txt / depth.txt: timestamp and a file path relative to the list's folder. */
export function parseFileList(text: string, file: string, root: string): TimedFile[] {
  return tokenLines(text).map((l) => {
    if (l.tokens.length < 2) {
      throw new ParseError({ file, line: l.line }, 'expected "timestamp filename"');
    }
    return {
      time: parseNumberAt(l.tokens[0], file, l.line, 'timestamp'),
      path: joinPath(root, l.tokens[1]),
      line: l.line,
    };
  });
}

const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

/** Parses groundtruth.txt; returns usable poses sorted by time and the count of skipped lines. */
export function parseGroundTruth(
  text: string,
  file: string,
): { poses: TimedPose[]; skipped: number } {
  const poses: TimedPose[] = [];
  let skipped = 0;
  for (const l of tokenLines(text)) {
    if (l.tokens.length !== 8) {
      throw new ParseError(
        { file, line: l.line },
        `expected "timestamp tx ty tz qx qy qz qw", found ${l.tokens.length} values`,
      );
    }
    const time = parseNumberAt(l.tokens[0], file, l.line, 'timestamp');
    if (l.tokens.slice(1).some((t) => NON_FINITE.test(t))) {
      skipped++;
      continue;
    }
    const [tx, ty, tz, qx, qy, qz, qw] = l.tokens
      .slice(1)
      .map((t) => parseNumberAt(t, file, l.line, 'pose value'));
    const pose = fromQuaternion(qx, qy, qz, qw, tx, ty, tz);
    if (!isUsablePose(pose)) {
      skipped++;
      continue;
    }
    const n = Math.hypot(qx, qy, qz, qw);
    poses.push({ time, pose, q: [qx / n, qy / n, qz / n, qw / n], t: [tx, ty, tz] });
  }
  poses.sort((a, b) => a.time - b.time);
  return { poses, skipped };
}

/**
 * associate.py's matching: all pairs closer than maxDifference, taken greedily from the closest,
 * each element used at most once. Returns index pairs sorted by the first list's time.
 */
export function associate(
  first: number[],
  second: number[],
  maxDifference: number,
): Array<[number, number]> {
  const order = second.map((t, i) => [t, i] as const).sort((a, b) => a[0] - b[0]);
  const candidates: Array<[number, number, number]> = [];
  for (let i = 0; i < first.length; i++) {
    const t = first[i];
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (order[mid][0] < t - maxDifference) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < order.length && order[k][0] < t + maxDifference; k++) {
      const d = Math.abs(order[k][0] - t);
      if (d < maxDifference) candidates.push([d, i, order[k][1]]);
    }
  }
  candidates.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const usedFirst = new Set<number>();
  const usedSecond = new Set<number>();
  const pairs: Array<[number, number]> = [];
  for (const [, i, j] of candidates) {
    if (usedFirst.has(i) || usedSecond.has(j)) continue;
    usedFirst.add(i);
    usedSecond.add(j);
    pairs.push([i, j]);
  }
  return pairs.sort((a, b) => first[a[0]] - first[b[0]] || a[0] - b[0]);
}

/** Index of the first pose whose time is ≥ `time` (poses sorted by time); poses.length if none. */
function firstAtOrAfter(poses: TimedPose[], time: number): number {
  let lo = 0;
  let hi = poses.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (poses[mid].time < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The pose nearest in time (sorted input), if within maxDifference. */
export function nearestPose(
  poses: TimedPose[],
  time: number,
  maxDifference: number,
): Mat4 | undefined {
  const lo = firstAtOrAfter(poses, time);
  let best: TimedPose | undefined;
  for (const k of [lo - 1, lo]) {
    const p = poses[k];
    if (p && (!best || Math.abs(p.time - time) < Math.abs(best.time - time))) best = p;
  }
  return best && Math.abs(best.time - time) <= maxDifference ? best.pose : undefined;
}

/**
 * The pose at `time` interpolated between the ground-truth samples around it (linear translation,
 * spherical-linear rotation), when both lie within maxDifference; else the nearest sample within
 * it (as nearestPose).
 */
export function interpolatePose(
  poses: TimedPose[],
  time: number,
  maxDifference: number,
): Mat4 | undefined {
  const lo = firstAtOrAfter(poses, time);
  const before = poses[lo - 1];
  const after = poses[lo];
  if (
    !before ||
    !after ||
    time - before.time > maxDifference ||
    after.time - time > maxDifference ||
    after.time === before.time
  ) {
    return nearestPose(poses, time, maxDifference);
  }
  const a = (time - before.time) / (after.time - before.time);
  const q = slerp(before.q, after.q, a);
  const t = before.t.map((v, i) => v + a * (after.t[i] - v));
  return fromQuaternion(q[0], q[1], q[2], q[3], t[0], t[1], t[2]);
}

function slerp(
  p: [number, number, number, number],
  q: [number, number, number, number],
  a: number,
): [number, number, number, number] {
  let dot = p[0] * q[0] + p[1] * q[1] + p[2] * q[2] + p[3] * q[3];
  const sign = dot < 0 ? -1 : 1; // take the short way round
  dot *= sign;
  if (dot > 0.9995) {
    return [0, 1, 2, 3].map((i) => p[i] + a * (sign * q[i] - p[i])) as [
      number,
      number,
      number,
      number,
    ];
  }
  const theta = Math.acos(Math.min(1, dot));
  const wp = Math.sin((1 - a) * theta) / Math.sin(theta);
  const wq = (sign * Math.sin(a * theta)) / Math.sin(theta);
  return [0, 1, 2, 3].map((i) => wp * p[i] + wq * q[i]) as [number, number, number, number];
}

async function readIntrinsics(
  source: FileSource,
  paths: string[],
  root: string,
  size: { width: number; height: number },
  warn: (m: string) => void,
): Promise<Intrinsics> {
  const set = new Set(paths);
  const matrixFile = joinPath(root, 'camera-intrinsics.txt');
  if (set.has(matrixFile)) {
    return parseIntrinsicsMatrixText(
      await readText(source, matrixFile),
      displayPath(source, matrixFile),
      size,
    );
  }
  for (const name of ['intrinsics.txt', 'calibration.txt']) {
    const path = joinPath(root, name);
    if (!set.has(path)) continue;
    const file = displayPath(source, path);
    const lines = numericLines(await readText(source, path), file, 'intrinsics value');
    if (lines.length === 0 || lines[0].values.length < 4) {
      throw new ParseError(
        { file, line: lines[0]?.line ?? 1 },
        'expected "fx fy cx cy [distortion...]"',
      );
    }
    const [fx, fy, cx, cy] = lines[0].values;
    return validateIntrinsics({ fx, fy, cx, cy, ...size }, file, lines[0].line);
  }
  const d = RGBD_READER_DEFAULTS.tumIntrinsics;
  warn(
    `no intrinsics file: assuming the TUM ROS default fx=${d.fx} fy=${d.fy} cx=${d.cx} cy=${d.cy} ` +
      `(freiburg1/2/3 cameras differ by a few percent; add intrinsics.txt "fx fy cx cy")`,
  );
  return scaleIntrinsics(d, size.width, size.height);
}

async function read(
  source: FileSource,
  paths: string[],
  options: OpenSceneOptions,
): Promise<Scene> {
  const { warnings, warn } = warningSink(options);
  const root = findRoot(paths)!;
  const listPath = (name: string) => joinPath(root, name);
  const rgb = parseFileList(
    await readText(source, listPath('rgb.txt')),
    displayPath(source, listPath('rgb.txt')),
    root,
  );
  const depth = parseFileList(
    await readText(source, listPath('depth.txt')),
    displayPath(source, listPath('depth.txt')),
    root,
  );
  const gtPath = listPath('groundtruth.txt');
  if (!paths.includes(gtPath)) {
    throw new MissingFileError(
      displayPath(source, gtPath),
      'TUM folder has no groundtruth.txt (camera poses)',
    );
  }
  const gt = parseGroundTruth(await readText(source, gtPath), displayPath(source, gtPath));
  if (gt.skipped > 0)
    warn(`groundtruth.txt: ${gt.skipped} pose line(s) with NaN or zero quaternion skipped`);

  const maxDt = RGBD_READER_DEFAULTS.tumMaxTimeDifferenceS;
  const pairs = associate(
    rgb.map((r) => r.time),
    depth.map((d) => d.time),
    maxDt,
  );
  const existing = new Set(paths);
  let missingFiles = 0;
  let withoutPose = 0;
  const usable: Array<{ rgb: TimedFile; depth: TimedFile; pose: Mat4 }> = [];
  for (const [i, j] of pairs) {
    if (!existing.has(rgb[i].path) || !existing.has(depth[j].path)) {
      missingFiles++;
      continue;
    }
    const pose = RGBD_READER_DEFAULTS.tumInterpolatePoses
      ? interpolatePose(gt.poses, rgb[i].time, maxDt)
      : nearestPose(gt.poses, rgb[i].time, maxDt);
    if (!pose) {
      withoutPose++;
      continue;
    }
    usable.push({ rgb: rgb[i], depth: depth[j], pose });
  }
  const unpaired = rgb.length - pairs.length;
  if (unpaired > 0) warn(`${unpaired} colour image(s) have no depth within ${maxDt} s; skipped`);
  if (missingFiles > 0) warn(`${missingFiles} listed image file(s) are missing; skipped`);
  if (withoutPose > 0)
    warn(`${withoutPose} frame(s) have no ground-truth pose within ${maxDt} s; skipped`);
  requireFrames(usable, source.name, 'TUM RGB-D');

  const colorSize = await probeImageSize(source, usable[0].rgb.path);
  const depthSize = await probeImageSize(source, usable[0].depth.path);
  const intrinsics = await readIntrinsics(source, paths, root, colorSize, warn);
  const frames: RgbdFrame[] = [];
  for (const u of usable) {
    throwIfAborted(options.signal);
    frames.push(
      makeFrame(source, {
        index: frames.length,
        name: basename(u.rgb.path).replace(/\.[^.]+$/, ''),
        colorPath: u.rgb.path,
        depthPath: u.depth.path,
        intrinsics,
        depthSize,
        cameraToWorld: Float64Array.from(u.pose),
        timestamp: u.rgb.time,
        depthScale: RGBD_READER_DEFAULTS.tumDepthScale,
        invalidValues: [0],
      }),
    );
  }
  return { name: source.name, format: 'tum', frames, warnings };
}

export const tumReader: SceneReader = {
  format: 'tum',
  detect: (paths) => findRoot(paths) !== undefined,
  read,
};
