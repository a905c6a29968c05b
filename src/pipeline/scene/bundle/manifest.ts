/**
 * Our own scene bundle: a folder with `scene.json` (this manifest), `cloud.ply` (binary LE, every
 * point attribute), `frames/NNNNNN.color.png` (8-bit RGB), `frames/NNNNNN.depth.png` (16-bit
 * grey, raw units; depthScale and invalidValues here), optional
 * `frames/NNNNNN.instances.bin` (int32 LE per pixel, zlib) and `objects/NNNNNN.points.bin`
 * (uint32 LE point ids). Everything in the Scene model round-trips exactly.
 */
import { checkFrameCount, checkPixels, checkPointCount } from '../../budget/resource-budget';
import { ParseError } from '../../errors';
import type { Aabb, Intrinsics, SceneFormat } from '../types';

export const BUNDLE_FORMAT = 'scene3d-llm-bundle';
export const BUNDLE_VERSION = 1;
export const BUNDLE_MANIFEST = 'scene.json';
export const INSTANCES_ENCODING = 'int32le+zlib';

export interface BundleFrame {
  index: number;
  name: string;
  intrinsics: Intrinsics;
  depthIntrinsics: Intrinsics;
  /** Row-major 4x4 camera-to-world. */
  cameraToWorld: number[];
  timestamp?: number;
  color: string;
  depth: string;
  depthScale: number;
  invalidValues: number[];
  instances?: string;
}

export interface BundleObject {
  id: number;
  label: string;
  colorName?: string;
  aabb: Aabb;
  pointIds?: string;
}

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  version: number;
  name: string;
  /** The format the scene was read from before it was bundled. */
  sourceFormat?: SceneFormat;
  warnings: string[];
  cloud?: { file: string; pointCount: number };
  frames: BundleFrame[];
  objects?: BundleObject[];
  instancesEncoding?: string;
}

/** Validates parsed JSON as a manifest; every complaint names the field. */
export function validateManifest(json: unknown, file: string): BundleManifest {
  const fail = (path: string, what: string) =>
    new ParseError({ file }, `${path}: expected ${what}`);
  const obj = (v: unknown, path: string): Record<string, unknown> => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw fail(path, 'an object');
    return v as Record<string, unknown>;
  };
  const num = (v: unknown, path: string): number => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw fail(path, 'a finite number');
    return v;
  };
  const int = (v: unknown, path: string, min = 0): number => {
    const n = num(v, path);
    if (!Number.isInteger(n) || n < min) throw fail(path, `an integer ≥ ${min}`);
    return n;
  };
  const str = (v: unknown, path: string): string => {
    if (typeof v !== 'string') throw fail(path, 'a string');
    return v;
  };
  const relPath = (v: unknown, path: string): string => {
    const s = str(v, path);
    if (s === '' || s.startsWith('/') || s.split('/').some((p) => p === '..' || p === '')) {
      throw fail(path, 'a relative path inside the bundle');
    }
    return s;
  };
  const arr = (v: unknown, path: string): unknown[] => {
    if (!Array.isArray(v)) throw fail(path, 'an array');
    return v;
  };
  const vec3 = (v: unknown, path: string): [number, number, number] => {
    const a = arr(v, path);
    if (a.length !== 3) throw fail(path, '3 numbers');
    return [num(a[0], `${path}[0]`), num(a[1], `${path}[1]`), num(a[2], `${path}[2]`)];
  };
  const intrinsics = (v: unknown, path: string): Intrinsics => {
    const o = obj(v, path);
    const k = {
      fx: num(o.fx, `${path}.fx`),
      fy: num(o.fy, `${path}.fy`),
      cx: num(o.cx, `${path}.cx`),
      cy: num(o.cy, `${path}.cy`),
      width: int(o.width, `${path}.width`, 1),
      height: int(o.height, `${path}.height`, 1),
    };
    // Images and instance maps are sized from these: refuse absurd sizes before any frame loads.
    checkPixels(k.width, k.height, { file }, path, 4);
    return k;
  };

  const root = obj(json, 'manifest');
  if (root.format !== BUNDLE_FORMAT) throw fail('format', `"${BUNDLE_FORMAT}"`);
  const version = int(root.version, 'version', 1);
  if (version > BUNDLE_VERSION) {
    throw new ParseError(
      { file },
      `bundle version ${version} is newer than this reader (${BUNDLE_VERSION})`,
    );
  }
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    version,
    name: str(root.name, 'name'),
    warnings: arr(root.warnings ?? [], 'warnings').map((w, i) => str(w, `warnings[${i}]`)),
    frames: [],
  };
  if (root.sourceFormat !== undefined) {
    manifest.sourceFormat = str(root.sourceFormat, 'sourceFormat') as SceneFormat;
  }
  if (root.instancesEncoding !== undefined) {
    manifest.instancesEncoding = str(root.instancesEncoding, 'instancesEncoding');
  }
  if (root.cloud !== undefined && root.cloud !== null) {
    const c = obj(root.cloud, 'cloud');
    manifest.cloud = {
      file: relPath(c.file, 'cloud.file'),
      pointCount: int(c.pointCount, 'cloud.pointCount'),
    };
    checkPointCount(manifest.cloud.pointCount, { file }, 'cloud.pointCount');
  }
  const frameList = arr(root.frames ?? [], 'frames');
  checkFrameCount(frameList.length, { file }, 'frames');
  manifest.frames = frameList.map((v, i) => {
    const p = `frames[${i}]`;
    const f = obj(v, p);
    const pose = arr(f.cameraToWorld, `${p}.cameraToWorld`);
    if (pose.length !== 16) throw fail(`${p}.cameraToWorld`, '16 numbers');
    const frame: BundleFrame = {
      index: int(f.index, `${p}.index`),
      name: str(f.name, `${p}.name`),
      intrinsics: intrinsics(f.intrinsics, `${p}.intrinsics`),
      depthIntrinsics: intrinsics(f.depthIntrinsics, `${p}.depthIntrinsics`),
      cameraToWorld: pose.map((x, k) => num(x, `${p}.cameraToWorld[${k}]`)),
      color: relPath(f.color, `${p}.color`),
      depth: relPath(f.depth, `${p}.depth`),
      depthScale: num(f.depthScale, `${p}.depthScale`),
      invalidValues: arr(f.invalidValues, `${p}.invalidValues`).map((x, k) =>
        int(x, `${p}.invalidValues[${k}]`),
      ),
    };
    if (!(frame.depthScale > 0)) throw fail(`${p}.depthScale`, 'a positive number');
    if (f.timestamp !== undefined) frame.timestamp = num(f.timestamp, `${p}.timestamp`);
    if (f.instances !== undefined) frame.instances = relPath(f.instances, `${p}.instances`);
    return frame;
  });
  if (root.objects !== undefined) {
    manifest.objects = arr(root.objects, 'objects').map((v, i) => {
      const p = `objects[${i}]`;
      const o = obj(v, p);
      const aabb = obj(o.aabb, `${p}.aabb`);
      const out: BundleObject = {
        id: int(o.id, `${p}.id`, Number.MIN_SAFE_INTEGER),
        label: str(o.label, `${p}.label`),
        aabb: { min: vec3(aabb.min, `${p}.aabb.min`), max: vec3(aabb.max, `${p}.aabb.max`) },
      };
      if (o.colorName !== undefined) out.colorName = str(o.colorName, `${p}.colorName`);
      if (o.pointIds !== undefined) out.pointIds = relPath(o.pointIds, `${p}.pointIds`);
      return out;
    });
  }
  return manifest;
}

/** File name stem for frame k: 000000, 000001, ... */
export function frameStem(k: number): string {
  return String(k).padStart(6, '0');
}

/** Every file a manifest refers to, itself included (e.g. to serve a bundle over HTTP). */
export function manifestFiles(manifest: BundleManifest): string[] {
  const files = new Set<string>([BUNDLE_MANIFEST]);
  if (manifest.cloud) files.add(manifest.cloud.file);
  for (const f of manifest.frames) {
    files.add(f.color);
    files.add(f.depth);
    if (f.instances) files.add(f.instances);
  }
  for (const o of manifest.objects ?? []) if (o.pointIds) files.add(o.pointIds);
  return [...files];
}
