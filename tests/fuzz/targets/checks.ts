/** Output checks shared by the targets: what a read that did not throw must still satisfy. */
import { MemoryFileSource } from '../../../src/pipeline/io/memory-file-source';
import type { PointCloud, Scene } from '../../../src/pipeline/scene/types';
import type { FileMap } from '../types';

export const source = (files: FileMap, name: string) => new MemoryFileSource(files, name);
export const utf8 = (text: string) => new TextEncoder().encode(text);
export const isText = (path: string) => /\.(txt|log|json|ply|csv|pincam|traj)$/.test(path);

export function nonFinite(values: ArrayLike<number> | undefined, what: string): string | undefined {
  if (!values) return undefined;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) return `${what}[${i}] = ${values[i]}`;
  }
  return undefined;
}

export function checkCloud(cloud: PointCloud | undefined): string | undefined {
  if (!cloud) return undefined;
  const n = cloud.positions.length / 3;
  if (!Number.isInteger(n)) return `positions length ${cloud.positions.length} is not 3·N`;
  if (cloud.colors.length !== n * 3) return `colors length ${cloud.colors.length} for ${n} points`;
  if (cloud.normals && cloud.normals.length !== n * 3) return `normals length for ${n} points`;
  if (cloud.semanticIds && cloud.semanticIds.length !== n)
    return `semanticIds length for ${n} points`;
  if (cloud.instanceIds && cloud.instanceIds.length !== n)
    return `instanceIds length for ${n} points`;
  if (cloud.faces) {
    if (cloud.faces.length % 3 !== 0) return `faces length ${cloud.faces.length} is not 3·M`;
    for (let i = 0; i < cloud.faces.length; i++) {
      if (cloud.faces[i] >= n) return `face index ${cloud.faces[i]} ≥ ${n} points`;
    }
  }
  return nonFinite(cloud.positions, 'position') ?? nonFinite(cloud.normals, 'normal');
}

/** Loads every frame (colour, depth, instances) and checks poses, intrinsics, sizes, objects. */
export async function loadScene(scene: Scene): Promise<Scene & { loaded: unknown[] }> {
  const loaded: unknown[] = [];
  for (const f of scene.frames) {
    const color = await f.loadColor();
    const depth = await f.loadDepth();
    const instances = f.loadInstances ? await f.loadInstances() : undefined;
    loaded.push({ frame: f, color, depth, instances });
  }
  return { ...scene, loaded };
}

export function checkScene(output: unknown): string | undefined {
  const scene = output as Scene & { loaded: Array<Record<string, unknown>> };
  const problem = checkCloud(scene.cloud);
  if (problem) return problem;
  const n = scene.cloud ? scene.cloud.positions.length / 3 : 0;
  for (const o of scene.objects ?? []) {
    const box = nonFinite([...o.aabb.min, ...o.aabb.max], `object ${o.id} box`);
    if (box) return box;
    if (!Number.isSafeInteger(o.id)) return `object id ${o.id}`;
    for (const p of o.pointIds ?? []) if (p >= n) return `object ${o.id} point ${p} ≥ ${n}`;
  }
  for (const { frame, color, depth, instances } of scene.loaded ?? []) {
    const f = frame as Scene['frames'][number];
    const pose = nonFinite(f.cameraToWorld, `frame ${f.index} pose`);
    if (pose) return pose;
    const k = f.intrinsics;
    if (![k.fx, k.fy, k.cx, k.cy].every(Number.isFinite) || !(k.fx > 0 && k.fy > 0)) {
      return `frame ${f.index} intrinsics ${JSON.stringify(k)}`;
    }
    const c = color as { width: number; height: number; data: Uint8Array };
    if (c.data.length !== c.width * c.height * 3) return `frame ${f.index} colour size mismatch`;
    const d = depth as { width: number; height: number; data: Uint16Array | Float32Array };
    if (d.data.length !== d.width * d.height) return `frame ${f.index} depth size mismatch`;
    if (instances && (instances as Int32Array).length !== d.width * d.height) {
      const i = instances as Int32Array;
      if (i.length !== c.width * c.height) return `frame ${f.index} instance map size mismatch`;
    }
  }
  return undefined;
}

/** PNG: every chunk's type, data and CRC are under its CRC-32 (and IDAT's zlib Adler-32). */
export function pngChecksummed(bytes: Uint8Array): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 8; at + 12 <= bytes.length;) {
    const length = view.getUint32(at);
    ranges.push([at + 4, Math.min(bytes.length, at + 12 + length)]);
    at += 12 + length;
  }
  return ranges;
}
