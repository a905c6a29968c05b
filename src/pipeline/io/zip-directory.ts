/**
 * A zip archive's central directory (PKWARE APPNOTE 4.3.12, 4.3.16): each record's name, CRC-32 and
 * where its data lies. fflate's unzipSync checks neither the CRC-32 nor the names, so readers use
 * this to verify every record they inflate.
 */
import { ParseError } from '../errors';

export interface ZipDirectoryEntry {
  name: string;
  crc32: number;
  /** Byte range of the record's (compressed) data in the archive. */
  dataStart: number;
  dataEnd: number;
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
/** The end record is 22 bytes plus a comment of at most 65,535. */
const MAX_END_SEARCH = 22 + 0xffff;

export function readZipDirectory(bytes: Uint8Array, file: string): ZipDirectoryEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (byteOffset: number, reason: string) => new ParseError({ file, byteOffset }, reason);
  let end = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - MAX_END_SEARCH); at--) {
    if (view.getUint32(at, true) === END_OF_DIRECTORY) {
      end = at;
      break;
    }
  }
  if (end < 0) throw fail(Math.max(0, bytes.length - 22), 'no zip end-of-directory record');
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  if (at === 0xffffffff) throw fail(end + 16, 'zip64 archives (over 4 GB) are not supported');
  const entries: ZipDirectoryEntry[] = [];
  for (let k = 0; k < count; k++) {
    if (at + 46 > end || view.getUint32(at, true) !== DIRECTORY_HEADER)
      throw fail(at, `central directory record ${k} is missing or garbled`);
    const crc32 = view.getUint32(at + 16, true);
    const compressedSize = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const recordLength =
      46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    if (at + recordLength > end) throw fail(at, `central directory record ${k} runs past its end`);
    if (local + 30 > bytes.length || view.getUint32(local, true) !== LOCAL_HEADER)
      throw fail(local, `record ${k} has no local header`);
    const dataStart =
      local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const dataEnd = dataStart + compressedSize;
    if (dataEnd > bytes.length) throw fail(local, `record ${k} runs past the end of the archive`);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    entries.push({ name, crc32, dataStart, dataEnd });
    at += recordLength;
  }
  return entries;
}
