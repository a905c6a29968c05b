/**
 * The session without a model (unit tier): built-in scenes, the cloud view, a failed open
 * keeping the scene, the defaults. Extraction, queries, exports and jobs, which run the ONNX
 * encoder, are in pipeline-session.integration.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { NodeFileSource } from '../../../src/hosts/node/node-file-source';
import { FEATURE_DEFAULTS, QUERY_DEFAULTS } from '../../../src/pipeline/defaults';
import { UnsupportedError } from '../../../src/pipeline/errors';
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
