import { describe, expect, it } from 'vitest';
import { segmentScene } from '../../../src/pipeline/segment/segment-scene';
import { StructureKind } from '../../../src/pipeline/segment/types';
import { CloudBuilder, proposalsOfLabel, segmentationViolations } from './fixtures';

const SPACING = 0.02;
const GREY: [number, number, number] = [128, 128, 128];

/** Share of the label's points in its largest proposal at `level`, and that proposal. */
function dominant(
  seg: ReturnType<typeof segmentScene>,
  labels: Int32Array,
  label: number,
  level: number,
) {
  const counts = proposalsOfLabel(seg, labels, label, level);
  let best = -1,
    bestCount = 0,
    total = 0;
  for (const [p, c] of counts) {
    total += c;
    if (c > bestCount) [best, bestCount] = [p, c];
  }
  return { proposal: best, share: bestCount / total };
}

/** Points of other labels in proposal p. */
function intruders(
  seg: ReturnType<typeof segmentScene>,
  labels: Int32Array,
  p: number,
  label: number,
) {
  let n = 0;
  for (let k = seg.pointOffsets[p]; k < seg.pointOffsets[p + 1]; k++) {
    if (labels[seg.pointIndices[k]] !== label) n++;
  }
  return n;
}

describe('segmentScene', () => {
  it('keeps two separated boxes apart at every level and whole at the top', () => {
    const cloud = new CloudBuilder()
      .box({ min: [0, 0, 0], max: [0.5, 0.4, 0.3], rgb: [200, 30, 30] }, SPACING, 0)
      .box({ min: [1.2, 0, 0], max: [1.6, 0.5, 0.5], rgb: [200, 30, 30] }, SPACING, 1)
      .cloud();
    const seg = segmentScene(cloud);
    expect(segmentationViolations(seg, cloud.positions)).toEqual([]);
    const top = seg.levelCount - 1;
    for (let level = 0; level < seg.levelCount; level++) {
      for (const label of [0, 1]) {
        for (const p of proposalsOfLabel(seg, cloud.instanceIds, label, level).keys()) {
          expect(intruders(seg, cloud.instanceIds, p, label)).toBe(0);
        }
      }
    }
    expect(seg.levelOffsets![top + 1] - seg.levelOffsets![top]).toBe(2);
    for (const label of [0, 1]) {
      const d = dominant(seg, cloud.instanceIds, label, top);
      expect(d.share).toBe(1);
      expect(seg.structure[d.proposal]).toBe(StructureKind.None);
    }
    // Bounds of the top proposals are the boxes (sampled on the grid).
    const p = dominant(seg, cloud.instanceIds, 1, top).proposal;
    expect(Array.from(seg.bounds.subarray(p * 6, p * 6 + 6))).toEqual(
      [1.2, 0, 0, 1.6, 0.5, 0.5].map((v) => expect.closeTo(v, 1.5)),
    );
    for (const [a, v] of [1.2, 0, 0, 1.6, 0.5, 0.5].entries()) {
      expect(seg.bounds[p * 6 + a]).toBeCloseTo(v, 1);
    }
  });

  it('marks the floor under a box as structure and keeps the box separate', () => {
    const builder = new CloudBuilder()
      .rectangle(2, 0, [-1.5, -1.5], [1.5, 1.5], [220, 220, 215], SPACING, 9)
      .box({ min: [-0.3, -0.2, 0], max: [0.3, 0.3, 0.5], rgb: [40, 60, 180] }, SPACING, 0);
    const cloud = builder.cloud();
    const seg = segmentScene(cloud);
    expect(segmentationViolations(seg, cloud.positions)).toEqual([]);
    for (let level = 0; level < seg.levelCount; level++) {
      const floor = dominant(seg, cloud.instanceIds, 9, level);
      expect(seg.structure[floor.proposal], `level ${level}`).toBe(StructureKind.Floor);
      const box = dominant(seg, cloud.instanceIds, 0, level);
      expect(seg.structure[box.proposal]).toBe(StructureKind.None);
      // The box's points never sit in a floor proposal (a few on the floor line may).
      let inStructure = 0;
      for (let i = 0; i < seg.pointCount; i++) {
        const q = seg.pointProposals[level * seg.pointCount + i];
        if (cloud.instanceIds[i] === 0 && seg.structure[q] !== StructureKind.None) inStructure++;
      }
      expect(inStructure).toBeLessThan(0.05 * proposalsOfLabelTotal(seg, cloud.instanceIds, 0));
    }
    const top = seg.levelCount - 1;
    expect(dominant(seg, cloud.instanceIds, 0, top).share).toBeGreaterThan(0.95);
    expect(dominant(seg, cloud.instanceIds, 9, top).share).toBeGreaterThan(0.95);
  });

  it('finds walls and a ceiling in a closed room', () => {
    const c = [230, 225, 220];
    const cloud = new CloudBuilder()
      .rectangle(2, 0, [0, 0], [3, 2.5], [150, 110, 70], 0.04, 0)
      .rectangle(2, 2.4, [0, 0], [3, 2.5], c, 0.04, 1)
      .rectangle(0, 0, [0, 0], [2.5, 2.4], c, 0.04, 2)
      .rectangle(0, 3, [0, 0], [2.5, 2.4], c, 0.04, 3)
      .rectangle(1, 0, [0, 0], [3, 2.4], c, 0.04, 4)
      .rectangle(1, 2.5, [0, 0], [3, 2.4], c, 0.04, 5)
      .cloud();
    const seg = segmentScene(cloud);
    const top = seg.levelCount - 1;
    const kinds = [0, 1, 2, 3, 4, 5].map((label) => {
      const d = dominant(seg, cloud.instanceIds, label, top);
      expect(d.share).toBeGreaterThan(0.9);
      return seg.structure[d.proposal];
    });
    expect(kinds).toEqual([
      StructureKind.Floor,
      StructureKind.Ceiling,
      StructureKind.Wall,
      StructureKind.Wall,
      StructureKind.Wall,
      StructureKind.Wall,
    ]);
  });

  it('honours another up axis', () => {
    // The same floor and box with y up.
    const cloud = new CloudBuilder()
      .rectangle(1, 0, [-1.5, -1.5], [1.5, 1.5], [220, 220, 215], SPACING, 9)
      .cloud();
    const box = new CloudBuilder()
      .box({ min: [-0.3, -0.2, 0], max: [0.3, 0.3, 0.5], rgb: [40, 60, 180] }, SPACING, 0)
      .cloud();
    // Swap y and z of the box so it stands on the y = 0 floor.
    for (let i = 0; i < box.positions.length; i += 3) {
      [box.positions[i + 1], box.positions[i + 2]] = [box.positions[i + 2], box.positions[i + 1]];
    }
    const joined = {
      positions: Float32Array.from([...cloud.positions, ...box.positions]),
      colors: Uint8Array.from([...cloud.colors, ...box.colors]),
    };
    const labels = Int32Array.from([...cloud.instanceIds, ...box.instanceIds]);
    const yUp = segmentScene(joined, { up: [0, 1, 0] });
    expect(yUp.structure[dominant(yUp, labels, 9, 0).proposal]).toBe(StructureKind.Floor);
    const zUp = segmentScene(joined);
    // With z up the same plane is vertical: a wall, if anything.
    expect(zUp.structure[dominant(zUp, labels, 9, 0).proposal]).not.toBe(StructureKind.Floor);
  });

  it('separates two touching boxes of different colour at the fine levels', () => {
    const cloud = new CloudBuilder()
      // Same height and depth, so the tops and fronts are coplanar: only colour tells them apart.
      .box({ min: [0, 0, 0], max: [0.6, 0.6, 0.6], rgb: [200, 40, 40] }, SPACING, 0, ['+x'])
      .box({ min: [0.6, 0, 0], max: [1.0, 0.6, 0.6], rgb: [40, 160, 60] }, SPACING, 1, ['-x'])
      .cloud();
    const seg = segmentScene(cloud);
    expect(segmentationViolations(seg, cloud.positions)).toEqual([]);
    for (let level = 0; level <= 2; level++) {
      for (const label of [0, 1]) {
        const d = dominant(seg, cloud.instanceIds, label, level);
        // The dominant proposal of each box is almost pure (a voxel layer at the seam may mix).
        const size = seg.pointOffsets[d.proposal + 1] - seg.pointOffsets[d.proposal];
        expect(intruders(seg, cloud.instanceIds, d.proposal, label) / size).toBeLessThan(0.05);
      }
    }
    // Separated by colour even when the normals agree: the colour-only level keeps them apart.
    const colourLevel = 3;
    expect(dominant(seg, cloud.instanceIds, 0, colourLevel).proposal).not.toBe(
      dominant(seg, cloud.instanceIds, 1, colourLevel).proposal,
    );
  });

  it('is deterministic', () => {
    const cloud = new CloudBuilder()
      .rectangle(2, 0, [-1, -1], [1, 1], GREY, SPACING, 9)
      .box({ min: [0, 0, 0], max: [0.4, 0.3, 0.2], rgb: [10, 200, 10] }, SPACING, 0)
      .cloud();
    const a = segmentScene(cloud);
    const b = segmentScene(cloud);
    expect(b).toEqual(a);
  });

  it('uses mesh edges when the cloud has faces', () => {
    // Two parallel 1 m sheets 2 cm apart (closer than a voxel neighbourhood): as a point cloud
    // they touch; as two meshes they share no edge, so the fine level keeps them apart.
    const n = 26;
    const xyz: number[] = [];
    const faces: number[] = [];
    for (const [sheet, z] of [0, 0.02].entries()) {
      const base = sheet * n * n;
      for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) xyz.push(i * 0.04, j * 0.04, z);
      for (let j = 0; j + 1 < n; j++)
        for (let i = 0; i + 1 < n; i++) {
          const v = base + j * n + i;
          faces.push(v, v + 1, v + n, v + 1, v + n + 1, v + n);
        }
    }
    const positions = Float32Array.from(xyz);
    const colors = new Uint8Array(positions.length).fill(120);
    const mesh = segmentScene(
      { positions, colors, faces: Uint32Array.from(faces) },
      { voxelSizeM: 0.01 },
    );
    const labels = Int32Array.from({ length: 2 * n * n }, (_, i) => (i < n * n ? 0 : 1));
    expect(segmentationViolations(mesh, positions)).toEqual([]);
    expect(dominant(mesh, labels, 0, 0).proposal).not.toBe(dominant(mesh, labels, 1, 0).proposal);
    const cloud = segmentScene({ positions, colors }, { voxelSizeM: 0.01 });
    expect(dominant(cloud, labels, 0, 0).proposal).toBe(dominant(cloud, labels, 1, 0).proposal);
  });

  it('reports progress and stops when aborted', () => {
    const cloud = new CloudBuilder()
      .box({ min: [0, 0, 0], max: [1, 1, 1], rgb: GREY }, 0.05, 0)
      .cloud();
    const stages: string[] = [];
    segmentScene(cloud, {}, { onProgress: (p) => stages.push(`${p.stage}:${p.done}/${p.total}`) });
    expect(stages[0]).toBe('segment:0/7');
    expect(stages.length).toBe(7);
    const controller = new AbortController();
    controller.abort();
    expect(() => segmentScene(cloud, {}, { signal: controller.signal })).toThrow(/cancelled/);
  });
});

function proposalsOfLabelTotal(
  seg: ReturnType<typeof segmentScene>,
  labels: Int32Array,
  label: number,
) {
  let n = 0;
  for (let i = 0; i < seg.pointCount; i++) if (labels[i] === label) n++;
  return n;
}
