/**
 * Writes ScanNet `.sens` (version 4) files, byte for byte in the layout sens.ts reads (see there).
 * No public sample is small enough to ship, so tests and benches make their own with this.
 */
import { zlibSync } from 'fflate';
import { encodeJpeg, encodePngRgb } from '../../image/encode';
import { BinaryWriter } from '../../io/binary-reader';
import type { RgbImage } from '../types';
import {
  SENS_COLOR_COMPRESSION,
  SENS_DEPTH_COMPRESSION,
  SENS_IMU_FRAME_BYTES,
  SENS_VERSION,
} from './sens';

export interface SensWriterFrame {
  color: RgbImage;
  /** depthWidth*depthHeight raw values. */
  depth: Uint16Array;
  /** Row-major 4x4 (ScanNet writes -Infinity everywhere for a lost pose). */
  cameraToWorld: ArrayLike<number>;
  /** Microseconds. */
  timestampColor?: number;
  timestampDepth?: number;
}

export interface SensWriterOptions {
  sensorName?: string;
  colorIntrinsics: ArrayLike<number>;
  colorExtrinsics?: ArrayLike<number>;
  depthIntrinsics: ArrayLike<number>;
  depthExtrinsics?: ArrayLike<number>;
  /** Default jpeg (2). */
  colorCompression?: number;
  /** Default zlib_ushort (1). */
  depthCompression?: number;
  colorWidth: number;
  colorHeight: number;
  depthWidth: number;
  depthHeight: number;
  /** Default 1000. */
  depthShift?: number;
  jpegQuality?: number;
  /** IMU frames to append (zero-filled but for timestamps); default 0. */
  imuFrameCount?: number;
}

export const IDENTITY4 = Object.freeze([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);

/** The 4x4 intrinsic matrix ScanNet stores (makeIntrinsicMatrix in sensorData.h). */
export function sensIntrinsicMatrix(fx: number, fy: number, cx: number, cy: number): number[] {
  return [fx, 0, cx, 0, 0, fy, cy, 0, 0, 0, 1, 0, 0, 0, 0, 1];
}

function compressColor(img: RgbImage, type: number, quality: number): Uint8Array {
  if (type === SENS_COLOR_COMPRESSION.jpeg) return encodeJpeg(img, quality);
  if (type === SENS_COLOR_COMPRESSION.png) return encodePngRgb(img);
  if (type === SENS_COLOR_COMPRESSION.raw) return img.data;
  throw new Error(`sens writer: colour compression ${type} not supported`);
}

function compressDepth(depth: Uint16Array, type: number): Uint8Array {
  const raw = new Uint8Array(depth.length * 2);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < depth.length; i++) view.setUint16(i * 2, depth[i], true);
  if (type === SENS_DEPTH_COMPRESSION.zlib_ushort) return zlibSync(raw, { level: 1 });
  if (type === SENS_DEPTH_COMPRESSION.raw_ushort) return raw;
  throw new Error(`sens writer: depth compression ${type} not supported`);
}

export function writeSens(options: SensWriterOptions, frames: SensWriterFrame[]): Uint8Array {
  const colorType = options.colorCompression ?? SENS_COLOR_COMPRESSION.jpeg;
  const depthType = options.depthCompression ?? SENS_DEPTH_COMPRESSION.zlib_ushort;
  const w = new BinaryWriter(1 << 16);
  const name = new TextEncoder().encode(options.sensorName ?? 'StructureSensor');
  w.u32(SENS_VERSION).u64(name.length).bytes(name);
  const mats = [
    options.colorIntrinsics,
    options.colorExtrinsics ?? IDENTITY4,
    options.depthIntrinsics,
    options.depthExtrinsics ?? IDENTITY4,
  ];
  for (const m of mats) for (let i = 0; i < 16; i++) w.f32(m[i]);
  w.i32(colorType).i32(depthType);
  w.u32(options.colorWidth)
    .u32(options.colorHeight)
    .u32(options.depthWidth)
    .u32(options.depthHeight);
  w.f32(options.depthShift ?? 1000);
  w.u64(frames.length);
  for (const f of frames) {
    const color = compressColor(f.color, colorType, options.jpegQuality ?? 90);
    const depth = compressDepth(f.depth, depthType);
    for (let i = 0; i < 16; i++) w.f32(f.cameraToWorld[i]);
    w.u64(f.timestampColor ?? 0).u64(f.timestampDepth ?? 0);
    w.u64(color.length).u64(depth.length);
    w.bytes(color).bytes(depth);
  }
  const imu = options.imuFrameCount ?? 0;
  w.u64(imu);
  for (let k = 0; k < imu; k++) {
    // rotationRate, acceleration, magneticField, attitude, gravity (vec3d each), then timestamp.
    for (let d = 0; d < (SENS_IMU_FRAME_BYTES - 8) / 8; d++) w.f64(0);
    w.u64(k * 1000);
  }
  return w.finish();
}
