import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** Node's modules, with and without the node: prefix. */
const NODE_BUILTINS = ['node:*', ...builtinModules, ...builtinModules.map((m) => `${m}/*`)];

/** The native onnxruntime is a Node host capability (Platform.ort), never in browser code. */
const NATIVE_ORT_BAN = {
  group: ['onnxruntime-node', 'onnxruntime-node/*'],
  message:
    'onnxruntime-node is a host capability: src/hosts/node installs it (Platform.ort); the pipeline reaches it through ortModule() / createOrtSession().',
};

/** What the pure layers (src/pipeline, src/demo-room, src/tokens) may not import. */
const PURE_LAYER_BANS = [
  NATIVE_ORT_BAN,
  { group: NODE_BUILTINS, message: 'The pure layers run in browsers too: use a host (src/hosts).' },
  {
    group: ['three', 'three/*', 'react', 'react/*', 'react-dom', 'react-dom/*', '@react-three/*'],
    message: 'The pure layers have no UI: three and React belong to src/viewer.',
  },
  { group: ['comlink'], message: 'comlink belongs to workers/.' },
  {
    group: ['**/hosts', '**/hosts/**', '**/workers/**', '**/viewer/**', '**/cli/**', '**/main'],
    message: 'The pure layers know no host: hosts, workers, the viewer and the CLI import them.',
  },
];

export default tseslint.config(
  {
    ignores: ['.tsbuild', 'dist', 'node_modules', 'scenes/demo-room', 'public/models', 'coverage'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.worker } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  // Layers (the compiler enforces most of this too: see tsconfig.json and scripts/check-layers.ts).
  {
    // The pure layers run in the worker, in Node and in tests: no host, UI or worker code.
    files: ['src/pipeline/**/*.ts', 'src/demo-room/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...PURE_LAYER_BANS] }],
      '@typescript-eslint/triple-slash-reference': [
        'error',
        { lib: 'never', path: 'never', types: 'never' },
      ],
    },
  },
  {
    // The tokens layer: what the pure layers may not import, and nothing from the pipeline.
    files: ['src/tokens/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...PURE_LAYER_BANS,
            {
              group: ['**/pipeline', '**/pipeline/**', '**/demo-room', '**/demo-room/**'],
              message: 'src/tokens imports nothing outside src/tokens.',
            },
          ],
        },
      ],
      '@typescript-eslint/triple-slash-reference': [
        'error',
        { lib: 'never', path: 'never', types: 'never' },
      ],
    },
  },
  {
    // The page reaches the pipeline only through workers/ (its API and client); types excepted.
    files: ['src/viewer/**/*.{ts,tsx}', 'src/main.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/pipeline', '**/pipeline/**', '**/tokens', '**/tokens/**'],
              allowTypeImports: true,
              message:
                'The viewer runs no pipeline code: call the worker API (workers/client.ts, e.g. getDefaults()); `import type` is fine.',
            },
            {
              group: ['**/hosts/**', '**/cli/**', '**/demo-room/**'],
              allowTypeImports: true,
              message:
                'The viewer reaches hosts only through the worker (workers/pipeline-api.ts).',
            },
            { group: NODE_BUILTINS, message: 'The viewer runs in the browser: no Node modules.' },
            NATIVE_ORT_BAN,
          ],
        },
      ],
    },
  },
  {
    // The browser's host and the worker keep onnxruntime-web.
    files: ['src/hosts/browser/**/*.ts', 'workers/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [NATIVE_ORT_BAN] }] },
  },
);
