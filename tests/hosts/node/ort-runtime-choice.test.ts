/**
 * Which onnxruntime the Node host picks (src/hosts/node/platform.ts): native where
 * onnxruntime-node loads, wasm when asked or when it does not load (with the reason); for the
 * CLI's --runtime (native-runtime.integration.test.ts, with sessions on both runtimes).
 */
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import {
  installNodePlatform,
  ORT_RUNTIME_ENV,
  resolveNodeOrtRuntime,
} from '../../../src/hosts/node/platform';
import {
  defaultThreadCount,
  ortRuntime,
  ortRuntimeInfo,
} from '../../../src/pipeline/clip/encoder/ort-runtime';
import { installPlatform } from '../../../src/pipeline/platform';

const missing = () => ({ error: "onnxruntime-node did not load (Cannot find module 'x')" });
const savedEnv = process.env[ORT_RUNTIME_ENV];

afterEach(() => {
  if (savedEnv === undefined) delete process.env[ORT_RUNTIME_ENV];
  else process.env[ORT_RUNTIME_ENV] = savedEnv;
  installNodePlatform();
});

describe('the Node host onnxruntime', () => {
  it('is native by default where onnxruntime-node loads, wasm on request', () => {
    delete process.env[ORT_RUNTIME_ENV];
    expect(resolveNodeOrtRuntime()).toMatchObject({ name: 'native' });
    expect(resolveNodeOrtRuntime().diagnostic).toBeUndefined();
    expect(resolveNodeOrtRuntime('wasm')).toMatchObject({ name: 'wasm' });
    process.env[ORT_RUNTIME_ENV] = 'wasm';
    expect(resolveNodeOrtRuntime().name).toBe('wasm');
    // An explicit request (CLI --runtime) wins over the environment.
    expect(resolveNodeOrtRuntime('native').name).toBe('native');
  });

  it('falls back to wasm, saying why, when onnxruntime-node does not load', () => {
    const runtime = resolveNodeOrtRuntime('native', missing);
    expect(runtime.name).toBe('wasm');
    expect(runtime.diagnostic).toMatch(/onnxruntime-node did not load .*; using wasm$/);
  });

  it('names a bad environment value and keeps the default', () => {
    process.env[ORT_RUNTIME_ENV] = 'gpu';
    const runtime = resolveNodeOrtRuntime();
    expect(runtime.name).toBe('native');
    expect(runtime.diagnostic).toMatch(
      new RegExp(`${ORT_RUNTIME_ENV} 'gpu' is not native or wasm`),
    );
    expect(resolveNodeOrtRuntime(undefined, missing).diagnostic).toMatch(/'gpu'.*did not load/);
  });

  it('the pipeline sees the installed runtime through ortRuntime()', () => {
    installNodePlatform({ runtime: 'wasm' });
    expect(ortRuntime().name).toBe('wasm');
    expect(ortRuntimeInfo().runtime).toBe('wasm');
    installNodePlatform({ runtime: 'native' });
    expect(ortRuntime().name).toBe('native');
  });

  it('the default thread count leaves cores that other processes keep busy alone', () => {
    const host = { maxThreads: 8, hardwareConcurrency: 8 };
    const threads = (free: number | undefined) => {
      installPlatform({ ...host, freeCores: () => free });
      return defaultThreadCount();
    };
    expect(threads(undefined)).toBe(4); // CLIP_MODEL_DEFAULTS.maxWasmThreads
    expect(threads(8)).toBe(4);
    expect(threads(2.6)).toBe(3);
    expect(threads(1.2)).toBe(1);
    expect(threads(0)).toBe(1);
    // The Node host measures it (this machine: somewhere between none and all of its cores).
    const free = installNodePlatform().freeCores!();
    expect(free).toBeGreaterThanOrEqual(0);
    expect(free).toBeLessThanOrEqual(os.availableParallelism());
  });
});
