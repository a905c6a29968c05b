/**
 * PLY reader (ascii, binary little/big endian) → PointCloud. Pure data: no three, runs in the
 * worker. Vertex x/y/z, colours (red/green/blue or diffuse_*, 8-bit, 16-bit or float 0..1),
 * normals, ScanNet's `label` (→ semanticIds) and instance ids (`instance`, `objectId`, ...),
 * faces (`vertex_indices` / `vertex_index`, fan-triangulated); other vertex properties are kept
 * as extra columns and other elements are skipped.
 */
import { checkPointCount } from '../../budget/resource-budget';
import { ParseError, throwIfAborted, type FileLocation } from '../../errors';
import type { FileSource } from '../../io/file-source';
import { basename } from '../../io/file-source';
import type { OpenSceneOptions, SceneReader } from '../open-scene';
import type { PointCloud, Scene } from '../types';
import {
  asciiBodyDecoder,
  binaryBodyDecoder,
  checkCounts,
  type BodyDecoder,
  type ColumnTarget,
  type ElementRouting,
  type ListSink,
} from './ply-body';
import {
  fixedRowSize,
  parsePlyHeader,
  type PlyElement,
  type PlyHeader,
  type PlyScalarType,
} from './ply-header';
import { isGaussianSplatHeader, parseGaussianSplatPly } from './gaussian-splat';

/** Grey used when a PLY has no vertex colours. */
export const PLY_DEFAULT_GREY = 180;

export interface ParsedPly {
  header: PlyHeader;
  cloud: PointCloud;
  hasColors: boolean;
  /** Vertex properties that have no place in PointCloud, by name (e.g. alpha, quality). */
  extraVertexProperties: Record<string, { type: PlyScalarType; values: Float64Array }>;
  /** Names of elements other than vertex and face that were skipped. */
  skippedElements: string[];
}

const COLOR_NAMES: Record<string, number> = {
  red: 0,
  green: 1,
  blue: 2,
  r: 0,
  g: 1,
  b: 2,
  diffuse_red: 0,
  diffuse_green: 1,
  diffuse_blue: 2,
};
const POSITION_NAMES: Record<string, number> = { x: 0, y: 1, z: 2 };
const NORMAL_NAMES: Record<string, number> = { nx: 0, ny: 1, nz: 2 };
const SEMANTIC_NAMES = new Set(['label', 'semantic', 'semantic_id', 'class']);
const INSTANCE_NAMES = new Set(['instance', 'instance_id', 'instanceId', 'objectId', 'object_id']);
const FACE_LIST_NAMES = new Set(['vertex_indices', 'vertex_index']);

/** Parses a whole PLY file held in memory. `file` names it in errors. */
export function parsePly(
  bytes: Uint8Array,
  file: string,
  options: { signal?: AbortSignal } = {},
): ParsedPly {
  const header = parsePlyHeader(bytes, file);
  checkCounts(header, bytes.byteLength - header.bodyOffset, file);
  const decoder: BodyDecoder =
    header.format === 'ascii'
      ? asciiBodyDecoder(bytes, header, file)
      : binaryBodyDecoder(bytes, header, file);

  const vertexEl = header.elements.find((e) => e.name === 'vertex');
  if (!vertexEl) throw new ParseError({ file, line: 1 }, 'PLY has no vertex element');
  for (const axis of ['x', 'y', 'z']) {
    if (!vertexEl.properties.some((p) => p.name === axis && !p.countType)) {
      throw new ParseError({ file, line: 1 }, `PLY vertex element has no "${axis}" property`);
    }
  }
  const n = checkPointCount(vertexEl.count, { file, byteOffset: 0 }, 'PLY vertex count');

  const cloud: PointCloud = { positions: new Float32Array(n * 3), colors: new Uint8Array(0) };
  const extraVertexProperties: ParsedPly['extraVertexProperties'] = {};
  const colorFixups: { channel: number; type: PlyScalarType; values: Float64Array }[] = [];
  const colorProps = vertexEl.properties.filter((p) => !p.countType && p.name in COLOR_NAMES);
  const hasColors = colorProps.length > 0;
  cloud.colors = new Uint8Array(n * 3);
  if (!hasColors) cloud.colors.fill(PLY_DEFAULT_GREY);

  const vertexRouting: ElementRouting = { columns: [], lists: [] };
  for (const p of vertexEl.properties) {
    let target: ColumnTarget | undefined;
    if (p.countType) {
      // Vertex list properties are rare and have no place in the model: skipped.
    } else if (p.name in POSITION_NAMES) {
      target = { array: cloud.positions, stride: 3, offset: POSITION_NAMES[p.name] };
    } else if (p.name in NORMAL_NAMES) {
      cloud.normals ??= new Float32Array(n * 3);
      target = { array: cloud.normals, stride: 3, offset: NORMAL_NAMES[p.name] };
    } else if (p.name in COLOR_NAMES) {
      const channel = COLOR_NAMES[p.name];
      if (p.type === 'uint8') {
        target = { array: cloud.colors, stride: 3, offset: channel };
      } else {
        const values = new Float64Array(n);
        colorFixups.push({ channel, type: p.type, values });
        target = { array: values, stride: 1, offset: 0 };
      }
    } else if (SEMANTIC_NAMES.has(p.name) && !cloud.semanticIds) {
      cloud.semanticIds = new Int32Array(n);
      target = { array: cloud.semanticIds, stride: 1, offset: 0 };
    } else if (INSTANCE_NAMES.has(p.name) && !cloud.instanceIds) {
      cloud.instanceIds = new Int32Array(n);
      target = { array: cloud.instanceIds, stride: 1, offset: 0 };
    } else {
      const values = new Float64Array(n);
      extraVertexProperties[p.name] = { type: p.type, values };
      target = { array: values, stride: 1, offset: 0 };
    }
    vertexRouting.columns.push(target);
    vertexRouting.lists.push(undefined);
  }

  const skippedElements: string[] = [];
  for (const el of header.elements) {
    throwIfAborted(options.signal);
    if (el === vertexEl) {
      decoder.element(el, vertexRouting);
    } else if (el.name === 'face' && !cloud.faces) {
      const faces = new FaceCollector(el, n);
      decoder.element(el, faces.routing());
      cloud.faces = faces.finish();
    } else {
      skippedElements.push(el.name);
      decoder.element(el, { columns: [], lists: [] });
    }
  }

  // Float colours are 0..1 by convention, but some exporters write 0..255 floats.
  let floatMax = 0;
  for (const fix of colorFixups) {
    if (fix.type !== 'float32' && fix.type !== 'float64') continue;
    for (const v of fix.values) if (v > floatMax) floatMax = v;
  }
  const floatScale = floatMax > 1 ? 1 : 255;
  for (const fix of colorFixups) convertColorChannel(fix, cloud.colors, floatScale);
  requireFiniteVertices(cloud.positions, 'position', bytes, header, vertexEl, file);
  if (cloud.normals) requireFiniteVertices(cloud.normals, 'normal', bytes, header, vertexEl, file);
  return { header, cloud, hasColors, extraVertexProperties, skippedElements };
}

/** Where vertex `row` is in the file: its line (ascii) or byte offset, when that is knowable. */
function vertexLocation(
  bytes: Uint8Array,
  header: PlyHeader,
  vertexEl: PlyElement,
  row: number,
  file: string,
): FileLocation {
  const first = header.elements.find((e) => e.count > 0 && e.properties.length > 0);
  if (first !== vertexEl) return { file };
  if (header.format === 'ascii') {
    let headerLines = 0;
    for (let i = 0; i < header.bodyOffset; i++) if (bytes[i] === 0x0a) headerLines++;
    return { file, line: headerLines + row + 1 };
  }
  const size = fixedRowSize(vertexEl);
  return { file, byteOffset: header.bodyOffset + (size === undefined ? 0 : row * size) };
}

/** NaN/±Inf positions or normals poison boxes, voxels and fusion: refused with the vertex. */
function requireFiniteVertices(
  values: Float32Array,
  what: string,
  bytes: Uint8Array,
  header: PlyHeader,
  vertexEl: PlyElement,
  file: string,
): void {
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i])) continue;
    const row = Math.floor(i / 3);
    throw new ParseError(
      vertexLocation(bytes, header, vertexEl, row, file),
      `vertex ${row} has a non-finite ${what} (${values[i]})`,
    );
  }
}

function convertColorChannel(
  fix: { channel: number; type: PlyScalarType; values: Float64Array },
  colors: Uint8Array,
  floatScale: number,
): void {
  const { channel, type, values } = fix;
  const isFloat = type === 'float32' || type === 'float64';
  const isShort = type === 'uint16' || type === 'int16';
  for (let i = 0; i < values.length; i++) {
    let v = values[i];
    if (isFloat) v = v * floatScale;
    else if (isShort) v = v / 257;
    v = Math.round(v);
    colors[i * 3 + channel] = v > 255 ? 255 : v >= 0 ? v : 0; // NaN → 0
  }
}

/** Collects face lists, fan-triangulating polygons, validating indices. */
class FaceCollector {
  private out: Uint32Array;
  private used = 0;
  constructor(
    private readonly el: PlyElement,
    private readonly vertexCount: number,
  ) {
    this.out = new Uint32Array(Math.min(el.count, 1 << 24) * 3);
  }

  routing(): ElementRouting {
    const listIndex = this.el.properties.findIndex(
      (p) => p.countType && FACE_LIST_NAMES.has(p.name),
    );
    const lists: (ListSink | undefined)[] = this.el.properties.map(() => undefined);
    if (listIndex >= 0) lists[listIndex] = (row, values, count) => this.add(row, values, count);
    return { columns: [], lists };
  }

  private add(row: number, values: ArrayLike<number>, count: number): string | undefined {
    for (let j = 0; j < count; j++) {
      const v = values[j];
      if (!(v >= 0 && v < this.vertexCount)) {
        return `face ${row} refers to vertex ${v}, but there are ${this.vertexCount} vertices`;
      }
    }
    for (let j = 2; j < count; j++) {
      if (this.used + 3 > this.out.length) {
        const next = new Uint32Array(Math.max(this.out.length * 2, 48));
        next.set(this.out);
        this.out = next;
      }
      this.out[this.used++] = values[0];
      this.out[this.used++] = values[j - 1];
      this.out[this.used++] = values[j];
    }
    return undefined;
  }

  finish(): Uint32Array {
    return this.out.slice(0, this.used);
  }
}

/** '/'-joined display path of a file in a source, for error messages. */
export function sourcePath(source: FileSource, path: string): string {
  if (source.name === path || source.name.endsWith(`/${path}`)) return source.name;
  return `${source.name}/${path}`;
}

const isPly = (p: string) => p.toLowerCase().endsWith('.ply');

export const plyReader: SceneReader = {
  format: 'ply',
  detect: (paths) => paths.some(isPly),
  async read(source: FileSource, paths: string[], options: OpenSceneOptions): Promise<Scene> {
    const plys = paths.filter(isPly);
    const warnings: string[] = [];
    const warn = (m: string) => {
      warnings.push(m);
      options.onWarning?.(m);
    };
    const path = plys[0];
    if (plys.length > 1) warn(`${plys.length} PLY files found; reading ${path}`);
    const bytes = await source.read(path);
    const file = sourcePath(source, path);
    if (isGaussianSplatHeader(parsePlyHeader(bytes, file))) {
      const splats = parseGaussianSplatPly(bytes, file);
      if (splats.kept < splats.total) {
        const dropped = splats.total - splats.kept;
        warn(`${dropped} of ${splats.total} splats below the opacity threshold dropped`);
      }
      const name = basename(path).replace(/\.ply$/i, '');
      return { name, format: 'gaussian-splat', cloud: splats.cloud, frames: [], warnings };
    }
    const parsed = parsePly(bytes, file, options);
    if (!parsed.hasColors) warn(`${path} has no vertex colours; shown in grey`);
    return {
      name: basename(path).replace(/\.ply$/i, ''),
      format: 'ply',
      cloud: parsed.cloud,
      frames: [],
      warnings,
    };
  },
};
