/**
 * Reads a scene bundle (see manifest.ts). Frames stay lazy: pixels are decoded on demand.
 */
import { checkPixels } from '../../budget/resource-budget';
import { ParseError } from '../../errors';
import { decodeColorImage, decodeDepthPng } from '../../image/decode';
import type { FileSource } from '../../io/file-source';
import { inflateZlibExact } from '../../io/inflate-checked';
import { basename, dirname, joinPath } from '../../io/file-source';
import type { OpenSceneOptions, SceneReader } from '../open-scene';
import { parsePly, sourcePath } from '../readers/ply';
import { parseJsonBytes } from './json';
import type { DepthImage, GtObject, RgbdFrame, RgbImage, Scene } from '../types';
import {
  BUNDLE_MANIFEST,
  INSTANCES_ENCODING,
  validateManifest,
  type BundleFrame,
} from './manifest';

/** The manifest path of the bundle in these paths (shallowest), if any. */
export function findManifest(paths: string[]): string | undefined {
  let best: string | undefined;
  for (const p of paths) {
    if (basename(p) !== BUNDLE_MANIFEST) continue;
    if (best === undefined || p.split('/').length < best.split('/').length) best = p;
  }
  return best;
}

/** Little-endian 32-bit values from bytes, with a length check. */
function leInt32(bytes: Uint8Array, file: string, signed: boolean): Int32Array | Uint32Array {
  if (bytes.length % 4 !== 0) {
    throw new ParseError({ file, byteOffset: bytes.length }, 'length is not a multiple of 4 bytes');
  }
  const n = bytes.length / 4;
  const out = signed ? new Int32Array(n) : new Uint32Array(n);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < n; i++)
    out[i] = signed ? view.getInt32(i * 4, true) : view.getUint32(i * 4, true);
  return out;
}

export async function readSceneBundle(
  source: FileSource,
  options: OpenSceneOptions = {},
  manifestPath = BUNDLE_MANIFEST,
): Promise<Scene> {
  const root = dirname(manifestPath);
  const at = (rel: string) => joinPath(root, rel);
  const display = (rel: string) => sourcePath(source, at(rel));
  const manifestFile = display(BUNDLE_MANIFEST);
  const manifest = validateManifest(
    parseJsonBytes(await source.read(manifestPath), manifestFile),
    manifestFile,
  );
  const warnings = [...manifest.warnings];

  const scene: Scene = { name: manifest.name, format: 'bundle', frames: [], warnings };
  if (manifest.cloud) {
    const file = display(manifest.cloud.file);
    const parsed = parsePly(await source.read(at(manifest.cloud.file)), file, options);
    const count = parsed.cloud.positions.length / 3;
    if (count !== manifest.cloud.pointCount) {
      throw new ParseError(
        { file: manifestFile },
        `cloud.pointCount is ${manifest.cloud.pointCount} but ${file} has ${count} points`,
      );
    }
    scene.cloud = parsed.cloud;
  }

  if (manifest.objects) {
    const pointCount = scene.cloud ? scene.cloud.positions.length / 3 : 0;
    scene.objects = [];
    for (const o of manifest.objects) {
      const obj: GtObject = { id: o.id, label: o.label, aabb: o.aabb };
      if (o.colorName !== undefined) obj.colorName = o.colorName;
      if (o.pointIds) {
        const file = display(o.pointIds);
        const ids = leInt32(await source.read(at(o.pointIds)), file, false) as Uint32Array;
        for (let i = 0; i < ids.length; i++) {
          if (ids[i] >= pointCount) {
            throw new ParseError(
              { file, byteOffset: i * 4 },
              `point id ${ids[i]} ≥ point count ${pointCount}`,
            );
          }
        }
        obj.pointIds = ids;
      }
      scene.objects.push(obj);
    }
  }

  if (manifest.frames.length > 0 && manifest.instancesEncoding !== undefined) {
    if (manifest.instancesEncoding !== INSTANCES_ENCODING) {
      throw new ParseError(
        { file: manifestFile },
        `unknown instancesEncoding "${manifest.instancesEncoding}"`,
      );
    }
  }
  scene.frames = manifest.frames.map((f) => bundleFrame(source, f, at, display));
  return scene;
}

function bundleFrame(
  source: FileSource,
  f: BundleFrame,
  at: (rel: string) => string,
  display: (rel: string) => string,
): RgbdFrame {
  const frame: RgbdFrame = {
    index: f.index,
    name: f.name,
    intrinsics: f.intrinsics,
    depthIntrinsics: f.depthIntrinsics,
    cameraToWorld: Float64Array.from(f.cameraToWorld),
    async loadColor(): Promise<RgbImage> {
      const file = display(f.color);
      const img = await decodeColorImage(await source.read(at(f.color)), file);
      if (img.width !== f.intrinsics.width || img.height !== f.intrinsics.height) {
        throw new ParseError(
          { file },
          `image is ${img.width}x${img.height}, intrinsics say ${f.intrinsics.width}x${f.intrinsics.height}`,
        );
      }
      return img;
    },
    async loadDepth(): Promise<DepthImage> {
      const file = display(f.depth);
      const d = decodeDepthPng(await source.read(at(f.depth)), file);
      if (d.width !== f.depthIntrinsics.width || d.height !== f.depthIntrinsics.height) {
        throw new ParseError(
          { file },
          `depth is ${d.width}x${d.height}, depthIntrinsics say ` +
            `${f.depthIntrinsics.width}x${f.depthIntrinsics.height}`,
        );
      }
      return { ...d, depthScale: f.depthScale, invalidValues: [...f.invalidValues] };
    },
  };
  if (f.timestamp !== undefined) frame.timestamp = f.timestamp;
  const instancesPath = f.instances;
  if (instancesPath) {
    frame.loadInstances = async () => {
      const file = display(instancesPath);
      const { width, height } = f.intrinsics;
      // The manifest was checked on open; the map's own allocation goes through the budget too.
      checkPixels(width, height, { file }, 'instance map', 4);
      const expected = width * height;
      const raw = inflateZlibExact(
        await source.read(at(instancesPath)),
        expected * 4,
        { file, byteOffset: 0 },
        'instance map',
      );
      if (raw.length !== expected * 4) {
        throw new ParseError(
          { file },
          `instance map has ${raw.length / 4} values, expected ${expected}`,
        );
      }
      return leInt32(raw, file, true) as Int32Array;
    };
  }
  return frame;
}

export const bundleReader: SceneReader = {
  format: 'bundle',
  detect: (paths) => findManifest(paths) !== undefined,
  read: (source, paths, options) => readSceneBundle(source, options, findManifest(paths)),
};
