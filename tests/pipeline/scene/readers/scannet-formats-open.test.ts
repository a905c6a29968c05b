/**
 * openScene picks the right reader for PLY, .sens, ScanNet folders and bundles, from real files
 * on disk (NodeFileSource), and a bundle written to disk reads back the same.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeFileSource } from '../../../../src/hosts/node/node-file-source';
import { writeSceneBundle } from '../../../../src/pipeline/scene/bundle/bundle-writer';
import { writeFiles } from '../../../../src/hosts/node/write-files';
import { openScene } from '../../../../src/pipeline/scene/open-scene';
import { writePly } from '../../../../src/pipeline/scene/readers/ply-writer';
import { sensIntrinsicMatrix, writeSens } from '../../../../src/pipeline/scene/readers/sens-writer';

let dir: string;

const sensBytes = () =>
  writeSens(
    {
      colorIntrinsics: sensIntrinsicMatrix(4, 4, 1.5, 0.5),
      depthIntrinsics: sensIntrinsicMatrix(4, 4, 1.5, 0.5),
      colorWidth: 4,
      colorHeight: 2,
      depthWidth: 4,
      depthHeight: 2,
      colorCompression: 1,
    },
    [
      {
        color: { width: 4, height: 2, data: new Uint8Array(24).fill(9) },
        depth: new Uint16Array(8).fill(1500),
        cameraToWorld: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
      },
    ],
  );

const cloud = () => ({
  positions: Float32Array.from([0, 0, 0, 1, 1, 1]),
  colors: new Uint8Array(6).fill(50),
});

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'h2-open-'));
  const put = async (rel: string, bytes: Uint8Array | string) => {
    await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fs.writeFile(path.join(dir, rel), bytes);
  };
  await put('plyonly/mesh.ply', writePly(cloud()));
  await put('sensonly/capture.sens', sensBytes());
  await put('scannet/scene0002_00_vh_clean_2.ply', writePly(cloud()));
  await put('scannet/scene0002_00.sens', sensBytes());
  await put('scannet/scene0002_00.txt', 'axisAlignment = 1 0 0 0 0 1 0 0 0 0 1 1 0 0 0 1\n');
  const scene = await openScene(await NodeFileSource.open(path.join(dir, 'scannet')));
  await writeFiles(path.join(dir, 'bundle'), await writeSceneBundle(scene));
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('openScene with the H2 readers', () => {
  it('detects a lone PLY file and a lone .sens file', async () => {
    const ply = await openScene(await NodeFileSource.open(path.join(dir, 'plyonly/mesh.ply')));
    expect(ply.format).toBe('ply');
    expect(ply.cloud!.positions.length).toBe(6);
    const sens = await openScene(await NodeFileSource.open(path.join(dir, 'sensonly')));
    expect(sens.format).toBe('sens');
    expect((await sens.frames[0].loadDepth()).data[0]).toBe(1500);
  });

  it('prefers the ScanNet reader for a folder with a mesh, a .sens and the scene .txt', async () => {
    const scene = await openScene(await NodeFileSource.open(path.join(dir, 'scannet')));
    expect(scene.format).toBe('scannet');
    expect(Array.from(scene.cloud!.positions)).toEqual([0, 0, 1, 1, 1, 2]);
    expect(scene.frames).toHaveLength(1);
    expect(scene.frames[0].cameraToWorld[11]).toBe(1);
  });

  it('reads back a bundle written to disk, before any other format', async () => {
    const original = await openScene(await NodeFileSource.open(path.join(dir, 'scannet')));
    // Put a stray PLY next to the bundle: the manifest still wins.
    await fs.writeFile(path.join(dir, 'bundle', 'extra.ply'), writePly(cloud()));
    const back = await openScene(await NodeFileSource.open(path.join(dir, 'bundle')));
    expect(back.format).toBe('bundle');
    expect(back.cloud).toEqual(original.cloud);
    expect(back.frames[0].cameraToWorld).toEqual(original.frames[0].cameraToWorld);
    expect(await back.frames[0].loadColor()).toEqual(await original.frames[0].loadColor());
    expect(await back.frames[0].loadDepth()).toEqual(await original.frames[0].loadDepth());
  });
});
