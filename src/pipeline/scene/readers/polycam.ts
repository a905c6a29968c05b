/**
 * Polycam raw export (developer mode "raw data"): `keyframes/images/<t>.jpg`,
 * `keyframes/depth/<t>.png` (uint16 millimetres, lower resolution than the images),
 * `keyframes/cameras/<t>.json` and, after Polycam's pose optimisation,
 * `keyframes/corrected_cameras/<t>.json` (preferred). A camera JSON holds `fx fy cx cy width
 * height` for the image and `t_00 … t_23`, the top three rows of a camera-to-world matrix in
 * ARKit's camera axes (x right, y up, looking −z: OpenGL), converted to OpenCV axes by
 * flipping the camera's y and z. World axes are ARKit's (y up), kept as they are.
 */
import { ParseError, throwIfAborted } from '../../errors';
import { RGBD_READER_DEFAULTS } from '../../defaults';
import { openGlToOpenCvCamera } from '../../geometry/mat4';
import type { FileSource } from '../../io/file-source';
import { basename } from '../../io/file-source';
import { parseJsonBytes } from '../../io/safe-json';
import type { OpenSceneOptions, SceneReader } from '../open-scene';
import type { RgbdFrame, Scene } from '../types';
import {
  checkPose,
  displayPath,
  makeFrame,
  probeImageSize,
  requireFrames,
  validateIntrinsics,
  warningSink,
} from './rgbd-frame';

const CAMERA_DIR = /(^|\/)keyframes\/(corrected_cameras|cameras)\/([^/]+)\.json$/;

function stem(path: string): string {
  return basename(path).replace(/\.[^.]+$/, '');
}

function keyframesRoot(paths: string[]): string | undefined {
  const roots = paths
    .map((p) => CAMERA_DIR.exec(p))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => m.input.slice(0, m.index + m[1].length));
  return roots.sort((a, b) => a.length - b.length)[0];
}

/** The camera JSON's intrinsics and camera-to-world pose (OpenCV camera axes). */
export function parsePolycamCamera(bytes: Uint8Array, file: string) {
  const json = parseJsonBytes(bytes, file) as Record<string, unknown>;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ParseError({ file }, 'expected a camera object');
  }
  const num = (key: string): number => {
    const v = json[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ParseError({ file }, `"${key}" must be a finite number`);
    }
    return v;
  };
  const intrinsics = validateIntrinsics(
    {
      fx: num('fx'),
      fy: num('fy'),
      cx: num('cx'),
      cy: num('cy'),
      width: num('width'),
      height: num('height'),
    },
    file,
  );
  const gl = new Float64Array(16);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) gl[r * 4 + c] = num(`t_${r}${c}`);
  gl[15] = 1;
  const pose = checkPose(openGlToOpenCvCamera(gl), file, undefined, 't_00..t_23');
  return { intrinsics, cameraToWorld: pose };
}

async function read(
  source: FileSource,
  paths: string[],
  options: OpenSceneOptions,
): Promise<Scene> {
  const { warnings, warn } = warningSink(options);
  const root = keyframesRoot(paths)!;
  const inDir = (dir: string) => {
    const prefix = `${root}keyframes/${dir}/`;
    const map = new Map<string, string>();
    for (const p of paths) {
      if (p.startsWith(prefix) && !p.slice(prefix.length).includes('/')) map.set(stem(p), p);
    }
    return map;
  };
  const corrected = inDir('corrected_cameras');
  const cameras = corrected.size > 0 ? corrected : inDir('cameras');
  if (corrected.size === 0) warn('no corrected_cameras folder; using the raw ARKit cameras');
  const images = inDir('images');
  const depths = inDir('depth');
  const keys = [...cameras.keys()].sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
  const frames: RgbdFrame[] = [];
  let incomplete = 0;
  let depthSize: { width: number; height: number } | undefined;
  for (const key of keys) {
    throwIfAborted(options.signal);
    const colorPath = images.get(key);
    const depthPath = depths.get(key);
    if (!colorPath || !depthPath) {
      incomplete++;
      continue;
    }
    const cameraPath = cameras.get(key)!;
    const camera = parsePolycamCamera(
      await source.read(cameraPath),
      displayPath(source, cameraPath),
    );
    depthSize ??= await probeImageSize(source, depthPath);
    const timestamp = Number(key);
    frames.push(
      makeFrame(source, {
        index: frames.length,
        name: key,
        colorPath,
        depthPath,
        intrinsics: camera.intrinsics,
        depthSize,
        cameraToWorld: camera.cameraToWorld,
        timestamp: Number.isFinite(timestamp) ? timestamp : undefined,
        depthScale: RGBD_READER_DEFAULTS.millimetreDepthScale,
        invalidValues: [0],
      }),
    );
  }
  if (incomplete > 0) warn(`${incomplete} keyframe(s) lack an image or a depth map; skipped`);
  requireFrames(frames, source.name, 'Polycam');
  return { name: source.name, format: 'polycam', frames, warnings };
}

export const polycamReader: SceneReader = {
  format: 'polycam',
  detect: (paths) => keyframesRoot(paths) !== undefined,
  read,
};
