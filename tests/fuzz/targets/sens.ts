/** ScanNet .sens: JPEG / PNG / raw colour, zlib / raw depth; every frame loaded. */
import { readSensFrames } from '../../../src/pipeline/scene/readers/sens';
import { sensIntrinsicMatrix, writeSens } from '../../../src/pipeline/scene/readers/sens-writer';
import type { FuzzTarget } from '../types';
import { checkScene, loadScene, pngChecksummed, source } from './checks';

const frame = (k: number) => ({
  color: { width: 8, height: 4, data: new Uint8Array(96).map((_, i) => (i * 9 + k) & 255) },
  depth: new Uint16Array(16).map((_, i) => 800 + i + k),
  cameraToWorld: [1, 0, 0, k, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
  timestampColor: k * 1000,
});
const options = {
  colorIntrinsics: sensIntrinsicMatrix(8, 8, 3.5, 1.5),
  depthIntrinsics: sensIntrinsicMatrix(4, 4, 1.5, 1.5),
  colorWidth: 8,
  colorHeight: 4,
  depthWidth: 4,
  depthHeight: 4,
  imuFrameCount: 1,
};

/** zlib depth (Adler-32) and PNG colour (CRC-32) blobs, found by walking the file's layout. */
function sensChecksummed(bytes: Uint8Array): Array<[number, number]> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const nameLength = Number(view.getBigUint64(4, true));
  let at = 12 + nameLength + 4 * 64;
  const colorType = view.getInt32(at, true);
  const depthType = view.getInt32(at + 4, true);
  at += 8 + 16 + 4;
  const frames = Number(view.getBigUint64(at, true));
  at += 8;
  const ranges: Array<[number, number]> = [];
  for (let k = 0; k < frames; k++) {
    at += 64 + 16;
    const colorBytes = Number(view.getBigUint64(at, true));
    const depthBytes = Number(view.getBigUint64(at + 8, true));
    at += 16;
    if (colorType === 1) {
      for (const [s, e] of pngChecksummed(bytes.subarray(at, at + colorBytes))) {
        ranges.push([at + s, at + e]);
      }
    }
    at += colorBytes;
    if (depthType === 1) ranges.push([at, at + depthBytes]);
    at += depthBytes;
  }
  return ranges;
}

export const targets: FuzzTarget[] = [
  {
    name: 'sens',
    hasLocations: true,
    seeds: () =>
      [
        writeSens(options, [frame(0), frame(1), frame(2)]),
        writeSens({ ...options, colorCompression: 1, depthCompression: 0 }, [frame(0), frame(1)]),
        writeSens({ ...options, colorCompression: 0 }, [frame(3)]),
      ].map((bytes) => new Map([['scan.sens', bytes]])),
    read: async (files, sourceName) => {
      const { frames } = await readSensFrames(source(files, sourceName), 'scan.sens');
      return loadScene({ name: '', format: 'sens', frames, warnings: [] });
    },
    validate: checkScene,
    checksummed: (_path, bytes) => sensChecksummed(bytes),
  },
];
