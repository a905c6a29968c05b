import { describe, expect, it } from 'vitest';
import type { Scene } from '../../../src/pipeline/scene/types';
import { SESSION_LIMITS } from '../../../src/pipeline/defaults';
import { inferUp, summarizeScene } from '../../../src/pipeline/session/scene-summary';

function frameWithPose(m: number[]) {
  return {
    index: 0,
    name: 'f',
    intrinsics: { fx: 1, fy: 1, cx: 0, cy: 0, width: 2, height: 2 },
    depthIntrinsics: { fx: 1, fy: 1, cx: 0, cy: 0, width: 2, height: 2 },
    cameraToWorld: new Float64Array(m),
    loadColor: async () => ({ width: 0, height: 0, data: new Uint8Array(0) }),
    loadDepth: async () => ({
      width: 0,
      height: 0,
      data: new Uint16Array(0),
      depthScale: 1000,
      invalidValues: [0],
    }),
  };
}

describe('world up', () => {
  it('is minus the camera y axis for level cameras (identity pose: OpenCV y down → up = -y)', () => {
    const scene: Scene = {
      name: 's',
      format: 'redwood',
      frames: [frameWithPose([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])],
      warnings: [],
    };
    expect(inferUp(scene)).toEqual([0, -1, 0]);
  });

  it('is +z for a camera looking along +x with image y pointing down -z (z-up world)', () => {
    // Columns: camera x → world -y, camera y → world -z, camera z → world +x.
    const m = [0, 0, 1, 0, -1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0, 1];
    const scene: Scene = { name: 's', format: 'scannet', frames: [frameWithPose(m)], warnings: [] };
    expect(inferUp(scene)).toEqual([0, 0, 1]);
  });

  it('without frames, is the axis of least extent of the cloud', () => {
    const positions = new Float32Array([0, 0, 0, 4, 0.5, 3, 2, 0.2, 1]);
    const scene: Scene = {
      name: 's',
      format: 'ply',
      frames: [],
      cloud: { positions, colors: new Uint8Array(9) },
      warnings: [],
    };
    expect(inferUp(scene)).toEqual([0, 1, 0]);
  });
});

describe('summarizeScene', () => {
  it('sends the first warnings and a count of the rest, leaving the scene’s own list whole', async () => {
    const warnings = Array.from({ length: 1_000 }, (_, i) => `frame ${i}: pose skipped`);
    const scene: Scene = {
      name: 'many-warnings',
      format: 'ply',
      cloud: { positions: Float32Array.from([0, 0, 0, 1, 1, 1]), colors: new Uint8Array(6) },
      frames: [],
      warnings,
    };
    const { info } = await summarizeScene('s', scene);
    const limit = SESSION_LIMITS.listItems;
    expect(info.warnings).toHaveLength(limit + 1);
    expect(info.warnings.slice(0, limit)).toEqual(warnings.slice(0, limit));
    expect(info.warnings[limit]).toBe(`${1_000 - limit} more warnings not shown`);
    expect(scene.warnings).toHaveLength(1_000);
  });
});
