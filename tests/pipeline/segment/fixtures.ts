/**
 * Hand-made clouds for the segmentation tests: axis-aligned boxes sampled on a grid over their
 * visible faces (the bottom face is left out, as a scan of a box on a floor has none), and a
 * floor patch. No normals unless asked, so the PCA path is the one exercised.
 */
import type { PointCloud } from '../../../src/pipeline/scene/types';
import type { SceneSegmentation } from '../../../src/pipeline/segment/types';

export interface BoxSpec {
  min: [number, number, number];
  max: [number, number, number];
  rgb: [number, number, number];
}

export class CloudBuilder {
  private readonly xyz: number[] = [];
  private readonly rgb: number[] = [];
  private readonly labels: number[] = [];

  /** A rectangle in the plane axis = at, spanning [lo, hi] on the two other axes. */
  rectangle(
    axis: 0 | 1 | 2,
    at: number,
    lo: [number, number],
    hi: [number, number],
    rgb: readonly number[],
    spacing: number,
    label: number,
  ): this {
    const [u, v] = [0, 1, 2].filter((a) => a !== axis);
    for (let a = lo[0]; a <= hi[0] + 1e-9; a += spacing)
      for (let b = lo[1]; b <= hi[1] + 1e-9; b += spacing) {
        const p = [0, 0, 0];
        p[axis] = at;
        p[u] = a;
        p[v] = b;
        this.xyz.push(...p);
        this.rgb.push(...rgb);
        this.labels.push(label);
      }
    return this;
  }

  /** The box's faces but the bottom, and but those named in `hidden` ('-x', '+y', ...). */
  box(spec: BoxSpec, spacing: number, label: number, hidden: string[] = []): this {
    const { min, max, rgb } = spec;
    const faces: [string, 0 | 1 | 2, number][] = [
      ['+z', 2, max[2]],
      ['-x', 0, min[0]],
      ['+x', 0, max[0]],
      ['-y', 1, min[1]],
      ['+y', 1, max[1]],
    ];
    for (const [name, axis, at] of faces) {
      if (hidden.includes(name)) continue;
      const [u, v] = ([0, 1, 2] as const).filter((a) => a !== axis);
      this.rectangle(axis, at, [min[u], min[v]], [max[u], max[v]], rgb, spacing, label);
    }
    return this;
  }

  cloud(): PointCloud & { instanceIds: Int32Array } {
    return {
      positions: Float32Array.from(this.xyz),
      colors: Uint8Array.from(this.rgb),
      instanceIds: Int32Array.from(this.labels),
    };
  }
}

/** Proposal ids at `level` holding points of `label`, with how many of them. */
export function proposalsOfLabel(
  seg: SceneSegmentation,
  labels: Int32Array,
  label: number,
  level: number,
): Map<number, number> {
  const out = new Map<number, number>();
  for (let i = 0; i < seg.pointCount; i++) {
    if (labels[i] !== label) continue;
    const p = seg.pointProposals[level * seg.pointCount + i];
    out.set(p, (out.get(p) ?? 0) + 1);
  }
  return out;
}

/** Every invariant of the contract; returns the violations (empty when all hold). */
export function segmentationViolations(seg: SceneSegmentation, positions?: Float32Array): string[] {
  const errors: string[] = [];
  const { pointCount: n, levelCount, proposalCount } = seg;
  const check = (ok: boolean, what: string) => {
    if (!ok && errors.length < 20) errors.push(what);
  };
  check(seg.pointProposals.length === n * levelCount, 'pointProposals length');
  check(seg.level.length === proposalCount, 'level length');
  check(seg.parent.length === proposalCount, 'parent length');
  check(seg.structure.length === proposalCount, 'structure length');
  check(seg.pointOffsets.length === proposalCount + 1, 'pointOffsets length');
  check(seg.bounds.length === proposalCount * 6, 'bounds length');
  check(seg.pointOffsets[0] === 0, 'pointOffsets[0]');
  check(seg.pointOffsets[proposalCount] === seg.pointIndices.length, 'pointOffsets end');
  for (let p = 0; p < proposalCount; p++) {
    const start = seg.pointOffsets[p];
    const end = seg.pointOffsets[p + 1];
    check(end > start, `proposal ${p} is empty`);
    const q = seg.parent[p];
    const l = seg.level[p];
    check(l < levelCount, `proposal ${p} level ${l}`);
    if (l === levelCount - 1) check(q === -1, `top proposal ${p} has parent ${q}`);
    else check(q >= 0 && seg.level[q] === l + 1, `proposal ${p} parent ${q} not one level up`);
    for (let k = start; k < end; k++) {
      const i = seg.pointIndices[k];
      check(k === start || i > seg.pointIndices[k - 1], `proposal ${p} indices not ascending`);
      check(seg.pointProposals[l * n + i] === p, `point ${i} not labelled ${p} at level ${l}`);
      if (q >= 0)
        check(seg.pointProposals[(l + 1) * n + i] === q, `point ${i} of ${p} not in parent`);
    }
    for (let a = 0; a < 3; a++) {
      check(seg.bounds[p * 6 + a] <= seg.bounds[p * 6 + 3 + a], `proposal ${p} bounds inverted`);
    }
    // Robust bounds lie within the true extent of the proposal's points.
    if (end > start && positions) {
      {
        for (let a = 0; a < 3; a++) {
          let lo = Infinity,
            hi = -Infinity;
          for (let k = start; k < end; k++) {
            const x = positions[seg.pointIndices[k] * 3 + a];
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
          }
          check(
            seg.bounds[p * 6 + a] >= lo - 1e-5 && seg.bounds[p * 6 + 3 + a] <= hi + 1e-5,
            `proposal ${p} bounds outside its points`,
          );
        }
      }
    }
  }
  // Each level labels a point iff every level does (levels partition the same covered points).
  let listed = 0;
  for (let l = 0; l < levelCount; l++) {
    for (let i = 0; i < n; i++) {
      const p = seg.pointProposals[l * n + i];
      const p0 = seg.pointProposals[i];
      check(p < 0 === p0 < 0, `point ${i} covered at some levels only`);
      if (p >= 0) {
        listed++;
        check(seg.level[p] === l, `point ${i} at level ${l} labelled with level ${seg.level[p]}`);
      }
    }
  }
  check(listed === seg.pointIndices.length, 'CSR size differs from labelled points');
  return errors;
}
