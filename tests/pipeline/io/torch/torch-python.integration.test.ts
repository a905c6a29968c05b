/**
 * Python oracle: our torch.save reader and writer against the torch installed here. torch writes
 * tensors of every dtype (contiguous, transposed, sliced, sharing storages), dicts, lists, tuples
 * and plain values; we read the same dtypes, shapes, keys and bytes. We write; torch.load with
 * weights_only=True returns identical tensors.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { mulberry32 } from '../../../../src/pipeline/random';
import {
  TORCH_DTYPES,
  isDict,
  isTensor,
  pyDict,
  tensor,
  type PyValue,
  type TorchDtype,
} from '../../../../src/pipeline/io/torch/tensor';
import { readTorchFile, writeTorchFile } from '../../../../src/pipeline/io/torch/torch-file';
import { describeWithPython } from '../../../oracles/python';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'torch-pt-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const DTYPES = Object.keys(TORCH_DTYPES) as TorchDtype[];

const hex = (t: { data: { buffer: ArrayBufferLike; byteOffset: number; byteLength: number } }) =>
  Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('hex');

interface TensorInfo {
  dtype: string;
  shape: number[];
  hex: string;
}

describeWithPython('torch.save files against torch', ['torch'], (py) => {
  it('reads what torch.save writes: dtypes, shapes, keys, values, strided views', () => {
    const file = path.join(tmp, 'from-torch.pt');
    const info = py.run<Record<string, TensorInfo>>(
      `
import json, sys, torch
torch.manual_seed(0)
path = json.load(sys.stdin)
base = torch.randn(5, 7)
d = {}
for name in ${JSON.stringify(DTYPES)}:
    dt = getattr(torch, name)
    t = (torch.randn(3, 4) * 50).to(dt) if name != 'bool' else torch.randn(3, 4) > 0
    d[name] = t
    d[name + '_T'] = t.t()
d['slice'] = base[1:4, 2:6]
d['step'] = base[::2, ::3]
d['row'] = base[2]
d['scalar'] = torch.tensor(3.5)
d['empty'] = torch.zeros(0, 3)
torch.save({'tensors': d, 'nested': [d['row'], (1, 'two', None, True)], 'n': 42}, path)
print(json.dumps({k: {'dtype': str(v.dtype)[6:], 'shape': list(v.shape),
  'hex': v.contiguous().view(torch.uint8).numpy().tobytes().hex() if v.dim() > 0 else v.reshape(1).view(torch.uint8).numpy().tobytes().hex()}
  for k, v in d.items()}))
`,
      file,
    );
    const root = readTorchFile(readFileSync(file), 'from-torch.pt');
    expect(isDict(root)).toBe(true);
    if (!isDict(root)) return;
    expect([...root.entries.keys()]).toEqual(['tensors', 'nested', 'n']);
    expect(root.entries.get('n')).toBe(42);
    const tensors = root.entries.get('tensors');
    if (!isDict(tensors)) throw new Error('tensors is not a dict');
    expect([...tensors.entries.keys()]).toEqual(Object.keys(info));
    for (const [k, want] of Object.entries(info)) {
      const got = tensors.entries.get(k);
      if (!isTensor(got)) throw new Error(`${k} is not a tensor`);
      expect({ k, dtype: got.dtype, shape: got.shape, hex: hex(got) }).toEqual({ k, ...want });
    }
    const nested = root.entries.get('nested') as PyValue[];
    expect(hex(nested[0] as never)).toBe(info.row.hex);
    expect(nested[1]).toEqual({ kind: 'tuple', items: [1, 'two', null, true] });
  });

  it('writes what torch.load(weights_only=True) reads identically', () => {
    const r = mulberry32(16);
    const want: Record<string, TensorInfo> = {};
    const entries: [string, PyValue][] = [];
    for (const dtype of DTYPES) {
      const shape = [2 + Math.floor(r() * 4), 3];
      const n = shape[0] * shape[1];
      const bytes = new Uint8Array(n * TORCH_DTYPES[dtype].itemSize);
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(r() * 256);
      if (dtype === 'bool') bytes.forEach((b, i) => (bytes[i] = b & 1));
      // finite floats only: NaN payloads need not survive torch's comparison
      const data = TORCH_DTYPES[dtype].make(bytes.buffer, 0, n);
      if (dtype === 'float32' || dtype === 'float64')
        (data as Float32Array).forEach((_, i) => ((data as Float32Array)[i] = r() * 2 - 1));
      if (dtype === 'float16' || dtype === 'bfloat16')
        (data as Uint16Array).forEach((v, i) => ((data as Uint16Array)[i] = v & 0x3fff));
      const t = tensor(dtype, shape, data);
      entries.push([dtype, t]);
      want[dtype] = { dtype, shape, hex: hex(t) };
    }
    entries.push(['meta', pyDict({ scene: 'scene0000_00', count: 7, flag: false, none: null })]);
    const file = path.join(tmp, 'ours.pt');
    writeFileSync(file, writeTorchFile(pyDict(entries)));
    const got = py.run<{ tensors: Record<string, TensorInfo>; meta: unknown; keys: string[] }>(
      `
import json, sys, torch
d = torch.load(json.load(sys.stdin), weights_only=True)
print(json.dumps({'keys': list(d.keys()), 'meta': d['meta'],
  'tensors': {k: {'dtype': str(v.dtype)[6:], 'shape': list(v.shape),
    'hex': v.contiguous().view(torch.uint8).numpy().tobytes().hex()}
    for k, v in d.items() if torch.is_tensor(v)}}))
`,
      file,
    );
    expect(got.keys).toEqual([...DTYPES, 'meta']);
    expect(got.tensors).toEqual(want);
    expect(got.meta).toEqual({ scene: 'scene0000_00', count: 7, flag: false, none: null });
  });
});
