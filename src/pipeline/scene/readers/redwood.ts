/**
 * ICL-NUIM / Redwood / Open3D reconstruction-system layout: colour images in `color/` (or
 * `image/`, `rgb/`, a folder named like `scene-color`), 16-bit millimetre depth PNGs in `depth/`
 * (or a folder named like `scene-depth-clean`), and a Redwood trajectory (a `.log` file, or a
 * `...traj....txt` file as the Redwood / ICL-NUIM downloads name it): per frame a line of three
 * integers `id id n` then four rows of a 4x4 camera-to-world matrix.
 * Images pair up by sorted order and the first integer is the frame index. Intrinsics come from
 * `camera-intrinsics.txt` (3x3) or an Open3D intrinsics JSON when present, else the PrimeSense
 * defaults (525, 525, 319.5, 239.5) with a warning.
 */
import { RGBD_READER_DEFAULTS, SCENE_DEFAULTS } from '../../defaults';
import { ParseError, throwIfAborted } from '../../errors';
import { scaleIntrinsics } from '../../geometry/camera';
import type { FileSource } from '../../io/file-source';
import { basename, dirname, readText } from '../../io/file-source';
import type { OpenSceneOptions, SceneReader } from '../open-scene';
import type { Intrinsics, Mat4, RgbdFrame, Scene } from '../types';
import { parseIntrinsicsMatrixText, parseOpen3dIntrinsicsJson } from './intrinsics-file';
import {
  checkPose,
  displayPath,
  makeFrame,
  probeImageSize,
  requireFrames,
  warningSink,
} from './rgbd-frame';
import { numericLines } from './text-matrix';

const COLOR_DIRS = ['color', 'image', 'rgb'];
const INTRINSIC_JSON = ['intrinsic.json', 'camera_intrinsic.json', 'intrinsics.json'];

interface Layout {
  root: string;
  log: string;
  colors: string[];
  depths: string[];
}

function imagesIn(paths: string[], dir: string, pattern: RegExp): string[] {
  return paths.filter((p) => dirname(p) === dir && pattern.test(p)).sort();
}

/** Child folder names of `root` that hold files. */
function childDirs(paths: string[], root: string): string[] {
  const names = new Set<string>();
  for (const p of paths) {
    const dir = dirname(p);
    if (dir && dirname(dir) === root) names.add(basename(dir));
  }
  return [...names].sort();
}

/** Exact conventional names first, then names like `livingroom1-depth-clean`, `scene-color`. */
function pickDir(names: string[], exact: string[], loose: RegExp, exclude?: RegExp): string[] {
  const exactHits = exact.filter((n) => names.includes(n));
  const looseHits = names.filter((n) => !exact.includes(n) && loose.test(n) && !exclude?.test(n));
  return [...exactHits, ...looseHits];
}

function isTrajectoryFile(path: string): boolean {
  const name = basename(path);
  return /\.log$/i.test(name) || /traj[^/]*\.txt$/i.test(name);
}

function findLayout(paths: string[]): Layout | undefined {
  for (const log of paths.filter(isTrajectoryFile)) {
    const root = dirname(log);
    const join = (d: string) => (root ? `${root}/${d}` : d);
    const dirs = childDirs(paths, root);
    for (const depthDir of pickDir(dirs, ['depth'], /depth/i)) {
      const depths = imagesIn(paths, join(depthDir), /\.png$/i);
      if (depths.length === 0) continue;
      for (const colorDir of pickDir(dirs, COLOR_DIRS, /colou?r|rgb|image/i, /depth/i)) {
        const colors = imagesIn(paths, join(colorDir), /\.(jpe?g|png)$/i);
        if (colors.length > 0) return { root, log, colors, depths };
      }
    }
  }
  return undefined;
}

export interface LogEntry {
  frameIndex: number;
  line: number;
  pose: Mat4;
}

/** Parses a Redwood / Open3D `.log` trajectory; every entry's pose must be finite and rigid. */
export function parseTrajectoryLog(text: string, file: string): LogEntry[] {
  const lines = numericLines(text, file, 'trajectory value');
  if (lines.length % 5 !== 0) {
    const line = lines[lines.length - (lines.length % 5)].line;
    throw new ParseError({ file, line }, `incomplete entry: ${lines.length % 5} of 5 lines`);
  }
  const out: LogEntry[] = [];
  const seenAt = new Map<number, number>();
  for (let i = 0; i < lines.length; i += 5) {
    const header = lines[i];
    if (header.values.length !== 3 || !header.values.every(Number.isInteger)) {
      throw new ParseError({ file, line: header.line }, 'expected a header line of three integers');
    }
    const pose = new Float64Array(16);
    for (let r = 0; r < 4; r++) {
      const row = lines[i + 1 + r];
      if (row.values.length !== 4) {
        throw new ParseError(
          { file, line: row.line },
          `expected 4 numbers, found ${row.values.length}`,
        );
      }
      pose.set(row.values, r * 4);
    }
    checkPose(pose, file, lines[i + 1].line);
    // Two poses for one frame would silently reuse one image for both.
    const frameIndex = header.values[0];
    const earlier = seenAt.get(frameIndex);
    if (earlier !== undefined) {
      throw new ParseError(
        { file, line: header.line },
        `frame ${frameIndex} already has a pose (entry at line ${earlier})`,
      );
    }
    seenAt.set(frameIndex, header.line);
    out.push({ frameIndex, line: header.line, pose });
  }
  return out;
}

async function readIntrinsics(
  source: FileSource,
  paths: string[],
  root: string,
  size: { width: number; height: number },
  warn: (m: string) => void,
): Promise<Intrinsics> {
  const inRoot = (name: string) => paths.find((p) => dirname(p) === root && basename(p) === name);
  const txt = inRoot('camera-intrinsics.txt');
  if (txt)
    return parseIntrinsicsMatrixText(await readText(source, txt), displayPath(source, txt), size);
  for (const name of INTRINSIC_JSON) {
    const json = inRoot(name);
    if (json)
      return parseOpen3dIntrinsicsJson(await readText(source, json), displayPath(source, json));
  }
  const d = SCENE_DEFAULTS.primeSenseIntrinsics;
  warn(
    `no intrinsics file: assuming the PrimeSense defaults fx=${d.fx} fy=${d.fy} cx=${d.cx} ` +
      `cy=${d.cy} (${d.width}x${d.height})`,
  );
  if (size.width !== d.width || size.height !== d.height) {
    warn(
      `images are ${size.width}x${size.height}; default intrinsics scaled from ${d.width}x${d.height}`,
    );
    return scaleIntrinsics(d, size.width, size.height);
  }
  return { ...d };
}

async function read(
  source: FileSource,
  paths: string[],
  options: OpenSceneOptions,
): Promise<Scene> {
  const { warnings, warn } = warningSink(options);
  const layout = findLayout(paths)!;
  const logFile = displayPath(source, layout.log);
  const entries = parseTrajectoryLog(await readText(source, layout.log), logFile);
  const count = Math.min(layout.colors.length, layout.depths.length);
  if (layout.colors.length !== layout.depths.length) {
    warn(
      `${layout.colors.length} colour and ${layout.depths.length} depth images; pairing the first ${count}`,
    );
  }
  const colorSize = await probeImageSize(source, layout.colors[0]);
  const depthSize = await probeImageSize(source, layout.depths[0]);
  const intrinsics = await readIntrinsics(source, paths, layout.root, colorSize, warn);
  const frames: RgbdFrame[] = [];
  let outOfRange = 0;
  for (const e of entries) {
    throwIfAborted(options.signal);
    if (e.frameIndex < 0 || e.frameIndex >= count) {
      outOfRange++;
      continue;
    }
    const colorPath = layout.colors[e.frameIndex];
    frames.push(
      makeFrame(source, {
        index: frames.length,
        name: basename(colorPath).replace(/\.[^.]+$/, ''),
        colorPath,
        depthPath: layout.depths[e.frameIndex],
        intrinsics,
        depthSize,
        cameraToWorld: e.pose,
        depthScale: RGBD_READER_DEFAULTS.millimetreDepthScale,
        invalidValues: [0],
      }),
    );
  }
  if (outOfRange > 0) warn(`${outOfRange} trajectory entries have no image pair; skipped`);
  if (entries.length < count) warn(`${count - entries.length} image pairs have no pose; skipped`);
  requireFrames(frames, source.name, 'Redwood');
  return { name: source.name, format: 'redwood', frames, warnings };
}

export const redwoodReader: SceneReader = {
  format: 'redwood',
  detect: (paths) => findLayout(paths) !== undefined,
  read,
};
