import { describe, expect, it } from 'vitest';
import { BudgetError, MissingFileError, ParseError } from '../../../../src/pipeline/errors';
import { MemoryFileSource } from '../../../../src/pipeline/io/memory-file-source';
import { bundleReader, readSceneBundle } from '../../../../src/pipeline/scene/bundle/bundle-reader';
import { writeSceneBundle } from '../../../../src/pipeline/scene/bundle/bundle-writer';
import type { DepthImage, RgbdFrame, RgbImage, Scene } from '../../../../src/pipeline/scene/types';

/** A small deterministic scene using every field of the model. */
function syntheticScene(frameCount = 3, width = 8, height = 6): Scene {
  let s = 42;
  const rnd = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const n = 50;
  const cloud = {
    positions: new Float32Array(n * 3).map(() => rnd() * 4 - 2),
    colors: new Uint8Array(n * 3).map(() => Math.floor(rnd() * 256)),
    normals: new Float32Array(n * 3).map(() => rnd() * 2 - 1),
    semanticIds: new Int32Array(n).map(() => Math.floor(rnd() * 20)),
    instanceIds: new Int32Array(n).map(() => Math.floor(rnd() * 5) - 1),
    faces: new Uint32Array([0, 1, 2, 3, 4, 5]),
  };
  const frames: RgbdFrame[] = [];
  for (let k = 0; k < frameCount; k++) {
    const color: RgbImage = {
      width,
      height,
      data: new Uint8Array(width * height * 3).map(() => Math.floor(rnd() * 256)),
    };
    const depth: DepthImage = {
      width: width / 2,
      height: height / 2,
      data: new Uint16Array((width / 2) * (height / 2)).map(() => Math.floor(rnd() * 65536)),
      depthScale: 1000 + k,
      invalidValues: k === 1 ? [0, 65535] : [0],
    };
    const instances = new Int32Array(width * height).map(() => Math.floor(rnd() * 7) - 1);
    const pose = new Float64Array(16).map(() => rnd() * 2 - 1 + 1e-9 * rnd());
    const frame: RgbdFrame = {
      index: k,
      name: `view ${k}`,
      intrinsics: {
        fx: 500.5,
        fy: 501.25,
        cx: width / 2 - 0.5,
        cy: height / 2 - 0.5,
        width,
        height,
      },
      depthIntrinsics: { fx: 250, fy: 250.5, cx: 1.5, cy: 1, width: width / 2, height: height / 2 },
      cameraToWorld: pose,
      loadColor: async () => color,
      loadDepth: async () => depth,
    };
    if (k !== 2) frame.timestamp = 1.5 + k / 30;
    if (k !== 1) frame.loadInstances = async () => instances;
    frames.push(frame);
  }
  return {
    name: 'synthetic <room> "1"',
    format: 'scannet',
    cloud,
    frames,
    objects: [
      {
        id: 3,
        label: 'chair',
        colorName: 'red',
        aabb: { min: [-1, -0.5, 0], max: [0.25, 1e-7, 2] },
      },
      {
        id: -1,
        label: 'table',
        aabb: { min: [0, 0, 0], max: [1, 1, 1] },
        pointIds: new Uint32Array([0, 7, 49]),
      },
    ],
    warnings: ['a warning', 'ünïcödé ✓'],
  };
}

async function expectSameScene(a: Scene, b: Scene) {
  expect(b.name).toBe(a.name);
  expect(b.format).toBe('bundle');
  expect(b.warnings).toEqual(a.warnings);
  expect(b.cloud).toEqual(a.cloud);
  expect(b.objects).toEqual(a.objects);
  expect(b.frames.length).toBe(a.frames.length);
  for (let k = 0; k < a.frames.length; k++) {
    const fa = a.frames[k];
    const fb = b.frames[k];
    expect(fb.index).toBe(fa.index);
    expect(fb.name).toBe(fa.name);
    expect(fb.intrinsics).toEqual(fa.intrinsics);
    expect(fb.depthIntrinsics).toEqual(fa.depthIntrinsics);
    expect(fb.cameraToWorld).toEqual(fa.cameraToWorld);
    expect(fb.timestamp).toBe(fa.timestamp);
    expect(await fb.loadColor()).toEqual(await fa.loadColor());
    expect(await fb.loadDepth()).toEqual(await fa.loadDepth());
    expect(Boolean(fb.loadInstances)).toBe(Boolean(fa.loadInstances));
    if (fa.loadInstances) expect(await fb.loadInstances!()).toEqual(await fa.loadInstances());
  }
}

describe('scene bundle', () => {
  it('round-trips every field of the scene model exactly', async () => {
    const scene = syntheticScene();
    const files = await writeSceneBundle(scene);
    expect([...files.keys()].sort()).toEqual(
      [
        'scene.json',
        'cloud.ply',
        'frames/000000.color.png',
        'frames/000000.depth.png',
        'frames/000000.instances.bin',
        'frames/000001.color.png',
        'frames/000001.depth.png',
        'frames/000002.color.png',
        'frames/000002.depth.png',
        'frames/000002.instances.bin',
        'objects/000001.points.bin',
      ].sort(),
    );
    const source = new MemoryFileSource(files, 'bundle');
    expect(bundleReader.detect(await source.list())).toBe(true);
    await expectSameScene(scene, await bundleReader.read(source, await source.list(), {}));
  });

  it('reads a bundle inside a subfolder (a dropped folder) and a cloud-only bundle', async () => {
    const scene = syntheticScene(1);
    const files = await writeSceneBundle(scene);
    const nested = new Map([...files].map(([p, b]) => [`my-scan/${p}`, b]));
    const source = new MemoryFileSource(nested, 'drop');
    await expectSameScene(scene, await bundleReader.read(source, await source.list(), {}));

    const strided = await readSceneBundle(
      new MemoryFileSource(await writeSceneBundle(syntheticScene(5), { frameStride: 2 })),
    );
    expect(strided.frames.map((f) => f.name)).toEqual(['view 0', 'view 2', 'view 4']);

    const cloudOnly = await writeSceneBundle(scene, { skipFrames: true });
    const back = await readSceneBundle(new MemoryFileSource(cloudOnly));
    expect(back.frames).toEqual([]);
    expect(back.cloud).toEqual(scene.cloud);
  });

  it('reports a broken manifest with the field and file', async () => {
    const files = await writeSceneBundle(syntheticScene(1));
    const manifest = JSON.parse(new TextDecoder().decode(files.get('scene.json')));
    const bad = (mutate: (m: Record<string, unknown>) => void) => {
      const m = structuredClone(manifest);
      mutate(m);
      const copy = new Map(files);
      copy.set('scene.json', new TextEncoder().encode(JSON.stringify(m)));
      return readSceneBundle(new MemoryFileSource(copy, 'b'));
    };
    await expect(
      bad((m) => ((m.frames as { cameraToWorld: unknown }[])[0].cameraToWorld = [1, 2])),
    ).rejects.toThrow(/b\/scene\.json: frames\[0\]\.cameraToWorld: expected 16 numbers/);
    await expect(
      bad((m) => ((m.frames as { color: string }[])[0].color = '../etc/passwd')),
    ).rejects.toThrow(/relative path inside the bundle/);
    await expect(bad((m) => (m.version = 99))).rejects.toThrow(/newer than this reader/);
    await expect(bad((m) => ((m.cloud as { pointCount: number }).pointCount = 3))).rejects.toThrow(
      /has 50 points/,
    );
    const garbled = new Map(files);
    garbled.set('scene.json', new TextEncoder().encode('{"format": '));
    await expect(readSceneBundle(new MemoryFileSource(garbled, 'b'))).rejects.toBeInstanceOf(
      ParseError,
    );
  });

  it('rejects an instance map of the wrong length', async () => {
    const files = await writeSceneBundle(syntheticScene(1));
    const { zlibSync } = await import('fflate');
    files.set('frames/000000.instances.bin', zlibSync(new Uint8Array(8 * 6 * 4 + 8)));
    const scene = await readSceneBundle(new MemoryFileSource(files, 'b'));
    await expect(scene.frames[0].loadInstances!()).rejects.toThrow(/instance map has/);
  });

  it('names a missing file referenced by the manifest', async () => {
    const files = await writeSceneBundle(syntheticScene(1));
    files.delete('frames/000000.depth.png');
    const scene = await readSceneBundle(new MemoryFileSource(files, 'b'));
    await expect(scene.frames[0].loadDepth()).rejects.toThrow(MissingFileError);
    await expect(scene.frames[0].loadDepth()).rejects.toThrow(/b\/frames\/000000\.depth\.png/);
    files.delete('cloud.ply');
    await expect(readSceneBundle(new MemoryFileSource(files, 'b'))).rejects.toThrow(
      /b\/cloud\.ply: file not found/,
    );
  });

  it('refuses manifest image sizes above the pixel budget before any map is allocated', async () => {
    const files = await writeSceneBundle(syntheticScene(1));
    const manifest = JSON.parse(new TextDecoder().decode(files.get('scene.json')));
    manifest.frames[0].intrinsics.width = 30000;
    manifest.frames[0].intrinsics.height = 30000;
    files.set('scene.json', new TextEncoder().encode(JSON.stringify(manifest)));
    const err = await readSceneBundle(new MemoryFileSource(files, 'b')).catch((e) => e);
    expect(err).toBeInstanceOf(BudgetError);
    expect(err.message).toMatch(/^b\/scene\.json: frames\[0\]\.intrinsics 30000x30000/);
  });

  it('refuses an instance map whose zlib checksum is wrong', async () => {
    const files = await writeSceneBundle(syntheticScene(1));
    const map = files.get('frames/000000.instances.bin')!.slice();
    map[map.length - 2] ^= 0x10;
    files.set('frames/000000.instances.bin', map);
    const scene = await readSceneBundle(new MemoryFileSource(files, 'b'));
    await expect(scene.frames[0].loadInstances!()).rejects.toThrow(
      new RegExp(
        `instances\\.bin at byte ${map.length - 4}: instance map: corrupt zlib data: Adler-32`,
      ),
    );
  });

  it('turns deeply nested or broken manifests into ParseErrors with line and column', async () => {
    const files = await writeSceneBundle(syntheticScene(1));
    files.set('scene.json', new TextEncoder().encode('{"a":' + '['.repeat(100_000)));
    const deep = await readSceneBundle(new MemoryFileSource(files, 'b')).catch((e) => e);
    expect(deep).toBeInstanceOf(ParseError);
    expect(deep.message).toMatch(/b\/scene\.json line 1 column \d+: invalid JSON: nesting deeper/);
    files.set('scene.json', new TextEncoder().encode('{\n"format": "x",\n"name": nope}'));
    const broken = await readSceneBundle(new MemoryFileSource(files, 'b')).catch((e) => e);
    expect(broken.location).toEqual({ file: 'b/scene.json', line: 3, column: 9 });
  });
});
