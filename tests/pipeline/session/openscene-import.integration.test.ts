/**
 * The session (what the viewer's worker runs) opening a ScanNet-style folder with OpenScene
 * features next to the mesh: the features become the extraction (unseen vertices masked) and a
 * text query runs on them with the matching text encoder (here the offline encoder, whose text
 * space the features were written in: red points carry "red", the rest "blue").
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadClipModel } from '../../../src/pipeline/clip/model-source/load-clip-model';
import { inMemoryOfflineModelSource } from '../../../src/pipeline/clip/model-source/offline-model-source';
import type { ClipEncoder } from '../../../src/pipeline/clip/types';
import { generateDemoRoom } from '../../../src/demo-room/demo-room';
import { writeOpenSceneFeatures } from '../../../src/pipeline/features/openscene';
import { MemoryFileSource } from '../../../src/pipeline/io/memory-file-source';
import { writePly } from '../../../src/pipeline/scene/readers/ply-writer';
import { PipelineSession } from '../../../src/pipeline/session/pipeline-session';

let encoder: ClipEncoder;
beforeAll(async () => {
  encoder = (await loadClipModel(inMemoryOfflineModelSource())).encoder;
}, 120_000);

describe('OpenScene features in the session', () => {
  it('opens mesh + <scene>_0.pt as a queryable extraction', async () => {
    const scene = generateDemoRoom({
      views: 2,
      width: 80,
      height: 60,
      objectPointSpacing: 0.04,
      shellPointSpacing: 0.08,
    });
    const cloud = scene.cloud!;
    const n = cloud.positions.length / 3;
    const dim = encoder.dim;
    const words = await encoder.embedTexts(['red', 'blue']);
    const features = new Float32Array(n * dim);
    const viewCounts = new Uint16Array(n);
    let redPoints = 0;
    for (let i = 0; i < n; i++) {
      if (i % 5 === 0) continue; // unseen
      viewCounts[i] = 1;
      const [r, g, b] = cloud.colors.subarray(i * 3, i * 3 + 3);
      const isRed = r > 150 && g < 90 && b < 90;
      if (isRed) redPoints++;
      features.set(words.subarray(isRed ? 0 : dim, isRed ? dim : 2 * dim), i * dim);
    }
    expect(redPoints).toBeGreaterThan(20);
    const source = new MemoryFileSource(
      {
        'scene0000_00_vh_clean_2.ply': writePly(cloud),
        'scene0000_00_0.pt': writeOpenSceneFeatures({ features, viewCounts }, dim),
      },
      'scene0000_00',
    );
    const session = new PipelineSession({});
    await session.openSource(source);
    // what the viewer asks right after opening, before any model is loaded
    expect(session.importedExtraction()).toMatchObject({
      modelId: 'openscene-import',
      points: n,
      dim,
      views: 0,
      importedFrom: { format: 'openscene', file: 'scene0000_00_0.pt' },
    });
    await expect(session.query({ text: 'red' })).rejects.toThrow(
      new RegExp(`Load a model first .*OpenScene features are ${dim}-d`),
    );
    // the session disposes its model: hand it a wrapper so this file's encoder lives on
    const wrapper: ClipEncoder = {
      modelId: encoder.modelId,
      dim,
      embedImages: (p, b) => encoder.embedImages(p, b),
      embedTexts: (t) => encoder.embedTexts(t),
      unknownWords: (t) => encoder.unknownWords?.(t) ?? [],
      dispose: async () => undefined,
    };
    await session.useModel(wrapper, {
      kind: 'offline',
      modelId: encoder.modelId,
      label: 'offline',
      dim,
    });
    const counts = session.viewCounts();
    expect(counts).toBeDefined();
    // what the viewer's Extract does: the imported features, nothing recomputed
    const summary = await session.extract({});
    expect(summary).toMatchObject({ modelId: 'openscene-import', points: n, dim });
    expect(summary.seenPoints).toBe(viewCounts.filter((v) => v > 0).length);
    const reply = await session.query({ text: 'red' });
    expect(reply.confident).toBe(true);
    expect(reply.boxes.length).toBeGreaterThan(0);
    // the best box holds red points: its centre is inside the red points' bounding box
    const lo = [Infinity, Infinity, Infinity];
    const hi = [-Infinity, -Infinity, -Infinity];
    for (let i = 0; i < n; i++) {
      const [r, g, b] = cloud.colors.subarray(i * 3, i * 3 + 3);
      if (!(r > 150 && g < 90 && b < 90)) continue;
      for (let a = 0; a < 3; a++) {
        lo[a] = Math.min(lo[a], cloud.positions[i * 3 + a]);
        hi[a] = Math.max(hi[a], cloud.positions[i * 3 + a]);
      }
    }
    const box = reply.boxes[0];
    for (let a = 0; a < 3; a++) {
      const c = (box.min[a] + box.max[a]) / 2;
      expect(c).toBeGreaterThanOrEqual(lo[a] - 0.05);
      expect(c).toBeLessThanOrEqual(hi[a] + 0.05);
    }
    await session.dispose();
  }, 300_000);
});
