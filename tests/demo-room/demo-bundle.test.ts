import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDemoRoom } from '../../src/demo-room/demo-room';
import { MemoryFileSource } from '../../src/pipeline/io/memory-file-source';
import { NodeFileSource } from '../../src/hosts/node/node-file-source';
import { writeSceneBundle } from '../../src/pipeline/scene/bundle/bundle-writer';
import { openScene } from '../../src/pipeline/scene/open-scene';
import { recordedStampHash, writeDemoRoomBundle } from '../../scenes/generate';

const small = {
  width: 64,
  height: 48,
  views: 4,
  objectPointSpacing: 0.03,
  shellPointSpacing: 0.06,
};

describe('demo room as a scene bundle', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'demo-room-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('round-trips through writeSceneBundle and openScene without loss', async () => {
    const scene = generateDemoRoom(small);
    const files = await writeSceneBundle(scene);
    const back = await openScene(new MemoryFileSource(files, 'demo-room'));
    expect(back.frames).toHaveLength(scene.frames.length);
    expect(back.cloud!.positions).toEqual(scene.cloud!.positions);
    expect(back.cloud!.colors).toEqual(scene.cloud!.colors);
    expect(back.cloud!.normals).toEqual(scene.cloud!.normals);
    expect(back.cloud!.instanceIds).toEqual(scene.cloud!.instanceIds);
    expect(back.objects!.map((o) => [o.id, o.label, o.colorName, o.aabb])).toEqual(
      scene.objects!.map((o) => [o.id, o.label, o.colorName, o.aabb]),
    );
    for (let k = 0; k < scene.frames.length; k++) {
      const [a, b] = [scene.frames[k], back.frames[k]];
      expect(Array.from(b.cameraToWorld)).toEqual(Array.from(a.cameraToWorld));
      expect(b.intrinsics).toEqual(a.intrinsics);
      expect((await b.loadColor()).data).toEqual((await a.loadColor()).data);
      expect((await b.loadDepth()).data).toEqual((await a.loadDepth()).data);
      expect(await b.loadInstances!()).toEqual(await a.loadInstances!());
    }
  });

  it('writeDemoRoomBundle writes a bundle, records its generator hash, and skips an up-to-date one', async () => {
    const out = path.join(tmp, 'room');
    const options = { views: 3, width: 48, height: 36 };
    // The same function `npm run scenes` calls (its command line: demo-bundle.integration.test.ts).
    const written = await writeDemoRoomBundle({ outDir: out, options });
    expect(written.wrote).toBe(true);
    expect(written.room!.scene.frames).toHaveLength(3);
    expect(recordedStampHash(out)).toBe(written.stamp.hash);
    expect((await writeDemoRoomBundle({ outDir: out, options })).wrote).toBe(false);

    // Coarse point spacings (not on the command line) keep the in-process builds quick.
    const coarse = { ...options, objectPointSpacing: 0.05, shellPointSpacing: 0.1 };
    const first = await writeDemoRoomBundle({ outDir: out, options: coarse });
    expect(first.wrote).toBe(true);
    const manifest = JSON.parse(readFileSync(path.join(out, 'scene.json'), 'utf8'));
    expect(manifest.generator.hash).toBe(first.stamp.hash);
    expect(manifest.generator.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(manifest.generator.options).toMatchObject(coarse);
    expect(manifest.frames).toHaveLength(3);
    expect(JSON.parse(readFileSync(path.join(out, 'queries.json'), 'utf8')).queries).toHaveLength(
      10,
    );
    expect((await writeDemoRoomBundle({ outDir: out, options: coarse })).wrote).toBe(false);
    const forced = await writeDemoRoomBundle({ outDir: out, options: coarse, force: true });
    expect(forced.wrote).toBe(true);
    const other = await writeDemoRoomBundle({ outDir: out, options: { ...coarse, views: 4 } });
    expect(other.wrote).toBe(true); // other options → other hash
    expect(other.stamp.hash).not.toBe(first.stamp.hash);
    expect(recordedStampHash(out)).toBe(other.stamp.hash);
  });

  it('the written folder opens through the ordinary Node file source', async () => {
    const scene = await openScene(await NodeFileSource.open(path.join(tmp, 'room')));
    expect(scene.name).toBe('demo-room');
    expect(scene.frames).toHaveLength(4);
    expect(scene.objects).toHaveLength(10);
  });
});
