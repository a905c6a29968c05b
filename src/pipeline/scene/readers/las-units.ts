/**
 * The linear units of a LAS file's coordinates, from its coordinate-system records: the GeoTIFF
 * key directory (VLR "LASF_Projection" 34735: ProjLinearUnitsGeoKey 3076, VerticalUnitsGeoKey
 * 4099) or OGC WKT (record 2112, LAS 1.4, in a VLR or an EVLR). Surveys in the US are often in
 * US survey feet; everything downstream (voxel sizes, 3D-LLM's grid, measurements) is in metres.
 */
import { ParseError } from '../../errors';

export interface LinearUnit {
  /** Metres per file unit. */
  metres: number;
  name: string;
}

export interface LasUnits {
  horizontal?: LinearUnit;
  vertical?: LinearUnit;
}

/** EPSG unit-of-measure codes GeoTIFF uses for lengths. */
const EPSG_LENGTH_UNITS: Record<number, LinearUnit> = {
  9001: { metres: 1, name: 'metre' },
  9002: { metres: 0.3048, name: 'foot' },
  9003: { metres: 1200 / 3937, name: 'US survey foot' },
  9005: { metres: 0.3047972654, name: "Clarke's foot" },
  9036: { metres: 1000, name: 'kilometre' },
};

const PROJ_LINEAR_UNITS_KEY = 3076;
const VERTICAL_UNITS_KEY = 4099;
const GEOKEY_RECORD = 34735;
const WKT_RECORD = 2112;
const VLR_HEADER_BYTES = 54;
const MAX_WKT_CHARS = 65_536;
const EVLR_HEADER_BYTES = 60;

interface LasRecord {
  userId: string;
  recordId: number;
  /** Payload start and length in the file. */
  at: number;
  length: number;
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
  let s = '';
  for (let i = at; i < at + length && bytes[i] !== 0; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/** The VLRs after the header and, for LAS 1.4, the EVLRs after the points; bounds-checked. */
function records(bytes: Uint8Array, file: string): LasRecord[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: LasRecord[] = [];
  const headerSize = view.getUint16(94, true);
  const pointOffset = view.getUint32(96, true);
  const count = view.getUint32(100, true);
  let at = headerSize;
  for (let i = 0; i < count; i++) {
    if (at + VLR_HEADER_BYTES > pointOffset) {
      throw new ParseError(
        { file, byteOffset: at },
        `variable-length record ${i} of ${count} runs into the point data at byte ${pointOffset}`,
      );
    }
    const length = view.getUint16(at + 20, true);
    if (at + VLR_HEADER_BYTES + length > pointOffset) {
      throw new ParseError(
        { file, byteOffset: at + 20 },
        `variable-length record ${i} (${length} bytes) runs into the point data at byte ${pointOffset}`,
      );
    }
    out.push({
      userId: ascii(bytes, at + 2, 16),
      recordId: view.getUint16(at + 18, true),
      at: at + VLR_HEADER_BYTES,
      length,
    });
    at += VLR_HEADER_BYTES + length;
  }
  if (bytes[25] >= 4 && headerSize >= 247) {
    let evlrAt = Number(view.getBigUint64(235, true));
    const evlrCount = view.getUint32(243, true);
    for (let i = 0; i < evlrCount; i++) {
      if (evlrAt + EVLR_HEADER_BYTES > bytes.byteLength) {
        throw new ParseError(
          { file, byteOffset: 235 },
          `extended record ${i} of ${evlrCount} starts past the end of the file`,
        );
      }
      const length = Number(view.getBigUint64(evlrAt + 20, true));
      if (evlrAt + EVLR_HEADER_BYTES + length > bytes.byteLength) {
        throw new ParseError(
          { file, byteOffset: evlrAt + 20 },
          `extended record ${i} (${length} bytes) runs past the end of the file`,
        );
      }
      out.push({
        userId: ascii(bytes, evlrAt + 2, 16),
        recordId: view.getUint16(evlrAt + 18, true),
        at: evlrAt + EVLR_HEADER_BYTES,
        length,
      });
      evlrAt += EVLR_HEADER_BYTES + length;
    }
  }
  return out;
}

function epsgUnit(code: number, file: string, at: number): LinearUnit {
  const unit = EPSG_LENGTH_UNITS[code];
  if (!unit) {
    throw new ParseError(
      { file, byteOffset: at },
      `GeoTIFF linear unit code ${code} is not a length unit this reader knows (9001 metre, 9002 foot, 9003 US survey foot, 9005 Clarke's foot, 9036 kilometre)`,
    );
  }
  return unit;
}

function geoKeyUnits(bytes: Uint8Array, r: LasRecord, file: string): LasUnits {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (r.length < 8) return {};
  const keys = view.getUint16(r.at + 6, true);
  const units: LasUnits = {};
  for (let k = 0; k < keys && r.at + 8 + k * 8 + 8 <= r.at + r.length; k++) {
    const at = r.at + 8 + k * 8;
    const id = view.getUint16(at, true);
    const location = view.getUint16(at + 2, true);
    const value = view.getUint16(at + 6, true);
    // Location 0: the value is the code itself (unit codes are always stored that way).
    if (location !== 0) continue;
    if (id === PROJ_LINEAR_UNITS_KEY) units.horizontal = epsgUnit(value, file, at + 6);
    if (id === VERTICAL_UNITS_KEY) units.vertical = epsgUnit(value, file, at + 6);
  }
  return units;
}

/**
 * The projected CRS's length unit in WKT1 (`PROJCS[…, UNIT["US survey foot",0.3048006…]]`) or
 * WKT2 (`LENGTHUNIT[…]`): the last unit directly inside the projected CRS, not its GEOGCS's
 * angular unit. A compound CRS's VERT_CS unit is the vertical one.
 */
export function wktUnits(text: string): LasUnits {
  // Real CRS definitions are a few kB; a longer one is read up to here (it is only scanned).
  const wkt = text.slice(0, MAX_WKT_CHARS);
  const unitArguments = /\s*"((?:[^"]|"")*)"\s*,\s*([0-9.eE+-]+)/y;
  const units: LasUnits = {};
  const stack: string[] = [];
  const re = /([A-Z_]+)\s*\[|\]|"(?:[^"]|"")*"/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(wkt))) {
    if (m[0] === ']') {
      stack.pop();
      continue;
    }
    if (m[0].startsWith('"')) continue;
    const keyword = m[1];
    const parent = stack[stack.length - 1];
    stack.push(keyword);
    if (keyword !== 'UNIT' && keyword !== 'LENGTHUNIT') continue;
    unitArguments.lastIndex = re.lastIndex;
    const rest = unitArguments.exec(wkt);
    const metres = rest ? Number(rest[2]) : Number.NaN;
    if (!rest || !(metres > 0) || !Number.isFinite(metres)) continue;
    const unit = { metres, name: rest[1].replace(/""/g, '"') };
    const inside = (names: string[]) => stack.some((k) => names.includes(k));
    if (inside(['VERT_CS', 'VERTCRS'])) units.vertical = unit;
    else if (inside(['PROJCS', 'PROJCRS']) && ['PROJCS', 'PROJCRS', 'AXIS', 'CS'].includes(parent))
      units.horizontal = unit;
  }
  return units;
}

/** The file's declared coordinate units; an empty object when it declares none. */
export function lasUnits(bytes: Uint8Array, file: string): LasUnits {
  const all = records(bytes, file).filter((r) => r.userId === 'LASF_Projection');
  const wkt = all.find((r) => r.recordId === WKT_RECORD);
  if (wkt) {
    const units = wktUnits(ascii(bytes, wkt.at, Math.min(wkt.length, MAX_WKT_CHARS)));
    if (units.horizontal || units.vertical) return units;
  }
  const geo = all.find((r) => r.recordId === GEOKEY_RECORD);
  return geo ? geoKeyUnits(bytes, geo, file) : {};
}
