/**
 * Downloads one file with byte progress (Content-Length + a streamed reader), cancellable through
 * an AbortSignal, and refuses anything short of the full body: HTTP errors, dropped connections
 * and truncated bodies all become a ModelError naming the URL.
 */
import { CLIP_MODEL_DEFAULTS } from '../../defaults';
import { CancelledError, ModelError, throwIfAborted } from '../../errors';
import type { WorkOptions } from '../../progress';

export type FetchLike = (url: string, init?: { signal?: AbortSignal }) => Promise<Response>;

export interface FetchBytesOptions extends WorkOptions {
  fetch?: FetchLike;
  /** Name shown in progress messages (default: the URL). */
  label?: string;
  /** Refuse bodies larger than this before allocating (default 4 GiB). */
  maxBytes?: number;
  /** Least time between progress events, ms (the first and the last are always sent). */
  progressIntervalMs?: number;
}

function reasonOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  return `${err.message}${detail}`;
}

export async function fetchBytes(
  url: string,
  options: FetchBytesOptions = {},
): Promise<Uint8Array> {
  const { signal, onProgress } = options;
  const label = options.label ?? url;
  const maxBytes = options.maxBytes ?? CLIP_MODEL_DEFAULTS.maxModelFileBytes;
  const interval = options.progressIntervalMs ?? CLIP_MODEL_DEFAULTS.downloadProgressIntervalMs;
  const fetchImpl: FetchLike = options.fetch ?? ((u, init) => fetch(u, init));
  throwIfAborted(signal);

  let response: Response;
  try {
    response = await fetchImpl(url, { signal });
  } catch (err) {
    if (signal?.aborted) throw new CancelledError();
    throw new ModelError(`${url}: download failed (${reasonOf(err)})`);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    const what = response.status === 404 ? 'not found' : response.statusText || 'error';
    throw new ModelError(`${url}: HTTP ${response.status} (${what})`);
  }

  // With a content encoding the header counts compressed bytes: the total is then unknown.
  const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
  const header = response.headers.get('content-length');
  const declared = header !== null && /^\d+$/.test(header.trim()) ? Number(header) : undefined;
  const total = encoded ? undefined : declared;
  if (total !== undefined && total > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new ModelError(`${url}: ${total} bytes is more than the ${maxBytes}-byte limit`);
  }

  const report = (done: number) =>
    onProgress?.({ stage: 'download', done, total: total ?? 0, unit: 'bytes', message: label });
  report(0);
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    report(bytes.byteLength);
    return bytes;
  }

  const reader = response.body.getReader();
  // Known size: one buffer; unknown: chunks joined at the end.
  let buffer = total !== undefined ? new Uint8Array(total) : undefined;
  const chunks: Uint8Array[] = [];
  let received = 0;
  let lastReport = Date.now();
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (err) {
        if (signal?.aborted) throw new CancelledError();
        const of = total !== undefined ? ` of ${total}` : '';
        throw new ModelError(
          `${url}: connection lost after ${received}${of} bytes (${reasonOf(err)})`,
        );
      }
      if (chunk.done) break;
      throwIfAborted(signal);
      const value = chunk.value;
      if (received + value.byteLength > maxBytes)
        throw new ModelError(`${url}: more than the ${maxBytes}-byte limit`);
      if (buffer && received + value.byteLength > buffer.length) {
        // The server sent more than it declared: keep what we have and switch to chunks.
        chunks.push(buffer.subarray(0, received));
        buffer = undefined;
      }
      if (buffer) buffer.set(value, received);
      else chunks.push(value);
      received += value.byteLength;
      const now = Date.now();
      if (now - lastReport >= interval) {
        lastReport = now;
        report(received);
      }
    }
  } catch (err) {
    await reader.cancel().catch(() => undefined);
    throw err;
  }
  if (total !== undefined && received !== total) {
    throw new ModelError(`${url}: truncated download: ${received} of ${total} bytes`);
  }
  report(received);
  if (buffer) return buffer;
  const out = new Uint8Array(received);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}
