import { describe, expect, it } from 'vitest';
import { installPlatform, platform } from '../../../src/pipeline/platform';
import { accuracyAt, evaluateGrounding } from '../../../src/pipeline/query/evaluate';
import { NegativeEmbeddingCache } from '../../../src/pipeline/query/text-embedding';
import { NegativeSimilarityCache } from '../../../src/pipeline/query/relevancy';
import { queryByText } from '../../../src/pipeline/query/text-query';
import type { GtObject } from '../../../src/pipeline/scene/types';
import { FakeTextEncoder } from './fake-encoder';
import { Float32Field, syntheticRoom } from './synthetic-field';

describe('accuracyAt (ScanRefer Acc@k)', () => {
  it('counts IoU ≥ k', () => {
    expect(accuracyAt([0.1, 0.25, 0.5, 0.9], 0.25)).toBe(0.75);
    expect(accuracyAt([0.1, 0.25, 0.5, 0.9], 0.5)).toBe(0.5);
    expect(accuracyAt([], 0.5)).toBe(0);
  });
});

describe('queryByText and evaluateGrounding on a synthetic room', () => {
  const room = syntheticRoom(5);
  const names = ['sofa', 'bed', 'lamp', 'rug', 'desk'];
  const vectors = new Map(names.map((n, i) => [n, room.objects[i].feature]));
  const objects: GtObject[] = room.objects.map((o, i) => ({
    id: 10 + i,
    label: names[i],
    aabb: { min: o.min, max: o.max },
  }));
  const scene = {
    field: new Float32Field(room.features, room.count, room.dim),
    positions: room.positions,
    normalisation: { centroid: [3, 2.5, 0.5] as [number, number, number], radius: 4 },
  };

  it('embeds the negatives once per model and their similarity once per field', async () => {
    const encoder = new FakeTextEncoder('fake', room.dim, vectors);
    const caches = {
      negativeEmbeddings: new NegativeEmbeddingCache(),
      negativeSimilarity: new NegativeSimilarityCache(),
    };
    const field = new Float32Field(room.features, room.count, room.dim);
    const a = await queryByText({ ...scene, field }, encoder, 'sofa', {}, caches);
    const b = await queryByText({ ...scene, field }, encoder, 'bed', {}, caches);
    expect(encoder.textCalls).toEqual([
      ['sofa'],
      ['object', 'things', 'stuff', 'texture'],
      ['bed'],
    ]);
    expect(field.calls).toBe(2);
    expect(a.boxes[0].tokens).toMatch(/^(<loc\d+>){6}$/);
    expect(b.text).toBe('bed');
    // cosine mode needs no negatives at all
    await queryByText(scene, encoder, 'lamp', { mode: 'cosine' }, caches);
    expect(encoder.textCalls.at(-1)).toEqual(['lamp']);
  });

  it('times embedding, scoring and grounding separately on the host clock', async () => {
    // A host clock that only moves when the encoder (5 ms per call) or the field (7 ms per
    // call) works: the reported timings are those steps' own durations, in order.
    let t = 1000;
    const host = platform();
    installPlatform({ ...host, now: () => t });
    try {
      const encoder = new FakeTextEncoder('fake', room.dim, vectors);
      const embedTexts = encoder.embedTexts.bind(encoder);
      encoder.embedTexts = async (texts) => {
        t += 5;
        return embedTexts(texts);
      };
      const field = new Float32Field(room.features, room.count, room.dim);
      const similarity = field.similarity.bind(field);
      field.similarity = (queries, q) => {
        t += 7;
        return similarity(queries, q);
      };
      const caches = {
        negativeEmbeddings: new NegativeEmbeddingCache(),
        negativeSimilarity: new NegativeSimilarityCache(),
      };
      // First query: the text and the negatives are embedded, the field scored once.
      const first = await queryByText({ ...scene, field }, encoder, 'sofa', {}, caches);
      expect(first.timings).toEqual({ embedMs: 10, scoreMs: 7, groundMs: 0 });
      // Second: the negatives come from the cache.
      const second = await queryByText({ ...scene, field }, encoder, 'bed', {}, caches);
      expect(second.timings).toEqual({ embedMs: 5, scoreMs: 7, groundMs: 0 });
    } finally {
      installPlatform(host);
    }
  });

  it('reports per-query IoU and Acc@0.25 / Acc@0.5', async () => {
    const encoder = new FakeTextEncoder('fake', room.dim, vectors);
    const queries = [
      ...names.map((text, i) => ({ text, targetId: 10 + i, label: text })),
      { text: 'sofa', targetId: 11 }, // the sofa's box against the bed's GT: wrong answer
      { text: 'bed', targetId: 99 }, // no such object
    ];
    const report = await evaluateGrounding(scene, objects, queries, encoder);
    expect(report.count).toBe(7);
    for (let i = 0; i < 5; i++) expect(report.queries[i].iou).toBeGreaterThan(0.8);
    expect(report.queries[5].iou).toBe(0);
    expect(report.queries[6]).toMatchObject({ iou: 0, error: 'no object with id 99 in the scene' });
    expect(report.accAt025).toBeCloseTo(5 / 7, 12);
    expect(report.accAt05).toBeCloseTo(5 / 7, 12);
    expect(report.queries[0].gtBox).toEqual(objects[0].aabb);
  });

  it('stops between queries when cancelled', async () => {
    const encoder = new FakeTextEncoder('fake', room.dim, vectors);
    const controller = new AbortController();
    controller.abort();
    await expect(
      evaluateGrounding(
        scene,
        objects,
        [{ text: 'sofa', targetId: 10 }],
        encoder,
        {},
        { signal: controller.signal },
      ),
    ).rejects.toMatchObject({ name: 'CancelledError' });
  });
});
