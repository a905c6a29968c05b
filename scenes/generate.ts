/**
 * `npm run scenes`: writes the generated demo room as a scene bundle under scenes/demo-room/
 * (git-ignored) and the committed query file scenes/demo-room.queries.json. Skips the work when
 * the bundle's manifest already records the same generator version and options, unless --force.
 *
 *   npm run scenes -- [--force] [--seed N] [--views N] [--width W] [--height H] [--out DIR]
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from '../src/cli/args';
import {
  buildDemoRoom,
  DEMO_ROOM_GENERATOR_VERSION,
  resolveDemoRoomOptions,
  type DemoRoomOptions,
  type ResolvedDemoRoomOptions,
} from '../src/pipeline/demo/demo-room';
import { demoRoomQueries, formatQueryFile } from '../src/pipeline/demo/queries';
import { BUNDLE_MANIFEST } from '../src/pipeline/scene/bundle/manifest';
import { writeSceneBundle } from '../src/pipeline/scene/bundle/bundle-writer';

const scenesDir = dirname(fileURLToPath(import.meta.url));
const DEFAULT_OUT = join(scenesDir, 'demo-room');
const COMMITTED_QUERIES = join(scenesDir, 'demo-room.queries.json');
const GENERATOR_NAME = 'demo-room';

interface GeneratorStamp {
  name: string;
  version: number;
  options: ResolvedDemoRoomOptions;
  hash: string;
}

function stampFor(options: ResolvedDemoRoomOptions): GeneratorStamp {
  const key = JSON.stringify({
    name: GENERATOR_NAME,
    version: DEMO_ROOM_GENERATOR_VERSION,
    options,
  });
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 16);
  return { name: GENERATOR_NAME, version: DEMO_ROOM_GENERATOR_VERSION, options, hash };
}

function existingHash(outDir: string): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(join(outDir, BUNDLE_MANIFEST), 'utf8'));
    return typeof manifest?.generator?.hash === 'string' ? manifest.generator.hash : undefined;
  } catch {
    return undefined;
  }
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
  const requested: DemoRoomOptions = {
    seed: intFlag(flags, 'seed'),
    views: intFlag(flags, 'views'),
    width: intFlag(flags, 'width'),
    height: intFlag(flags, 'height'),
  };
  const options = resolveDemoRoomOptions(requested);
  const outDir = typeof flags.out === 'string' ? resolve(flags.out) : DEFAULT_OUT;
  const show = (p: string) => relative(process.cwd(), p) || '.';
  const stamp = stampFor(options);
  const isDefault = JSON.stringify(options) === JSON.stringify(resolveDemoRoomOptions());

  if (flags.force !== true && existingHash(outDir) === stamp.hash) {
    console.log(
      `${show(outDir)} is up to date (generator v${stamp.version}, ${stamp.hash}); --force to rebuild`,
    );
    return;
  }

  const t0 = performance.now();
  const room = buildDemoRoom(options);
  const t1 = performance.now();
  const files = await writeSceneBundle(room.scene, {
    onProgress: (p) =>
      process.stderr.write(`\rrender + encode ${p.done}/${p.total} ${p.unit ?? ''}`),
  });
  process.stderr.write('\n');
  const t2 = performance.now();

  // Record what produced the bundle, so the next run can skip it (readers ignore extra fields).
  const manifest = JSON.parse(new TextDecoder().decode(files.get(BUNDLE_MANIFEST)));
  manifest.generator = stamp;
  files.set(BUNDLE_MANIFEST, new TextEncoder().encode(JSON.stringify(manifest, null, 1) + '\n'));
  const queriesText = formatQueryFile(demoRoomQueries(room.layout));
  files.set('queries.json', new TextEncoder().encode(queriesText));

  // Write next to the target and swap, so an interrupted run never leaves half a bundle behind.
  const tmpDir = `${outDir}.tmp-${process.pid}`;
  rmSync(tmpDir, { recursive: true, force: true });
  let bytes = 0;
  for (const [path, data] of files) {
    const target = join(tmpDir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, data);
    bytes += data.length;
  }
  if (existsSync(outDir)) rmSync(outDir, { recursive: true });
  renameSync(tmpDir, outDir);
  if (isDefault && outDir === DEFAULT_OUT) writeFileSync(COMMITTED_QUERIES, queriesText);
  const t3 = performance.now();

  const cloudPoints = room.scene.cloud!.positions.length / 3;
  console.log(
    `wrote ${show(outDir)}: ${files.size} files, ${(bytes / 1e6).toFixed(1)} MB; ` +
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
  if (isDefault && outDir === DEFAULT_OUT) console.log(`wrote ${show(COMMITTED_QUERIES)}`);
  console.log(
    `timings: layout + cloud ${((t1 - t0) / 1000).toFixed(2)} s, render + encode ` +
      `${((t2 - t1) / 1000).toFixed(2)} s, write ${((t3 - t2) / 1000).toFixed(2)} s`,
  );
}

main().catch((err: unknown) => {
  console.error(`scenes: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
