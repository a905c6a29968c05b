import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../../src/pipeline/random';
import { readOnnxModel, tensorData } from '../../../../src/pipeline/clip/onnx/onnx-reader';
import { ModelError } from '../../../../src/pipeline/errors';
import { smallModel } from './small-onnx-model';

/** Reads everything the reader can decode: nodes, value infos, every tensor. */
function readAll(bytes: Uint8Array): void {
  const m = readOnnxModel(bytes, 'fuzz.onnx');
  for (const ref of m.graph.initializers.values()) tensorData(ref);
  for (const node of m.graph.nodes) {
    for (const attr of node.attributes) if (attr.type === 'tensor') tensorData(attr.value);
  }
}

describe('onnx reader fuzz', () => {
  it('throws only ModelError on 1,500 mutated or truncated models', () => {
    const base = smallModel();
    const random = mulberry32(7);
    const int = (n: number) => Math.floor(random() * n);
    let rejected = 0;
    for (let trial = 0; trial < 1500; trial++) {
      let bytes = base.slice();
      const kind = trial % 4;
      if (kind === 0) bytes = bytes.subarray(0, int(bytes.length));
      else if (kind === 1) for (let k = 0; k <= int(4); k++) bytes[int(bytes.length)] = int(256);
      else if (kind === 2) bytes[int(bytes.length)] ^= 1 << int(8);
      else {
        // Splice a run of 0xff (huge varints) or zeros somewhere.
        const at = int(bytes.length);
        const run = new Uint8Array(1 + int(12)).fill(random() < 0.5 ? 0xff : 0);
        const spliced = new Uint8Array(bytes.length + run.length);
        spliced.set(bytes.subarray(0, at));
        spliced.set(run, at);
        spliced.set(bytes.subarray(at), at + run.length);
        bytes = spliced;
      }
      try {
        readAll(bytes);
      } catch (err) {
        if (!(err instanceof ModelError) || !/^fuzz\.onnx at byte \d+: /.test(err.message)) {
          throw new Error(`trial ${trial}: ${String(err)}`, { cause: err });
        }
        rejected++;
      }
    }
    // Most mutations must be caught (sanity check that the fuzzer reaches the parser).
    expect(rejected).toBeGreaterThan(500);
  });
});
