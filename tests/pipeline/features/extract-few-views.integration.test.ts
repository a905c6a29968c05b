/**
 * extractFeatures with the bundled offline colour encoder (real onnxruntime-web, tiny model) on a
 * few views: depth at another resolution, the memory budget, cancellation, no usable views.
 * The whole demo room at the 'fine' preset is extract-demo.integration.test.ts. Integration tier: real ONNX runs.
 */
import { describe, expect, it } from 'vitest';
import { loadClipModel } from '../../../src/pipeline/clip/model-source/load-clip-model';
import { inMemoryOfflineModelSource } from '../../../src/pipeline/clip/model-source/offline-model-source';
import { extractFeatures } from '../../../src/pipeline/features/extract';
import { BudgetError, CancelledError } from '../../../src/pipeline/errors';
import { generateDemoRoom } from '../../../src/demo-room/demo-room';
import { generatedDemoRoom } from '../../demo-room/generated-demo-room';

describe('extractFeatures on a few demo-room views with the offline encoder', () => {
  it('scales intrinsics when the depth image size differs, and refuses scenes over the budget', async () => {
    // Coarse point spacings: the depth scaling is about pixels, not cloud density.
    const scene = generateDemoRoom({
      views: 2,
      width: 160,
      height: 120,
      objectPointSpacing: 0.03,
      shellPointSpacing: 0.06,
    });
    // Depth delivered at half resolution (nearest), intrinsics still for 160×120.
    const halfDepth = {
      ...scene,
      frames: scene.frames.map((f) => ({
        ...f,
        loadDepth: async () => {
          const d = await f.loadDepth();
          const data = new Uint16Array(80 * 60);
          for (let v = 0; v < 60; v++)
            for (let u = 0; u < 80; u++) data[v * 80 + u] = d.data[v * 2 * 160 + u * 2];
          return { ...d, width: 80, height: 60, data };
        },
      })),
    };
    const model = await loadClipModel(inMemoryOfflineModelSource());
    try {
      // Coarse tiles: the depth scaling is in the fusion, whatever the crops.
      const full = await extractFeatures(scene, model.encoder, { detail: 'coarse' });
      const half = await extractFeatures(halfDepth, model.encoder, { detail: 'coarse' });
      expect(half.warnings.some((w) => /depth image is 80×60.*intrinsics scaled/.test(w))).toBe(
        true,
      );
      // Same geometry at half resolution: most points seen at full resolution are still seen.
      expect(half.stats.seenPoints).toBeGreaterThan(0.8 * full.stats.seenPoints);
      await expect(
        extractFeatures(scene, model.encoder, { maxAccumulatorBytes: 1000 }),
      ).rejects.toBeInstanceOf(BudgetError);
    } finally {
      await model.encoder.dispose();
    }
  }, 300_000);

  it('cancels between views and reports zero usable views clearly', async () => {
    const room = await generatedDemoRoom();
    const scene = { ...room, frames: room.frames.slice(0, 4) };
    const model = await loadClipModel(inMemoryOfflineModelSource());
    try {
      const controller = new AbortController();
      const run = extractFeatures(
        scene,
        model.encoder,
        {},
        {
          signal: controller.signal,
          onProgress: (p) => {
            if (p.stage === 'encode' && p.done === 1) controller.abort();
          },
        },
      );
      await expect(run).rejects.toBeInstanceOf(CancelledError);
      // A cloud without frames renders its own views (issue 14) instead of failing.
      const noFrames = { ...scene, cloud: scene.cloud, frames: [] };
      const rendered = await extractFeatures(noFrames, model.encoder, {});
      expect(rendered.stats.views).toBeGreaterThan(0);
      const nanPose = {
        ...scene,
        frames: scene.frames.map((f) => ({ ...f, cameraToWorld: new Float64Array(16).fill(NaN) })),
      };
      await expect(extractFeatures(nanPose, model.encoder, {})).rejects.toThrow(/no usable views/);
    } finally {
      await model.encoder.dispose();
    }
  }, 300_000);
});
