/**
 * 7-Scenes / tsdf-fusion layout: `frame-XXXXXX.color.{jpg,png}`, `frame-XXXXXX.depth.png`
 * (millimetres, 0 and 65535 = invalid), `frame-XXXXXX.pose.txt` (4x4 camera-to-world) in one or
 * more folders (7-Scenes: `seq-01/`, ...; poses share one world frame per scene), and an
 * optional `camera-intrinsics.txt` (3x3). Without it the dataset's documented Kinect defaults
 * (585, 585, 320, 240) are used with a warning. Depth is treated as registered to colour.
 */
import { RGBD_READER_DEFAULTS } from '../../defaults';
import { throwIfAborted } from '../../errors';
import { scaleIntrinsics } from '../../geometry/camera';
import type { FileSource } from '../../io/file-source';
import { basename, readText } from '../../io/file-source';
import type { OpenSceneOptions, SceneReader } from '../open-scene';
import type { Intrinsics, RgbdFrame, Scene } from '../types';
import { parseIntrinsicsMatrixText } from './intrinsics-file';
import {
  checkPose,
  displayPath,
  makeFrame,
  probeImageSize,
  requireFrames,
  warningSink,
} from './rgbd-frame';
import { parseMatrixText } from './text-matrix';

const FRAME_FILE = /^(.*frame-\d+)\.(color\.jpg|color\.png|depth\.png|pose\.txt)$/;

interface FrameGroup {
  stem: string;
  color?: string;
  depth?: string;
  pose?: string;
}

function groupFrames(paths: string[]): FrameGroup[] {
  const groups = new Map<string, FrameGroup>();
  for (const p of paths) {
    const m = FRAME_FILE.exec(p);
    if (!m) continue;
    const g = groups.get(m[1]) ?? { stem: m[1] };
    if (m[2].startsWith('color')) g.color = p;
    else if (m[2] === 'depth.png') g.depth = p;
    else g.pose = p;
    groups.set(m[1], g);
  }
  return [...groups.values()].sort((a, b) => (a.stem < b.stem ? -1 : a.stem > b.stem ? 1 : 0));
}

export function isSevenScenes(paths: string[]): boolean {
  let depth = false;
  let pose = false;
  for (const p of paths) {
    if (/frame-\d+\.depth\.png$/.test(p)) depth = true;
    else if (/frame-\d+\.pose\.txt$/.test(p)) pose = true;
    if (depth && pose) return true;
  }
  return false;
}

async function readIntrinsics(
  source: FileSource,
  paths: string[],
  size: { width: number; height: number },
  warn: (m: string) => void,
): Promise<Intrinsics> {
  const file = paths.find((p) => basename(p) === 'camera-intrinsics.txt');
  if (file) {
    return parseIntrinsicsMatrixText(await readText(source, file), displayPath(source, file), size);
  }
  const d = RGBD_READER_DEFAULTS.sevenScenesIntrinsics;
  warn(
    `no camera-intrinsics.txt: assuming the 7-Scenes Kinect defaults fx=${d.fx} fy=${d.fy} ` +
      `cx=${d.cx} cy=${d.cy}`,
  );
  return scaleIntrinsics(d, size.width, size.height);
}

async function read(
  source: FileSource,
  paths: string[],
  options: OpenSceneOptions,
): Promise<Scene> {
  const { warnings, warn } = warningSink(options);
  const groups = groupFrames(paths);
  const complete = groups.filter((g) => g.color && g.depth && g.pose);
  if (complete.length < groups.length) {
    warn(`${groups.length - complete.length} frame(s) lack a colour, depth or pose file; skipped`);
  }
  requireFrames(complete, source.name, '7-Scenes');
  const colorSize = await probeImageSize(source, complete[0].color!);
  const depthSize = await probeImageSize(source, complete[0].depth!);
  const intrinsics = await readIntrinsics(source, paths, colorSize, warn);
  const frames: RgbdFrame[] = [];
  for (const g of complete) {
    throwIfAborted(options.signal);
    const file = displayPath(source, g.pose!);
    const pose = checkPose(
      Float64Array.from(parseMatrixText(await readText(source, g.pose!), file, 4, 4)),
      file,
      1,
    );
    frames.push(
      makeFrame(source, {
        index: frames.length,
        name: basename(g.stem),
        colorPath: g.color!,
        depthPath: g.depth!,
        intrinsics,
        depthSize,
        cameraToWorld: pose,
        depthScale: RGBD_READER_DEFAULTS.millimetreDepthScale,
        invalidValues: [0, 65535],
      }),
    );
  }
  return { name: source.name, format: '7scenes', frames, warnings };
}

export const sevenScenesReader: SceneReader = { format: '7scenes', detect: isSevenScenes, read };
