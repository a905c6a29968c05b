/**
 * The session without a model (unit tier): built-in scenes, the cloud view, a failed open
 * keeping the scene, the defaults. Extraction, queries, exports and jobs, which run the ONNX
 * encoder, are in pipeline-session.integration.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { NodeFileSource } from '../../../src/hosts/node/node-file-source';
import { FEATURE_DEFAULTS, QUERY_DEFAULTS } from '../../../src/pipeline/defaults';
import { UnsupportedError } from '../../../src/pipeline/errors';
import { boxIoU } from '../../../src/pipeline/query/iou';
import { MemoryFileSource } from '../../../src/pipeline/io/memory-file-source';
import { PipelineSession, type BuiltInScene } from '../../../src/pipeline/session/pipeline-session';
import { generatedDemoRoomDir, generatedDemoRoomLayout } from '../../demo-room/generated-demo-room';

const demoRoom: BuiltInScene = {
  id: 'demo-room',
  name: 'Demo room',
  description: 'the generated bundle',
  source: () => NodeFileSource.open(generatedDemoRoomDir()),
};

describe('PipelineSession: scenes', () => {
  it('lists and opens the built-in bundle; the cloud view respects the budget', async () => {
    const session = new PipelineSession({ builtInScenes: [demoRoom] });
    expect(session.listScenes()).toEqual([
      { id: 'demo-room', name: 'Demo room', description: 'the generated bundle' },
    ]);
    const summary = await session.openBuiltInScene('demo-room');
    const layout = generatedDemoRoomLayout();
    expect(summary.id).toBe('demo-room');
    expect(summary.frames).toHaveLength(24);
    expect(summary.objects.map((o) => o.colorName).sort()).toEqual(
      layout.objects.map((o) => o.colorName).sort(),
    );
    expect(summary.up).toEqual([0, 0, 1]);
    const total = session.scene!.cloud!.positions.length / 3;
    const view = session.viewCloud(20_000);
    expect(view.totalCount).toBe(total);
    expect(view.positions.length / 3).toBeLessThanOrEqual(20_000);
    expect(view.positions.length / 3).toBeGreaterThan(1_000);
    expect(view.colors.length).toBe(view.positions.length);
    expect(view.instanceIds?.length).toBe(view.positions.length / 3);
    // A budget above the cloud shows every point, at full resolution.
    const full = session.viewCloud(total + 1);
    expect({ n: full.positions.length / 3, voxel: full.voxelSize }).toEqual({ n: total, voxel: 0 });
  });

  it('keeps the open scene when a built-in is unknown or a folder cannot be read', async () => {
    const session = new PipelineSession({ builtInScenes: [demoRoom] });
    await session.openBuiltInScene('demo-room');
    const before = session.scene;
    await expect(session.openBuiltInScene('nope')).rejects.toBeInstanceOf(UnsupportedError);
    const garbage = new MemoryFileSource(
      new Map([['cloud.ply', new TextEncoder().encode('ply\nformat ascii 1.0\nelement vertex 9')]]),
      'broken',
    );
    await expect(session.openSource(garbage)).rejects.toThrow(/cloud\.ply/);
    expect(session.scene).toBe(before);
  });

  it('serves the documented defaults', () => {
    const d = new PipelineSession().getDefaults();
    expect(d.extract.frameStride).toBe(FEATURE_DEFAULTS.frameStride);
    expect(d.extract.cropScales).toEqual([...FEATURE_DEFAULTS.cropScales]);
    expect(d.extract.presets.standard.cropScales).toEqual(d.extract.cropScales);
    expect(d.query.negatives).toEqual([...QUERY_DEFAULTS.negatives]);
    expect(d.query.topK).toBe(QUERY_DEFAULTS.topK);
    expect(d.export.peWeight).toBe(FEATURE_DEFAULTS.peWeight);
    // Plain data: a structured clone gives the same object.
    expect(structuredClone(d)).toEqual(d);
  });
});

describe('PipelineSession: objects', () => {
  it('segments once, lists the proposal tree, and colours displayed points by segment', async () => {
    const session = new PipelineSession({ builtInScenes: [demoRoom] });
    await session.openBuiltInScene('demo-room');
    expect(() => session.segmentIds(0)).toThrow(UnsupportedError);
    const progress: string[] = [];
    const first = await session.objects((p) => progress.push(p.stage));
    expect(progress).toContain('segment');
    expect(first.seconds).toBeGreaterThan(0);
    expect(first.objects.length).toBeGreaterThan(20);
    expect(first.objectLevel).toBe(first.levelCount - 2);
    const again = await session.objects();
    expect(again.seconds).toBe(0);
    expect(again.objects).toEqual(first.objects);
    const scene = session.scene!;
    // Every GT object has an object (not structure) box with IoU ≥ 0.5.
    for (const gt of scene.objects!) {
      const best = Math.max(
        ...first.objects.filter((o) => !o.structure).map((o) => boxIoU(o, gt.aabb)),
      );
      expect(best, gt.label).toBeGreaterThanOrEqual(0.5);
    }
    const view = session.viewCloud(20_000);
    const ids = session.segmentIds(first.objectLevel);
    expect(ids.length).toBe(view.positions.length / 3);
    for (const id of ids) {
      if (id >= 0) expect(first.objects[id].level).toBe(first.objectLevel);
    }
    expect(() => session.segmentIds(first.levelCount)).toThrow(/does not exist/);
  });

  it('grounds an external heatmap: the GT points of the sofa, and says when it is flat', async () => {
    const session = new PipelineSession({ builtInScenes: [demoRoom] });
    await session.openBuiltInScene('demo-room');
    const cloud = session.scene!.cloud!;
    const sofa = session.scene!.objects!.find((o) => o.colorName === 'red')!;
    const scores = Float32Array.from(cloud.instanceIds!, (id) => (id === sofa.id ? 1 : 0));
    const reply = await session.groundScores({ scores, label: 'sofa points' });
    expect(reply.text).toBe('sofa points');
    expect(reply.confident).toBe(true);
    expect(reply.boxes).toHaveLength(1);
    expect(boxIoU(reply.boxes[0], sofa.aabb)).toBeGreaterThan(0.9);
    expect(reply.boxes[0].tokens).toMatch(/^(<loc\d+>){6}$/);
    expect(reply.boxes[0].objectId).toBeGreaterThanOrEqual(0);
    const flat = await session.groundScores({ scores: new Float32Array(scores.length) });
    expect(flat).toMatchObject({ confident: false, boxes: [] });
    await expect(session.groundScores({ scores: new Float32Array(5) })).rejects.toThrow(
      /one float32 per point/,
    );
  });
});
