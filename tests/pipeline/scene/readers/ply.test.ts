import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../../src/pipeline/errors';
import { MemoryFileSource } from '../../../../src/pipeline/io/memory-file-source';
import { parsePly, plyReader } from '../../../../src/pipeline/scene/readers/ply';
import { writePly } from '../../../../src/pipeline/scene/readers/ply-writer';
import type { PointCloud } from '../../../../src/pipeline/scene/types';

const enc = (s: string) => new TextEncoder().encode(s);

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function randomCloud(n: number, seed = 1): PointCloud {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const positions = new Float32Array(n * 3).map(() => (rnd() - 0.5) * 10);
  const normals = new Float32Array(n * 3).map(() => rnd() * 2 - 1);
  const colors = new Uint8Array(n * 3).map(() => Math.floor(rnd() * 256));
  const semanticIds = new Int32Array(n).map(() => Math.floor(rnd() * 40));
  const instanceIds = new Int32Array(n).map(() => Math.floor(rnd() * 10) - 1);
  const faces = new Uint32Array(Math.floor(n / 2) * 3).map(() => Math.floor(rnd() * n));
  return { positions, normals, colors, semanticIds, instanceIds, faces };
}

describe('PLY reader', () => {
  it('reads a hand-written ascii file with a quad, float colours and an unknown element', () => {
    const text = [
      'ply',
      'format ascii 1.0',
      'comment made by hand',
      'element vertex 4',
      'property float x',
      'property float y',
      'property float z',
      'property float diffuse_red',
      'property float diffuse_green',
      'property float diffuse_blue',
      'property uchar alpha',
      'element camera 1',
      'property list uchar float params',
      'property int id',
      'element face 1',
      'property list uchar int vertex_index',
      'end_header',
      '0 0 0 1 0 0 255',
      '1 0 0 0 1 0 255',
      '1 1 0 0 0 1.0 128',
      '0 1 0.5 0.5 0.5 0.5 0',
      '3 1.5 2.5 3.5 7',
      '4 0 1 2 3',
      '',
    ].join('\n');
    const ply = parsePly(enc(text), 'hand.ply');
    expect(Array.from(ply.cloud.positions)).toEqual([0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0.5]);
    // 0.5*255 = 127.5 rounds to 128.
    expect(Array.from(ply.cloud.colors)).toEqual([255, 0, 0, 0, 255, 0, 0, 0, 255, 128, 128, 128]);
    // A quad becomes the fan (0,1,2), (0,2,3).
    expect(Array.from(ply.cloud.faces!)).toEqual([0, 1, 2, 0, 2, 3]);
    expect(Array.from(ply.extraVertexProperties.alpha.values)).toEqual([255, 255, 128, 0]);
    expect(ply.skippedElements).toEqual(['camera']);
    expect(ply.header.comments).toEqual(['made by hand']);
  });

  for (const format of ['binary_little_endian', 'binary_big_endian', 'ascii'] as const) {
    it(`round-trips every attribute through ${format}`, () => {
      const cloud = randomCloud(257, 7);
      const ply = parsePly(writePly(cloud, { format }), `rt.${format}.ply`);
      expect(ply.cloud.positions).toEqual(cloud.positions);
      expect(ply.cloud.normals).toEqual(cloud.normals);
      expect(ply.cloud.colors).toEqual(cloud.colors);
      expect(ply.cloud.semanticIds).toEqual(cloud.semanticIds);
      expect(ply.cloud.instanceIds).toEqual(cloud.instanceIds);
      expect(ply.cloud.faces).toEqual(cloud.faces);
      expect(ply.hasColors).toBe(true);
    });
  }

  it('reads big-endian doubles, ushort colours and a ScanNet-style label and objectId', () => {
    const header = enc(
      [
        'ply',
        'format binary_big_endian 1.0',
        'element vertex 2',
        'property double x',
        'property double y',
        'property double z',
        'property ushort red',
        'property ushort green',
        'property ushort blue',
        'property ushort label',
        'property int objectId',
        'end_header\n',
      ].join('\n'),
    );
    const body = new Uint8Array(2 * (24 + 8 + 4));
    const v = new DataView(body.buffer);
    const rows = [
      [1.25, -2.5, 3e-3, 65535, 0, 257, 5, 7],
      [-1, 0, 1e6, 32768, 514, 65535, 40, -1],
    ];
    let o = 0;
    for (const r of rows) {
      for (let k = 0; k < 3; k++, o += 8) v.setFloat64(o, r[k], false);
      for (let k = 3; k < 7; k++, o += 2) v.setUint16(o, r[k], false);
      v.setInt32(o, r[7], false);
      o += 4;
    }
    const ply = parsePly(concat(header, body), 'be.ply');
    expect(Array.from(ply.cloud.positions)).toEqual(
      [1.25, -2.5, 3e-3, -1, 0, 1e6].map((x) => Math.fround(x)),
    );
    // 16-bit colours scale by 1/257.
    expect(Array.from(ply.cloud.colors)).toEqual([255, 0, 1, 128, 2, 255]);
    expect(Array.from(ply.cloud.semanticIds!)).toEqual([5, 40]);
    expect(Array.from(ply.cloud.instanceIds!)).toEqual([7, -1]);
  });

  it('accepts float colours written as 0..255', () => {
    const text =
      'ply\nformat ascii 1.0\nelement vertex 2\nproperty float x\nproperty float y\nproperty float z\n' +
      'property float red\nproperty float green\nproperty float blue\nend_header\n0 0 0 255 128.4 0\n1 1 1 1 2 300\n';
    expect(Array.from(parsePly(enc(text), 'f255.ply').cloud.colors)).toEqual([
      255, 128, 0, 1, 2, 255,
    ]);
  });

  it('skips an unknown binary element with lists before the vertices', () => {
    const header = enc(
      [
        'ply',
        'format binary_little_endian 1.0',
        'element junk 2',
        'property list uint short vals',
        'property char c',
        'element vertex 1',
        'property float x',
        'property float y',
        'property float z',
        'end_header\r\n',
      ].join('\r\n'),
    );
    const junk = new Uint8Array([2, 0, 0, 0, 1, 0, 2, 0, 9, 0, 0, 0, 0, 8]);
    const vert = new Uint8Array(new Float32Array([1, 2, 3]).buffer);
    const ply = parsePly(concat(header, junk, vert), 'junk.ply');
    expect(Array.from(ply.cloud.positions)).toEqual([1, 2, 3]);
    expect(ply.hasColors).toBe(false);
    expect(ply.skippedElements).toEqual(['junk']);
  });

  it('refuses an absurd vertex count before allocating', () => {
    const text =
      'ply\nformat binary_little_endian 1.0\nelement vertex 1099511627776\nproperty float x\nproperty float y\nproperty float z\nend_header\n\0\0\0\0';
    let err: unknown;
    try {
      parsePly(enc(text), 'huge.ply');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParseError);
    expect((err as ParseError).location).toEqual({ file: 'huge.ply', byteOffset: text.length - 4 });
  });

  it('names the line of a bad ascii value and the byte offset of a truncation', () => {
    const text =
      'ply\nformat ascii 1.0\nelement vertex 2\nproperty float x\nproperty float y\nproperty float z\nend_header\n1 2 3\n4 oops 6\n';
    expect(() => parsePly(enc(text), 'bad.ply')).toThrow(/bad\.ply line 9: expected a number/);
    const bin = writePly({ positions: new Float32Array(6), colors: new Uint8Array(6) });
    expect(() => parsePly(bin.subarray(0, bin.length - 1), 'cut.ply')).toThrow(ParseError);
  });

  it('rejects face indices out of range, a missing coordinate and a bad magic', () => {
    const faceText =
      'ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n0 0 0\n3 0 0 1\n';
    expect(() => parsePly(enc(faceText), 'f.ply')).toThrow(/refers to vertex 1/);
    const noZ =
      'ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float y\nend_header\n0 0\n';
    expect(() => parsePly(enc(noZ), 'noz.ply')).toThrow(/no "z"/);
    expect(() => parsePly(enc('PLY\n'), 'm.ply')).toThrow(ParseError);
  });

  it('is registered as a SceneReader that warns when there are no colours', async () => {
    const noColour = writePlyWithoutColours();
    const src = new MemoryFileSource({ 'a/room.ply': noColour }, 'scan');
    expect(plyReader.detect(await src.list())).toBe(true);
    const scene = await plyReader.read(src, await src.list(), {});
    expect(scene.name).toBe('room');
    expect(scene.cloud!.positions.length).toBe(6);
    expect(scene.warnings.join()).toMatch(/no vertex colours/);
    expect(Array.from(scene.cloud!.colors)).toEqual(new Array(6).fill(180));
  });
});

function writePlyWithoutColours(): Uint8Array {
  return new TextEncoder().encode(
    'ply\nformat ascii 1.0\nelement vertex 2\nproperty float x\nproperty float y\nproperty float z\nend_header\n0 0 0\n1 1 1\n',
  );
}
