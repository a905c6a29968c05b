/** A ClipEncoder for tests: texts map to given vectors; anything else to a seeded random one. */
import type { ClipEncoder } from '../../../src/pipeline/clip/types';
import { mulberry32, unitVector } from './synthetic-field';

export class FakeTextEncoder implements ClipEncoder {
  textCalls: string[][] = [];
  constructor(
    readonly modelId: string,
    readonly dim: number,
    private readonly vectors: Map<string, Float32Array>,
  ) {}

  async embedTexts(texts: string[]): Promise<Float32Array> {
    this.textCalls.push(texts);
    const out = new Float32Array(texts.length * this.dim);
    texts.forEach((t, i) => {
      let seed = 17;
      for (const ch of t) seed = (Math.imul(seed, 31) + ch.codePointAt(0)!) >>> 0;
      // Not unit length on purpose: callers must normalise.
      const v = (this.vectors.get(t) ?? unitVector(this.dim, mulberry32(seed))).map((x) => x * 3);
      out.set(v, i * this.dim);
    });
    return out;
  }

  async embedImages(): Promise<Float32Array> {
    throw new Error('not used');
  }

  async dispose(): Promise<void> {}
}
