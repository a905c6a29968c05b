/**
 * Grounding benchmark: run each query, take the top-ranked box, and measure its axis-aligned 3D
 * IoU with the target's ground-truth box. Acc@k = share of queries with IoU ≥ k (ScanRefer).
 */
import type { ClipEncoder } from '../clip/types';
import { throwIfAborted } from '../errors';
import type { WorkOptions } from '../progress';
import type { Aabb, GtObject } from '../scene/types';
import { boxIoU } from './iou';
import type { GroundingQuery } from './query-file';
import {
  queryByText,
  type QueryCaches,
  type QueryScene,
  type TextQueryOptions,
} from './text-query';
import type { GroundedBox } from './types';

export interface QueryEvaluation {
  text: string;
  targetId: number;
  label?: string;
  /** IoU of the top-ranked box with the target's GT box (0 when no box or no target). */
  iou: number;
  /** Best IoU among all returned boxes (top-k): how far ranking is from the answer. */
  bestIoUInTopK: number;
  box?: GroundedBox;
  gtBox?: Aabb;
  /** Set when the target id is not among the scene's objects. */
  error?: string;
}

export interface GroundingReport {
  queries: QueryEvaluation[];
  count: number;
  accAt025: number;
  accAt05: number;
  meanIoU: number;
  /** Mean milliseconds per query without the text embedding (scoring + grounding). */
  meanQueryMs: number;
}

/** Share of values ≥ threshold (ScanRefer's Acc@k). */
export function accuracyAt(ious: readonly number[], threshold: number): number {
  if (ious.length === 0) return 0;
  return ious.filter((v) => v >= threshold).length / ious.length;
}

export async function evaluateGrounding(
  scene: QueryScene,
  objects: readonly GtObject[],
  queries: readonly GroundingQuery[],
  encoder: ClipEncoder,
  options: TextQueryOptions = {},
  work: WorkOptions & { caches?: QueryCaches } = {},
): Promise<GroundingReport> {
  const results: QueryEvaluation[] = [];
  let queryMs = 0;
  for (let i = 0; i < queries.length; i++) {
    throwIfAborted(work.signal);
    const q = queries[i];
    const target = objects.find((o) => o.id === q.targetId);
    const result = await queryByText(scene, encoder, q.text, options, work.caches);
    queryMs += result.timings.scoreMs + result.timings.groundMs;
    const ious = target ? result.boxes.map((b) => boxIoU(b, target.aabb)) : [];
    results.push({
      text: q.text,
      targetId: q.targetId,
      ...(q.label !== undefined ? { label: q.label } : {}),
      iou: ious[0] ?? 0,
      bestIoUInTopK: ious.length ? Math.max(...ious) : 0,
      ...(result.boxes[0] ? { box: result.boxes[0] } : {}),
      ...(target
        ? { gtBox: target.aabb }
        : { error: `no object with id ${q.targetId} in the scene` }),
    });
    work.onProgress?.({ stage: 'eval', done: i + 1, total: queries.length, unit: 'queries' });
  }
  const ious = results.map((r) => r.iou);
  return {
    queries: results,
    count: results.length,
    accAt025: accuracyAt(ious, 0.25),
    accAt05: accuracyAt(ious, 0.5),
    meanIoU: ious.length ? ious.reduce((a, b) => a + b, 0) / ious.length : 0,
    meanQueryMs: results.length ? queryMs / results.length : 0,
  };
}
