/**
 * Writes a Scene as a bundle: relative path → bytes. The caller stores the files (CLI: fs; demo
 * room generator: scenes/; viewer: a download). Lossless: PNG for images, exact PLY floats.
 */
import { zlibSync } from 'fflate';
import { UnsupportedError, throwIfAborted } from '../../errors';
import { encodePng16, encodePngRgb } from '../../image/encode';
import { progressTracker, type WorkOptions } from '../../progress';
import { writePly } from '../readers/ply-writer';
import type { Scene } from '../types';
import {
  BUNDLE_FORMAT,
  BUNDLE_MANIFEST,
  BUNDLE_VERSION,
  INSTANCES_ENCODING,
  frameStem,
  type BundleFrame,
  type BundleManifest,
  type BundleObject,
} from './manifest';

export interface WriteBundleOptions extends WorkOptions {
  /** Leave out frames (a cloud-only bundle). Default false. */
  skipFrames?: boolean;
  /** Keep every k-th frame (long ScanNet captures). Default 1: all frames. */
  frameStride?: number;
}

/** Little-endian bytes of a 32-bit typed array (independent of platform byte order). */
export function int32ToLeBytes(values: Int32Array | Uint32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  const signed = values instanceof Int32Array;
  for (let i = 0; i < values.length; i++) {
    if (signed) view.setInt32(i * 4, values[i], true);
    else view.setUint32(i * 4, values[i], true);
  }
  return out;
}

export async function writeSceneBundle(
  scene: Scene,
  options: WriteBundleOptions = {},
): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    name: scene.name,
    sourceFormat: scene.format,
    warnings: [...scene.warnings],
    frames: [],
  };

  if (scene.cloud) {
    files.set('cloud.ply', writePly(scene.cloud, { comments: [`scene ${scene.name}`] }));
    manifest.cloud = { file: 'cloud.ply', pointCount: scene.cloud.positions.length / 3 };
  }

  const stride = Math.max(1, Math.floor(options.frameStride ?? 1));
  const frames = options.skipFrames ? [] : scene.frames.filter((_, k) => k % stride === 0);
  const tick = progressTracker('write', frames.length, 'frames', options.onProgress);
  for (let k = 0; k < frames.length; k++) {
    throwIfAborted(options.signal);
    const frame = frames[k];
    const stem = `frames/${frameStem(k)}`;
    const color = await frame.loadColor();
    const depth = await frame.loadDepth();
    if (depth.data.length !== depth.width * depth.height) {
      throw new UnsupportedError(`frame ${frame.name}: depth data does not match its size`);
    }
    files.set(`${stem}.color.png`, encodePngRgb(color));
    files.set(`${stem}.depth.png`, encodePng16(depth.width, depth.height, depth.data));
    const entry: BundleFrame = {
      index: frame.index,
      name: frame.name,
      intrinsics: { ...frame.intrinsics },
      depthIntrinsics: { ...frame.depthIntrinsics },
      cameraToWorld: Array.from(frame.cameraToWorld),
      color: `${stem}.color.png`,
      depth: `${stem}.depth.png`,
      depthScale: depth.depthScale,
      invalidValues: [...depth.invalidValues],
    };
    if (frame.timestamp !== undefined) entry.timestamp = frame.timestamp;
    if (frame.loadInstances) {
      const ids = await frame.loadInstances();
      files.set(`${stem}.instances.bin`, zlibSync(int32ToLeBytes(ids), { level: 6 }));
      entry.instances = `${stem}.instances.bin`;
      manifest.instancesEncoding = INSTANCES_ENCODING;
    }
    manifest.frames.push(entry);
    tick(k + 1);
  }

  if (scene.objects) {
    manifest.objects = scene.objects.map((o, k) => {
      const entry: BundleObject = {
        id: o.id,
        label: o.label,
        aabb: { min: [...o.aabb.min], max: [...o.aabb.max] },
      };
      if (o.colorName !== undefined) entry.colorName = o.colorName;
      if (o.pointIds) {
        entry.pointIds = `objects/${frameStem(k)}.points.bin`;
        files.set(entry.pointIds, int32ToLeBytes(o.pointIds));
      }
      return entry;
    });
  }

  files.set(BUNDLE_MANIFEST, new TextEncoder().encode(JSON.stringify(manifest, null, 1) + '\n'));
  return files;
}
