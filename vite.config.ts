import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { sceneBundles } from './scripts/vite-scene-bundles';

// onnxruntime-web uses wasm threads, which need cross-origin isolation (SharedArrayBuffer).
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react(), sceneBundles()],
  server: { headers: isolationHeaders, host: '127.0.0.1' },
  preview: { headers: isolationHeaders, host: '127.0.0.1' },
  // Pre-bundle every dependency the page and the workers import (the dependency scan follows
  // the page's static imports only): one found later makes the dev server re-optimise and
  // reload the page mid-run. Keep in step with the bare imports of src/ and workers/.
  optimizeDeps: {
    include: [
      // The page (src/main.tsx, src/viewer).
      'react',
      'react/jsx-runtime',
      'react/jsx-dev-runtime',
      'react-dom',
      'react-dom/client',
      'three',
      'three/examples/jsm/lines/LineMaterial.js',
      'three/examples/jsm/lines/LineSegments2.js',
      'three/examples/jsm/lines/LineSegmentsGeometry.js',
      '@react-three/fiber',
      '@react-three/drei',
      // The workers (workers/, src/pipeline, src/hosts/browser); laz-perf on the first LAZ file.
      'comlink',
      'fflate',
      'fast-png',
      'jpeg-js',
      'onnxruntime-web',
      'laz-perf/lib/worker/laz-perf.js',
    ],
    exclude: [],
  },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  // Test tiers (README "Tests"): unit is `npm test` and stays under a minute on 2 cores; files
  // named *.integration.test.ts are the slow ones (full demo-room extraction, real data, CLI
  // subprocesses, the layer check, Python oracles); e2e drives Chromium against a build.
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          setupFiles: ['tests/setup-node-platform.ts'],
          globalSetup: ['tests/global-setup.ts'],
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/e2e/**', 'tests/**/*.integration.test.ts'],
          environment: 'node',
          // Under a minute on 2 cores: one worker per core (the default leaves one idle), worker
          // threads, and modules shared between the files of a worker instead of re-imported per
          // file (isolate: false halves the CPU time). Files must not leave global state behind:
          // setup-node-platform.ts installs the Node platform before each file, and the tier
          // passes with its files shuffled (--sequence.shuffle.files).
          maxWorkers: '100%',
          pool: 'threads',
          isolate: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          setupFiles: ['tests/setup-node-platform.ts'],
          globalSetup: ['tests/global-setup.ts'],
          include: ['tests/**/*.integration.test.ts'],
          exclude: ['tests/e2e/**'],
          environment: 'node',
          testTimeout: 600_000,
          hookTimeout: 300_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          setupFiles: ['tests/setup-node-platform.ts'],
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 600_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
