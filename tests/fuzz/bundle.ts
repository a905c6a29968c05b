/**
 * Bundles the child entry with esbuild, so children start in tens of milliseconds and their
 * memory is the reader's, not a TypeScript loader's. With `root` set to another checkout, every
 * import of this repository's src/ is redirected to root/src: the same harness and seeds run
 * against that tree's readers and writers (modules it lacks become a stub that throws on load).
 */
import { build, type Plugin } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HARNESS_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(HARNESS_DIR, '../..');

function resolveModule(base: string): string | undefined {
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && !candidate.endsWith('/')) {
      if (candidate === base && !/\.[cm]?[jt]sx?$/.test(base)) continue;
      return candidate;
    }
  }
  return undefined;
}

function redirectSrc(root: string): Plugin {
  const ownSrc = join(REPO_ROOT, 'src') + '/';
  return {
    name: 'redirect-src',
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        const absolute = resolve(args.resolveDir, args.path);
        if (!absolute.startsWith(ownSrc)) return undefined;
        const target = join(root, 'src', absolute.slice(ownSrc.length));
        const found = resolveModule(target);
        if (found) return { path: found };
        return { path: target, namespace: 'missing-module' };
      });
      b.onLoad({ filter: /.*/, namespace: 'missing-module' }, (args) => ({
        // CommonJS, so named imports of it build and the throw happens when the target loads.
        contents: `throw new Error(${JSON.stringify(`module not in this tree: ${args.path}`)});\nmodule.exports = {};`,
        loader: 'js',
      }));
    },
  };
}

/** Builds (or reuses) the child bundle for `root`; returns its path. */
export async function bundleChild(root: string): Promise<string> {
  const tag = createHash('sha1').update(resolve(root)).digest('hex').slice(0, 10);
  // Inside node_modules so the bundle's external packages resolve from this repository.
  const outDir = join(REPO_ROOT, 'node_modules', '.cache', 'fuzz');
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, `child-${tag}.mjs`);
  await build({
    entryPoints: [join(HARNESS_DIR, 'child.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
    plugins: [redirectSrc(resolve(root))],
  });
  return outfile;
}
