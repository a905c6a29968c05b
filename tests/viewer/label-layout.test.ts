import { describe, expect, it } from 'vitest';
import { layoutLabels, rectsOverlap, type LabelRequest } from '../../src/viewer/label-layout';

const W = 800;
const H = 600;

function rects(labels: LabelRequest[]) {
  return layoutLabels(labels, W, H).map((p, i) => ({
    ...p,
    width: labels[i].width,
    height: labels[i].height,
  }));
}

describe('layoutLabels', () => {
  it('places a lone label centred just above its anchor', () => {
    const [p] = layoutLabels([{ x: 400, y: 300, width: 100, height: 20 }], W, H);
    expect(p).toEqual({ visible: true, left: 350, top: 276 });
  });

  it('separates labels whose anchors coincide, none overlapping, all inside', () => {
    const labels = Array.from({ length: 8 }, () => ({ x: 400, y: 300, width: 90, height: 18 }));
    const out = rects(labels);
    expect(out.every((r) => r.visible)).toBe(true);
    for (let i = 0; i < out.length; i++) {
      expect(out[i].left).toBeGreaterThanOrEqual(0);
      expect(out[i].top).toBeGreaterThanOrEqual(0);
      expect(out[i].left + out[i].width).toBeLessThanOrEqual(W);
      expect(out[i].top + out[i].height).toBeLessThanOrEqual(H);
      for (let j = 0; j < i; j++) expect(rectsOverlap(out[i], out[j])).toBe(false);
    }
  });

  it('slides a label at the corner inside the canvas', () => {
    const [p] = layoutLabels([{ x: 2, y: 1, width: 120, height: 20 }], W, H);
    expect(p.visible).toBe(true);
    expect(p.left).toBe(0);
    expect(p.top).toBeGreaterThanOrEqual(0);
    const [q] = layoutLabels([{ x: W - 1, y: H - 1, width: 120, height: 20 }], W, H);
    expect(q.left + 120).toBeLessThanOrEqual(W);
    expect(q.top + 20).toBeLessThanOrEqual(H);
  });

  it('hides anchors off the canvas or behind the camera, and labels with no free spot', () => {
    const out = layoutLabels(
      [
        { x: Number.NaN, y: 10, width: 10, height: 10 },
        { x: -5, y: 10, width: 10, height: 10 },
        { x: 10, y: 10, width: 10, height: 10 },
      ],
      W,
      H,
    );
    expect(out.map((p) => p.visible)).toEqual([false, false, true]);
    // A tiny canvas holds one label; the second has nowhere to go.
    const crowded = layoutLabels(
      [
        { x: 50, y: 10, width: 100, height: 20 },
        { x: 50, y: 10, width: 100, height: 20 },
      ],
      100,
      20,
    );
    expect(crowded.map((p) => p.visible)).toEqual([true, false]);
  });

  it('never overlaps over random scenes of 30 labels', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let overlaps = 0;
    let shown = 0;
    for (let trial = 0; trial < 50; trial++) {
      const labels = Array.from({ length: 30 }, () => ({
        x: rand() * W,
        y: rand() * H,
        width: 40 + rand() * 100,
        height: 16,
      }));
      const out = rects(labels).filter((r) => r.visible);
      for (let i = 0; i < out.length; i++)
        for (let j = 0; j < i; j++) if (rectsOverlap(out[i], out[j])) overlaps++;
      shown += out.length;
    }
    expect(overlaps).toBe(0);
    // Greedy placement still shows most labels on an 800×600 canvas.
    expect(shown).toBeGreaterThan(50 * 20);
  });
});
