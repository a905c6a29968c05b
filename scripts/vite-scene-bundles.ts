/**
 * Serves the generated scene bundles (`npm run scenes` → scenes/<id>/) at /scenes/<id>/ in dev
 * and preview, and copies them into the production build, so the app opens the demo room like
 * any other scene folder instead of regenerating it in the worker.
 */
import { cpSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Plugin } from 'vite';

export function sceneBundles(ids: readonly string[], scenesDir = resolve('scenes')): Plugin {
  let outDir = 'dist';
  return {
    name: 'scene-bundles',
    // Only `vite build`: vitest's server also closes a (dummy) bundle, which must not get copies.
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      for (const id of ids) {
        const from = join(scenesDir, id);
        if (!existsSync(join(from, 'scene.json'))) {
          throw new Error(`${from} is missing: run \`npm run scenes\` before building`);
        }
        cpSync(from, join(outDir, 'scenes', id), { recursive: true });
      }
    },
  };
}
