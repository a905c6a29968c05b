/** ScanNet .sens: JPEG / PNG / raw colour, zlib / raw depth; every frame loaded. */
import { readSensFrames } from '../../../src/pipeline/scene/readers/sens';
import { sensSeeds } from '../../pipeline/scene/readers/fuzz-seeds';
import type { FuzzTarget } from '../types';
import { checkScene, loadScene, pngChecksummed, source } from './checks';

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
    seeds: () => sensSeeds().map((bytes) => new Map([['scan.sens', bytes]])),
    read: async (files, sourceName) => {
      const { frames } = await readSensFrames(source(files, sourceName), 'scan.sens');
      return loadScene({ name: '', format: 'sens', frames, warnings: [] });
    },
    validate: checkScene,
    checksummed: (_path, bytes) => sensChecksummed(bytes),
  },
];
