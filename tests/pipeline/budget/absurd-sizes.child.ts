/**
 * One absurd-size case per process (run by absurd-sizes.integration.test.ts with
 * `node --import tsx`): builds the hostile input in memory, feeds it to the public reader and
 * prints one JSON line with the error's type and message, the time taken and the process's peak
 * RSS, so the parent can assert the refusal was typed and cheap.
 */
import { encodeJpeg, encodePngRgb, encodePng16 } from '../../../src/pipeline/image/encode';
import { decodeColorImage } from '../../../src/pipeline/image/decode';
import { MemoryFileSource } from '../../../src/pipeline/io/memory-file-source';
import { readNpy } from '../../../src/pipeline/io/npy';
import { openScene } from '../../../src/pipeline/scene/open-scene';
import { sensIntrinsicMatrix, writeSens } from '../../../src/pipeline/scene/readers/sens-writer';

const enc = (s: string) => new TextEncoder().encode(s);
const identity = [
  [1, 0, 0, 0],
  [0, 1, 0, 0],
  [0, 0, 1, 0],
  [0, 0, 0, 1],
];

function tinyJpegDeclaring(side: number): Uint8Array {
  const jpg = encodeJpeg({ width: 16, height: 16, data: new Uint8Array(768).fill(90) }, 80);
  for (let i = 2; i + 9 < jpg.length; i++) {
    if (jpg[i] === 0xff && jpg[i + 1] === 0xc0) {
      const view = new DataView(jpg.buffer, jpg.byteOffset);
      view.setUint16(i + 5, side);
      view.setUint16(i + 7, side);
      break;
    }
  }
  // Pad to the 2.4 KB (a COM segment after SOI keeps it a valid JPEG).
  const pad = Math.max(0, 2400 - jpg.length - 4);
  const com = new Uint8Array(4 + pad);
  com.set([0xff, 0xfe, ((pad + 2) >> 8) & 255, (pad + 2) & 255]);
  const out = new Uint8Array(jpg.length + com.length);
  out.set(jpg.subarray(0, 2));
  out.set(com, 2);
  out.set(jpg.subarray(2), 2 + com.length);
  return out;
}

function nerfstudio(side: number) {
  return openScene(
    new MemoryFileSource(
      {
        'transforms.json': enc(
          JSON.stringify({
            fl_x: 500,
            w: side,
            h: side,
            frames: [{ file_path: 'images/a.png', transform_matrix: identity }],
          }),
        ),
        'images/a.png': encodePngRgb({ width: 2, height: 2, data: new Uint8Array(12) }),
      },
      'ns',
    ),
  );
}

const cases: Record<string, () => Promise<unknown>> = {
  'pose-digit-run': () =>
    openScene(
      new MemoryFileSource(
        {
          'frame-000000.color.png': encodePngRgb({ width: 4, height: 3, data: new Uint8Array(36) }),
          'frame-000000.depth.png': encodePng16(4, 3, new Uint16Array(12).fill(1000)),
          'frame-000000.pose.txt': enc(
            '1'.repeat(200_000) + 'x 0 0 0\n0 1 0 0\n0 0 1 0\n0 0 0 1\n',
          ),
        },
        '7s',
      ),
    ),
  'jpeg-10000': () =>
    decodeColorImage(tinyJpegDeclaring(10_000), 'big.jpg', { decoder: 'pure-js' }),
  'sens-depth-16384': () =>
    openScene(
      new MemoryFileSource(
        {
          'a.sens': writeSens(
            {
              colorIntrinsics: sensIntrinsicMatrix(4, 4, 1.5, 0.5),
              depthIntrinsics: sensIntrinsicMatrix(2, 2, 0.5, 0.5),
              colorWidth: 4,
              colorHeight: 2,
              depthWidth: 16384,
              depthHeight: 16384,
            },
            [],
          ),
        },
        'sens',
      ),
    ),
  'nerfstudio-60000': () => nerfstudio(60_000),
  'nerfstudio-100000': () => nerfstudio(100_000),
  'bundle-instances-30000': () => {
    const k = { fx: 500, fy: 500, cx: 15000, cy: 15000, width: 30000, height: 30000 };
    const manifest = {
      format: 'scene3d-llm-bundle',
      version: 1,
      name: 'b',
      warnings: [],
      frames: [
        {
          index: 0,
          name: 'f',
          intrinsics: k,
          depthIntrinsics: k,
          cameraToWorld: identity.flat(),
          color: 'frames/0.color.png',
          depth: 'frames/0.depth.png',
          depthScale: 1000,
          invalidValues: [0],
          instances: 'frames/0.instances.bin',
        },
      ],
    };
    return openScene(
      new MemoryFileSource({ 'scene.json': enc(JSON.stringify(manifest)) }, 'bundle'),
    );
  },
  'ply-vertex-count': () =>
    openScene(
      new MemoryFileSource(
        {
          'cloud.ply': enc(
            'ply\nformat binary_little_endian 1.0\nelement vertex 2000000000\n' +
              'property float x\nproperty float y\nproperty float z\nend_header\n' +
              '\0'.repeat(120),
          ),
        },
        'ply',
      ),
    ),
  'npy-shape': async () => {
    const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000, 3), }";
    const padded = header + ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
    const bytes = new Uint8Array(10 + padded.length + 64);
    bytes.set([0x93, ...enc('NUMPY'), 1, 0, padded.length & 255, padded.length >> 8]);
    bytes.set(enc(padded), 10);
    return readNpy(bytes, 'points.npy');
  },
};

const name = process.argv[2];
const run = cases[name];
if (!run) {
  console.log(JSON.stringify({ name, error: 'no such case', cases: Object.keys(cases) }));
  process.exit(2);
}
const start = performance.now();
let outcome: { errorName?: string; message?: string };
try {
  await run();
  outcome = {};
} catch (err) {
  outcome = { errorName: (err as Error).name, message: (err as Error).message.slice(0, 300) };
}
console.log(
  JSON.stringify({
    name,
    ...outcome,
    ms: Math.round(performance.now() - start),
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  }),
);
