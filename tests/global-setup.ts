/**
 * Vitest global setup (once per run, before any test file): makes sure the generated scene
 * bundles scenes/demo-room and scenes/cluttered-room and the offline colour model under public/models/offline-colors exist
 * and match the current code, as `npm run scenes` and `npm run models` do. Both skip the work
 * when nothing changed, so a warm run costs a digest and a byte compare.
 * Tests read the bundle through tests/demo-room/generated-demo-room.ts.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDemoRoomBundle } from '../scenes/generate';
import { OFFLINE_MODEL_DIR, writeOfflineModel } from '../scripts/make-offline-model';

export async function setup(): Promise<void> {
  const t0 = performance.now();
  const [demo, cluttered, model] = await Promise.all([
    writeDemoRoomBundle(),
    writeDemoRoomBundle({ options: { layout: 'cluttered' } }),
    writeOfflineModel(),
  ]);
  const repo = fileURLToPath(new URL('..', import.meta.url));
  const done: string[] = [];
  for (const scene of [demo, cluttered]) {
    if (scene.wrote) done.push(`wrote ${path.relative(repo, scene.outDir)}`);
  }
  if (model.written.length > 0) {
    done.push(`wrote ${model.written.length} file(s) to ${path.relative(repo, OFFLINE_MODEL_DIR)}`);
  }
  if (done.length > 0) {
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    console.log(`global setup: ${done.join('; ')} (${seconds} s)`);
  }
}
