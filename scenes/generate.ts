/**
 * `npm run scenes`: writes the generated rooms as scene bundles, the demo room under
 * scenes/demo-room/ and the cluttered room under scenes/cluttered-room/ (both git-ignored), and
 * their committed query files scenes/<room>.queries.json. Skips the work when a bundle's
 * manifest already records the same generator stamp (version, options and a digest of the
 * generator's source), unless --force. tests/global-setup.ts calls writeDemoRoomBundle for each.
 *
 *   npm run scenes -- [--layout demo|cluttered] [--force] [--seed N] [--views N] [--width W]
 *                     [--height H] [--out DIR]
 *
 * Without --layout both rooms are written (with --out, only the demo room).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from '../src/cli/args';
import {
  buildDemoRoom,
  DEMO_ROOM_GENERATOR_VERSION,
  DEMO_ROOM_LAYOUTS,
  demoRoomSceneName,
  resolveDemoRoomOptions,
  type DemoRoom,
  type DemoRoomLayoutKind,
  type DemoRoomOptions,
  type ResolvedDemoRoomOptions,
} from '../src/demo-room/demo-room';
import { demoRoomQueries, formatQueryFile } from '../src/demo-room/queries';
import { BUNDLE_MANIFEST } from '../src/pipeline/scene/bundle/manifest';
import { writeSceneBundle } from '../src/pipeline/scene/bundle/bundle-writer';
import { removeStaleStagingDirs, stagingDirOf, withStagingDir } from './staging-dirs';

const thisFile = fileURLToPath(import.meta.url);
const scenesDir = dirname(thisFile);
const repoRoot = dirname(scenesDir);
/** Where each layout's bundle goes by default: scenes/<scene name>/. */
export function defaultBundleDir(layout: DemoRoomLayoutKind = 'demo'): string {
  return join(scenesDir, demoRoomSceneName(layout));
}
export const DEFAULT_DEMO_ROOM_DIR = defaultBundleDir('demo');
export const DEFAULT_CLUTTERED_ROOM_DIR = defaultBundleDir('cluttered');
/** The committed query file of a layout: scenes/<scene name>.queries.json. */
export function committedQueriesFile(layout: DemoRoomLayoutKind = 'demo'): string {
  return join(scenesDir, `${demoRoomSceneName(layout)}.queries.json`);
}

export interface GeneratorStamp {
  name: string;
  version: number;
  options: ResolvedDemoRoomOptions;
  /** Digest of the source files this script imports (relative imports, transitively). */
  source: string;
  hash: string;
}

/**
 * sha256 over the path and text of every file reachable from this script by relative imports:
 * an edit to the generator, the bundle writer or anything they use rebuilds the bundle, even
 * without a DEMO_ROOM_GENERATOR_VERSION bump, so tests never read a bundle older than the code.
 */
export function generatorSourceDigest(): string {
  const seen = new Set<string>();
  const pending = [thisFile];
  const importRe = /\b(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g;
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(importRe)) {
      const base = resolve(dirname(file), m[1]);
      const target = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), base].find((p) =>
        existsSync(p),
      );
      if (target) pending.push(target);
    }
  }
  const h = createHash('sha256');
  for (const file of [...seen].sort()) {
    h.update(relative(repoRoot, file).split('\\').join('/') + '\0');
    h.update(readFileSync(file));
    h.update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

export function demoRoomStamp(
  options: ResolvedDemoRoomOptions,
  source = generatorSourceDigest(),
): GeneratorStamp {
  const name = demoRoomSceneName(options.layout);
  const key = JSON.stringify({ name, version: DEMO_ROOM_GENERATOR_VERSION, options, source });
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 16);
  return { name, version: DEMO_ROOM_GENERATOR_VERSION, options, source, hash };
}

/** The generator hash recorded in a bundle's manifest, if the folder holds one. */
export function recordedStampHash(outDir: string): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(join(outDir, BUNDLE_MANIFEST), 'utf8'));
    return typeof manifest?.generator?.hash === 'string' ? manifest.generator.hash : undefined;
  } catch {
    return undefined;
  }
}

export interface WriteDemoRoomRequest {
  /** `layout` picks the room (default the demo room). */
  options?: DemoRoomOptions;
  /** Default scenes/demo-room or scenes/cluttered-room (defaultBundleDir). */
  outDir?: string;
  /** Rebuild even when the recorded stamp matches. */
  force?: boolean;
  /** Render + encode progress, e.g. to stderr. */
  onProgress?: (done: number, total: number, unit: string) => void;
}

export interface WriteDemoRoomResult {
  outDir: string;
  stamp: GeneratorStamp;
  /** False when the folder already held this stamp's bundle. */
  wrote: boolean;
  /** Set when wrote: the room, the files' total size and the timings in milliseconds. */
  room?: DemoRoom;
  fileCount?: number;
  bytes?: number;
  wroteQueries?: boolean;
  timingsMs?: { build: number; encode: number; write: number };
}

/** Builds and writes a room's bundle unless the folder already holds the same stamp's. */
export async function writeDemoRoomBundle(
  request: WriteDemoRoomRequest = {},
): Promise<WriteDemoRoomResult> {
  const options = resolveDemoRoomOptions(request.options);
  const defaultDir = defaultBundleDir(options.layout);
  const outDir = request.outDir ? resolve(request.outDir) : defaultDir;
  const stamp = demoRoomStamp(options);
  if (request.force !== true && recordedStampHash(outDir) === stamp.hash) {
    return { outDir, stamp, wrote: false };
  }
  const isDefault =
    JSON.stringify(options) === JSON.stringify(resolveDemoRoomOptions({ layout: options.layout }));

  const t0 = performance.now();
  const room = buildDemoRoom(options);
  const t1 = performance.now();
  const files = await writeSceneBundle(room.scene, {
    onProgress: (p) => request.onProgress?.(p.done, p.total, p.unit ?? ''),
  });
  const t2 = performance.now();

  // Record what produced the bundle, so the next run can skip it (readers ignore extra fields).
  const manifest = JSON.parse(new TextDecoder().decode(files.get(BUNDLE_MANIFEST)));
  manifest.generator = stamp;
  files.set(BUNDLE_MANIFEST, new TextEncoder().encode(JSON.stringify(manifest, null, 1) + '\n'));
  const queriesText = formatQueryFile(
    demoRoomQueries(room.layout, demoRoomSceneName(options.layout)),
  );
  files.set('queries.json', new TextEncoder().encode(queriesText));

  // Write next to the target and swap, so an interrupted run never leaves half a bundle behind
  // (nor, once it is cleaned up, its staging folder: see staging-dirs.ts).
  removeStaleStagingDirs(outDir);
  const tmpDir = stagingDirOf(outDir);
  rmSync(tmpDir, { recursive: true, force: true });
  let bytes = 0;
  await withStagingDir(tmpDir, () => {
    for (const [path, data] of files) {
      const target = join(tmpDir, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, data);
      bytes += data.length;
    }
    // Another process (a parallel test run) may have written the same bundle meanwhile: keep
    // theirs rather than pull it away from under its readers.
    if (request.force !== true && recordedStampHash(outDir) === stamp.hash) {
      rmSync(tmpDir, { recursive: true, force: true });
    } else {
      if (existsSync(outDir)) rmSync(outDir, { recursive: true });
      renameSync(tmpDir, outDir);
    }
  });
  const wroteQueries = isDefault && outDir === defaultDir;
  if (wroteQueries) writeFileSync(committedQueriesFile(options.layout), queriesText);
  const t3 = performance.now();
  return {
    outDir,
    stamp,
    wrote: true,
    room,
    fileCount: files.size,
    bytes,
    wroteQueries,
    timingsMs: { build: t1 - t0, encode: t2 - t1, write: t3 - t2 },
  };
}

function intFlag(flags: Record<string, string | true>, name: string): number | undefined {
  const v = flags[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v === true || !Number.isInteger(n)) throw new Error(`--${name} needs an integer`);
  return n;
}

async function main() {
  const { flags } = parseArgs(process.argv.slice(2));
  const requested = flags.layout;
  if (requested !== undefined && !DEMO_ROOM_LAYOUTS.includes(requested as DemoRoomLayoutKind)) {
    throw new Error(`--layout must be one of ${DEMO_ROOM_LAYOUTS.join(', ')}`);
  }
  const out = typeof flags.out === 'string' ? flags.out : undefined;
  const layouts: readonly DemoRoomLayoutKind[] =
    requested !== undefined
      ? [requested as DemoRoomLayoutKind]
      : out !== undefined
        ? ['demo']
        : DEMO_ROOM_LAYOUTS;
  for (const layout of layouts) {
    const result = await writeDemoRoomBundle({
      options: {
        layout,
        seed: intFlag(flags, 'seed'),
        views: intFlag(flags, 'views'),
        width: intFlag(flags, 'width'),
        height: intFlag(flags, 'height'),
      },
      outDir: out,
      force: flags.force === true,
      onProgress: progressWriter(),
    });
    report(result);
  }
}

/**
 * Progress on stderr: one line rewritten in place (carriage returns) on a terminal; otherwise
 * (a log, CI, a pipe) plain lines, about every tenth of the work, so the log stays readable.
 */
function progressWriter(tty = process.stderr.isTTY === true) {
  let shown = -1;
  return (done: number, total: number, unit: string) => {
    const text = `render + encode ${done}/${total} ${unit}`;
    if (tty) {
      process.stderr.write(`\r${text}`);
      if (done === total) process.stderr.write('\n');
      return;
    }
    const tenth = Math.floor((10 * done) / Math.max(1, total));
    if (tenth > shown || done === total) {
      shown = tenth;
      process.stderr.write(`${text}\n`);
    }
  };
}

function report(result: WriteDemoRoomResult) {
  const show = (p: string) => relative(process.cwd(), p) || '.';
  const { outDir, stamp, room, timingsMs } = result;
  if (!result.wrote || !room || !timingsMs) {
    console.log(
      `${show(outDir)} is up to date (generator v${stamp.version}, ${stamp.hash}); --force to rebuild`,
    );
    return;
  }
  const { options } = room;
  const cloudPoints = room.scene.cloud!.positions.length / 3;
  console.log(
    `wrote ${show(outDir)}: ${result.fileCount} files, ${((result.bytes ?? 0) / 1e6).toFixed(1)} MB; ` +
      `${room.scene.frames.length} views ${options.width}x${options.height}, ` +
      `${cloudPoints} points, ${room.layout.objects.length} objects (seed ${options.seed}, ` +
      `room ${room.layout.width} x ${room.layout.depth} x ${room.layout.height} m)`,
  );
  for (const o of room.layout.objects) {
    const size = o.aabb.max.map((v, k) => (v - o.aabb.min[k]).toFixed(2)).join(' x ');
    console.log(
      `  ${String(o.id).padStart(2)} ${o.label.padEnd(8)} ${o.colorName.padEnd(7)} ${size} m`,
    );
  }
  if (result.wroteQueries) console.log(`wrote ${show(committedQueriesFile(options.layout))}`);
  const s = (ms: number) => (ms / 1000).toFixed(2);
  console.log(
    `timings: layout + cloud ${s(timingsMs.build)} s, render + encode ${s(timingsMs.encode)} s, ` +
      `write ${s(timingsMs.write)} s`,
  );
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === thisFile;
if (isMain) {
  main().catch((err: unknown) => {
    console.error(`scenes: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
