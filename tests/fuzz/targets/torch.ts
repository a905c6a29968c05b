/** PyTorch `torch.save` zip files (restricted unpickler): dicts of tensors, lists, numbers. */
import { readTorchFile, writeTorchFile } from '../../../src/pipeline/io/torch/torch-file';
import { elementCount, pyDict, tensor, type PyValue } from '../../../src/pipeline/io/torch/tensor';
import { readZipDirectory } from '../../../src/pipeline/io/zip-directory';
import type { FuzzTarget } from '../types';

function checkTensors(value: unknown, depth = 0): string | undefined {
  if (depth > 64 || value === null || typeof value !== 'object') return undefined;
  const v = value as { kind?: string; shape?: number[]; data?: ArrayLike<unknown> };
  if (v.kind === 'tensor') {
    if (!v.shape!.every((d) => Number.isSafeInteger(d) && d >= 0)) return `shape [${v.shape}]`;
    const n = elementCount(v.shape!);
    return v.data!.length === n ? undefined : `${v.data!.length} elements for shape [${v.shape}]`;
  }
  const children = value instanceof Map ? [...value.values()] : Object.values(value);
  for (const c of children) {
    const problem = checkTensors(c, depth + 1);
    if (problem) return problem;
  }
  return undefined;
}

export const targets: FuzzTarget[] = [
  {
    name: 'torch-pt',
    hasLocations: true,
    seeds: () => {
      const feat = tensor(
        'float16',
        [4, 3],
        new Uint16Array(12).map((_, i) => 0x3c00 + i),
      );
      const mask = tensor('bool', [6], Uint8Array.from([1, 0, 1, 1, 0, 1]));
      const voxels = tensor('float32', [2, 3], Float32Array.from([0, 1, 2, 3, 4, 5]));
      return [
        writeTorchFile(pyDict({ feat, mask_full: mask }) as PyValue),
        writeTorchFile(voxels as PyValue),
      ].map((bytes) => new Map([['scene.pt', bytes]]));
    },
    read: async (files, sourceName) =>
      readTorchFile(files.get('scene.pt')!, `${sourceName}/scene.pt`),
    validate: (output) => checkTensors(output),
    // Every record's data is covered by its CRC-32 in the central directory.
    checksummed: (_path, bytes) =>
      readZipDirectory(bytes, 'seed.pt').map((e): [number, number] => [e.dataStart, e.dataEnd]),
  },
];
