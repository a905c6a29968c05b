/**
 * Scene reader throughput, each figure next to a baseline from the same run:
 *  1. PLY binary little endian, ~1M vertices (xyz, normals, rgb, label): our parsePly vs three's
 *     PLYLoader.parse on the same bytes (three is the baseline only; it is never used in
 *     src/pipeline).
 *  2. ScanNet .sens: opening (indexing frame headers with small reads) vs reading the whole file
 *     with fs.readFile; decoding every frame (JPEG colour + zlib depth) frame by frame through
 *     NodeFileSource vs a naive whole-file-in-memory reader.
 * PLY figures are medians of 3 alternating runs after a warm-up; the .sens figures single runs.
 * Run: npx tsx bench/scene-readers.bench.ts [--quick] [--json] [--vertices N] [--frames N]
 *        [--decode-frames N]   (--quick: 200k vertices, 40 frames, 3 decoded)
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PLYLoader } from 'three/examples/jsm/loaders/PLYLoader.js';
import { unzlibSync } from 'fflate';
import { decodeColorImage } from '../src/pipeline/image/decode';
import { MemoryFileSource } from '../src/pipeline/io/memory-file-source';
import { NodeFileSource } from '../src/hosts/node/node-file-source';
import { parsePly } from '../src/pipeline/scene/readers/ply';
import { writePly } from '../src/pipeline/scene/readers/ply-writer';
import { indexSensFile, readSensFrames } from '../src/pipeline/scene/readers/sens';
import {
  sensIntrinsicMatrix,
  writeSens,
  type SensWriterFrame,
} from '../src/pipeline/scene/readers/sens-writer';
import { installNodePlatform } from '../src/hosts/node/platform';
import { BenchReporter, rate, summarise } from './report';

// The capabilities the CLI runs with (wasm threads up to the cores, Node's model cache).
installNodePlatform();

const report = new BenchReporter('scene-readers', 'PLY and ScanNet .sens reader throughput');
const arg = (name: string, fallback: number) => Number(report.arg(name, String(fallback)));
const VERTICES = arg('vertices', report.quick ? 200_000 : 1_000_000);
const FRAMES = arg('frames', report.quick ? 40 : 200);
const DECODE_FRAMES = Math.min(FRAMES, arg('decode-frames', report.quick ? 3 : 6));
report.option('vertices', VERTICES);
report.option('frames', FRAMES);
report.option('decodeFrames', DECODE_FRAMES);
const MB = 1024 * 1024;

async function time<T>(fn: () => T | Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const out = await fn();
  return [(performance.now() - t0) / 1000, out];
}

async function benchPly(): Promise<void> {
  let s = 1;
  const rnd = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const n = VERTICES;
  const bytes = writePly({
    positions: new Float32Array(n * 3).map(() => rnd() * 10),
    normals: new Float32Array(n * 3).map(() => rnd() * 2 - 1),
    colors: new Uint8Array(n * 3).map(() => Math.floor(rnd() * 256)),
    semanticIds: new Int32Array(n).map(() => Math.floor(rnd() * 40)),
  });
  const size = bytes.byteLength / MB;
  const loader = new PLYLoader();
  const ours: number[] = [];
  const three: number[] = [];
  // Warm up both, then alternate so machine load affects both alike.
  parsePly(bytes, 'bench.ply');
  loader.parse(bytes.buffer.slice(0) as ArrayBuffer);
  for (let r = 0; r < 3; r++) {
    const [t1, parsed] = await time(() => parsePly(bytes, 'bench.ply'));
    if (parsed.cloud.positions.length !== n * 3) throw new Error('ours: wrong vertex count');
    ours.push(t1 * 1000);
    const buf = bytes.buffer.slice(0) as ArrayBuffer;
    const [t2, geom] = await time(() => loader.parse(buf));
    if (geom.getAttribute('position').count !== n) throw new Error('three: wrong vertex count');
    three.push(t2 * 1000);
  }
  report.log(
    `PLY binary LE, ${n.toLocaleString()} vertices (xyz, normals, rgb, label), ${size.toFixed(1)} MB`,
  );
  // Milliseconds per parse → MB/s.
  const mbPerS = (t: number[]) => rate(summarise(t), size);
  report.compare({
    name: `parsePly, ${n} vertices (${size.toFixed(1)} MB)`,
    ...mbPerS(ours),
    unit: 'MB/s',
    better: 'higher',
    baseline: { name: "three's PLYLoader.parse", ...mbPerS(three) },
  });
}

function sensFrame(k: number, w: number, h: number, dw: number, dh: number): SensWriterFrame {
  // Texture plus noise so JPEG and zlib sizes are close to real ScanNet frames.
  let s = k + 1;
  const noise = () => (s = (s * 1664525 + 1013904223) >>> 0) >>> 27;
  const color = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      color[i] = ((x >> 2) + k * 7 + (noise() & 3)) & 255;
      color[i + 1] = ((y >> 1) + (noise() & 3)) & 255;
      color[i + 2] = (((x ^ y) >> 3) + k) & 255;
    }
  }
  const depth = new Uint16Array(dw * dh);
  for (let y = 0; y < dh; y++) {
    for (let x = 0; x < dw; x++) depth[y * dw + x] = 800 + x * 3 + y + (noise() & 7);
  }
  return {
    color: { width: w, height: h, data: color },
    depth,
    cameraToWorld: [1, 0, 0, k * 0.01, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
    timestampColor: k * 33_333,
    timestampDepth: k * 33_333,
  };
}

/** The naive approach: the whole file in memory, parsed sequentially, frames decoded. */
async function naiveSens(
  file: string,
  decodeFrames: number,
): Promise<{ decoded: number; bytes: number }> {
  const bytes = new Uint8Array(await fs.readFile(file));
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = 4;
  const nameLen = Number(v.getBigUint64(o, true));
  o += 8 + nameLen + 256 + 8;
  const dw = v.getUint32(o + 8, true);
  const dh = v.getUint32(o + 12, true);
  o += 20;
  const frames = Number(v.getBigUint64(o, true));
  o += 8;
  let decoded = 0;
  for (let k = 0; k < Math.min(frames, decodeFrames); k++) {
    o += 64 + 16;
    const cs = Number(v.getBigUint64(o, true));
    const ds = Number(v.getBigUint64(o + 8, true));
    o += 16;
    await decodeColorImage(bytes.subarray(o, o + cs), 'naive');
    const raw = unzlibSync(bytes.subarray(o + cs, o + cs + ds));
    if (raw.length === dw * dh * 2) decoded++;
    o += cs + ds;
  }
  return { decoded, bytes: bytes.byteLength };
}

/** A long .sens file from a few encoded frames repeated (encoding is slow; reading is measured). */
async function makeLongSens(total: number): Promise<Uint8Array> {
  const [w, h, dw, dh] = [1296, 968, 640, 480]; // ScanNet's sizes
  const distinct = Array.from({ length: 3 }, (_, k) => sensFrame(k, w, h, dw, dh));
  const small = writeSens(
    {
      colorIntrinsics: sensIntrinsicMatrix(1169.6, 1167.1, 646.3, 489.9),
      depthIntrinsics: sensIntrinsicMatrix(577.6, 578.7, 318.9, 242.7),
      colorWidth: w,
      colorHeight: h,
      depthWidth: dw,
      depthHeight: dh,
      jpegQuality: 90,
    },
    distinct,
  );
  const src = new MemoryFileSource({ 's.sens': small });
  const index = await indexSensFile(src, 's.sens');
  const blocks = index.frames.map((f) =>
    small.subarray(f.colorOffset - 96, f.depthOffset + f.depthSize),
  );
  const head = small.slice(0, index.header.framesOffset);
  new DataView(head.buffer).setBigUint64(head.length - 8, BigInt(total), true);
  let size = head.length + 8;
  for (let k = 0; k < total; k++) size += blocks[k % blocks.length].length;
  const out = new Uint8Array(size);
  out.set(head);
  let o = head.length;
  for (let k = 0; k < total; k++) {
    out.set(blocks[k % blocks.length], o);
    o += blocks[k % blocks.length].length;
  }
  return out; // trailing 8 zero bytes: no IMU frames
}

async function benchSens(): Promise<void> {
  const decodeFrames = DECODE_FRAMES;
  const bytes = await makeLongSens(FRAMES);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sens-bench-'));
  const file = path.join(dir, 'bench.sens');
  await fs.writeFile(file, bytes);
  const size = bytes.byteLength / MB;
  const perFrame = size / FRAMES;
  try {
    const source = await NodeFileSource.open(dir);
    // 1. Opening: index the frame headers vs reading the whole file.
    const [tIndex, index] = await time(() => indexSensFile(source, 'bench.sens'));
    if (index.frames.length !== FRAMES) throw new Error('wrong frame count');
    const [tRead] = await time(() => fs.readFile(file));
    const [tDepth] = await time(async () => {
      const { frames } = await readSensFrames(source, 'bench.sens');
      for (const f of frames) await f.loadDepth();
    });
    // 2. Decoding the first frames (JPEG + zlib), ours vs naive whole-file.
    const [tOurs] = await time(async () => {
      const { frames } = await readSensFrames(source, 'bench.sens');
      for (const f of frames.slice(0, decodeFrames)) {
        await f.loadColor();
        await f.loadDepth();
      }
    });
    const [tNaive, naive] = await time(() => naiveSens(file, decodeFrames));
    if (naive.decoded !== decodeFrames) throw new Error('naive: wrong frame count');
    const kb = (index.frames.length * 96 + 400) / 1024;
    report.log(
      `.sens v4, ${FRAMES} frames, 1296x968 JPEG colour + 640x480 zlib depth, ${size.toFixed(0)} MB (${(perFrame * 1024).toFixed(0)} KB/frame)`,
    );
    report.compare({
      name: `.sens open: index ${FRAMES} frame headers (reads ${kb.toFixed(0)} KB)`,
      figure: tIndex * 1000,
      unit: 'ms',
      better: 'lower',
      baseline: {
        name: `fs.readFile of the whole file (holds ${size.toFixed(0)} MB)`,
        figure: tRead * 1000,
      },
    });
    report.compare({
      name: `.sens colour+depth decode, first ${decodeFrames} frames, readRange per frame`,
      figure: decodeFrames / tOurs,
      unit: 'frames/s',
      better: 'higher',
      baseline: {
        name: 'readFile of the whole file, then decode (same decoders)',
        figure: decodeFrames / tNaive,
      },
    });
    report.context('.sens depth only, all frames', FRAMES / tDepth, 'frames/s');
    report.context('.sens depth only, all frames', (FRAMES * perFrame) / tDepth, 'MB/s of file');
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

await benchPly();
await benchSens();
report.finish();
