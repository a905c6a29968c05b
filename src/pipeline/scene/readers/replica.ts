/**
 * Replica in NICE-SLAM's layout (`Replica/room0/`): `results/frame%06d.jpg`,
 * `results/depth%06d.png` (uint16, 6553.5 raw units per metre) and `traj.txt`, one row-major
 * 4x4 camera-to-world per line (16 numbers, OpenCV camera axes: NICE-SLAM itself flips y and z
 * to get its OpenGL ones). Intrinsics are NICE-SLAM's (1200x680, f = 600, c = 599.5, 339.5)
 * unless a `cam_params.json` ({"camera": {w, h, fx, fy, cx, cy, scale}}) sits in the scene
 * folder or the one above it.
 */
import { ParseError, throwIfAborted } from '../../errors';
import { SCAN_READER_DEFAULTS } from '../../defaults';
import type { FileSource } from '../../io/file-source';
import { dirname, joinPath, readText } from '../../io/file-source';
import { parseJsonBytes } from '../../io/safe-json';
import type { OpenSceneOptions, SceneReader } from '../open-scene';
import type { Intrinsics, RgbdFrame, Scene } from '../types';
import {
  checkPose,
  displayPath,
  makeFrame,
  requireFrames,
  validateIntrinsics,
  warningSink,
} from './rgbd-frame';

const FRAME = /(^|\/)results\/frame(\d+)\.(jpg|png)$/;

function findTraj(paths: string[]): string | undefined {
  const resultDirs = new Set(paths.filter((p) => FRAME.test(p)).map((p) => dirname(dirname(p))));
  return paths
    .filter((p) => /(^|\/)traj\.txt$/.test(p) && resultDirs.has(dirname(p)))
    .sort((a, b) => a.length - b.length)[0];
}

/** traj.txt: one camera-to-world per non-empty line. */
export function parseReplicaTrajectory(text: string, file: string): Float64Array[] {
  const poses: Float64Array[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const values = line.split(/\s+/).map(Number);
    if (values.length !== 16 || !values.every(Number.isFinite)) {
      throw new ParseError({ file, line: i + 1 }, 'expected 16 numbers (a row-major 4x4 pose)');
    }
    poses.push(checkPose(Float64Array.from(values), file, i + 1));
  }
  return poses;
}

async function readCamParams(
  source: FileSource,
  path: string,
): Promise<{ intrinsics: Intrinsics; depthScale: number }> {
  const file = displayPath(source, path);
  const json = parseJsonBytes(await source.read(path), file) as {
    camera?: Record<string, unknown>;
  };
  const cam = json && typeof json === 'object' ? json.camera : undefined;
  if (!cam || typeof cam !== 'object') {
    throw new ParseError({ file }, 'expected {"camera": {w, h, fx, fy, cx, cy, scale}}');
  }
  const num = (key: string) => {
    const v = cam[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ParseError({ file }, `camera.${key} must be a finite number`);
    }
    return v;
  };
  const intrinsics = validateIntrinsics(
    {
      width: num('w'),
      height: num('h'),
      fx: num('fx'),
      fy: num('fy'),
      cx: num('cx'),
      cy: num('cy'),
    },
    file,
  );
  const depthScale = num('scale');
  if (!(depthScale > 0)) throw new ParseError({ file }, 'camera.scale must be > 0');
  return { intrinsics, depthScale };
}

async function read(
  source: FileSource,
  paths: string[],
  options: OpenSceneOptions,
): Promise<Scene> {
  const { warnings, warn } = warningSink(options);
  const trajPath = findTraj(paths)!;
  const root = dirname(trajPath);
  const existing = new Set(paths);
  const parent = dirname(root);
  const camPath = [joinPath(root, 'cam_params.json'), joinPath(parent, 'cam_params.json')].find(
    (p) => existing.has(p),
  );
  const defaults = SCAN_READER_DEFAULTS.replicaCamera;
  const { intrinsics, depthScale } = camPath
    ? await readCamParams(source, camPath)
    : {
        intrinsics: { ...defaults.intrinsics },
        depthScale: defaults.depthScale,
      };
  if (!camPath) warn("no cam_params.json; using NICE-SLAM's Replica intrinsics (1200x680, f=600)");
  const poses = parseReplicaTrajectory(
    await readText(source, trajPath),
    displayPath(source, trajPath),
  );
  const colorByIndex = new Map<number, string>();
  for (const p of paths) {
    const m = FRAME.exec(p);
    if (m && dirname(p) === joinPath(root, 'results')) colorByIndex.set(Number(m[2]), p);
  }
  const frames: RgbdFrame[] = [];
  let skipped = 0;
  for (const index of [...colorByIndex.keys()].sort((a, b) => a - b)) {
    throwIfAborted(options.signal);
    const colorPath = colorByIndex.get(index)!;
    const digits = /frame(\d+)\./.exec(colorPath)![1];
    const depthPath = joinPath(root, 'results', `depth${digits}.png`);
    const pose = poses[index];
    if (!pose || !existing.has(depthPath)) {
      skipped++;
      continue;
    }
    frames.push(
      makeFrame(source, {
        index: frames.length,
        name: `frame${digits}`,
        colorPath,
        depthPath,
        intrinsics,
        cameraToWorld: pose,
        depthScale,
        invalidValues: [0],
      }),
    );
  }
  if (skipped > 0) warn(`${skipped} frame(s) have no depth map or no traj.txt line; skipped`);
  requireFrames(frames, source.name, 'Replica (NICE-SLAM)');
  return { name: source.name, format: 'replica', frames, warnings };
}

export const replicaReader: SceneReader = {
  format: 'replica',
  detect: (paths) => findTraj(paths) !== undefined,
  read,
};
