/**
 * The layers hold: scripts/check-layers.ts builds the clean tree with tsc -b in a temporary copy,
 * then drops one deliberate violation at a time into a layer and expects tsc -b (or eslint, for
 * the viewer's runtime imports of the pipeline) to reject it, and the allowed look-alikes to pass.
 * Slow (one incremental build per case, about a minute on 2 cores): integration tier.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { describe, expect, it } from 'vitest';
import { LAYER_CASES, checkLayers, type LayerReport } from '../../scripts/check-layers';

const copies = () =>
  fs
    .readdirSync(os.tmpdir())
    .filter((name) => name.startsWith('check-layers-'))
    .sort();

describe('check-layers', () => {
  let report: LayerReport;

  it('builds the clean tree and judges every case as expected, leaving no copy behind', async () => {
    const before = copies();
    report = await checkLayers();
    expect(copies()).toEqual(before);
    expect(report.clean.ok, report.clean.output).toBe(true);
    expect(report.cases).toHaveLength(LAYER_CASES.length);
    const wrong = report.cases.filter((r) => !r.ok);
    expect(wrong.map((r) => `${r.layer}: ${r.what}: ${r.outcome} (${r.reason ?? ''})`)).toEqual([]);
    expect(report.ok).toBe(true);
  }, 600_000);

  it('covers each layer, with rejections for the reasons the layer gives', () => {
    const reasonOf = (layer: string, what: string) =>
      report.cases.find((r) => r.layer === layer && r.what === what)?.reason ?? '';
    // Forbidden packages land on the file no project lists; other layers are not listed either.
    expect(reasonOf('src/pipeline', "imports 'three'")).toMatch(/^TS6307: .*not-in-this-layer\.ts/);
    expect(reasonOf('src/pipeline', "imports 'comlink'")).toMatch(/^TS6307/);
    expect(reasonOf('src/pipeline', 'imports a host')).toMatch(/^TS6307: .*src\/hosts\/node/);
    expect(reasonOf('src/tokens', 'imports src/pipeline')).toMatch(/^TS6307: .*src\/pipeline/);
    // No DOM and no Node types in the pure layers.
    expect(reasonOf('src/pipeline', 'uses document (DOM)')).toMatch(/^TS2584/);
    expect(reasonOf('src/pipeline', 'uses process (Node)')).toMatch(/^TS2591/);
    expect(reasonOf('src/tokens', 'uses TextEncoder (not ES)')).toMatch(/^TS2304/);
    // The viewer's runtime import of the pipeline is eslint's to catch; its type imports pass.
    expect(reasonOf('src/viewer', 'imports pipeline code at run time')).toMatch(
      /no-restricted-imports/,
    );
    const layers = new Set(
      report.cases.filter((r) => r.outcome === 'rejected').map((r) => r.layer),
    );
    expect([...layers].sort()).toEqual(
      [
        'src/cli',
        'src/demo-room',
        'src/hosts/browser',
        'src/hosts/node',
        'src/pipeline',
        'src/tokens',
        'src/viewer',
        'workers',
      ].sort(),
    );
    expect(report.cases.some((r) => r.expect === 'accepted' && r.checker === 'tsc')).toBe(true);
  });
});
