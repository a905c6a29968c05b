// `npm run models`: writes the bundled offline colour encoder to public/models/offline-colors/.
// Deterministic: the same bytes on every run and machine (a test regenerates and compares).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOfflineModelFiles } from '../src/pipeline/clip/offline/offline-model-files';
import { OFFLINE_MODEL_PATH } from '../src/pipeline/clip/offline/offline-spec';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Where `npm run models` writes and the dev server serves the model from. */
export const OFFLINE_MODEL_DIR = path.join(repoRoot, 'public', ...OFFLINE_MODEL_PATH.split('/'));

/** Writes the files, skipping any whose bytes are already identical (keeps mtimes for vite). */
export async function writeOfflineModel(
  outDir: string = OFFLINE_MODEL_DIR,
): Promise<{ written: string[]; unchanged: string[] }> {
  const written: string[] = [];
  const unchanged: string[] = [];
  for (const [file, bytes] of buildOfflineModelFiles()) {
    const target = path.join(outDir, ...file.split('/'));
    const existing = await fs.readFile(target).catch(() => undefined);
    if (existing && Buffer.compare(existing, bytes) === 0) {
      unchanged.push(file);
      continue;
    }
    await fs.mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.tmp-${process.pid}`;
    await fs.writeFile(temp, bytes);
    await fs.rename(temp, target);
    written.push(file);
  }
  return { written, unchanged };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const outDir = process.argv[2] ? path.resolve(process.argv[2]) : OFFLINE_MODEL_DIR;
  writeOfflineModel(outDir).then(
    ({ written }) => {
      if (written.length > 0)
        process.stderr.write(
          `models: wrote ${written.length} file(s) to ${path.relative(repoRoot, outDir) || outDir}\n`,
        );
    },
    (err) => {
      process.stderr.write(`models: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
