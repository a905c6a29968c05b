import { describe, expect, it } from 'vitest';
import { MemoryFileSource } from '../../../../src/pipeline/io/memory-file-source';
import { ParseError } from '../../../../src/pipeline/errors';
import { openScene } from '../../../../src/pipeline/scene/open-scene';
import {
  parseGaussianSplatPly,
  shDcToByte,
} from '../../../../src/pipeline/scene/readers/gaussian-splat';
import { parseSplat } from '../../../../src/pipeline/scene/readers/splat';
import { gaussianSplatPly, roomSplats, splatFile, type Splat } from './cloud-files';

function expectCloud(cloud: { positions: Float32Array; colors: Uint8Array }, kept: Splat[]) {
  expect(cloud.positions.length).toBe(kept.length * 3);
  kept.forEach((s, i) => {
    for (let c = 0; c < 3; c++) {
      expect(cloud.positions[i * 3 + c]).toBeCloseTo(s.position[c], 6);
      expect(Math.abs(cloud.colors[i * 3 + c] - s.rgb[c] * 255)).toBeLessThanOrEqual(0.5 + 1e-6);
    }
  });
}

describe('Gaussian-splat readers', () => {
  const splats = roomSplats();
  const opaque = splats.filter((s) => s.opacity >= 0.1);

  it('SH DC colour: 0.5 + 0.28209479·f_dc, clamped (hand-computed)', () => {
    expect(shDcToByte(0)).toBe(128); // 0.5·255 = 127.5 → 128
    expect(shDcToByte(1)).toBe(Math.round((0.5 + 0.28209479) * 255)); // 199
    expect(shDcToByte(10)).toBe(255);
    expect(shDcToByte(-10)).toBe(0);
  });

  for (const format of ['binary_little_endian', 'ascii'] as const) {
    it(`3DGS .ply (${format}) through openScene: centres, colours, opacity filter`, async () => {
      const scene = await openScene(
        new MemoryFileSource({ 'point_cloud.ply': gaussianSplatPly(splats, format) }, 'gs'),
      );
      expect(scene.format).toBe('gaussian-splat');
      expectCloud(scene.cloud!, opaque);
      expect(scene.warnings.join(' ')).toContain(`1 of ${splats.length} splats`);
    });
  }

  it('a threshold keeps only what is opaque enough', () => {
    const { kept } = parseGaussianSplatPly(gaussianSplatPly(splats), 'g.ply', 0.7);
    expect(kept).toBe(splats.filter((s) => s.opacity >= 0.7).length);
  });

  it('.splat through openScene', async () => {
    const scene = await openScene(new MemoryFileSource({ 'room.splat': splatFile(splats) }, 's'));
    expect(scene.format).toBe('splat');
    expectCloud(scene.cloud!, opaque);
  });

  it('.splat whose size is not a multiple of 32 names the file and offset', () => {
    const bytes = splatFile(splats).subarray(0, 32 * 3 + 5);
    expect(() => parseSplat(bytes, 'x.splat')).toThrow(ParseError);
    expect(() => parseSplat(bytes, 'x.splat')).toThrow(/x\.splat @ byte 96|x\.splat.*96/);
  });
});
