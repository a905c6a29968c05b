/**
 * Grounding benchmark: run each query, take the top-ranked box, and measure its axis-aligned 3D
 * IoU with the target's ground-truth box. Acc@k = share of queries with IoU ≥ k (ScanRefer).
 *
 * Several targets. A query with T > 1 targets (`targetIds`, e.g. the cluttered room's two orange
 * chairs) is scored on the top-T boxes, the multi-target analogue of top-1: each target must be
 * matched by a distinct box among the first T ranked boxes, and one box never counts for two
 * targets. Its IoU is the bottleneck of the best such matching, max over one-to-one assignments
 * of min over targets of IoU(target, its box), so IoU ≥ k exactly when every target can get its
 * own top-T box with IoU ≥ k, and Acc@0.25 / Acc@0.5 count such a query as one query, correct or
 * not as a whole (no partial credit). Fewer than T boxes, or a target id the scene lacks, give
 * IoU 0. (The optimal matching, not a greedy one: greedy can give the best box to the wrong
 * target and miss a matching in which every target has a good box.) Each target reports the box
 * it was matched to; among matchings with the same bottleneck the one found by trying targets in
 * query order and boxes in rank order. `bestIoUInTopK` is the worst target's best IoU over all
 * returned boxes, matched or not. A query whose `targetIds` holds one id is a single-target one.
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
  /** Only for a query with several targets: its `targetIds` and each one's match. */
  targetIds?: number[];
  targets?: TargetEvaluation[];
}

/** One target of a several-target query, matched to its own box among the top-k. */
export interface TargetEvaluation {
  targetId: number;
  label?: string;
  /** IoU of the box matched to this target (0 when none is left or the id is unknown). */
  iou: number;
  /** Best IoU of any returned box with this target, matched or not. */
  bestIoUInTopK: number;
  /** 0-based index of the matched box in the returned list (the box's `rank` is 1-based). */
  boxIndex?: number;
  box?: GroundedBox;
  gtBox?: Aabb;
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
    if (q.targetIds && q.targetIds.length > 1) {
      results.push(evaluateMultiTarget(q, objects, result.boxes));
      work.onProgress?.({ stage: 'eval', done: i + 1, total: queries.length, unit: 'queries' });
      continue;
    }
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
  return summariseEvaluations(results, queryMs);
}

/** The report over per-query results: one IoU per query, multi-target ones included. */
export function summariseEvaluations(
  results: QueryEvaluation[],
  totalQueryMs = 0,
): GroundingReport {
  const ious = results.map((r) => r.iou);
  return {
    queries: results,
    count: results.length,
    accAt025: accuracyAt(ious, 0.25),
    accAt05: accuracyAt(ious, 0.5),
    meanIoU: ious.length ? ious.reduce((a, b) => a + b, 0) / ious.length : 0,
    meanQueryMs: results.length ? totalQueryMs / results.length : 0,
  };
}

/**
 * Scores a query with several targets on its ranked boxes (see the file comment): the top-T
 * boxes are matched one-to-one to the T targets by the bottleneck-optimal matching.
 */
export function evaluateMultiTarget(
  q: GroundingQuery,
  objects: readonly GtObject[],
  boxes: readonly GroundedBox[],
): QueryEvaluation {
  const targetIds = q.targetIds && q.targetIds.length > 0 ? q.targetIds : [q.targetId];
  const gts = targetIds.map((id) => objects.find((o) => o.id === id));
  const all = gts.map((gt) => (gt ? boxes.map((b) => boxIoU(b, gt.aabb)) : []));
  const considered = Math.min(boxes.length, targetIds.length);
  const candidates = all.map((row) => Array.from({ length: considered }, (_, b) => row[b] ?? 0));
  const { boxOf, bottleneck } = matchTargets(candidates);
  const targets: TargetEvaluation[] = targetIds.map((targetId, t) => {
    const gt = gts[t];
    const b = boxOf[t];
    return {
      targetId,
      ...(gt?.label !== undefined ? { label: gt.label } : {}),
      iou: b !== undefined ? candidates[t][b] : 0,
      bestIoUInTopK: all[t].length ? Math.max(...all[t]) : 0,
      ...(b !== undefined ? { boxIndex: b, box: boxes[b] } : {}),
      ...(gt ? { gtBox: gt.aabb } : { error: `no object with id ${targetId} in the scene` }),
    };
  });
  const missing = targets.filter((t) => t.error).map((t) => t.targetId);
  const first = targets.find((t) => t.targetId === q.targetId);
  return {
    text: q.text,
    targetId: q.targetId,
    ...(q.label !== undefined ? { label: q.label } : {}),
    iou: bottleneck,
    bestIoUInTopK: Math.min(...targets.map((t) => t.bestIoUInTopK)),
    ...(boxes[0] ? { box: boxes[0] } : {}),
    ...(first?.gtBox ? { gtBox: first.gtBox } : {}),
    ...(missing.length ? { error: `no object with id ${missing.join(', ')} in the scene` } : {}),
    targetIds: [...targetIds],
    targets,
  };
}

export interface TargetMatching {
  /** The box index matched to each target (undefined: none). */
  boxOf: (number | undefined)[];
  /**
   * Max over one-to-one assignments of every target to a box of the min IoU: 0 when some
   * target cannot get a box with IoU > 0 (more targets than boxes included).
   */
  bottleneck: number;
}

/**
 * Bottleneck assignment of targets (rows) to boxes (columns) of an IoU matrix: the one-to-one
 * matching of every target whose smallest IoU is largest, found by a binary search over the
 * matrix's values with an augmenting-path matching (Kuhn) at each threshold. Deterministic:
 * targets are tried in row order, each takes the first free usable box in column (rank) order
 * and only re-routes earlier targets when none is free. When no matching covers every
 * target with IoU > 0, `boxOf` is a maximum matching over the positive entries and the
 * bottleneck is 0. Sizes are small (T targets × T boxes), so O(T⁴ log T) is nothing.
 */
export function matchTargets(iou: readonly (readonly number[])[]): TargetMatching {
  const rows = iou.length;
  const cols = rows ? Math.max(...iou.map((r) => r.length)) : 0;
  const at = (t: number, b: number) => {
    const v = iou[t][b];
    return v !== undefined && Number.isFinite(v) ? v : 0;
  };
  const matchAt = (threshold: number): (number | undefined)[] => {
    const targetOf: (number | undefined)[] = new Array(cols).fill(undefined);
    const usable = (t: number, b: number) => at(t, b) >= threshold && at(t, b) > 0;
    const augment = (t: number, seen: boolean[]): boolean => {
      // A free box first (in rank order), so a target only displaces another when it must.
      for (let b = 0; b < cols; b++) {
        if (targetOf[b] === undefined && !seen[b] && usable(t, b)) {
          seen[b] = true;
          targetOf[b] = t;
          return true;
        }
      }
      for (let b = 0; b < cols; b++) {
        if (seen[b] || !usable(t, b)) continue;
        seen[b] = true;
        const other = targetOf[b];
        if (other === undefined || augment(other, seen)) {
          targetOf[b] = t;
          return true;
        }
      }
      return false;
    };
    for (let t = 0; t < rows; t++) augment(t, new Array(cols).fill(false));
    const boxOf: (number | undefined)[] = new Array(rows).fill(undefined);
    targetOf.forEach((t, b) => {
      if (t !== undefined) boxOf[t] = b;
    });
    return boxOf;
  };
  const complete = (boxOf: (number | undefined)[]) => boxOf.every((b) => b !== undefined);
  const values = [...new Set(iou.flatMap((r, t) => r.map((_, b) => at(t, b))))]
    .filter((v) => v > 0)
    .sort((a, b) => b - a);
  // Largest threshold with a complete matching: the first complete one in descending order.
  if (rows === 0 || rows > cols || !complete(matchAt(values[values.length - 1] ?? Infinity))) {
    return { boxOf: matchAt(0), bottleneck: 0 };
  }
  // values[hi] is the smallest-index threshold known to give a complete matching.
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (complete(matchAt(values[mid]))) hi = mid;
    else lo = mid + 1;
  }
  return { boxOf: matchAt(values[hi]), bottleneck: values[hi] };
}
