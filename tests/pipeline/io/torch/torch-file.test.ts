import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ParseError, UnsupportedError } from '../../../../src/pipeline/errors';
import {
  isDict,
  isTensor,
  pyDict,
  pyTuple,
  tensor,
  type PyValue,
} from '../../../../src/pipeline/io/torch/tensor';
import { readTorchFile, writeTorchFile } from '../../../../src/pipeline/io/torch/torch-file';
import { readZipDirectory } from '../../../../src/pipeline/io/zip-directory';

const enc = new TextEncoder();

/** A torch zip holding `pickle` as data.pkl and the given storage records. */
function archive(pickle: Uint8Array, storages: Record<string, Uint8Array> = {}): Uint8Array {
  const files: Record<string, Uint8Array> = { 'archive/data.pkl': pickle };
  for (const [k, v] of Object.entries(storages)) files[`archive/data/${k}`] = v;
  files['archive/version'] = enc.encode('3\n');
  return zipSync(files, { level: 0 });
}

function bytes(...parts: (number[] | string)[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) out.push(...(typeof p === 'string' ? enc.encode(p) : p));
  return new Uint8Array(out);
}

describe('torch.save zip files', () => {
  it('round-trips every dtype, shapes and nested plain values', () => {
    const value = pyDict({
      f32: tensor('float32', [2, 3], new Float32Array([1, -2, 3.5, 0, 1e-20, 7])),
      f16: tensor('float16', [2], new Uint16Array([0x3c00, 0xc000])),
      f64: tensor('float64', [1], new Float64Array([Math.PI])),
      i64: tensor('int64', [2], new BigInt64Array([-(2n ** 40n), 5n])),
      i32: tensor('int32', [2, 1], new Int32Array([-7, 2 ** 30])),
      i16: tensor('int16', [1], new Int16Array([-300])),
      i8: tensor('int8', [1], new Int8Array([-5])),
      u8: tensor('uint8', [3], new Uint8Array([0, 128, 255])),
      mask: tensor('bool', [2], new Uint8Array([1, 0])),
      empty: tensor('float32', [0, 4], new Float32Array(0)),
      meta: pyDict([
        ['name', 'scène'],
        [3, pyTuple(1, -70000, 2 ** 40, null, true)],
      ]),
      list: [1.25, 'x', false],
    });
    const back = readTorchFile(writeTorchFile(value), 'rt.pt');
    expect(back).toEqual(value);
  });

  it('names only the records torch.save writes', () => {
    const zip = writeTorchFile(tensor('float32', [1], new Float32Array([1])));
    const text = new TextDecoder('latin1').decode(zip);
    for (const n of ['archive/data.pkl', 'archive/data/0', 'archive/version', 'archive/byteorder'])
      expect(text).toContain(n);
  });

  it('refuses a global that is not a tensor, storage or OrderedDict, naming the offset', () => {
    // protocol 2: GLOBAL os.system, 'ls', TUPLE1, REDUCE, STOP
    const evil = bytes(
      [0x80, 2, 0x63],
      'os\nsystem\n',
      [0x58, 2, 0, 0, 0],
      'ls',
      [0x85, 0x52, 0x2e],
    );
    let err: unknown;
    try {
      readTorchFile(archive(evil), 'evil.pt');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParseError);
    expect((err as ParseError).location).toEqual({
      file: 'evil.pt/archive/data.pkl',
      byteOffset: 2,
    });
    expect((err as ParseError).message).toContain('os.system');
  });

  it('refuses opcodes outside the restricted set (NEWOBJ, INST, ...)', () => {
    for (const op of [0x81, 0x69, 0x6f, 0x92]) {
      expect(() => readTorchFile(archive(bytes([0x80, 2, op, 0x2e])), 'op.pt')).toThrow(
        /op\.pt\/archive\/data\.pkl at byte 2: pickle opcode/,
      );
    }
  });

  it('gathers non-contiguous strides and honours storage offsets', () => {
    // _rebuild_tensor_v2(storage(6 floats), offset 1, size (2,2), stride (1,2), False, OrderedDict())
    const pickle = bytes(
      [0x80, 2, 0x63],
      'torch._utils\n_rebuild_tensor_v2\n',
      [0x28, 0x28, 0x58, 7, 0, 0, 0],
      'storage',
      [0x63],
      'torch\nFloatStorage\n',
      [0x58, 1, 0, 0, 0],
      '0',
      [0x58, 3, 0, 0, 0],
      'cpu',
      [0x4b, 6, 0x74, 0x51],
      [0x4b, 1, 0x4b, 2, 0x4b, 2, 0x86, 0x4b, 1, 0x4b, 2, 0x86, 0x89, 0x63],
      'collections\nOrderedDict\n',
      [0x29, 0x52, 0x74, 0x52, 0x2e],
    );
    const storage = new Uint8Array(new Float32Array([0, 1, 2, 3, 4, 5]).buffer);
    const t = readTorchFile(archive(pickle, { '0': storage }), 's.pt');
    expect(isTensor(t) && t.shape).toEqual([2, 2]);
    // element [i][j] = storage[1 + i + 2j]
    expect(isTensor(t) && Array.from(t.data as Float32Array)).toEqual([1, 3, 2, 4]);
    // a view reaching past its storage is refused before any copy
    const short = new Uint8Array(new Float32Array([0, 1, 2, 3]).buffer);
    expect(() => readTorchFile(archive(pickle, { '0': short }), 's.pt')).toThrow(
      /declares 6 float32 elements \(24 bytes\) but its record holds 16/,
    );
  });

  it('refuses the legacy format and non-zip input with typed errors', () => {
    expect(() => readTorchFile(bytes([0x80, 2, 0x8a, 10]), 'old.pt')).toThrow(UnsupportedError);
    expect(() => readTorchFile(bytes('hello'), 'x.pt')).toThrow(ParseError);
  });

  it('reads dict keys in order', () => {
    const v: PyValue = pyDict({ b: 1, a: 2, c: 3 });
    const back = readTorchFile(writeTorchFile(v), 'o.pt');
    expect(isDict(back) && [...back.entries.keys()]).toEqual(['b', 'a', 'c']);
  });

  it('checks every record against its CRC-32 from the central directory', () => {
    const good = writeTorchFile(tensor('float32', [3], Float32Array.from([1, 2, 3])) as PyValue);
    expect(isTensor(readTorchFile(good, 't.pt'))).toBe(true);
    const storage = readZipDirectory(good, 't.pt').find((e) => e.name === 'archive/data/0')!;
    // Stored (level 0): the record's bytes are the float32 elements themselves.
    expect(
      Array.from(new Float32Array(good.slice(storage.dataStart, storage.dataEnd).buffer)),
    ).toEqual([1, 2, 3]);
    const bad = good.slice();
    bad[storage.dataStart + 1] ^= 0x40;
    expect(() => readTorchFile(bad, 't.pt')).toThrow(
      new RegExp(`t\\.pt at byte ${storage.dataStart}: zip record archive/data/0 fails its CRC-32`),
    );
  });
});
