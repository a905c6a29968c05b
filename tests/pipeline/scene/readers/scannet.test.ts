import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../../src/pipeline/errors';
import { MemoryFileSource } from '../../../../src/pipeline/io/memory-file-source';
import { writePly } from '../../../../src/pipeline/scene/readers/ply-writer';
import {
  findScanNetFiles,
  parseAxisAlignment,
  scannetReader,
} from '../../../../src/pipeline/scene/readers/scannet';
import { sensIntrinsicMatrix, writeSens } from '../../../../src/pipeline/scene/readers/sens-writer';

const enc = (s: string) => new TextEncoder().encode(s);
const json = (v: unknown) => enc(JSON.stringify(v));

// Six vertices: segments 10 (v0, v1), 11 (v2), 12 (v3, v4), 13 (v5, unassigned).
const POSITIONS = [0, 0, 0, 1, 2, 3, -1, 0.5, 2, 4, 4, 0, 5, 3, 1, 9, 9, 9];
const SEGS = [10, 10, 11, 12, 12, 13];
// Rotate 90° about z (x → y, y → -x) and lift by 2 m.
const ALIGN = [0, -1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 1];
const aligned = (x: number, y: number, z: number) => [-y + 0, x, z + 2];

function scanNetFolder(options: { sens?: boolean; prefix?: string } = {}) {
  const pre = options.prefix ?? '';
  const cloud = {
    positions: Float32Array.from(POSITIONS),
    colors: new Uint8Array(18).fill(100),
    normals: Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1]),
    faces: Uint32Array.from([0, 1, 2, 3, 4, 5]),
  };
  const files: Record<string, Uint8Array> = {
    [`${pre}scene0001_00_vh_clean_2.ply`]: writePly(cloud),
    [`${pre}scene0001_00_vh_clean_2.labels.ply`]: writePly({
      ...cloud,
      semanticIds: Int32Array.from([5, 5, 3, 7, 7, 0]),
    }),
    [`${pre}scene0001_00_vh_clean_2.0.010000.segs.json`]: json({
      sceneId: 'scene0001_00',
      segIndices: SEGS,
    }),
    [`${pre}scene0001_00.aggregation.json`]: json({
      sceneId: 'scene0001_00',
      segGroups: [
        { id: 0, objectId: 0, label: 'chair', segments: [10, 11] },
        { id: 1, objectId: 1, label: 'table', segments: [12] },
        { id: 2, objectId: 2, label: 'ghost', segments: [99] },
      ],
    }),
    [`${pre}scene0001_00.txt`]: enc(
      `colorHeight = 968\naxisAlignment = ${ALIGN.join(' ')}\nsceneType = Bedroom\n`,
    ),
  };
  if (options.sens) {
    const frame = (k: number) => ({
      color: { width: 4, height: 2, data: new Uint8Array(24).fill(k * 50) },
      depth: new Uint16Array(4).fill(1000 + k),
      cameraToWorld: [1, 0, 0, k, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1],
    });
    files[`${pre}scene0001_00.sens`] = writeSens(
      {
        colorIntrinsics: sensIntrinsicMatrix(4, 4, 1.5, 0.5),
        depthIntrinsics: sensIntrinsicMatrix(2, 2, 0.5, 0.5),
        colorWidth: 4,
        colorHeight: 2,
        depthWidth: 2,
        depthHeight: 2,
        colorCompression: 1,
      },
      [frame(0), { ...frame(1), cameraToWorld: new Array(16).fill(-Infinity) }, frame(2)],
    );
  }
  return new MemoryFileSource(files, 'scans');
}

describe('ScanNet scene folder', () => {
  it('aligns the cloud, labels points and builds GT objects with AABBs and point ids', async () => {
    const src = scanNetFolder({ sens: true, prefix: 'scene0001_00/' });
    const paths = await src.list();
    expect(scannetReader.detect(paths)).toBe(true);
    const scene = await scannetReader.read(src, paths, {});
    expect(scene.name).toBe('scene0001_00');
    expect(scene.format).toBe('scannet');
    const expected: number[] = [];
    for (let i = 0; i < 6; i++)
      expected.push(...aligned(POSITIONS[i * 3], POSITIONS[i * 3 + 1], POSITIONS[i * 3 + 2]));
    expect(Array.from(scene.cloud!.positions)).toEqual(expected);
    // Normal (1,0,0) rotates to (0,1,0).
    expect(Array.from(scene.cloud!.normals!.subarray(0, 3))).toEqual([0, 1, 0]);
    expect(Array.from(scene.cloud!.semanticIds!)).toEqual([5, 5, 3, 7, 7, 0]);
    expect(Array.from(scene.cloud!.instanceIds!)).toEqual([0, 0, 0, 1, 1, -1]);
    expect(scene.objects!.map((o) => [o.id, o.label, Array.from(o.pointIds!)])).toEqual([
      [0, 'chair', [0, 1, 2]],
      [1, 'table', [3, 4]],
    ]);
    // Chair points after alignment: (0,0,2), (-2,1,5), (-0.5,-1,4).
    expect(scene.objects![0].aabb).toEqual({ min: [-2, -1, 2], max: [0, 1, 5] });
    expect(scene.objects![1].aabb).toEqual({ min: [-4, 4, 2], max: [-3, 5, 3] });
    expect(scene.warnings.join('\n')).toMatch(/object 2 \(ghost\) has no points/);

    // Frames: the -inf pose is skipped; poses get the alignment.
    expect(scene.frames.map((f) => f.name)).toEqual(['0', '2']);
    const m = scene.frames[1].cameraToWorld;
    expect([m[3], m[7], m[11]]).toEqual(aligned(2, 0, 1));
    expect((await scene.frames[1].loadColor()).data[0]).toBe(100);
    expect(scene.warnings.join('\n')).toMatch(/skipped 1 of 3 frames/);
  });

  it('reads without a .sens or alignment, and finds the files by name', async () => {
    const src = scanNetFolder();
    const files = findScanNetFiles(await src.list())!;
    expect(files.sens).toBeUndefined();
    expect(files.aggregation).toBe('scene0001_00.aggregation.json');
    const noAlign = new Map(
      (await src.list())
        .filter((p) => !p.endsWith('.txt'))
        .map((p) => [p, null as unknown as Uint8Array]),
    );
    expect(findScanNetFiles([...noAlign.keys()])!.meta).toBeUndefined();
    const scene = await scannetReader.read(src, await src.list(), {});
    expect(scene.frames).toEqual([]);
    expect(scene.objects).toHaveLength(2);
  });

  it('does not claim folders of other formats', () => {
    expect(scannetReader.detect(['room.ply', 'rgb.txt', 'depth.txt'])).toBe(false);
    expect(scannetReader.detect(['a.sens'])).toBe(false);
    expect(scannetReader.detect(['a.sens', 'a.txt'])).toBe(true);
  });

  it('reports bad alignment and mismatched segments as ParseErrors naming the file', async () => {
    expect(() => parseAxisAlignment('x = 1\naxisAlignment = 1 2 3\n', 's.txt')).toThrow(
      /s\.txt line 2/,
    );
    const src = scanNetFolder();
    const files = new Map<string, Uint8Array>();
    for (const p of await src.list()) files.set(p, await src.read(p));
    files.set('scene0001_00_vh_clean_2.0.010000.segs.json', json({ segIndices: [1, 2] }));
    const bad = new MemoryFileSource(files, 'scans');
    await expect(scannetReader.read(bad, await bad.list(), {})).rejects.toThrow(
      /segs\.json: segIndices has 2 entries, the mesh has 6 vertices/,
    );
    files.set('scene0001_00_vh_clean_2.0.010000.segs.json', enc('{"segIndices": [1,'));
    await expect(scannetReader.read(bad, await bad.list(), {})).rejects.toBeInstanceOf(ParseError);
  });
});
