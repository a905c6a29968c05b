/**
 * Fuzz: mutated RGB-D folders (truncated / garbled text files, NaN and huge numbers, deleted
 * lines and files, flipped image bytes) either open and load, or fail with one of our typed
 * errors — never another exception.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MemoryFileSource } from '../../../../src/pipeline/io/memory-file-source';
import { openScene } from '../../../../src/pipeline/scene/open-scene';
import {
  BudgetError,
  MissingFileError,
  ParseError,
  UnsupportedError,
} from '../../../../src/pipeline/errors';
import { nerfstudioFiles, redwoodFiles, sevenScenesFiles, tumFiles } from '../rgbd-folders';

const TOKENS = [
  'nan',
  'NaN',
  'inf',
  '-Infinity',
  '1e400',
  '-1e309',
  '0x10',
  '',
  '\u0000',
  '{',
  ']',
  '"',
  ',',
  '99999999999',
  '-0',
  '#',
  '\n',
  '1 2 3',
];

const mutationArb = fc.record({
  file: fc.nat(),
  kind: fc.constantFrom('truncate', 'flip', 'inject', 'deleteLine', 'duplicateLine', 'deleteFile'),
  pos: fc.nat(),
  byte: fc.integer({ min: 0, max: 255 }),
  token: fc.constantFrom(...TOKENS),
});
type Mutation = typeof mutationArb extends fc.Arbitrary<infer T> ? T : never;

function mutate(
  files: Record<string, Uint8Array>,
  mutations: Mutation[],
): Record<string, Uint8Array> {
  const out = { ...files };
  const names = Object.keys(out).sort();
  // Text files are where structure lives: pick them three times as often as images.
  const textNames = names.filter((n) => /\.(txt|log|json)$/.test(n));
  const pool = [...textNames, ...textNames, ...textNames, ...names];
  for (const m of mutations) {
    const name = pool[m.file % pool.length];
    const bytes = out[name];
    if (!bytes) continue;
    const at = bytes.length === 0 ? 0 : m.pos % bytes.length;
    const textual = new TextDecoder().decode(bytes);
    const lines = textual.split('\n');
    switch (m.kind) {
      case 'truncate':
        out[name] = bytes.slice(0, at);
        break;
      case 'flip': {
        const b = bytes.slice();
        if (b.length > 0) b[at] = m.byte;
        out[name] = b;
        break;
      }
      case 'inject':
        out[name] = new TextEncoder().encode(textual.slice(0, at) + m.token + textual.slice(at));
        break;
      case 'deleteLine':
        lines.splice(m.pos % lines.length, 1);
        out[name] = new TextEncoder().encode(lines.join('\n'));
        break;
      case 'duplicateLine':
        lines.splice(m.pos % lines.length, 0, lines[m.pos % lines.length]);
        out[name] = new TextEncoder().encode(lines.join('\n'));
        break;
      case 'deleteFile':
        delete out[name];
        break;
    }
  }
  return out;
}

function isOurError(err: unknown): boolean {
  return (
    err instanceof ParseError ||
    err instanceof MissingFileError ||
    err instanceof UnsupportedError ||
    err instanceof BudgetError
  );
}

async function openAndLoad(files: Record<string, Uint8Array>): Promise<void> {
  const scene = await openScene(new MemoryFileSource(files, 'fuzz'));
  for (const frame of scene.frames) {
    expect(frame.cameraToWorld.every(Number.isFinite)).toBe(true);
    expect(frame.intrinsics.fx).toBeGreaterThan(0);
    const depth = await frame.loadDepth();
    expect(depth.data.length).toBe(depth.width * depth.height);
    const color = await frame.loadColor();
    expect(color.data.length).toBe(color.width * color.height * 3);
  }
}

const BUILDERS: Array<[string, () => Record<string, Uint8Array>]> = [
  ['7-Scenes', () => sevenScenesFiles().files],
  ['Redwood', () => redwoodFiles().files],
  [
    'Redwood + Open3D intrinsic.json',
    () => ({
      ...redwoodFiles().files,
      'intrinsic.json': new TextEncoder().encode(
        JSON.stringify({
          width: 16,
          height: 12,
          intrinsic_matrix: [20, 0, 0, 0, 22, 0, 7.5, 5.5, 1],
        }),
      ),
    }),
  ],
  ['TUM', () => tumFiles().files],
  [
    'TUM + intrinsics.txt',
    () => ({
      ...tumFiles('').files,
      'intrinsics.txt': new TextEncoder().encode('20 22 7.5 5.5 0.1 0 0 0\n'),
    }),
  ],
  ['nerfstudio', () => nerfstudioFiles().files],
];

describe('RGB-D folder readers under fuzzing', () => {
  for (const [name, build] of BUILDERS) {
    it(`${name}: 1,000 mutated folders give a scene or one of our typed errors`, async () => {
      const base = build();
      await expect(openAndLoad(base)).resolves.toBeUndefined();
      let failures = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
          async (mutations) => {
            try {
              await openAndLoad(mutate(base, mutations));
            } catch (err) {
              failures++;
              if (!isOurError(err)) throw err;
            }
          },
        ),
        { numRuns: 1000 },
      );
      // The mutations must actually reach the parsers' error paths.
      expect(failures).toBeGreaterThan(50);
    });
  }
});
