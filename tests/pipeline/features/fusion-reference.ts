/**
 * A straightforward transcription of OpenScene's PointCloudToImageMapper.compute_mapping and
 * its mean fusion, array by array as numpy does it (allocating per view, per point vectors).
 * It is the oracle the fast FusionAccumulator is cross-checked against (fusion.test.ts) and the
 * baseline bench/fusion.bench.ts measures it against. Test code: it lives here, not in src.
 */
import { transformPoint } from '../../../src/pipeline/geometry/mat4';
import type { DepthImage, Intrinsics, Mat4 } from '../../../src/pipeline/scene/types';
import type { FusionView } from '../../../src/pipeline/features/fusion';
import {
  borderCut,
  depthInMetres,
  OPENSCENE_RULES,
  roundHalfEven,
  worldToCameraChecked,
  type FusionRules,
} from '../../../src/pipeline/features/fusion-rules';

/** OpenScene's mapping: per point [row, col, mask] (N×3, row-major). */
export function computeMappingReference(
  points: Float32Array,
  cameraToWorld: Mat4,
  intrinsics: Intrinsics,
  depth: DepthImage,
  rules: FusionRules = OPENSCENE_RULES,
): Int32Array {
  const n = points.length / 3;
  const w2c = worldToCameraChecked(cameraToWorld, 'reference');
  const cam = Array.from({ length: n }, (_, i) =>
    transformPoint(w2c, points[i * 3], points[i * 3 + 1], points[i * 3 + 2], [0, 0, 0]),
  );
  const pix = cam.map(([x, y, z]) => [
    roundHalfEven((x * intrinsics.fx) / z + intrinsics.cx),
    roundHalfEven((y * intrinsics.fy) / z + intrinsics.cy),
  ]);
  const W = depth.width;
  const H = depth.height;
  const cut = borderCut(W, rules);
  const inside = pix.map(([u, v]) => u >= cut && v >= cut && u < W - cut && v < H - cut);
  const d = depthInMetres(depth);
  const mapping = new Int32Array(n * 3);
  for (let i = 0; i < n; i++) {
    if (!inside[i]) continue;
    const [u, v] = pix[i];
    const z = cam[i][2];
    const dv = d[v * W + u];
    // Invalid depth (0) rejects; z > 0 is implied by the test for valid depth.
    const visible = dv > 0 && z > 0 && Math.abs(dv - z) <= rules.visibilityThreshold * dv;
    if (!visible) continue;
    mapping[i * 3] = v;
    mapping[i * 3 + 1] = u;
    mapping[i * 3 + 2] = 1;
  }
  return mapping;
}

/** Mean fusion with the reference mapping; features read per passing point from the map. */
export function fuseReference(
  points: Float32Array,
  views: FusionView[],
  dim: number,
  rules: FusionRules = OPENSCENE_RULES,
): { features: Float32Array; viewCounts: Uint16Array } {
  const n = points.length / 3;
  const sums = new Float32Array(n * dim);
  const counts = new Uint16Array(n);
  for (const view of views) {
    const mapping = computeMappingReference(
      points,
      view.cameraToWorld,
      view.depthIntrinsics,
      view.depth,
      rules,
    );
    const map = view.featureMap;
    const di = view.depthIntrinsics;
    const ci = view.colorIntrinsics;
    const w2c = worldToCameraChecked(view.cameraToWorld, view.name);
    for (let i = 0; i < n; i++) {
      if (mapping[i * 3 + 2] !== 1) continue;
      let cu = mapping[i * 3 + 1];
      let cv = mapping[i * 3];
      if (ci.fx !== di.fx || ci.fy !== di.fy || ci.cx !== di.cx || ci.cy !== di.cy) {
        const [x, y, z] = transformPoint(
          w2c,
          points[i * 3],
          points[i * 3 + 1],
          points[i * 3 + 2],
          [0, 0, 0],
        );
        cu = (x * ci.fx) / z + ci.cx;
        cv = (y * ci.fy) / z + ci.cy;
      }
      const gx = Math.min(map.cellsX - 1, Math.max(0, Math.floor((cu + 0.5) / map.cellWidth)));
      const gy = Math.min(map.cellsY - 1, Math.max(0, Math.floor((cv + 0.5) / map.cellHeight)));
      const feature = map.features.slice(
        (gy * map.cellsX + gx) * dim,
        (gy * map.cellsX + gx + 1) * dim,
      );
      for (let k = 0; k < dim; k++) sums[i * dim + k] += feature[k];
      counts[i]++;
    }
  }
  for (let i = 0; i < n; i++)
    if (counts[i] > 1) for (let k = 0; k < dim; k++) sums[i * dim + k] /= counts[i];
  return { features: sums, viewCounts: counts };
}
