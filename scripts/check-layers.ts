/**
 * Shows that the layers hold (tsconfig.json: one project per layer, built by `tsc -b`).
 *
 * In a temporary copy of the tree (node_modules linked, removed afterwards whatever happens):
 * 1. the clean tree builds: `tsc -b`;
 * 2. each deliberate violation, one small file dropped into a layer, makes `tsc -b <layer>`
 *    fail in that very file, and the allowed look-alikes (a type import, a sibling import)
 *    do not. One case per build (tsc reports a file no project lists once, at its first
 *    importer); layers are checked leaves first, so each build redoes only the layer itself.
 * Then, with eslint on the same kind of snippets (linted as text, no files): what the compiler
 * cannot tell apart, the viewer's runtime imports of the pipeline against its type imports.
 *
 * Usage: npm run check:layers [-- --json]. Exits 1 when the clean tree fails or any case
 * does not come out as expected.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export type Checker = 'tsc' | 'eslint';
export type Outcome = 'rejected' | 'accepted';

export interface LayerCase {
  /** The layer folder the file goes into (relative to the repo). */
  layer: string;
  /** What the file does, for the report. */
  what: string;
  checker: Checker;
  expect: Outcome;
  source: string;
  /** File extension (default .ts). */
  ext?: '.ts' | '.tsx';
}

export interface CaseResult extends LayerCase {
  file: string;
  outcome: Outcome;
  /** The first diagnostic in the file ('TS6307: …' or 'rule: …'), when rejected. */
  reason?: string;
  ok: boolean;
}

export interface LayerReport {
  clean: { ok: boolean; seconds: number; output: string };
  cases: CaseResult[];
  ok: boolean;
}

const rejected = (layer: string, what: string, source: string, checker: Checker = 'tsc') =>
  ({ layer, what, source, checker, expect: 'rejected' }) satisfies LayerCase;
const accepted = (layer: string, what: string, source: string, checker: Checker = 'tsc') =>
  ({ layer, what, source, checker, expect: 'accepted' }) satisfies LayerCase;

/** Leaves first (see the header): a layer's check never invalidates a layer checked later. */
export const LAYER_CASES: LayerCase[] = [
  // src/viewer: DOM, React, three; no Node, no hosts or CLI; the pipeline through workers/.
  rejected(
    'src/viewer',
    "imports 'node:fs'",
    "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n",
  ),
  rejected('src/viewer', 'uses process (Node)', 'export const env = process.env.NODE_ENV;\n'),
  rejected(
    'src/viewer',
    'imports the CLI',
    "import { main } from '../cli/main';\nexport const m = main;\n",
  ),
  accepted(
    'src/viewer',
    'imports a pipeline type',
    "import type { PipelineDefaults } from '../pipeline/session/types';\nexport type D = PipelineDefaults;\n",
  ),
  // src/cli: Node; no DOM, no viewer.
  rejected('src/cli', 'uses document (DOM)', 'export const t = document.title;\n'),
  rejected(
    'src/cli',
    'imports the viewer',
    "import { getState } from '../viewer/store';\nexport const s = getState;\n",
  ),
  // workers: the worker realm; no DOM document, no Node, no viewer.
  rejected('workers', 'uses document (DOM)', 'export const t = document.title;\n'),
  rejected(
    'workers',
    "imports 'node:fs'",
    "import * as fs from 'node:fs';\nexport const f = fs;\n",
  ),
  rejected(
    'workers',
    'imports the viewer',
    "import { getState } from '../src/viewer/store';\nexport const s = getState;\n",
  ),
  // src/hosts/browser: no Node, not the Node host.
  rejected(
    'src/hosts/browser',
    "imports 'node:fs/promises'",
    "import { readFile } from 'node:fs/promises';\nexport const r = readFile;\n",
  ),
  rejected(
    'src/hosts/browser',
    'imports the Node host',
    "import { nodePlatform } from '../node/platform';\nexport const p = nodePlatform;\n",
  ),
  // src/hosts/node: no DOM, not the browser host.
  rejected('src/hosts/node', 'uses document (DOM)', 'export const t = document.title;\n'),
  rejected(
    'src/hosts/node',
    'imports the browser host',
    "import { browserPlatform } from '../browser/platform';\nexport const p = browserPlatform;\n",
  ),
  // src/demo-room: pure, like the pipeline.
  rejected(
    'src/demo-room',
    "imports 'node:fs'",
    "import { writeFileSync } from 'node:fs';\nexport const w = writeFileSync;\n",
  ),
  accepted(
    'src/demo-room',
    'imports the pipeline',
    "import { mulberry32 } from '../pipeline/random';\nexport const r = mulberry32(1);\n",
  ),
  // src/pipeline: pure TS; src/pipeline and src/tokens only.
  rejected(
    'src/pipeline',
    "imports 'node:fs'",
    "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n",
  ),
  rejected(
    'src/pipeline',
    "imports 'fs' (no node: prefix)",
    "import { readFileSync } from 'fs';\nexport const f = readFileSync;\n",
  ),
  rejected('src/pipeline', 'uses process (Node)', 'export const env = process.env.NODE_ENV;\n'),
  rejected('src/pipeline', 'uses Buffer (Node)', "export const b = Buffer.from('x').length;\n"),
  rejected(
    'src/pipeline',
    'uses document (DOM)',
    "export const c = document.createElement('canvas');\n",
  ),
  rejected(
    'src/pipeline',
    'names a DOM type',
    'export function size(canvas: OffscreenCanvas): number {\n  return canvas.width;\n}\n',
  ),
  rejected('src/pipeline', 'uses self (worker)', 'export const c = self.crossOriginIsolated;\n'),
  rejected(
    'src/pipeline',
    "imports 'three'",
    "import { Vector3 } from 'three';\nexport const v = new Vector3();\n",
  ),
  rejected(
    'src/pipeline',
    "imports 'three' for a type only",
    "import type { Vector3 } from 'three';\nexport type V = Vector3;\n",
  ),
  rejected(
    'src/pipeline',
    "imports 'react'",
    "import { useState } from 'react';\nexport const u = useState;\n",
  ),
  rejected(
    'src/pipeline',
    "imports 'comlink'",
    "import * as Comlink from 'comlink';\nexport const c = Comlink;\n",
  ),
  rejected(
    'src/pipeline',
    'imports a host',
    "import { nodePlatform } from '../hosts/node/platform';\nexport const p = nodePlatform;\n",
  ),
  rejected(
    'src/pipeline',
    'imports workers/',
    "import type { PipelineApi } from '../../workers/pipeline-api';\nexport type A = PipelineApi;\n",
  ),
  accepted(
    'src/pipeline',
    'imports src/tokens and uses TextDecoder',
    "import { encodeBoxToTokens } from '../tokens';\nexport const t = encodeBoxToTokens;\nexport const s = new TextDecoder().decode(new Uint8Array(1));\n",
  ),
  // src/tokens: pure ES, nothing outside src/tokens.
  rejected(
    'src/tokens',
    'imports src/pipeline',
    "import { QUERY_DEFAULTS } from '../pipeline/defaults';\nexport const q = QUERY_DEFAULTS;\n",
  ),
  rejected(
    'src/tokens',
    'imports a package (fflate)',
    "import { zlibSync } from 'fflate';\nexport const z = zlibSync;\n",
  ),
  rejected(
    'src/tokens',
    'uses TextEncoder (not ES)',
    "export const b = new TextEncoder().encode('x');\n",
  ),
  rejected('src/tokens', 'uses process (Node)', 'export const env = process.env.NODE_ENV;\n'),
  accepted(
    'src/tokens',
    'imports a sibling',
    "import { encodeBoxToTokens } from './location-tokens';\nexport const t = encodeBoxToTokens;\n",
  ),

  // eslint: what tsc cannot see.
  rejected(
    'src/viewer',
    'imports pipeline code at run time',
    "import { QUERY_DEFAULTS } from '../pipeline/defaults';\nexport const q = QUERY_DEFAULTS;\n",
    'eslint',
  ),
  rejected(
    'src/viewer',
    'imports src/tokens at run time',
    "import { encodeBoxToTokens } from '../tokens';\nexport const t = encodeBoxToTokens;\n",
    'eslint',
  ),
  accepted(
    'src/viewer',
    'imports a pipeline type',
    "import type { Progress } from '../pipeline/progress';\nexport type P = Progress;\n",
    'eslint',
  ),
  accepted(
    'src/viewer',
    'imports the worker client',
    "import { createPipelineClient } from '../../workers/client';\nexport const c = createPipelineClient;\n",
    'eslint',
  ),
  rejected(
    'src/pipeline',
    "imports 'onnxruntime-node' (a host capability)",
    "import * as ort from 'onnxruntime-node';\nexport const o = ort;\n",
    'eslint',
  ),
  accepted(
    'src/pipeline',
    "imports 'onnxruntime-web' (the portable default)",
    "import * as ort from 'onnxruntime-web';\nexport const o = ort;\n",
    'eslint',
  ),
  rejected(
    'src/hosts/browser',
    "imports 'onnxruntime-node'",
    "import * as ort from 'onnxruntime-node';\nexport const o = ort;\n",
    'eslint',
  ),
  rejected(
    'workers',
    "imports 'onnxruntime-node'",
    "import { InferenceSession } from 'onnxruntime-node';\nexport const s = InferenceSession;\n",
    'eslint',
  ),
  rejected(
    'src/pipeline',
    'references the DOM lib (/// <reference lib>)',
    '/// <reference lib="dom" />\nexport const x = 1;\n',
    'eslint',
  ),
];

/**
 * What the copy holds: the tsconfig projects' inputs (tsconfig*.json files and the folders they
 * include), package.json, and the last build's .tsbuild/ so the clean build is incremental.
 */
const COPIED = ['src', 'workers', 'tests', 'bench', 'scripts', 'scenes', 'vite.config.ts'];
const COPIED_FILES = /^(tsconfig(\.[\w-]+)?\.json|package\.json)$/;
/** Generated data inside the copied folders that no project reads. */
const SKIPPED = new Set([path.join('scenes', 'demo-room')]);

function copyTree(from: string, to: string): void {
  const top = fs
    .readdirSync(from)
    .filter((name) => COPIED.includes(name) || COPIED_FILES.test(name) || name === '.tsbuild');
  for (const name of top) {
    fs.cpSync(path.join(from, name), path.join(to, name), {
      recursive: true,
      filter: (src) => !SKIPPED.has(path.relative(from, src)),
    });
  }
  fs.symlinkSync(path.join(from, 'node_modules'), path.join(to, 'node_modules'), 'junction');
}

const TSC = path.join(REPO, 'node_modules', 'typescript', 'lib', 'tsc.js');

function tscBuild(cwd: string, project?: string): { status: number; output: string } {
  const args = [TSC, '-b', ...(project ? [project] : []), '--pretty', 'false'];
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 26 });
  // Paths relative to the copy's root read as they would in the repo.
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.split(`${cwd}${path.sep}`).join('');
  return { status: r.status ?? 1, output };
}

/** `file(line,col): error TSxxxx: message` lines, keyed by the file's path relative to `cwd`. */
function diagnosticsByFile(output: string, cwd: string): Map<string, string[]> {
  const byFile = new Map<string, string[]>();
  for (const line of output.split('\n')) {
    const m = /^(.+?)\(\d+,\d+\): error (TS\d+: .*)$/.exec(line.trim());
    if (!m) continue;
    const file = path.relative(cwd, path.resolve(cwd, m[1])).split(path.sep).join('/');
    const list = byFile.get(file) ?? [];
    list.push(m[2]);
    byFile.set(file, list);
  }
  return byFile;
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);

const caseFile = (c: LayerCase, i: number) =>
  `${c.layer}/__layer-check-${String(i).padStart(2, '0')}-${slug(c.what)}${c.ext ?? '.ts'}`;

/** The diagnostics that say why, before their knock-on effects (rootDir, missing members). */
const TELLING = ['TS6307', 'TS2307', 'TS2882', 'TS2591', 'TS2580', 'TS2584', 'TS2304'];

function result(c: LayerCase, file: string, reasons: string[] | undefined): CaseResult {
  const outcome: Outcome = reasons && reasons.length > 0 ? 'rejected' : 'accepted';
  const rank = (r: string) => {
    const i = TELLING.indexOf(r.slice(0, r.indexOf(':')));
    return i < 0 ? TELLING.length : i;
  };
  const reason = reasons?.slice().sort((a, b) => rank(a) - rank(b))[0];
  return { ...c, file, outcome, reason, ok: outcome === c.expect };
}

async function eslintCases(cases: { c: LayerCase; file: string }[]): Promise<CaseResult[]> {
  const eslint = new ESLint({ cwd: REPO });
  const out: CaseResult[] = [];
  for (const { c, file } of cases) {
    const [lint] = await eslint.lintText(c.source, { filePath: path.join(REPO, file) });
    const reasons = (lint?.messages ?? [])
      .filter((m) => m.severity === 2)
      .map((m) => `${m.ruleId ?? 'eslint'}: ${m.message}`);
    out.push(result(c, file, reasons));
  }
  return out;
}

export async function checkLayers(
  options: { cases?: LayerCase[]; log?: (line: string) => void } = {},
): Promise<LayerReport> {
  const cases = options.cases ?? LAYER_CASES;
  const log = options.log ?? (() => undefined);
  const named = cases.map((c, i) => ({ c, file: caseFile(c, i) }));
  const results = new Map<string, CaseResult>();

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'check-layers-'));
  let clean: LayerReport['clean'];
  try {
    copyTree(REPO, tmp);
    log(`copied the tree to ${tmp}`);
    const t0 = performance.now();
    const build = tscBuild(tmp);
    clean = {
      ok: build.status === 0,
      seconds: (performance.now() - t0) / 1000,
      output: build.output.trim(),
    };
    log(`tsc -b of the clean tree: ${clean.seconds.toFixed(1)} s`);

    if (clean.ok) {
      // One build per case, in the order the cases list them (leaves first).
      for (const { c, file } of named.filter((n) => n.c.checker === 'tsc')) {
        const at = path.join(tmp, file);
        fs.writeFileSync(at, c.source);
        try {
          const run = tscBuild(tmp, `${c.layer}/tsconfig.json`);
          results.set(file, result(c, file, diagnosticsByFile(run.output, tmp).get(file)));
        } finally {
          fs.rmSync(at);
        }
        log(`${c.layer}: ${c.what}: ${results.get(file)?.outcome}`);
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  for (const r of await eslintCases(named.filter((n) => n.c.checker === 'eslint')))
    results.set(r.file, r);

  const ordered = named.flatMap((n) => results.get(n.file) ?? []);
  return {
    clean,
    cases: ordered,
    ok: clean.ok && ordered.length === cases.length && ordered.every((r) => r.ok),
  };
}

export function formatReport(report: LayerReport): string {
  const lines = [
    `clean tree: tsc -b ${report.clean.ok ? 'passes' : 'FAILS'} (${report.clean.seconds.toFixed(1)} s)`,
  ];
  if (!report.clean.ok) lines.push(report.clean.output);
  const width = Math.max(...report.cases.map((r) => r.layer.length + r.what.length + 3));
  for (const r of report.cases) {
    const label = `${r.layer}: ${r.what}`.padEnd(width);
    const mark = r.ok ? 'ok ' : 'BAD';
    const why = r.reason
      ? `  ${r.reason.length > 150 ? r.reason.slice(0, 147) + '...' : r.reason}`
      : '';
    lines.push(`${mark} ${label} ${r.checker.padEnd(6)} ${r.outcome.padEnd(8)}${why}`);
  }
  const good = report.cases.filter((r) => r.ok).length;
  lines.push(
    `${good}/${report.cases.length} cases as expected; ${report.ok ? 'layers hold' : 'LAYERS BROKEN'}`,
  );
  return lines.join('\n');
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const json = process.argv.includes('--json');
  const report = await checkLayers({ log: json ? undefined : (l) => console.error(l) });
  console.log(json ? JSON.stringify(report, null, 2) : formatReport(report));
  process.exitCode = report.ok ? 0 : 1;
}
