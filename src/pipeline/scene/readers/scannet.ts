/**
 * ScanNet scene folder:
 *   <scene>_vh_clean_2.ply                 mesh vertices = the point cloud
 *   <scene>_vh_clean_2.labels.ply          optional, per-vertex `label` (NYU40 / ScanNet ids)
 *   <scene>_vh_clean_2.0.010000.segs.json  { segIndices: per-vertex segment id }
 *   <scene>.aggregation.json               { segGroups: [{ id, objectId, label, segments }] }
 *   <scene>.txt                            `axisAlignment = m00 m01 ... m33` (row-major)
 *   <scene>.sens                           optional RGB-D frames
 * → cloud with semanticIds and instanceIds (objectId, -1 = none), GT objects with their points
 * and AABBs, and frames; the axis alignment is applied to the cloud and to every pose.
 */
import { ParseError } from '../../errors';
import type { FileSource } from '../../io/file-source';
import { basename, dirname } from '../../io/file-source';
import { describeJsonValue, parseJsonBytes } from '../../io/safe-json';
import type { OpenSceneOptions, SceneReader } from '../open-scene';
import type { GtObject, Mat4, PointCloud, RgbdFrame, Scene } from '../types';
import { parsePly, sourcePath } from './ply';
import { readSensFrames } from './sens';

const CLOUD_SUFFIX = '_vh_clean_2.ply';
const LABELS_SUFFIX = '_vh_clean_2.labels.ply';
const SEGS_SUFFIX = '_vh_clean_2.0.010000.segs.json';
// `<scene>.aggregation.json` indexes the segments of the _vh_clean_2 mesh; the
// `_vh_clean.aggregation.json` next to it belongs to the high-resolution mesh and is not used.
const AGGREGATION_SUFFIX = '.aggregation.json';
const HIGH_RES_AGGREGATION_SUFFIX = '_vh_clean.aggregation.json';

interface ScanNetFiles {
  root: string;
  stem: string;
  cloud?: string;
  labels?: string;
  segs?: string;
  aggregation?: string;
  meta?: string;
  sens?: string;
}

/** Finds the ScanNet files among these paths, if they look like a ScanNet scene. */
export function findScanNetFiles(paths: string[]): ScanNetFiles | undefined {
  const set = new Set(paths);
  let stemPath = paths.find((p) => p.endsWith(CLOUD_SUFFIX));
  let stem: string | undefined;
  if (stemPath) {
    stem = stemPath.slice(0, -CLOUD_SUFFIX.length);
  } else {
    // No mesh: an aggregation file, or a .sens with its scene .txt, still makes a ScanNet scene.
    for (const p of paths) {
      if (p.endsWith(AGGREGATION_SUFFIX) && !p.endsWith(HIGH_RES_AGGREGATION_SUFFIX)) {
        stem = p.slice(0, -AGGREGATION_SUFFIX.length);
      } else if (p.endsWith('.sens') && set.has(`${p.slice(0, -5)}.txt`)) stem = p.slice(0, -5);
      if (stem !== undefined) {
        stemPath = p;
        break;
      }
    }
  }
  if (stem === undefined || stemPath === undefined) return undefined;
  const has = (p: string) => (set.has(p) ? p : undefined);
  return {
    root: dirname(stemPath),
    stem,
    cloud: has(stem + CLOUD_SUFFIX),
    labels: has(stem + LABELS_SUFFIX),
    segs: has(stem + SEGS_SUFFIX),
    aggregation: has(stem + AGGREGATION_SUFFIX),
    meta: has(`${stem}.txt`),
    sens: has(`${stem}.sens`),
  };
}

/** The `axisAlignment` matrix from a ScanNet scene .txt, if it has one. */
export function parseAxisAlignment(text: string, file: string): Mat4 | undefined {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*axisAlignment\s*=\s*(.*)$/.exec(lines[i]);
    if (!m) continue;
    const values = m[1].trim().split(/\s+/).map(Number);
    if (values.length !== 16 || !values.every(Number.isFinite)) {
      throw new ParseError({ file, line: i + 1 }, 'axisAlignment must be 16 finite numbers');
    }
    return Float64Array.from(values);
  }
  return undefined;
}

/**
 * An absurd axisAlignment (1.79e308) is finite itself but sends every point to ±Infinity: refused,
 * naming the line, instead of boxes and voxels of Infinity.
 */
function requireFiniteAfterAlignment(cloud: PointCloud, file: string, line?: number): void {
  for (const values of [cloud.positions, cloud.normals]) {
    if (!values) continue;
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) {
        throw new ParseError(
          { file, line },
          `axisAlignment maps vertex ${Math.floor(i / 3)} to a non-finite ${values === cloud.positions ? 'position' : 'normal'}`,
        );
      }
    }
  }
}

/** Applies a row-major 4x4 to positions (affine) and normals (linear part), in place. */
export function transformCloud(cloud: PointCloud, m: Mat4): void {
  const p = cloud.positions;
  for (let i = 0; i < p.length; i += 3) {
    const x = p[i];
    const y = p[i + 1];
    const z = p[i + 2];
    p[i] = m[0] * x + m[1] * y + m[2] * z + m[3];
    p[i + 1] = m[4] * x + m[5] * y + m[6] * z + m[7];
    p[i + 2] = m[8] * x + m[9] * y + m[10] * z + m[11];
  }
  const n = cloud.normals;
  if (!n) return;
  for (let i = 0; i < n.length; i += 3) {
    const x = n[i];
    const y = n[i + 1];
    const z = n[i + 2];
    const nx = m[0] * x + m[1] * y + m[2] * z;
    const ny = m[4] * x + m[5] * y + m[6] * z;
    const nz = m[8] * x + m[9] * y + m[10] * z;
    const len = Math.hypot(nx, ny, nz) || 1;
    n[i] = nx / len;
    n[i + 1] = ny / len;
    n[i + 2] = nz / len;
  }
}

function readSegIndices(json: unknown, file: string, vertexCount: number): Int32Array {
  const seg = (json as { segIndices?: unknown } | null)?.segIndices;
  if (!Array.isArray(seg)) throw new ParseError({ file }, 'segIndices: expected an array');
  if (seg.length !== vertexCount) {
    throw new ParseError(
      { file },
      `segIndices has ${seg.length} entries, the mesh has ${vertexCount} vertices`,
    );
  }
  const out = new Int32Array(seg.length);
  for (let i = 0; i < seg.length; i++) {
    const v = seg[i];
    if (!Number.isInteger(v) || v < -1 || v > 0x7fffffff) {
      throw new ParseError(
        { file },
        `segIndices[${i}]: expected a segment id, got ${describeJsonValue(v)}`,
      );
    }
    out[i] = v;
  }
  return out;
}

interface SegGroup {
  objectId: number;
  label: string;
  segments: number[];
}

function readSegGroups(json: unknown, file: string): SegGroup[] {
  const groups = (json as { segGroups?: unknown } | null)?.segGroups;
  if (!Array.isArray(groups)) throw new ParseError({ file }, 'segGroups: expected an array');
  return groups.map((g: unknown, i) => {
    const o = g as Record<string, unknown> | null;
    const where = `segGroups[${i}]`;
    if (typeof o !== 'object' || o === null)
      throw new ParseError({ file }, `${where}: expected an object`);
    const objectId = o.objectId ?? o.id;
    // Instance ids are int32 per point: a larger id would wrap onto another object's id.
    if (
      !Number.isInteger(objectId) ||
      (objectId as number) < 0 ||
      (objectId as number) > 0x7fffffff
    ) {
      throw new ParseError(
        { file },
        `${where}.objectId: expected an integer in 0..2147483647, got ${describeJsonValue(objectId)}`,
      );
    }
    if (typeof o.label !== 'string')
      throw new ParseError({ file }, `${where}.label: expected a string`);
    if (
      !Array.isArray(o.segments) ||
      !o.segments.every((s) => Number.isInteger(s) && s >= -1 && s <= 0x7fffffff)
    ) {
      throw new ParseError({ file }, `${where}.segments: expected an array of integers`);
    }
    return { objectId: objectId as number, label: o.label, segments: o.segments as number[] };
  });
}

/** Per-vertex object ids and GT objects (AABB over their points) from segments and groups. */
export function buildObjects(
  cloud: PointCloud,
  segIndices: Int32Array,
  groups: SegGroup[],
  warn: (m: string) => void,
): GtObject[] {
  const segToObject = new Map<number, number>();
  for (const g of groups) {
    for (const s of g.segments) {
      const prev = segToObject.get(s);
      if (prev !== undefined && prev !== g.objectId) {
        warn(`segment ${s} belongs to objects ${prev} and ${g.objectId}; kept ${prev}`);
        continue;
      }
      segToObject.set(s, g.objectId);
    }
  }
  const n = segIndices.length;
  const instanceIds = new Int32Array(n).fill(-1);
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const id = segToObject.get(segIndices[i]);
    if (id === undefined) continue;
    instanceIds[i] = id;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  cloud.instanceIds = instanceIds;

  const byId = new Map<number, { obj: GtObject; ids: Uint32Array; used: number }>();
  const objects: GtObject[] = [];
  for (const g of groups) {
    const count = counts.get(g.objectId) ?? 0;
    if (count === 0) {
      warn(`object ${g.objectId} (${g.label}) has no points; skipped`);
      continue;
    }
    if (byId.has(g.objectId)) continue;
    const obj: GtObject = {
      id: g.objectId,
      label: g.label,
      aabb: { min: [Infinity, Infinity, Infinity], max: [-Infinity, -Infinity, -Infinity] },
    };
    byId.set(g.objectId, { obj, ids: new Uint32Array(count), used: 0 });
    objects.push(obj);
  }
  const p = cloud.positions;
  for (let i = 0; i < n; i++) {
    const entry = byId.get(instanceIds[i]);
    if (!entry) continue;
    entry.ids[entry.used++] = i;
    const { min, max } = entry.obj.aabb;
    for (let a = 0; a < 3; a++) {
      const v = p[i * 3 + a];
      if (v < min[a]) min[a] = v;
      if (v > max[a]) max[a] = v;
    }
  }
  for (const { obj, ids } of byId.values()) obj.pointIds = ids;
  return objects;
}

export async function readScanNetScene(
  source: FileSource,
  files: ScanNetFiles,
  options: OpenSceneOptions = {},
): Promise<Scene> {
  const warnings: string[] = [];
  const warn = (m: string) => {
    warnings.push(m);
    options.onWarning?.(m);
  };
  const name = basename(files.stem);
  const display = (p: string) => sourcePath(source, p);

  let alignment: Mat4 | undefined;
  let alignmentLine: number | undefined;
  if (files.meta) {
    const text = new TextDecoder('utf-8').decode(await source.read(files.meta));
    alignment = parseAxisAlignment(text, display(files.meta));
    const at = text.search(/^\s*axisAlignment\s*=/m);
    if (at >= 0) alignmentLine = text.slice(0, at).split('\n').length;
  }
  if (!alignment) warn(`${name}: no axisAlignment found; the scan is used as captured`);

  let cloud: PointCloud | undefined;
  let objects: GtObject[] | undefined;
  if (files.cloud) {
    cloud = parsePly(await source.read(files.cloud), display(files.cloud), options).cloud;
    const n = cloud.positions.length / 3;
    if (alignment) {
      transformCloud(cloud, alignment);
      requireFiniteAfterAlignment(cloud, display(files.meta!), alignmentLine);
    }
    if (files.labels) {
      const labels = parsePly(
        await source.read(files.labels),
        display(files.labels),
        options,
      ).cloud;
      if (labels.positions.length !== cloud.positions.length || !labels.semanticIds) {
        warn(
          `${basename(files.labels)} does not match the mesh (vertex count or no label); ignored`,
        );
      } else {
        cloud.semanticIds = labels.semanticIds;
      }
    }
    if (files.segs && files.aggregation) {
      const segFile = display(files.segs);
      const segIndices = readSegIndices(
        parseJsonBytes(await source.read(files.segs), segFile),
        segFile,
        n,
      );
      const aggFile = display(files.aggregation);
      const groups = readSegGroups(
        parseJsonBytes(await source.read(files.aggregation), aggFile),
        aggFile,
      );
      objects = buildObjects(cloud, segIndices, groups, warn);
    } else if (files.aggregation || files.segs) {
      warn(`${name}: objects need both the segs.json and the aggregation.json; objects skipped`);
    }
  } else {
    warn(`${name}: no ${CLOUD_SUFFIX} mesh; no point cloud`);
  }

  let frames: RgbdFrame[] = [];
  if (files.sens) {
    const result = await readSensFrames(source, files.sens, {
      ...options,
      worldTransform: alignment,
    });
    frames = result.frames;
    for (const w of result.warnings) warn(w);
  }
  const scene: Scene = { name, format: 'scannet', frames, warnings };
  if (cloud) scene.cloud = cloud;
  if (objects) scene.objects = objects;
  return scene;
}

export const scannetReader: SceneReader = {
  format: 'scannet',
  detect: (paths) => findScanNetFiles(paths) !== undefined,
  read(source, paths, options) {
    const files = findScanNetFiles(paths)!;
    return readScanNetScene(source, files, options);
  },
};
