/**
 * The location-token parser on 10,000 mutated LLM answers: misspelt tokens (case, spaces, signs,
 * leading zeros, out-of-range K), broken runs, and 1 MB hostile texts. It never throws; a box
 * must come only from six exactly spelt vocabulary tokens `<locK>`, K in 0..bins-1.
 */
import { parseLocationTokens } from '../../../src/tokens/parse-location-tokens';
import { mutateBytes } from '../mutate';
import { int, pick, type Rng } from '../rng';
import type { FuzzTarget } from '../types';
import { utf8 } from './checks';

const BINS = 256;
/** Far more diagnostics than this from one answer means they are not capped. */
const DIAGNOSTIC_CAP = 1000;
const VOCABULARY_TOKEN = /^<loc(0|[1-9][0-9]*)>$/;

const box = (b: number[]) => b.map((k) => `<loc${k}>`).join('');
const ANSWER = [
  `1. the red chair ${box([12, 40, 3, 30, 77, 21])}`,
  `- a lamp: ${box([1, 2, 3, 4, 5, 6])} and the table ${box([100, 101, 0, 200, 255, 90])}`,
  `two boxes ${box([5, 5, 5, 9, 9, 9])} ${box([10, 10, 10, 20, 20, 20])}`,
  'no tokens on this line',
].join('\n');

const SPELLINGS: Array<(k: number) => string> = [
  (k) => `<LOC${k}>`,
  (k) => `<Loc${k}>`,
  (k) => `<loc ${k}>`,
  (k) => `<loc${k} >`,
  (k) => `<loc0${k}>`,
  (k) => `<loc00${k}>`,
  (k) => `<loc+${k}>`,
  (k) => `<loc-${k}>`,
  (k) => `<loc${k}.0>`,
  () => `<loc${BINS}>`,
  () => `<loc99999999999999999999>`,
  () => '<loc>',
  () => '<loc-0>',
  (k) => `<loc\u0660${k}>`,
  (k) => `< loc${k}>`,
  (k) => `<loc${k}`,
];

function hostile(rng: Rng): string {
  const unit = pick(rng, [
    '<loc',
    '<loc1><loc',
    '<LOC12>',
    '<loc1>x',
    '<loc 1>',
    '<<<<',
    '<loc1><loc2>,',
    '1'.repeat(50),
  ]);
  return unit.repeat(Math.ceil((1 << 20) / unit.length));
}

function mutateAnswer(bytes: Uint8Array, rng: Rng): Uint8Array {
  // One case in 200 is a 1 MB hostile text (linear time, capped diagnostics).
  if (int(rng, 200) === 0) return utf8(hostile(rng));
  const roll = int(rng, 100);
  let text = new TextDecoder().decode(bytes);
  if (roll < 70) {
    // Respell 1–3 tokens.
    for (let k = 0; k <= int(rng, 3); k++) {
      const tokens = [...text.matchAll(/<loc(\d+)>/g)];
      if (tokens.length === 0) break;
      const t = pick(rng, tokens);
      text =
        text.slice(0, t.index) +
        pick(rng, SPELLINGS)(Number(t[1])) +
        text.slice(t.index + t[0].length);
    }
    return utf8(text);
  }
  return mutateBytes(bytes, rng, true);
}

export const targets: FuzzTarget[] = [
  {
    name: 'location-tokens',
    defaultCases: 10_000,
    hasLocations: false,
    seeds: () => [new Map([['answer.txt', utf8(ANSWER)]])],
    mutate: mutateAnswer,
    read: async (files) => {
      const text = new TextDecoder().decode(files.get('answer.txt')!);
      return { text, parsed: parseLocationTokens(text, { bins: BINS }) };
    },
    validate: (output) => {
      const { text, parsed } = output as {
        text: string;
        parsed: ReturnType<typeof parseLocationTokens>;
      };
      if (parsed.diagnostics.length > DIAGNOSTIC_CAP)
        return `${parsed.diagnostics.length} diagnostics (not capped)`;
      for (const b of parsed.boxes) {
        const tokens = text.slice(b.start, b.end).match(/<[^<>]*>/g) ?? [];
        if (tokens.length !== 6) return `box from ${tokens.length} tokens`;
        for (const t of tokens) {
          const m = VOCABULARY_TOKEN.exec(t);
          if (!m || Number(m[1]) >= BINS)
            return `box read from non-vocabulary token ${JSON.stringify(t)}`;
        }
        for (let axis = 0; axis < 3; axis++)
          if (b.bins[axis] > b.bins[axis + 3]) return 'min > max';
      }
      return undefined;
    },
  },
];
