/**
 * Where an extraction's views come from (features/extraction/plan-views.ts): captured frames,
 * views rendered from the scene's mesh (scans without frames), or both; the per-scene store
 * that keeps plans and renders; the stride rule. A closed box room as a mesh, rendered small.
 */
import { describe, expect, it } from 'vitest';
import { UnsupportedError } from '../../../src/pipeline/errors';
import {
  defaultViewSource,
  extractionViews,
  memoryViewStore,
  planViews,
  requestedViews,
} from '../../../src/pipeline/features/extraction/plan-views';
import type { CachedRender } from '../../../src/pipeline/render/rendered-frames';
import type { Scene } from '../../../src/pipeline/scene/types';
import { boxMesh, pixelRay, rayBox } from '../render/analytic-scenes';

const MIN: [number, number, number] = [-1.2, -1, 0];
const MAX: [number, number, number] = [1.3, 1.1, 2.5];
const SMALL = { width: 48, height: 36, maxViews: 6 };

function meshRoom(name = 'box-room'): Scene {
  return { name, format: 'ply', cloud: boxMesh(MIN, MAX, 8), frames: [], warnings: [] };
}

describe('extraction views', () => {
  it('renders planned views of a scene without frames: ordinary frames at the analytic depth', async () => {
    const scene = meshRoom();
    expect(defaultViewSource(scene)).toBe('rendered');
    const {
      scene: viewScene,
      views,
      rendered,
      plan,
    } = await extractionViews(scene, {
      renderViews: SMALL,
    });
    expect(views).toBe('rendered');
    expect(plan!.views.length).toBeGreaterThan(0);
    expect(viewScene.frames).toEqual(rendered);
    expect(scene.frames).toHaveLength(0); // the scene itself is unchanged
    for (const [k, f] of rendered.entries()) {
      expect(f.index).toBe(k);
      expect(f.rendered).toBe(true);
      const depth = await f.loadDepth();
      expect([depth.width, depth.height]).toEqual([48, 36]);
      // Inside a closed room every pixel sees a wall at the ray-box distance.
      for (let i = 0; i < depth.data.length; i += 17) {
        const [o, d] = pixelRay(f.intrinsics, f.cameraToWorld, i % 48, Math.floor(i / 48));
        const z = rayBox(o, d, MIN, MAX);
        expect(Math.abs(depth.data[i] / depth.depthScale - z)).toBeLessThan(2e-3);
      }
    }
  });

  it('keeps plans and renders in the scene’s store: extracting again neither plans nor renders', async () => {
    const scene = meshRoom();
    const store = memoryViewStore();
    let sets = 0;
    const set = store.renders.set;
    store.renders.set = (key: string, value: CachedRender) => {
      sets++;
      return set(key, value);
    };
    const first = await extractionViews(scene, { renderViews: SMALL }, { store });
    for (const f of first.rendered) await f.loadColor();
    expect(sets).toBe(first.rendered.length);
    const stages: string[] = [];
    const second = await extractionViews(
      scene,
      { renderViews: SMALL },
      { store, onProgress: (p) => stages.push(p.stage) },
    );
    expect(second.plan).toBe(first.plan);
    expect(stages).not.toContain('plan views');
    for (const [k, f] of second.rendered.entries()) {
      expect((await f.loadColor()).data).toEqual((await first.rendered[k].loadColor()).data);
    }
    expect(sets).toBe(first.rendered.length);
    // Other render options are another plan.
    const other = await extractionViews(scene, { renderViews: { ...SMALL, width: 40 } }, { store });
    expect(other.plan).not.toBe(first.plan);
  });

  it('evicts the oldest renders past its byte budget', async () => {
    const store = memoryViewStore(2 * (4 * 4 * 3 + 4 * 4 * 2));
    const render = (): CachedRender => ({
      color: { width: 4, height: 4, data: new Uint8Array(48) },
      depth: {
        width: 4,
        height: 4,
        data: new Uint16Array(16),
        depthScale: 1000,
        invalidValues: [0],
      },
    });
    for (const key of ['a', 'b', 'c']) await store.renders.set(key, render());
    expect(await store.renders.get('a')).toBeUndefined();
    expect(await store.renders.get('b')).toBeDefined();
    expect(await store.renders.get('c')).toBeDefined();
  });

  it('both: captured frames strided, then every rendered view, with indices after the captured', async () => {
    const scene = meshRoom();
    const { rendered } = await extractionViews(scene, { renderViews: SMALL });
    // Stand-in captured frames (renders of the same room, not flagged as rendered).
    const captured = rendered.map((f) => ({ ...f, rendered: false }));
    const withFrames: Scene = { ...scene, frames: captured };
    expect(defaultViewSource(withFrames)).toBe('captured');
    const both = await extractionViews(withFrames, { views: 'both', renderViews: SMALL });
    expect(both.scene.frames.slice(0, captured.length)).toEqual(captured);
    const renderedIndices = both.rendered.map((f) => f.index);
    expect(renderedIndices[0]).toBe(captured.length);
    const warnings: string[] = [];
    const planned = planViews(both.scene, 2, warnings);
    expect(planned.filter((f) => !f.rendered).map((f) => f.index)).toEqual(
      captured.filter((_, k) => k % 2 === 0).map((f) => f.index),
    );
    expect(planned.filter((f) => f.rendered).map((f) => f.index)).toEqual(renderedIndices);
    // The default for a scene with frames is captured, untouched.
    const plain = await extractionViews(withFrames, {});
    expect(plain.scene).toBe(withFrames);
    expect(plain.rendered).toHaveLength(0);
  });

  it('refuses captured views without frames and unknown view sources, naming the scene', async () => {
    const scene = meshRoom('my-scan');
    await expect(extractionViews(scene, { views: 'captured' })).rejects.toThrow(
      /my-scan: no RGB-D frames/,
    );
    await expect(extractionViews(scene, { views: 'captured' })).rejects.toBeInstanceOf(
      UnsupportedError,
    );
    expect(() => requestedViews(scene, 'frames')).toThrow(UnsupportedError);
    // The scene's default is no request at all (feature cache keys stay as they were).
    expect(requestedViews(scene, 'rendered')).toBeUndefined();
    expect(requestedViews(scene, 'both')).toBe('both');
    const empty: Scene = { name: 'nothing', format: 'ply', frames: [], warnings: [] };
    await expect(extractionViews(empty, {})).rejects.toThrow(/nothing: no points/);
  });
});
