import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { ProtoWriter } from '../../../../src/pipeline/clip/onnx/protobuf-writer';
import {
  readOnnxModel,
  tensorData,
  withExtraOutputs,
} from '../../../../src/pipeline/clip/onnx/onnx-reader';
import { ensureOrtConfigured } from '../../../../src/pipeline/clip/encoder/ort-runtime';
import { ModelError } from '../../../../src/pipeline/errors';
import { smallModel } from './small-onnx-model';

describe('readOnnxModel', () => {
  it('reads back what encodeOnnxModel wrote', () => {
    const m = readOnnxModel(smallModel(), 'small.onnx');
    expect(m.irVersion).toBe(8);
    expect(m.producerName).toBe('scene3d-llm');
    expect(m.opsetImports.get('')).toBe(17);
    expect(m.graph.name).toBe('small');
    expect(m.graph.nodes.map((n) => n.opType)).toEqual(['Constant', 'MatMul', 'Add', 'Relu']);
    expect(m.graph.nodes[1]).toMatchObject({ inputs: ['x', 'W'], outputs: ['mm'], domain: '' });
    expect(m.graph.inputs).toEqual([
      { name: 'x', elemType: 'float', shape: ['batch', 4], shapeKnown: true },
    ]);
    expect(m.graph.outputs[0]).toMatchObject({ name: 'y', shape: ['batch', 3] });
    const w = m.graph.initializers.get('W')!;
    expect(w).toMatchObject({ dataType: 'float', dims: [4, 3], elementCount: 12 });
    expect(Array.from(tensorData(w) as Float32Array)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
    ]);
    expect(Array.from(tensorData(m.graph.initializers.get('b')!) as Float32Array)).toEqual([
      0.5, -1, 2,
    ]);
    const attr = m.graph.nodes[0].attributes[0];
    expect(attr.type).toBe('tensor');
    if (attr.type !== 'tensor') throw new Error('unreachable');
    expect(attr.value.dataType).toBe('int64');
    expect(Array.from(tensorData(attr.value) as BigInt64Array)).toEqual([-1n, 7n]);
  });

  it('reads typed attributes, unpacked repeated fields and float_data/int32/int64_data', () => {
    // Hand-written protobuf: the encodings torch/onnx use besides ours.
    const w = new ProtoWriter();
    w.message(7, (g) => {
      g.message(1, (n) => {
        n.string(1, 'a').string(2, 'b').string(4, 'Foo').string(7, 'com.example');
        n.message(5, (a) => a.string(1, 'alpha').float(2, 0.25).int(20, 1));
        n.message(5, (a) => a.string(1, 'k').int(3, -3).int(20, 2));
        n.message(5, (a) => a.string(1, 'mode').string(4, 'linear').int(20, 3));
        n.message(5, (a) => a.string(1, 'perm').int(8, 0).int(8, 2).int(8, 1).int(20, 7));
        n.message(5, (a) => a.string(1, 'fs').packedFloats(7, [1.5, -2]).int(20, 6));
        n.message(5, (a) => a.string(1, 'ss').string(9, 'x').string(9, 'y').int(20, 8));
      });
      // dims unpacked, float_data unpacked.
      g.message(5, (t) => t.int(1, 2).int(1, 1).int(2, 1).float(4, 3).float(4, -4).string(8, 'f'));
      // int32_data packed carrying int8.
      g.message(5, (t) =>
        t.packedInts(1, [3]).int(2, 3).packedInts(5, [-1, 5, -128]).string(8, 'i8'),
      );
      g.message(5, (t) =>
        t
          .packedInts(1, [2])
          .int(2, 7)
          .packedInts(7, [-5, 2n ** 40n])
          .string(8, 'i64'),
      );
      g.message(5, (t) =>
        t.packedInts(1, [2]).int(2, 10).packedInts(5, [0x3c00, 0xc000]).string(8, 'h'),
      );
    });
    w.message(8, (o) => o.string(1, 'com.example').int(2, 3));
    const m = readOnnxModel(w.finish(), 'hand.onnx');
    const n = m.graph.nodes[0];
    expect(n).toMatchObject({
      opType: 'Foo',
      domain: 'com.example',
      inputs: ['a'],
      outputs: ['b'],
    });
    expect(n.attributes).toEqual([
      { name: 'alpha', type: 'float', value: 0.25 },
      { name: 'k', type: 'int', value: -3 },
      { name: 'mode', type: 'string', value: 'linear' },
      { name: 'perm', type: 'ints', value: [0, 2, 1] },
      { name: 'fs', type: 'floats', value: [1.5, -2] },
      { name: 'ss', type: 'strings', value: ['x', 'y'] },
    ]);
    expect(m.opsetImports.get('com.example')).toBe(3);
    const init = m.graph.initializers;
    expect(init.get('f')!.dims).toEqual([2, 1]);
    expect(Array.from(tensorData(init.get('f')!) as Float32Array)).toEqual([3, -4]);
    expect(tensorData(init.get('i8')!)).toEqual(new Int8Array([-1, 5, -128]));
    expect(tensorData(init.get('i64')!)).toEqual(new BigInt64Array([-5n, 2n ** 40n]));
    expect(tensorData(init.get('h')!)).toEqual(new Uint16Array([0x3c00, 0xc000]));
  });

  it('merges a graph field that appears twice', () => {
    const bytes = withExtraOutputs(smallModel(), [{ name: 'mm', elemType: 'float' }]);
    const m = readOnnxModel(bytes, 'merged.onnx');
    expect(m.graph.nodes).toHaveLength(4);
    expect(m.graph.initializers.size).toBe(2);
    expect(m.graph.outputs.map((o) => [o.name, o.elemType, o.shapeKnown])).toEqual([
      ['y', 'float', true],
      ['mm', 'float', false],
    ]);
  });

  it('rejects external data, naming the file and tensor', () => {
    const w = new ProtoWriter();
    w.message(7, (g) =>
      g.message(5, (t) => t.packedInts(1, [2]).int(2, 1).string(8, 'big').int(14, 1)),
    );
    expect(() => readOnnxModel(w.finish(), 'ext.onnx')).toThrow(/ext\.onnx.*'big'.*external/);
  });

  it('rejects a raw_data size that does not match the dims before allocating', () => {
    const w = new ProtoWriter();
    w.message(7, (g) =>
      g.message(5, (t) =>
        t.packedInts(1, [1e6, 1e6]).int(2, 1).string(8, 'huge').bytes(9, new Uint8Array(8)),
      ),
    );
    const m = readOnnxModel(w.finish(), 'huge.onnx');
    expect(() => tensorData(m.graph.initializers.get('huge')!)).toThrow(ModelError);
  });

  it('reports truncation with file and byte offset', () => {
    const bytes = smallModel();
    expect(() => readOnnxModel(bytes.subarray(0, bytes.length - 3), 't.onnx')).toThrow(
      /^t\.onnx at byte \d+: /,
    );
  });
});

describe('withExtraOutputs', () => {
  it('makes onnxruntime-web return an intermediate tensor', async () => {
    ensureOrtConfigured();
    const bytes = withExtraOutputs(smallModel(), [
      { name: 'mm', elemType: 'float' },
      { name: 'k', elemType: 'int64' },
    ]);
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
    expect(session.outputNames).toEqual(['y', 'mm', 'k']);
    const x = new ort.Tensor('float32', Float32Array.from([1, 0, -1, 2, 0, 1, 0, 0]), [2, 4]);
    const out = await session.run({ x });
    // Hand-computed: row1 = W0 - W2 + 2 W3; row2 = W1.
    expect(Array.from(out.mm.data as Float32Array)).toEqual([14, 16, 18, 4, 5, 6]);
    expect(Array.from(out.y.data as Float32Array)).toEqual([14.5, 15, 20, 4.5, 4, 8]);
    expect(Array.from(out.k.data as BigInt64Array)).toEqual([-1n, 7n]);
    await session.release();
  });
});
