/**
 * Issue 15 regressions for the scene readers: absurd declared sizes are refused by the resource
 * budget before allocating, checksums are verified, non-finite numbers and out-of-range ids are
 * refused with the file and location, duplicated trajectory entries are errors.
 */
import { describe, expect, it } from 'vitest';
import { BudgetError, ParseError } from '../../../../src/pipeline/errors';
import { MemoryFileSource } from '../../../../src/pipeline/io/memory-file-source';
import { openScene } from '../../../../src/pipeline/scene/open-scene';
import { parsePly } from '../../../../src/pipeline/scene/readers/ply';
import { writePly } from '../../../../src/pipeline/scene/readers/ply-writer';
import { parseTrajectoryLog } from '../../../../src/pipeline/scene/readers/redwood';
import {
  indexSensFile,
  readSensFrames,
  readSensHeader,
} from '../../../../src/pipeline/scene/readers/sens';
import { sensIntrinsicMatrix, writeSens } from '../../../../src/pipeline/scene/readers/sens-writer';

const enc = (s: string) => new TextEncoder().encode(s);

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

const sensOptions = (depthWidth: number, depthHeight: number) => ({
  colorIntrinsics: sensIntrinsicMatrix(4, 4, 1.5, 0.5),
  depthIntrinsics: sensIntrinsicMatrix(2, 2, 0.5, 0.5),
  colorWidth: 4,
  colorHeight: 2,
  depthWidth,
  depthHeight,
  colorCompression: 1,
});

describe('.sens limits and checksums', () => {
  it('refuses a header declaring 16384x16384 depth (268 MP) with a BudgetError at its offset', async () => {
    const bytes = writeSens(sensOptions(16384, 16384), []);
    const err = await rejection(
      readSensHeader(new MemoryFileSource({ 'a.sens': bytes }, 'm'), 'a.sens'),
    );
    expect(err).toBeInstanceOf(BudgetError);
    // version, name length, name, 4 matrices, 2 compression types, colour w and h.
    const depthSizeAt = 4 + 8 + 'StructureSensor'.length + 256 + 8 + 8;
    expect((err as BudgetError).location).toEqual({ file: 'm/a.sens', byteOffset: depthSizeAt });
    expect(err.message).toMatch(/depth image 16384x16384/);
  });

  it('refuses zlib depth whose Adler-32 does not match', async () => {
    const frame = {
      color: { width: 4, height: 2, data: new Uint8Array(24).fill(50) },
      depth: Uint16Array.from([1000, 1200, 1400, 1600]),
      cameraToWorld: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
    };
    const bytes = writeSens(sensOptions(2, 2), [frame]);
    const source = () => new MemoryFileSource({ 'a.sens': bytes }, 'm');
    const { frames } = await readSensFrames(source(), 'a.sens');
    expect([...(await frames[0].loadDepth()).data]).toEqual([1000, 1200, 1400, 1600]);
    const entry = (await indexSensFile(source(), 'a.sens')).frames[0];
    const adlerAt = entry.depthOffset + entry.depthSize - 4;
    bytes[adlerAt + 3] ^= 0x01;
    const bad = await readSensFrames(source(), 'a.sens');
    const err = await rejection(bad.frames[0].loadDepth());
    expect(err).toBeInstanceOf(ParseError);
    expect((err as ParseError).location).toEqual({ file: 'm/a.sens', byteOffset: adlerAt });
    expect(err.message).toMatch(/Adler-32/);
  });
});

describe('nerfstudio image sizes', () => {
  const folder = (extra: Record<string, unknown>, text?: string) =>
    new MemoryFileSource(
      {
        'transforms.json': enc(
          text ??
            JSON.stringify({
              fl_x: 500,
              frames: [
                {
                  file_path: 'images/a.png',
                  transform_matrix: [
                    [1, 0, 0, 0],
                    [0, 1, 0, 0],
                    [0, 0, 1, 0],
                    [0, 0, 0, 1],
                  ],
                },
              ],
              ...extra,
            }),
        ),
        'images/a.png': new Uint8Array(8),
      },
      'ns',
    );

  it('refuses w/h of 60000² and 100000² with a BudgetError naming transforms.json', async () => {
    for (const side of [60000, 100000]) {
      const err = await rejection(openScene(folder({ w: side, h: side })));
      expect(err).toBeInstanceOf(BudgetError);
      expect(err.message).toContain('ns/transforms.json');
      expect(err.message).toContain(`${side}x${side}`);
    }
    const err = await rejection(openScene(folder({ w: 640.5, h: 480 })));
    expect(err).toBeInstanceOf(ParseError);
  });

  it('gives the line and column of a JSON syntax error', async () => {
    const err = await rejection(
      openScene(folder({}, '{\n  "frames": [\n    {"file_path": }\n  ]\n}')),
    );
    expect(err).toBeInstanceOf(ParseError);
    expect((err as ParseError).location).toEqual({
      file: 'ns/transforms.json',
      line: 3,
      column: 19,
    });
  });
});

describe('PLY counts and finite values', () => {
  it('refuses a vertex count the body cannot hold before allocating', () => {
    const text =
      'ply\nformat ascii 1.0\nelement vertex 4000000000\nproperty float x\nproperty float y\nproperty float z\nend_header\n0 0 0\n';
    expect(() => parsePly(enc(text), 'big.ply')).toThrow(ParseError);
    expect(() => parsePly(enc(text), 'big.ply')).toThrow(/4000000000 rows/);
  });

  it('refuses NaN/Inf positions and normals with the vertex line or byte offset', () => {
    const ascii =
      'ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nend_header\n' +
      '0 0 0\n1 1e39 1\n2 2 2\n';
    const err = (() => {
      try {
        parsePly(enc(ascii), 'a.ply');
      } catch (e) {
        return e as ParseError;
      }
    })();
    expect(err).toBeInstanceOf(ParseError);
    expect(err!.location).toEqual({ file: 'a.ply', line: 9 }); // 7 header lines, vertex 1
    expect(err!.reason).toMatch(/vertex 1 has a non-finite position/);

    const positions = Float32Array.from([0, 0, 0, 1, 1, 1, 2, NaN, 2]);
    const normals = Float32Array.from([0, 0, 1, 0, Infinity, 0, 1, 0, 0]);
    const colors = new Uint8Array(9);
    const withNaN = writePly({ positions, colors });
    const text = new TextDecoder().decode(withNaN.subarray(0, 400));
    const bodyOffset = text.indexOf('end_header\n') + 'end_header\n'.length;
    const rowBytes = 3 * 4 + 3; // x y z float, r g b uchar
    expect(() => parsePly(withNaN, 'b.ply')).toThrow(
      new RegExp(
        `b\\.ply at byte ${bodyOffset + 2 * rowBytes}: vertex 2 has a non-finite position`,
      ),
    );
    const badNormal = writePly({
      positions: Float32Array.from([0, 0, 0, 1, 1, 1, 2, 2, 2]),
      colors,
      normals,
    });
    expect(() => parsePly(badNormal, 'n.ply')).toThrow(/vertex 1 has a non-finite normal/);
  });
});

describe('ScanNet ids and axis alignment', () => {
  const json = (v: unknown) => enc(JSON.stringify(v));
  const folder = (objectId: number, align = '1 0 0 0 0 1 0 0 0 0 1 0 0 0 0 1') => {
    const cloud = {
      positions: Float32Array.from([0, 0, 0, 1, 1, 1, 2, 2, 2]),
      colors: new Uint8Array(9).fill(100),
    };
    return new MemoryFileSource(
      {
        's_vh_clean_2.ply': writePly(cloud),
        's_vh_clean_2.0.010000.segs.json': json({ segIndices: [1, 1, 2] }),
        's.aggregation.json': json({
          segGroups: [
            { objectId: 0, label: 'chair', segments: [1] },
            { objectId, label: 'table', segments: [2] },
          ],
        }),
        's.txt': enc(`sceneType = x\naxisAlignment = ${align}\n`),
      },
      'sc',
    );
  };

  it('reads a valid folder with both objects and finite boxes', async () => {
    const scene = await openScene(folder(1));
    expect(scene.objects!.map((o) => o.id)).toEqual([0, 1]);
    expect(scene.objects![1].aabb).toEqual({ min: [2, 2, 2], max: [2, 2, 2] });
  });

  it('refuses objectIds that would wrap in int32 (4294967296 → 0) or are not integers', async () => {
    for (const id of [4294967296, 2 ** 31, 1.5, -1]) {
      const err = await rejection(openScene(folder(id)));
      expect(err).toBeInstanceOf(ParseError);
      expect(err.message).toMatch(/sc\/s\.aggregation\.json: segGroups\[1\]\.objectId/);
    }
  });

  it('refuses an axisAlignment that sends points to infinity, naming its line', async () => {
    const err = await rejection(openScene(folder(1, '1.79e308 0 0 0 0 1 0 0 0 0 1 0 0 0 0 1')));
    expect(err).toBeInstanceOf(ParseError);
    expect((err as ParseError).location).toEqual({ file: 'sc/s.txt', line: 2 });
    expect(err.message).toMatch(/non-finite position/);
  });
});

describe('trajectory.log', () => {
  const entry = (i: number) => `${i} ${i} ${i + 1}\n1 0 0 0\n0 1 0 0\n0 0 1 0\n0 0 0 1\n`;
  it('refuses a frame index that appears twice, naming the second entry', () => {
    expect(parseTrajectoryLog(entry(0) + entry(1), 't.log')).toHaveLength(2);
    expect(() => parseTrajectoryLog(entry(0) + entry(1) + entry(1), 't.log')).toThrow(
      /t\.log line 11: frame 1 already has a pose \(entry at line 6\)/,
    );
  });
});
