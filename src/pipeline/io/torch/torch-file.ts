/**
 * torch.save's zip format (torch ≥ 1.6): <archive>/data.pkl (the pickled object), one
 * <archive>/data/<key> record per storage (raw little-endian elements), <archive>/version and
 * <archive>/byteorder. Reading refuses the legacy (pre-1.6, non-zip) format with an
 * UnsupportedError; record sizes are checked against the budget before anything is copied.
 */
import { unzipSync, zipSync } from 'fflate';
import { checkAllocation, checkInflatedSize } from '../../budget/resource-budget';
import { BudgetError, ParseError, UnsupportedError } from '../../errors';
import { crc32 } from '../checksums';
import { printable } from '../safe-json';
import { readZipDirectory } from '../zip-directory';
import { unpickleTorch, type LoadedStorage } from './pickle-reader';
import { pickleTorch } from './pickle-writer';
import { TORCH_DTYPES, type PyValue, type TorchDtype } from './tensor';

/** The format version torch ≥ 1.6 writes in <archive>/version. */
const TORCH_ZIP_VERSION = '3';

function unzip(bytes: Uint8Array, file: string): Record<string, Uint8Array> {
  try {
    return unzipSync(bytes, {
      filter: (entry) => {
        const at = { file: `${file}/${printableName(entry.name)}` };
        if (entry.compression === 0) checkAllocation(entry.originalSize, at, 'zip record');
        else checkInflatedSize(entry.originalSize, entry.size, at, 'zip record');
        return true;
      },
    });
  } catch (e) {
    if (e instanceof ParseError || e instanceof BudgetError) throw e;
    throw new ParseError(
      { file, byteOffset: 0 },
      `not a readable zip archive (${(e as Error).message})`,
    );
  }
}

/** Every record's CRC-32 (fflate does not check them): a flipped storage byte is not a tensor. */
function verifyRecords(bytes: Uint8Array, entries: Record<string, Uint8Array>, file: string): void {
  for (const entry of readZipDirectory(bytes, file)) {
    const data = entries[entry.name];
    if (data && crc32(data) !== entry.crc32) {
      throw new ParseError(
        { file, byteOffset: entry.dataStart },
        `zip record ${printableName(entry.name)} fails its CRC-32 check (the file is corrupt)`,
      );
    }
  }
}

/** Record names come from the file: shown without control characters and bounded. */
const printableName = (name: string) => printable(name.slice(0, 200));

/** Reads a torch.save file (zip format) holding tensors and plain values. */
export function readTorchFile(bytes: Uint8Array, file: string): PyValue {
  if (bytes.length >= 2 && bytes[0] === 0x80) {
    throw new UnsupportedError(
      `${file}: legacy (pre-1.6, non-zip) torch.save format; re-save it with a current torch.save`,
    );
  }
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b)) {
    throw new ParseError({ file, byteOffset: 0 }, 'not a torch.save file (no zip signature)');
  }
  const entries = unzip(bytes, file);
  verifyRecords(bytes, entries, file);
  const pickles = Object.keys(entries).filter((n) => /^[^/]+\/data\.pkl$/.test(n));
  if (pickles.length !== 1) {
    throw new ParseError(
      { file, byteOffset: 0 },
      pickles.length === 0 ? 'no <archive>/data.pkl record' : 'more than one data.pkl record',
    );
  }
  const prefix = pickles[0].slice(0, -'data.pkl'.length);
  const byteorder = entries[`${prefix}byteorder`];
  if (byteorder && new TextDecoder().decode(byteorder).trim() !== 'little') {
    throw new UnsupportedError(`${file}: big-endian torch files are not supported`);
  }
  const loaded = new Map<string, LoadedStorage>();
  return unpickleTorch(entries[pickles[0]], `${file}/${pickles[0]}`, (key, dtype, numel, at) => {
    const seen = loaded.get(key);
    if (seen) {
      if (seen.dtype !== dtype || seen.data.length !== numel)
        throw new ParseError(at, `storage ${key} is referenced with two different types or sizes`);
      return seen;
    }
    const record = entries[`${prefix}data/${key}`];
    if (!record) throw new ParseError(at, `storage record ${prefix}data/${key} is missing`);
    const itemSize = TORCH_DTYPES[dtype].itemSize;
    const byteLength = numel * itemSize;
    if (record.length < byteLength) {
      throw new ParseError(
        at,
        `storage ${key} declares ${numel} ${dtype} elements (${byteLength} bytes) but its record holds ${record.length}`,
      );
    }
    checkAllocation(byteLength, at, `storage ${key}`);
    const aligned = new ArrayBuffer(byteLength);
    new Uint8Array(aligned).set(record.subarray(0, byteLength));
    const storage = { dtype, data: TORCH_DTYPES[dtype].make(aligned, 0, numel) };
    loaded.set(key, storage);
    return storage;
  });
}

/** A torch.save-compatible zip (torch.load with weights_only=True reads it). */
export function writeTorchFile(value: PyValue, archiveName = 'archive'): Uint8Array {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(archiveName))
    throw new UnsupportedError(`archive name ${archiveName.slice(0, 80)} is not a plain name`);
  const { pickle, storages } = pickleTorch(value);
  const files: Record<string, Uint8Array> = { [`${archiveName}/data.pkl`]: pickle };
  storages.forEach((t, i) => {
    const d = t.data;
    files[`${archiveName}/data/${i}`] = new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
  });
  files[`${archiveName}/byteorder`] = new TextEncoder().encode('little');
  files[`${archiveName}/version`] = new TextEncoder().encode(`${TORCH_ZIP_VERSION}\n`);
  // A fixed time stamp: the same tensors always give the same bytes (batch runs compare outputs).
  return zipSync(files, { level: 0, mtime: new Date('1980-01-01T00:00:00Z') });
}

export type { TorchDtype };
