/**
 * Generated point-cloud files for the Gaussian-splat PLY, .splat and LAS readers, written from
 * their specifications (INRIA 3DGS point_cloud.ply, antimatter15 splat, ASPRS LAS 1.2/1.4).
 */
export interface Splat {
  position: [number, number, number];
  /** Linear RGB in 0..1 (what the renderer shows at SH degree 0). */
  rgb: [number, number, number];
  opacity: number;
}

/** Splats on a box room's floor and one wall, one of them nearly transparent. */
export function roomSplats(): Splat[] {
  const splats: Splat[] = [];
  for (let i = 0; i < 6; i++) {
    for (let j = 0; j < 5; j++) {
      splats.push({
        position: [i * 0.5, j * 0.5, 0],
        rgb: [0.2 + i * 0.1, 0.3, 0.1 * j],
        opacity: 0.9,
      });
      splats.push({ position: [i * 0.5, 2.5, j * 0.4], rgb: [0.8, 0.1 * i, 0.5], opacity: 0.6 });
    }
  }
  splats.push({ position: [1, 1, 1], rgb: [1, 0, 0], opacity: 0.02 });
  return splats;
}

const SH_C0 = 0.28209479177387814;
const logit = (p: number) => Math.log(p / (1 - p));

/** A binary little-endian 3DGS PLY with SH degree 1 (9 f_rest) and every usual property. */
export function gaussianSplatPly(
  splats: Splat[],
  format: 'binary_little_endian' | 'ascii' = 'binary_little_endian',
): Uint8Array {
  const props = [
    'x',
    'y',
    'z',
    'nx',
    'ny',
    'nz',
    'f_dc_0',
    'f_dc_1',
    'f_dc_2',
    ...Array.from({ length: 9 }, (_, i) => `f_rest_${i}`),
    'opacity',
    'scale_0',
    'scale_1',
    'scale_2',
    'rot_0',
    'rot_1',
    'rot_2',
    'rot_3',
  ];
  const header =
    `ply\nformat ${format} 1.0\nelement vertex ${splats.length}\n` +
    props.map((p) => `property float ${p}\n`).join('') +
    'end_header\n';
  const rows = splats.map((s) => {
    const values: Record<string, number> = {
      x: s.position[0],
      y: s.position[1],
      z: s.position[2],
      f_dc_0: (s.rgb[0] - 0.5) / SH_C0,
      f_dc_1: (s.rgb[1] - 0.5) / SH_C0,
      f_dc_2: (s.rgb[2] - 0.5) / SH_C0,
      opacity: logit(s.opacity),
      scale_0: -4,
      scale_1: -4,
      scale_2: -5,
      rot_0: 1,
    };
    return props.map((p) => values[p] ?? 0.01);
  });
  const head = new TextEncoder().encode(header);
  if (format === 'ascii') {
    return new TextEncoder().encode(header + rows.map((r) => r.join(' ')).join('\n') + '\n');
  }
  const out = new Uint8Array(head.length + rows.length * props.length * 4);
  out.set(head);
  const view = new DataView(out.buffer);
  rows.flat().forEach((v, i) => view.setFloat32(head.length + i * 4, v, true));
  return out;
}

/** antimatter15 .splat: position, scale, RGBA, rotation per 32-byte record. */
export function splatFile(splats: Splat[]): Uint8Array {
  const out = new Uint8Array(splats.length * 32);
  const view = new DataView(out.buffer);
  splats.forEach((s, i) => {
    const at = i * 32;
    s.position.forEach((v, c) => view.setFloat32(at + c * 4, v, true));
    for (let c = 0; c < 3; c++) view.setFloat32(at + 12 + c * 4, 0.01, true);
    s.rgb.forEach((v, c) => (out[at + 24 + c] = Math.round(v * 255)));
    out[at + 27] = Math.round(s.opacity * 255);
    out.set([255, 128, 128, 128], at + 28);
  });
  return out;
}

export interface LasPoint {
  xyz: [number, number, number];
  rgb16?: [number, number, number];
  classification: number;
}

const RECORD: Record<number, { size: number; rgb?: number; cls: number }> = {
  0: { size: 20, cls: 15 },
  1: { size: 28, cls: 15 },
  2: { size: 26, rgb: 20, cls: 15 },
  3: { size: 34, rgb: 28, cls: 15 },
  6: { size: 30, cls: 16 },
  7: { size: 36, rgb: 30, cls: 16 },
  8: { size: 38, rgb: 30, cls: 16 },
};

/** A variable-length record to write after the header (user id, record id, payload). */
export interface LasRecordSpec {
  userId: string;
  recordId: number;
  payload: Uint8Array;
}

/**
 * An uncompressed LAS file (1.2 header for formats 0–3, 1.4 for 6–8), extra bytes, and the given
 * VLRs (by default one 8-byte private record).
 */
export function lasFile(
  points: LasPoint[],
  pointFormat: number,
  scale: [number, number, number],
  offset: [number, number, number],
  extraBytes = 2,
  records: LasRecordSpec[] = [{ userId: '', recordId: 0xabcd, payload: new Uint8Array(8) }],
): Uint8Array {
  const spec = RECORD[pointFormat];
  const v14 = pointFormat >= 6;
  const headerSize = v14 ? 375 : 227;
  const vlrBytes = records.reduce((n, r) => n + 54 + r.payload.length, 0);
  const pointOffset = headerSize + vlrBytes;
  const recordLength = spec.size + extraBytes;
  const out = new Uint8Array(pointOffset + points.length * recordLength);
  const view = new DataView(out.buffer);
  out.set([0x4c, 0x41, 0x53, 0x46]); // "LASF"
  out[24] = 1;
  out[25] = v14 ? 4 : 2;
  view.setUint16(94, headerSize, true);
  view.setUint32(96, pointOffset, true);
  view.setUint32(100, records.length, true);
  out[104] = pointFormat;
  view.setUint16(105, recordLength, true);
  view.setUint32(107, v14 ? 0 : points.length, true);
  [...scale, ...offset].forEach((v, i) => view.setFloat64(131 + i * 8, v, true));
  if (v14) view.setBigUint64(247, BigInt(points.length), true);
  let at = headerSize;
  for (const r of records) {
    for (let i = 0; i < r.userId.length; i++) out[at + 2 + i] = r.userId.charCodeAt(i);
    view.setUint16(at + 18, r.recordId, true);
    view.setUint16(at + 20, r.payload.length, true);
    out.set(r.payload, at + 54);
    at += 54 + r.payload.length;
  }
  points.forEach((p, i) => {
    const at = pointOffset + i * recordLength;
    p.xyz.forEach((v, c) =>
      view.setInt32(at + c * 4, Math.round((v - offset[c]) / scale[c]), true),
    );
    // Formats 0–5: flag bits above the class (here "withheld", bit 7).
    out[at + spec.cls] = pointFormat < 6 ? p.classification | 0x80 : p.classification;
    if (spec.rgb !== undefined && p.rgb16) {
      p.rgb16.forEach((v, c) => view.setUint16(at + spec.rgb! + c * 2, v, true));
    }
  });
  return out;
}
