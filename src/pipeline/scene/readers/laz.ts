/**
 * LAZ (LASzip-compressed LAS) through laz-perf, the LASzip decoder maintained by Hobu (the PDAL
 * authors) and compiled to wasm. The pipeline stays host-free: a host installs a loader for the
 * wasm module (`platform().lazPerf`; Node reads the .wasm from node_modules, the browser worker
 * serves it from our own origin), and this drives its LASZip reader. The result is the plain LAS
 * file the LAZ file compresses (its header and VLRs, the point records decompressed), which
 * parseLas reads like any other.
 */
import { checkAllocation, checkPointCount } from '../../budget/resource-budget';
import { ParseError, UnsupportedError, throwIfAborted } from '../../errors';
import { platform } from '../../platform';

/** The part of laz-perf's Emscripten module this uses (laz-perf's own typings, structurally). */
export interface LazPerfModule {
  HEAPU8: Uint8Array;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  LASZip: new () => {
    open(pointer: number, length: number): void;
    getPoint(pointer: number): void;
    getCount(): number;
    getPointLength(): number;
    getPointFormat(): number;
    delete(): void;
  };
}

/** Bits 7 and 6 of the point format byte: set by LASzip on compressed point data. */
const COMPRESSED_BITS = 0xc0;
const FORMAT_BYTE = 104;

/** Whether these are the bytes of a LAS file whose point data LASzip compressed. */
export function isLazCompressed(bytes: Uint8Array): boolean {
  return (
    bytes.byteLength > FORMAT_BYTE &&
    String.fromCharCode(...bytes.subarray(0, 4)) === 'LASF' &&
    (bytes[FORMAT_BYTE] & COMPRESSED_BITS) !== 0
  );
}

const DECOMPRESS_ADVICE =
  'decompress it first (e.g. `laszip -i in.laz -o out.las` or `pdal translate in.laz out.las`)';

/** The uncompressed LAS file of a LAZ file: same header and VLRs, decompressed point records. */
export async function decompressLaz(
  bytes: Uint8Array,
  file: string,
  options: { signal?: AbortSignal } = {},
): Promise<Uint8Array> {
  const load = platform().lazPerf;
  if (!load) {
    throw new UnsupportedError(`${file}: this host has no LAZ decoder; ${DECOMPRESS_ADVICE}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pointOffset = bytes.byteLength >= 100 ? view.getUint32(96, true) : 0;
  if (pointOffset < 227 || pointOffset > bytes.byteLength) {
    throw new ParseError(
      { file, byteOffset: 96 },
      `offset to point data ${pointOffset} is outside 227..${bytes.byteLength}`,
    );
  }
  const lazPerf = await load();
  throwIfAborted(options.signal);
  const input = lazPerf._malloc(bytes.byteLength);
  const reader = new lazPerf.LASZip();
  let record = 0;
  try {
    lazPerf.HEAPU8.set(bytes, input);
    try {
      reader.open(input, bytes.byteLength);
    } catch (err) {
      throw new ParseError(
        { file, byteOffset: 0 },
        `laz-perf could not open the LAZ data (${lazErrorText(err)})`,
      );
    }
    const n = reader.getCount();
    const length = reader.getPointLength();
    checkPointCount(n, { file, byteOffset: 107 });
    checkAllocation(pointOffset + n * length, { file, byteOffset: 107 }, `${n} LAZ points`);
    const out = new Uint8Array(pointOffset + n * length);
    out.set(bytes.subarray(0, pointOffset));
    out[FORMAT_BYTE] = bytes[FORMAT_BYTE] & ~COMPRESSED_BITS;
    if (reader.getPointFormat() !== out[FORMAT_BYTE]) {
      throw new ParseError(
        { file, byteOffset: FORMAT_BYTE },
        `the header says point format ${out[FORMAT_BYTE]}, the LAZ data ${reader.getPointFormat()}`,
      );
    }
    record = lazPerf._malloc(length);
    for (let i = 0; i < n; i++) {
      if ((i & 0xffff) === 0) throwIfAborted(options.signal);
      try {
        reader.getPoint(record);
      } catch (err) {
        throw new ParseError(
          { file, byteOffset: pointOffset },
          `LAZ point ${i} of ${n} does not decompress (${lazErrorText(err)})`,
        );
      }
      // HEAPU8 is re-read: the wasm memory may have grown (and its view been replaced).
      out.set(lazPerf.HEAPU8.subarray(record, record + length), pointOffset + i * length);
    }
    return out;
  } finally {
    // After a wasm abort these throw too: the error that got us here is the one to report.
    try {
      reader.delete();
      if (record) lazPerf._free(record);
      lazPerf._free(input);
    } catch {
      /* the module is unusable now; nothing more to free */
    }
  }
}

/** Emscripten throws C++ exceptions as numbers (pointers); Errors and strings say more. */
function lazErrorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : 'a LASzip error';
}
