/** Checksums and declared sizes of images are verified before their pixels are trusted. */
import { describe, expect, it } from 'vitest';
import { decodeColorImage, decodeDepthPng } from '../../../src/pipeline/image/decode';
import { encodeJpeg, encodePng16, encodePngRgb } from '../../../src/pipeline/image/encode';
import { crc32 } from '../../../src/pipeline/io/checksums';
import { BudgetError, ParseError } from '../../../src/pipeline/errors';

/** Chunks of a PNG: offset of the length field, type, data start and end. */
function chunks(png: Uint8Array) {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out: { at: number; type: string; start: number; end: number }[] = [];
  for (let pos = 8; pos < png.length;) {
    const len = view.getUint32(pos);
    const type = String.fromCharCode(...png.subarray(pos + 4, pos + 8));
    out.push({ at: pos, type, start: pos + 8, end: pos + 8 + len });
    pos += 12 + len;
  }
  return out;
}

function fixCrc(png: Uint8Array, c: { at: number; end: number }): void {
  new DataView(png.buffer, png.byteOffset).setUint32(c.end, crc32(png, c.at + 4, c.end));
}

function caught(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

const depth = () => {
  const data = new Uint16Array(40 * 30).map((_, i) => (i * 37) % 65536);
  return encodePng16(40, 30, data);
};

describe('PNG integrity', () => {
  it('decodes an intact depth PNG exactly', () => {
    const d = decodeDepthPng(depth(), 'd.png');
    expect(d.data[31]).toBe((31 * 37) % 65536);
  });

  it('refuses a flipped byte in IDAT by its CRC, at the CRC offset', () => {
    const png = depth();
    const idat = chunks(png).find((c) => c.type === 'IDAT')!;
    png[idat.start + 10] ^= 0x04;
    const err = caught(() => decodeDepthPng(png, 'scan/0.depth.png')) as ParseError;
    expect(err).toBeInstanceOf(ParseError);
    expect(err.location).toEqual({ file: 'scan/0.depth.png', byteOffset: idat.end });
    expect(err.reason).toMatch(/IDAT chunk CRC mismatch/);
  });

  it('refuses a wrong Adler-32 even when the chunk CRC was recomputed', () => {
    const png = depth();
    const idat = chunks(png).find((c) => c.type === 'IDAT')!;
    png[idat.end - 1] ^= 0x01; // last byte of the zlib stream: its Adler-32
    fixCrc(png, idat);
    const err = caught(() => decodeDepthPng(png, 'd.png')) as ParseError;
    expect(err).toBeInstanceOf(ParseError);
    expect(err.reason).toMatch(/Adler-32/);
    expect(err.location.byteOffset).toBe(idat.end - 4);
  });

  it('refuses a PNG cut before IEND and one whose stream inflates short', async () => {
    const png = encodePngRgb({ width: 8, height: 8, data: new Uint8Array(192).fill(9) });
    const iend = chunks(png).find((c) => c.type === 'IEND')!;
    await expect(decodeColorImage(png.subarray(0, iend.at), 'c.png')).rejects.toThrow(/no IEND/);
    // Claim 9 rows: the data inflates to 8 rows' worth.
    const tall = png.slice();
    new DataView(tall.buffer).setUint32(20, 9);
    fixCrc(tall, chunks(tall)[0]);
    await expect(decodeColorImage(tall, 'c.png')).rejects.toThrow(/expected 225/);
  });
});

describe('JPEG declared size', () => {
  /** A small JPEG with its SOF0 size patched. */
  function patched(width: number, height: number): Uint8Array {
    const jpg = encodeJpeg({ width: 16, height: 16, data: new Uint8Array(768).fill(120) }, 80);
    for (let i = 2; i + 9 < jpg.length; i++) {
      if (jpg[i] === 0xff && jpg[i + 1] === 0xc0) {
        const view = new DataView(jpg.buffer, jpg.byteOffset);
        view.setUint16(i + 5, height);
        view.setUint16(i + 7, width);
        return jpg;
      }
    }
    throw new Error('no SOF0');
  }

  it('refuses a tiny JPEG declaring 10000x10000 from its header, before decoding', async () => {
    const jpg = patched(10_000, 10_000);
    expect(jpg.length).toBeLessThan(3000);
    const err = await decodeColorImage(jpg, 'big.jpg', { decoder: 'pure-js' }).catch((e) => e);
    expect(err).toBeInstanceOf(ParseError);
    expect(err.reason).toMatch(/declares 10000x10000 but its \d+ bytes are too few/);
    expect(err.location.byteOffset).toBeGreaterThan(0);
  });

  it('refuses a JPEG above the pixel budget with a BudgetError, and a zero-height frame', async () => {
    await expect(decodeColorImage(patched(20_000, 20_000), 'b.jpg')).rejects.toBeInstanceOf(
      BudgetError,
    );
    await expect(decodeColorImage(patched(16, 0), 'z.jpg')).rejects.toThrow(/16x0/);
    // The unpatched file still decodes.
    const ok = await decodeColorImage(patched(16, 16), 'ok.jpg');
    expect(ok.width).toBe(16);
  });
});
