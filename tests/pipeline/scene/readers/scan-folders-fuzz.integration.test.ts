/**
 * Fuzz: 1,000 mutated ARKitScenes, Polycam and Replica folders each (garbled trajectories,
 * .pincam and camera JSON, NaN and huge numbers, deleted lines and files, flipped image bytes):
 * each opens and loads every frame with finite poses, or fails with one of our typed errors
 * naming the source — never another exception. Integration tier: decoding 9,000 tiny JPEG/PNG
 * frames takes longer than a unit file may.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openScene } from '../../../../src/pipeline/scene/open-scene';
import { expectOurError, guardedSource, mutateFolder, mutationsArb } from './fuzz-mutations';
import { arkitScenesFiles, polycamFiles, replicaFiles } from './scan-folders';

async function openAndLoad(files: Record<string, Uint8Array>) {
  const scene = await openScene(guardedSource(files, 'fz'));
  for (const f of scene.frames) {
    expect(f.cameraToWorld.every(Number.isFinite)).toBe(true);
    const depth = await f.loadDepth();
    expect(depth.data.length).toBe(depth.width * depth.height);
    const color = await f.loadColor();
    expect(color.data.length).toBe(color.width * color.height * 3);
  }
}

const BUILDERS: Array<[string, () => Record<string, Uint8Array>]> = [
  ['ARKitScenes', () => arkitScenesFiles().files],
  ['Polycam', () => polycamFiles().files],
  ['Replica', () => replicaFiles().files],
];

describe('phone-scan folder readers under fuzzing', () => {
  for (const [name, build] of BUILDERS) {
    it(`${name}: 1,000 mutated folders give a scene or a typed error naming the source`, async () => {
      const base = build();
      await openAndLoad(base);
      let failures = 0;
      await fc.assert(
        fc.asyncProperty(fc.nat(), mutationsArb, fc.boolean(), async (pick, muts, del) => {
          const { files } = mutateFolder(base, pick, muts, del && pick % 5 === 0);
          try {
            await openAndLoad(files);
          } catch (err) {
            failures++;
            expectOurError(err, 'fz');
          }
        }),
        { numRuns: 1000, seed: 16 },
      );
      expect(failures).toBeGreaterThan(50);
    });
  }
});
