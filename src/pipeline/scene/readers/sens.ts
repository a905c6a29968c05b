/**
 * ScanNet `.sens` (version 4) reader, frame by frame through FileSource.readRange: the header and
 * each frame's 96-byte header are read with small reads to index the file, and a frame's colour
 * and depth bytes are read only when the frame is loaded. Files are several GB; nothing reads the
 * whole file.
 *
 * Layout (ScanNet SensReader, sensorData.h / SensorData.py), all little endian:
 *   uint32 version (4) · uint64 n · n bytes sensor name ·
 *   float32[16] colour intrinsics · colour extrinsics · depth intrinsics · depth extrinsics
 *   (row-major) · int32 colour compression (-1 unknown, 0 raw, 1 png, 2 jpeg) ·
 *   int32 depth compression (-1 unknown, 0 raw_ushort, 1 zlib_ushort, 2 occi_ushort) ·
 *   uint32 colour width, colour height, depth width, depth height · float32 depth shift ·
 *   uint64 frame count · frames · uint64 IMU frame count · IMU frames (128 bytes each).
 *   Frame: float32[16] camera-to-world · uint64 colour timestamp · uint64 depth timestamp (µs) ·
 *   uint64 colour size · uint64 depth size · colour bytes · depth bytes.
 * Frames whose pose is invalid (ScanNet writes -inf) are skipped with a warning.
 */
import { checkFrameCount, checkPixels } from '../../budget/resource-budget';
import { BudgetError, ParseError, UnsupportedError, throwIfAborted } from '../../errors';
import { decodeColorImage } from '../../image/decode';
import { multiply } from '../../geometry/mat4';
import { BinaryReader } from '../../io/binary-reader';
import { inflateZlibExact } from '../../io/inflate-checked';
import type { FileSource } from '../../io/file-source';
import { basename } from '../../io/file-source';
import { progressTracker, type ProgressCallback } from '../../progress';
import type { OpenSceneOptions, SceneReader } from '../open-scene';
import type { DepthImage, Intrinsics, Mat4, RgbdFrame, RgbImage, Scene } from '../types';
import { sourcePath } from './ply';

export const SENS_VERSION = 4;
export const SENS_COLOR_COMPRESSION = { unknown: -1, raw: 0, png: 1, jpeg: 2 } as const;
export const SENS_DEPTH_COMPRESSION = {
  unknown: -1,
  raw_ushort: 0,
  zlib_ushort: 1,
  occi_ushort: 2,
} as const;
/** Bytes of a frame's fixed header (pose, two timestamps, two sizes). */
export const SENS_FRAME_HEADER_BYTES = 64 + 4 * 8;
/** Bytes of one IMU frame (five vec3d and a uint64 timestamp). */
export const SENS_IMU_FRAME_BYTES = 5 * 24 + 8;
/** Longest sensor name we accept; real ones are a few dozen bytes. */
const MAX_SENSOR_NAME_BYTES = 1 << 16;

export interface SensHeader {
  version: number;
  sensorName: string;
  /** Row-major 4x4 matrices as stored. */
  colorIntrinsics: Float64Array;
  colorExtrinsics: Float64Array;
  depthIntrinsics: Float64Array;
  depthExtrinsics: Float64Array;
  colorCompression: number;
  depthCompression: number;
  colorWidth: number;
  colorHeight: number;
  depthWidth: number;
  depthHeight: number;
  depthShift: number;
  frameCount: number;
  /** Byte offset of the first frame. */
  framesOffset: number;
  /** Size of the whole file (bounds every read). */
  fileSize: number;
}

export interface SensFrameEntry {
  /** Frame number in the file (0-based). */
  index: number;
  cameraToWorld: Float64Array;
  timestampColor: number;
  timestampDepth: number;
  colorOffset: number;
  colorSize: number;
  depthOffset: number;
  depthSize: number;
}

export interface SensIndex {
  header: SensHeader;
  /** Every frame in file order, valid pose or not. */
  frames: SensFrameEntry[];
  imuFrameCount: number;
  fileSize: number;
  warnings: string[];
}

export interface SensReadOptions {
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

/** Reads exactly `length` bytes; checks the file size first so no buffer outgrows the file. */
async function readExactly(
  source: FileSource,
  path: string,
  file: string,
  fileSize: number,
  offset: number,
  length: number,
  what: string,
): Promise<BinaryReader> {
  if (offset + length > fileSize) {
    throw new ParseError(
      { file, byteOffset: Math.min(offset, fileSize) },
      `unexpected end of file reading ${what} (${length} bytes at ${offset}, file has ${fileSize})`,
    );
  }
  const bytes = await source.readRange(path, offset, length);
  const reader = new BinaryReader(bytes, file, offset);
  reader.need(length, what);
  return reader;
}

function checkIntrinsics(m: Float64Array, reader: BinaryReader, at: number, what: string): void {
  const ok = [m[0], m[5], m[2], m[6]].every(Number.isFinite) && m[0] > 0 && m[5] > 0;
  if (!ok)
    throw reader.error(`${what} intrinsics have non-positive or non-finite focal lengths`, at);
}

export async function readSensHeader(source: FileSource, path: string): Promise<SensHeader> {
  const file = sourcePath(source, path);
  const fileSize = await source.size(path);
  const head = await readExactly(source, path, file, fileSize, 0, 12, 'header');
  const version = head.u32('version');
  if (version !== SENS_VERSION) {
    throw head.error(`unsupported .sens version ${version} (expected ${SENS_VERSION})`, 0);
  }
  const nameLength = head.u64('sensor name length');
  if (nameLength > MAX_SENSOR_NAME_BYTES || 12 + nameLength > fileSize) {
    throw head.error(`sensor name length ${nameLength} is absurd`, 4);
  }
  const restBytes = nameLength + 4 * 64 + 2 * 4 + 4 * 4 + 4 + 8;
  const r = await readExactly(source, path, file, fileSize, 12, restBytes, 'header');
  const sensorName = r.string(nameLength, 'sensor name');
  const matAt = r.offset;
  const colorIntrinsics = r.f32Array(16, 'colour intrinsics');
  const colorExtrinsics = r.f32Array(16, 'colour extrinsics');
  const depthIntrinsics = r.f32Array(16, 'depth intrinsics');
  const depthExtrinsics = r.f32Array(16, 'depth extrinsics');
  checkIntrinsics(colorIntrinsics, r, matAt, 'colour');
  checkIntrinsics(depthIntrinsics, r, matAt + 128, 'depth');
  const colorCompression = r.i32('colour compression type');
  const depthCompression = r.i32('depth compression type');
  if (colorCompression < -1 || colorCompression > 2) {
    throw r.error(`unknown colour compression type ${colorCompression}`, r.offset - 8);
  }
  if (depthCompression < -1 || depthCompression > 2) {
    throw r.error(`unknown depth compression type ${depthCompression}`, r.offset - 4);
  }
  const sizeAtFile = r.fileOffset;
  const colorWidth = r.u32('colour width');
  const colorHeight = r.u32('colour height');
  const depthWidth = r.u32('depth width');
  const depthHeight = r.u32('depth height');
  // Checked against the shared pixel budget before any frame buffer is sized from them.
  checkPixels(colorWidth, colorHeight, { file, byteOffset: sizeAtFile }, 'colour image', 4);
  checkPixels(depthWidth, depthHeight, { file, byteOffset: sizeAtFile + 8 }, 'depth image', 2);
  const shiftAt = r.offset;
  const depthShift = r.f32('depth shift');
  if (!(depthShift > 0) || !Number.isFinite(depthShift)) {
    throw r.error(`depth shift ${depthShift} must be a positive number`, shiftAt);
  }
  const countAt = r.offset;
  const frameCount = r.u64('frame count');
  const framesOffset = r.fileOffset;
  if (frameCount * SENS_FRAME_HEADER_BYTES > fileSize - framesOffset) {
    throw r.error(
      `frame count ${frameCount} cannot fit in the ${fileSize - framesOffset} bytes that follow`,
      countAt,
    );
  }
  // Plausible for the file, but each frame costs memory in the index: the shared frame budget.
  checkFrameCount(frameCount, { file, byteOffset: framesOffset - 8 });
  return {
    version,
    sensorName,
    colorIntrinsics,
    colorExtrinsics,
    depthIntrinsics,
    depthExtrinsics,
    colorCompression,
    depthCompression,
    colorWidth,
    colorHeight,
    depthWidth,
    depthHeight,
    depthShift,
    frameCount,
    framesOffset,
    fileSize,
  };
}

/** Walks the frame headers (small reads) to find each frame's pose and byte ranges. */
export async function indexSensFile(
  source: FileSource,
  path: string,
  options: SensReadOptions = {},
): Promise<SensIndex> {
  const file = sourcePath(source, path);
  const header = await readSensHeader(source, path);
  const fileSize = await source.size(path);
  const warnings: string[] = [];
  const frames: SensFrameEntry[] = [];
  const tick = progressTracker('index', header.frameCount, 'frames', options.onProgress);
  let offset = header.framesOffset;
  for (let i = 0; i < header.frameCount; i++) {
    if ((i & 255) === 0) {
      throwIfAborted(options.signal);
      tick(i);
    }
    const r = await readExactly(
      source,
      path,
      file,
      fileSize,
      offset,
      SENS_FRAME_HEADER_BYTES,
      `frame ${i} header`,
    );
    const cameraToWorld = r.f32Array(16, 'pose');
    const timestampColor = r.u64('colour timestamp');
    const timestampDepth = r.u64('depth timestamp');
    const sizeAt = r.offset;
    const colorSize = r.u64('colour size');
    const depthSize = r.u64('depth size');
    const colorOffset = offset + SENS_FRAME_HEADER_BYTES;
    const depthOffset = colorOffset + colorSize;
    const end = depthOffset + depthSize;
    // Later frames need at least their headers too.
    const stillNeeded = (header.frameCount - i - 1) * SENS_FRAME_HEADER_BYTES;
    if (end + stillNeeded > fileSize) {
      throw r.error(
        `frame ${i} claims ${colorSize} colour + ${depthSize} depth bytes, past the end of the file ` +
          `(${fileSize} bytes)`,
        sizeAt,
      );
    }
    frames.push({
      index: i,
      cameraToWorld,
      timestampColor,
      timestampDepth,
      colorOffset,
      colorSize,
      depthOffset,
      depthSize,
    });
    offset = end;
  }
  tick(header.frameCount);

  let imuFrameCount = 0;
  if (fileSize - offset >= 8) {
    const r = await readExactly(source, path, file, fileSize, offset, 8, 'IMU frame count');
    const count = r.u64('IMU frame count');
    if (count * SENS_IMU_FRAME_BYTES !== fileSize - offset - 8) {
      warnings.push(
        `${file}: ${count} IMU frames declared at byte ${offset} but ${fileSize - offset - 8} bytes follow`,
      );
    } else {
      imuFrameCount = count;
    }
  } else if (fileSize !== offset) {
    warnings.push(`${file}: ${fileSize - offset} stray bytes after the last frame`);
  }
  return { header, frames, imuFrameCount, fileSize, warnings };
}

/** fx fy cx cy from a 4x4 intrinsic matrix. */
export function intrinsicsFromMatrix(m: Float64Array, width: number, height: number): Intrinsics {
  return { fx: m[0], fy: m[5], cx: m[2], cy: m[6], width, height };
}

function rethrowAt(err: unknown, file: string, offset: number, what: string): never {
  if (err instanceof BudgetError) throw err;
  if (err instanceof ParseError) {
    throw new ParseError(
      { file, byteOffset: offset + (err.location.byteOffset ?? 0) },
      `${what}: ${err.reason}`,
    );
  }
  throw new ParseError({ file, byteOffset: offset }, `${what}: ${(err as Error).message}`);
}

export async function loadSensColor(
  source: FileSource,
  path: string,
  header: SensHeader,
  entry: SensFrameEntry,
): Promise<RgbImage> {
  const file = sourcePath(source, path);
  const what = `frame ${entry.index} colour`;
  const r = await readExactly(
    source,
    path,
    file,
    header.fileSize,
    entry.colorOffset,
    entry.colorSize,
    what,
  );
  const { colorWidth: w, colorHeight: h } = header;
  let img: RgbImage;
  if (header.colorCompression === SENS_COLOR_COMPRESSION.raw) {
    if (entry.colorSize !== w * h * 3) {
      throw r.error(`${what}: ${entry.colorSize} raw bytes, expected ${w * h * 3}`, 0);
    }
    img = { width: w, height: h, data: r.bytes.slice() };
  } else if (
    header.colorCompression !== SENS_COLOR_COMPRESSION.unknown ||
    entry.colorSize !== w * h * 3
  ) {
    // JPEG, PNG, or "unknown": the decoder recognises the image by its magic bytes.
    try {
      img = await decodeColorImage(r.bytes, file);
    } catch (err) {
      rethrowAt(err, file, entry.colorOffset, what);
    }
  } else {
    img = { width: w, height: h, data: r.bytes.slice() };
  }
  if (img.width !== w || img.height !== h) {
    throw r.error(`${what} is ${img.width}x${img.height}, header says ${w}x${h}`, 0);
  }
  return img;
}

export async function loadSensDepth(
  source: FileSource,
  path: string,
  header: SensHeader,
  entry: SensFrameEntry,
): Promise<DepthImage> {
  const file = sourcePath(source, path);
  const what = `frame ${entry.index} depth`;
  const r = await readExactly(
    source,
    path,
    file,
    header.fileSize,
    entry.depthOffset,
    entry.depthSize,
    what,
  );
  const { depthWidth: w, depthHeight: h } = header;
  const expected = w * h * 2;
  let raw: Uint8Array;
  const type = header.depthCompression;
  if (type === SENS_DEPTH_COMPRESSION.occi_ushort) {
    throw new UnsupportedError(
      `${file}: depth compression occi_ushort (Occipital) is not supported`,
    );
  }
  // "unknown": raw when the size says so, else try zlib.
  const isRaw =
    type === SENS_DEPTH_COMPRESSION.raw_ushort ||
    (type === SENS_DEPTH_COMPRESSION.unknown && entry.depthSize === expected);
  if (!isRaw) {
    // Size, deflate ratio and Adler-32 checked; offsets are within the file.
    raw = inflateZlibExact(r.bytes, expected, { file, byteOffset: entry.depthOffset }, what);
  } else {
    raw = r.bytes;
  }
  if (raw.length !== expected) {
    throw r.error(`${what} has ${raw.length} bytes, expected ${expected} (${w}x${h} uint16)`, 0);
  }
  const data = new Uint16Array(w * h);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  for (let i = 0; i < data.length; i++) data[i] = view.getUint16(i * 2, true);
  return { width: w, height: h, data, depthScale: header.depthShift, invalidValues: [0] };
}

export interface SensFramesResult {
  header: SensHeader;
  frames: RgbdFrame[];
  warnings: string[];
  /** Frames dropped because their pose was not finite. */
  invalidPoseCount: number;
}

/**
 * Lazy RgbdFrames for a .sens file. `worldTransform` (row-major 4x4, e.g. ScanNet's
 * axisAlignment) is applied to every pose.
 */
export async function readSensFrames(
  source: FileSource,
  path: string,
  options: SensReadOptions & { worldTransform?: Mat4 } = {},
): Promise<SensFramesResult> {
  const index = await indexSensFile(source, path, options);
  const { header } = index;
  const warnings = [...index.warnings];
  const intrinsics = intrinsicsFromMatrix(
    header.colorIntrinsics,
    header.colorWidth,
    header.colorHeight,
  );
  const depthIntrinsics = intrinsicsFromMatrix(
    header.depthIntrinsics,
    header.depthWidth,
    header.depthHeight,
  );
  const frames: RgbdFrame[] = [];
  let invalidPoseCount = 0;
  for (const entry of index.frames) {
    if (!entry.cameraToWorld.every(Number.isFinite)) {
      invalidPoseCount++;
      continue;
    }
    const cameraToWorld = options.worldTransform
      ? multiply(options.worldTransform, entry.cameraToWorld)
      : entry.cameraToWorld;
    const frame: RgbdFrame = {
      index: frames.length,
      name: String(entry.index),
      intrinsics,
      depthIntrinsics,
      cameraToWorld,
      loadColor: () => loadSensColor(source, path, header, entry),
      loadDepth: () => loadSensDepth(source, path, header, entry),
    };
    if (entry.timestampColor > 0) frame.timestamp = entry.timestampColor / 1e6;
    frames.push(frame);
  }
  if (invalidPoseCount > 0) {
    warnings.push(
      `${basename(path)}: skipped ${invalidPoseCount} of ${index.frames.length} frames with invalid (non-finite) poses`,
    );
  }
  if (!isIdentity(header.depthExtrinsics) || !isIdentity(header.colorExtrinsics)) {
    warnings.push(
      `${basename(path)}: non-identity colour/depth extrinsics are ignored (depth assumed registered to colour)`,
    );
  }
  return { header, frames, warnings, invalidPoseCount };
}

function isIdentity(m: Float64Array): boolean {
  return m.every((v, i) => Math.abs(v - (i % 5 === 0 ? 1 : 0)) < 1e-6);
}

const isSens = (p: string) => p.toLowerCase().endsWith('.sens');

export const sensReader: SceneReader = {
  format: 'sens',
  detect: (paths) => paths.some(isSens),
  async read(source: FileSource, paths: string[], options: OpenSceneOptions): Promise<Scene> {
    const sens = paths.filter(isSens);
    const warnings: string[] = [];
    const path = sens[0];
    if (sens.length > 1) warnings.push(`${sens.length} .sens files found; reading ${path}`);
    const result = await readSensFrames(source, path, options);
    warnings.push(...result.warnings);
    for (const w of warnings) options.onWarning?.(w);
    return {
      name: basename(path).replace(/\.sens$/i, ''),
      format: 'sens',
      frames: result.frames,
      warnings,
    };
  },
};
