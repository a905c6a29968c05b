/**
 * Which onnxruntime a model command ran on, for its result (`runtime` in --json) and, when it
 * is not the one asked for (onnxruntime-node did not load, a bad $SCENE3D_ORT_RUNTIME), one
 * warning on stderr saying why.
 */
import { ortRuntimeInfo, type OrtRuntimeInfo } from '../pipeline/clip/encoder/ort-runtime';
import type { CliIo } from './command';

export function modelRuntime(io: Pick<CliIo, 'warn'>): OrtRuntimeInfo {
  const info = ortRuntimeInfo();
  if (info.diagnostic) io.warn(info.diagnostic);
  return info;
}

/** One line for the human-readable output: 'native, 2 threads'. */
export function formatRuntime(info: OrtRuntimeInfo): string {
  const threads = info.numThreads === null ? '' : `, ${info.numThreads} thread(s)`;
  return `${info.runtime}${threads}`;
}
