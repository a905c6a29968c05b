import { describe, expect, it } from 'vitest';
import { ParseError, UnsupportedError } from '../../../../src/pipeline/errors';
import { MemoryFileSource } from '../../../../src/pipeline/io/memory-file-source';
import {
  indexSensFile,
  readSensFrames,
  readSensHeader,
  sensReader,
} from '../../../../src/pipeline/scene/readers/sens';
import {
  sensIntrinsicMatrix,
  writeSens,
  type SensWriterFrame,
} from '../../../../src/pipeline/scene/readers/sens-writer';

const CW = 16;
const CH = 12;
const DW = 8;
const DH = 6;

function pattern(k: number): SensWriterFrame {
  const color = new Uint8Array(CW * CH * 3);
  for (let i = 0; i < CW * CH; i++) {
    color[i * 3] = (i * 7 + k * 40) & 255;
    color[i * 3 + 1] = (i * 3) & 255;
    color[i * 3 + 2] = (k * 90) & 255;
  }
  const depth = new Uint16Array(DW * DH).map((_, i) => (i === 5 ? 0 : 500 + i * 37 + k * 1000));
  const pose = [1, 0, 0, k * 0.5, 0, 1, 0, -k, 0, 0, 1, 0.25, 0, 0, 0, 1];
  return {
    color: { width: CW, height: CH, data: color },
    depth,
    cameraToWorld: pose,
    timestampColor: 1_000_000 + k * 33_333,
    timestampDepth: 1_000_100 + k * 33_333,
  };
}

const baseOptions = {
  sensorName: 'StructureSensor ✓',
  colorIntrinsics: sensIntrinsicMatrix(20.5, 21.25, 7.5, 5.5),
  colorExtrinsics: [1, 0, 0, 0.1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
  depthIntrinsics: sensIntrinsicMatrix(10.25, 10.5, 3.5, 2.5),
  colorWidth: CW,
  colorHeight: CH,
  depthWidth: DW,
  depthHeight: DH,
  depthShift: 1000,
};

describe('.sens reader', () => {
  it('reads a hand-built file with raw colour and depth (independent byte layout)', async () => {
    const name = 'abc';
    const headerBytes = 4 + 8 + name.length + 4 * 64 + 8 + 16 + 4 + 8;
    const frameBytes = 96 + 6 + 4;
    const buf = new ArrayBuffer(headerBytes + frameBytes + 8);
    const v = new DataView(buf);
    let o = 0;
    v.setUint32(o, 4, true);
    v.setBigUint64((o += 4), 3n, true);
    o += 8;
    for (const c of name) v.setUint8(o++, c.charCodeAt(0));
    const mats = [
      [2, 0, 0.5, 0, 0, 3, 0.25, 0, 0, 0, 1, 0, 0, 0, 0, 1],
      [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
      [4, 0, 1.5, 0, 0, 5, 0.75, 0, 0, 0, 1, 0, 0, 0, 0, 1],
      [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
    ];
    for (const m of mats) for (const x of m) v.setFloat32((o += 4) - 4, x, true);
    v.setInt32(o, 0, true); // colour raw
    v.setInt32(o + 4, 0, true); // depth raw_ushort
    v.setUint32(o + 8, 2, true);
    v.setUint32(o + 12, 1, true);
    v.setUint32(o + 16, 2, true);
    v.setUint32(o + 20, 1, true);
    v.setFloat32(o + 24, 5000, true);
    v.setBigUint64(o + 28, 1n, true);
    o += 36;
    expect(o).toBe(headerBytes);
    const pose = [0, -1, 0, 1, 1, 0, 0, 2, 0, 0, 1, 3, 0, 0, 0, 1];
    for (const x of pose) v.setFloat32((o += 4) - 4, x, true);
    v.setBigUint64(o, 2_500_000n, true);
    v.setBigUint64(o + 8, 2_500_001n, true);
    v.setBigUint64(o + 16, 6n, true);
    v.setBigUint64(o + 24, 4n, true);
    o += 32;
    [10, 20, 30, 40, 50, 60].forEach((b) => v.setUint8(o++, b));
    v.setUint16(o, 1234, true);
    v.setUint16(o + 2, 65535, true);
    o += 4;
    v.setBigUint64(o, 0n, true); // no IMU frames

    const src = new MemoryFileSource({ 'x.sens': new Uint8Array(buf) }, 'hand');
    const header = await readSensHeader(src, 'x.sens');
    expect(header.sensorName).toBe('abc');
    expect(Array.from(header.colorIntrinsics)).toEqual(mats[0]);
    expect(Array.from(header.depthIntrinsics)).toEqual(mats[2]);
    expect([header.colorCompression, header.depthCompression]).toEqual([0, 0]);
    expect([header.colorWidth, header.colorHeight, header.depthWidth, header.depthHeight]).toEqual([
      2, 1, 2, 1,
    ]);
    expect(header.depthShift).toBe(5000);
    expect(header.framesOffset).toBe(headerBytes);
    const { frames, warnings } = await readSensFrames(src, 'x.sens');
    expect(warnings).toEqual([]);
    expect(frames).toHaveLength(1);
    expect(Array.from(frames[0].cameraToWorld)).toEqual(pose);
    expect(frames[0].timestamp).toBe(2.5);
    expect(frames[0].intrinsics).toEqual({ fx: 2, fy: 3, cx: 0.5, cy: 0.25, width: 2, height: 1 });
    expect(frames[0].depthIntrinsics).toEqual({
      fx: 4,
      fy: 5,
      cx: 1.5,
      cy: 0.75,
      width: 2,
      height: 1,
    });
    expect(Array.from((await frames[0].loadColor()).data)).toEqual([10, 20, 30, 40, 50, 60]);
    const depth = await frames[0].loadDepth();
    expect(Array.from(depth.data)).toEqual([1234, 65535]);
    expect(depth.depthScale).toBe(5000);
    expect(depth.invalidValues).toEqual([0]);
  });

  it('round-trips every header field and several PNG/zlib frames through the writer', async () => {
    const input = [0, 1, 2, 3].map(pattern);
    const bytes = writeSens({ ...baseOptions, colorCompression: 1, imuFrameCount: 3 }, input);
    const src = new MemoryFileSource({ 'scene0000_00.sens': bytes }, 'sens');
    const header = await readSensHeader(src, 'scene0000_00.sens');
    expect(header.version).toBe(4);
    expect(header.sensorName).toBe('StructureSensor ✓');
    expect(Array.from(header.colorIntrinsics)).toEqual(
      baseOptions.colorIntrinsics.map(Math.fround),
    );
    expect(Array.from(header.colorExtrinsics)).toEqual(
      baseOptions.colorExtrinsics.map(Math.fround),
    );
    expect(Array.from(header.depthIntrinsics)).toEqual(baseOptions.depthIntrinsics);
    expect(Array.from(header.depthExtrinsics)).toEqual([
      1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1,
    ]);
    expect(header.colorCompression).toBe(1);
    expect(header.depthCompression).toBe(1);
    expect(header.frameCount).toBe(4);
    const index = await indexSensFile(src, 'scene0000_00.sens');
    expect(index.imuFrameCount).toBe(3);
    expect(index.frames.map((f) => f.timestampDepth)).toEqual(input.map((f) => f.timestampDepth));

    expect(sensReader.detect(await src.list())).toBe(true);
    const scene = await sensReader.read(src, await src.list(), {});
    expect(scene.name).toBe('scene0000_00');
    expect(scene.format).toBe('sens');
    // The colour extrinsic is not the identity: the reader says it ignores it.
    expect(scene.warnings.join()).toMatch(/extrinsics are ignored/);
    expect(scene.frames).toHaveLength(4);
    // Read out of order: frames are independent.
    for (const k of [3, 0, 2, 1]) {
      const f = scene.frames[k];
      expect(f.name).toBe(String(k));
      expect(Array.from(f.cameraToWorld)).toEqual(Array.from(input[k].cameraToWorld));
      expect(f.timestamp).toBeCloseTo(input[k].timestampColor! / 1e6, 9);
      expect((await f.loadColor()).data).toEqual(input[k].color.data);
      const d = await f.loadDepth();
      expect(d.data).toEqual(input[k].depth);
      expect([d.width, d.height, d.depthScale]).toEqual([DW, DH, 1000]);
    }
  });

  it('decodes JPEG colour close to the original', async () => {
    const input = [pattern(0), pattern(1)];
    // A smooth image so JPEG stays close.
    for (const f of input) f.color.data.fill(128).forEach((_, i, a) => (a[i] = 100 + (i % 3) * 40));
    const bytes = writeSens({ ...baseOptions, jpegQuality: 95 }, input);
    const { frames, header } = await readSensFrames(
      new MemoryFileSource({ 'a.sens': bytes }),
      'a.sens',
    );
    expect(header.colorCompression).toBe(2);
    const c = await frames[1].loadColor();
    let maxDiff = 0;
    for (let i = 0; i < c.data.length; i++)
      maxDiff = Math.max(maxDiff, Math.abs(c.data[i] - input[1].color.data[i]));
    expect(maxDiff).toBeLessThanOrEqual(6);
  });

  it('skips frames with -inf poses with a warning and counts them', async () => {
    const input = [0, 1, 2, 3, 4].map(pattern);
    input[1].cameraToWorld = new Array(16).fill(-Infinity);
    input[3].cameraToWorld = new Array(16).fill(-Infinity);
    const bytes = writeSens(baseOptions, input);
    const result = await readSensFrames(new MemoryFileSource({ 'a.sens': bytes }), 'a.sens');
    expect(result.invalidPoseCount).toBe(2);
    expect(result.frames.map((f) => f.name)).toEqual(['0', '2', '4']);
    expect(result.frames.map((f) => f.index)).toEqual([0, 1, 2]);
    expect(result.warnings.join()).toMatch(/skipped 2 of 5 frames/);
    expect((await result.frames[2].loadDepth()).data).toEqual(input[4].depth);
  });

  it('applies a world transform to the poses', async () => {
    const bytes = writeSens(baseOptions, [pattern(2)]);
    const shift = new Float64Array([0, -1, 0, 10, 1, 0, 0, 20, 0, 0, 1, 30, 0, 0, 0, 1]);
    const { frames } = await readSensFrames(new MemoryFileSource({ 'a.sens': bytes }), 'a.sens', {
      worldTransform: shift,
    });
    // Pose translation (1, -2, 0.25) rotated by 90° about z then shifted.
    const m = frames[0].cameraToWorld;
    expect([m[3], m[7], m[11]]).toEqual([10 + 2, 20 + 1, 30.25]);
    expect([m[0], m[1], m[4], m[5]]).toEqual([0, -1, 1, 0]);
  });

  it('throws ParseError with byte offsets for truncation, absurd counts and bad versions', async () => {
    const bytes = writeSens(baseOptions, [pattern(0), pattern(1)]);
    const open = (b: Uint8Array) =>
      readSensFrames(new MemoryFileSource({ 'a.sens': b }, 'm'), 'a.sens');
    await expect(open(bytes.subarray(0, bytes.length - 200))).rejects.toThrow(
      /m\/a\.sens at byte \d+: frame 1 claims/,
    );
    await expect(open(bytes.subarray(0, 100))).rejects.toBeInstanceOf(ParseError);
    const badVersion = bytes.slice();
    badVersion[0] = 3;
    await expect(open(badVersion)).rejects.toThrow(
      /a\.sens at byte 0: unsupported \.sens version 3/,
    );
    const hugeCount = bytes.slice();
    const countAt =
      4 + 8 + new TextEncoder().encode(baseOptions.sensorName).length + 256 + 8 + 16 + 4;
    new DataView(hugeCount.buffer).setBigUint64(countAt, 1099511627776n, true);
    await expect(open(hugeCount)).rejects.toThrow(
      new RegExp(`at byte ${countAt}: frame count 1099511627776`),
    );
    const hugeName = bytes.slice();
    new DataView(hugeName.buffer).setBigUint64(4, 2n ** 62n, true);
    await expect(open(hugeName)).rejects.toThrow(/at byte 4: sensor name length/);
    // A corrupt depth stream fails when that frame is loaded, not before.
    const { frames } = await open(bytes);
    const index = await indexSensFile(new MemoryFileSource({ 'a.sens': bytes }), 'a.sens');
    const corrupt = bytes.slice();
    corrupt.fill(0xff, index.frames[0].depthOffset, index.frames[0].depthOffset + 4);
    const bad = await open(corrupt);
    await expect(bad.frames[0].loadDepth()).rejects.toThrow(
      new RegExp(`at byte ${index.frames[0].depthOffset}: frame 0 depth: corrupt zlib`),
    );
    expect((await frames[0].loadDepth()).data.length).toBe(DW * DH);
  });

  it('handles "unknown" compression by sniffing, and refuses occi depth', async () => {
    const input = [pattern(0)];
    const open = async (colorCompression: number, depthCompression: number) => {
      // Write with known codecs, then patch the header's compression fields to the tested ones.
      const bytes = writeSens(
        {
          ...baseOptions,
          colorCompression: colorCompression === -1 ? 1 : colorCompression,
          depthCompression: depthCompression === -1 ? 0 : Math.min(depthCompression, 1),
        },
        input,
      );
      const at = 4 + 8 + new TextEncoder().encode(baseOptions.sensorName).length + 256;
      const view = new DataView(bytes.buffer);
      view.setInt32(at, colorCompression, true);
      view.setInt32(at + 4, depthCompression, true);
      return (await readSensFrames(new MemoryFileSource({ 'u.sens': bytes }), 'u.sens')).frames[0];
    };
    const unknown = await open(-1, -1);
    expect((await unknown.loadColor()).data).toEqual(input[0].color.data);
    expect((await unknown.loadDepth()).data).toEqual(input[0].depth);
    const occi = await open(1, 2);
    await expect(occi.loadDepth()).rejects.toBeInstanceOf(UnsupportedError);
  });
});
