import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../../src/pipeline/errors';
import { parseLas } from '../../../../src/pipeline/scene/readers/las';
import { lasUnits, wktUnits } from '../../../../src/pipeline/scene/readers/las-units';
import { lasFile, type LasPoint, type LasRecordSpec } from './cloud-files';

const US_FOOT = 1200 / 3937;

/** A GeoTIFF key directory with the given (key id, value) pairs, all stored inline. */
function geoKeys(keys: [number, number][]): LasRecordSpec {
  const payload = new Uint8Array(8 + keys.length * 8);
  const view = new DataView(payload.buffer);
  [1, 1, 0, keys.length].forEach((v, i) => view.setUint16(i * 2, v, true));
  keys.forEach(([id, value], k) => {
    view.setUint16(8 + k * 8, id, true);
    view.setUint16(8 + k * 8 + 4, 1, true);
    view.setUint16(8 + k * 8 + 6, value, true);
  });
  return { userId: 'LASF_Projection', recordId: 34735, payload };
}

function wkt(text: string): LasRecordSpec {
  return { userId: 'LASF_Projection', recordId: 2112, payload: new TextEncoder().encode(text) };
}

const points: LasPoint[] = [
  { xyz: [10, 20, 3], classification: 2 },
  { xyz: [13.28, 26.56, 9.84], classification: 5 },
];

describe('LAS coordinate units', () => {
  it('converts US survey feet (GeoTIFF keys) to metres, z in the horizontal unit', () => {
    const bytes = lasFile(points, 1, [0.01, 0.01, 0.01], [0, 0, 0], 2, [geoKeys([[3076, 9003]])]);
    expect(lasUnits(bytes, 'a.las').horizontal?.name).toBe('US survey foot');
    const { cloud } = parseLas(bytes, 'a.las');
    // The second point is 3.28 ft, 6.56 ft and 6.84 ft from the first: metres by hand.
    const d = [0, 1, 2].map((c) => cloud.positions[3 + c] - cloud.positions[c]);
    expect(d[0]).toBeCloseTo(3.28 * US_FOOT, 5);
    expect(d[1]).toBeCloseTo(6.56 * US_FOOT, 5);
    expect(d[2]).toBeCloseTo(6.84 * US_FOOT, 5);
  });

  it('keeps a declared vertical unit apart from the horizontal one', () => {
    const bytes = lasFile(points, 1, [0.01, 0.01, 0.01], [0, 0, 0], 2, [
      geoKeys([
        [3076, 9002],
        [4099, 9001],
      ]),
    ]);
    const { cloud } = parseLas(bytes, 'b.las');
    expect(cloud.positions[3] - cloud.positions[0]).toBeCloseTo(3.28 * 0.3048, 5);
    expect(cloud.positions[5] - cloud.positions[2]).toBeCloseTo(6.84, 5);
  });

  it('reads the projected unit of WKT1, not its geographic one, and a compound VERT_CS', () => {
    const text =
      'COMPD_CS["NAD83 / Ohio North (ftUS) + NAVD88",PROJCS["NAD83 / Ohio North (ftUS)",' +
      'GEOGCS["NAD83",DATUM["North_American_Datum_1983",SPHEROID["GRS 1980",6378137,298.257222101]],' +
      'UNIT["degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic_2SP"],' +
      'UNIT["US survey foot",0.304800609601219]],VERT_CS["NAVD88 height",UNIT["metre",1]]]';
    const units = wktUnits(text);
    expect(units.horizontal).toEqual({ name: 'US survey foot', metres: 0.304800609601219 });
    expect(units.vertical).toEqual({ name: 'metre', metres: 1 });
    const bytes = lasFile(points, 6, [0.01, 0.01, 0.01], [0, 0, 0], 0, [wkt(text)]);
    const { cloud } = parseLas(bytes, 'c.las');
    expect(cloud.positions[3] - cloud.positions[0]).toBeCloseTo(3.28 * 0.304800609601219, 5);
    expect(cloud.positions[5] - cloud.positions[2]).toBeCloseTo(6.84, 5);
  });

  it('reads WKT2 length units inside a projected CRS', () => {
    const text =
      'PROJCRS["WGS 84 / UTM zone 32N",BASEGEOGCRS["WGS 84",DATUM["World Geodetic System 1984",' +
      'ELLIPSOID["WGS 84",6378137,298.257223563,LENGTHUNIT["metre",1]]],ANGLEUNIT["degree",0.0174532925199433]],' +
      'CONVERSION["UTM zone 32N",METHOD["Transverse Mercator"]],CS[Cartesian,2],' +
      'AXIS["easting",east,LENGTHUNIT["metre",1]],AXIS["northing",north,LENGTHUNIT["metre",1]]]';
    expect(wktUnits(text).horizontal).toEqual({ name: 'metre', metres: 1 });
  });

  it('leaves files without a CRS as they are, and refuses broken or unknown records', () => {
    const plain = lasFile(points, 1, [0.01, 0.01, 0.01], [0, 0, 0]);
    expect(lasUnits(plain, 'd.las')).toEqual({});
    expect(parseLas(plain, 'd.las').cloud.positions[3]).toBeCloseTo(13.28, 4);
    expect(() =>
      lasUnits(lasFile(points, 1, [1, 1, 1], [0, 0, 0], 2, [geoKeys([[3076, 9999]])]), 'e.las'),
    ).toThrow(/9999/);
    const broken = lasFile(points, 1, [0.01, 0.01, 0.01], [0, 0, 0], 2, [geoKeys([[3076, 9003]])]);
    // The record claims more bytes than there are before the points.
    new DataView(broken.buffer).setUint16(227 + 20, 60_000, true);
    expect(() => lasUnits(broken, 'f.las')).toThrow(ParseError);
    try {
      lasUnits(broken, 'f.las');
    } catch (e) {
      expect((e as ParseError).location).toMatchObject({ file: 'f.las', byteOffset: 247 });
    }
  });
});
