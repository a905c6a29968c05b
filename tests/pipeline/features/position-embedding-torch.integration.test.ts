/**
 * Python oracle: the 3D-LLM position embedding against tatp22's PositionalEncoding1D formula run
 * by torch in float32 (the reference values in position-embedding.test.ts cover two channel
 * counts; this covers any). inv_freq must agree within 2 float32 ulps (torch's pow is not
 * correctly rounded everywhere); each table entry within what that inv_freq difference moves
 * its argument, plus a float32 rounding of sin/cos.
 */
import { expect, it } from 'vitest';
import {
  axisEmbeddingTable,
  inverseFrequencies,
} from '../../../src/pipeline/features/position-embedding';
import { describeWithPython } from '../../oracles/python';

const SCRIPT = `
import json, sys
import torch
out = {}
for c in json.load(sys.stdin):
    channels = int((c + 1) // 2 * 2)
    inv_freq = 1.0 / (10000 ** (torch.arange(0, channels, 2).float() / channels))
    pos = torch.arange(256, dtype=inv_freq.dtype)
    sin_inp = torch.einsum('i,j->ij', pos, inv_freq)
    emb = torch.flatten(torch.stack((sin_inp.sin(), sin_inp.cos()), dim=-1), -2, -1)
    out[str(c)] = {'inv_freq': inv_freq.tolist(), 'table': emb[:, :c].contiguous().view(-1).tolist()}
print(json.dumps(out))
`;

/** Spacing of float32 values at |x|. */
function ulp32(x: number): number {
  const a = Math.abs(Math.fround(x));
  return a === 0 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(a)) - 23);
}

describeWithPython('position embedding vs torch (PositionalEncoding1D)', ['torch'], (py) => {
  it('inv_freq and the 256-position tables agree for odd, even and 3D-LLM channel counts', () => {
    const counts = [1, 2, 3, 21, 170, 256, 469];
    const ref = py.run<Record<string, { inv_freq: number[]; table: number[] }>>(SCRIPT, counts);
    for (const c of counts) {
      const { inv_freq: torchInv, table: torchTable } = ref[String(c)];
      const inv = inverseFrequencies(c);
      expect(inv.length, `c=${c}`).toBe(torchInv.length);
      for (let k = 0; k < inv.length; k++)
        expect(Math.abs(inv[k] - torchInv[k]), `c=${c} k=${k}`).toBeLessThanOrEqual(
          2 * ulp32(torchInv[k]),
        );
      const table = axisEmbeddingTable(c);
      expect(table.length).toBe(torchTable.length);
      let worst = 0;
      for (let p = 0; p < 256; p++)
        for (let j = 0; j < c; j++) {
          const k = j >> 1;
          const dInv = Math.abs(inv[k] - torchInv[k]);
          const argSlack = dInv === 0 ? 0 : p * dInv + ulp32(p * torchInv[k]);
          const err = Math.abs(table[p * c + j] - torchTable[p * c + j]);
          expect(err, `c=${c} p=${p} j=${j}`).toBeLessThanOrEqual(argSlack + 3e-7);
          worst = Math.max(worst, err);
        }
      expect(worst, `c=${c}`).toBeLessThan(1e-3);
    }
  });
});
