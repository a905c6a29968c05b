/**
 * Copies the generated scene bundles (`npm run scenes` → scenes/<id>/) into the production build
 * at scenes/<id>/, so the app opens the built-in rooms like any other scene folder instead of
 * regenerating them in the worker. The dev server needs no help (it serves scenes/<id>/ from the
 * project root at /scenes/<id>/), and preview serves the build. Without `ids`, all of
 * BUILT_IN_SCENE_IDS.
 */
import { cpSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Plugin } from 'vite';

/** The generated bundles the app lists as built-in scenes (src/hosts/browser/built-in-scenes.ts). */
export const BUILT_IN_SCENE_IDS: readonly string[] = ['demo-room', 'cluttered-room'];

export function sceneBundles(
  ids: readonly string[] = BUILT_IN_SCENE_IDS,
  scenesDir = resolve('scenes'),
): Plugin {
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
