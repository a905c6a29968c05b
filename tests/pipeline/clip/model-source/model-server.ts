// Test helper: a real node:http server serving a model folder in the hub's URL layout
// (/<repo>/resolve/main/<file>), with switchable misbehaviour per test.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ServerMode =
  | { kind: 'ok' }
  /** Bodies in `chunk`-byte pieces, `delayMs` apart. */
  | { kind: 'slow'; chunk: number; delayMs: number }
  | { kind: 'status'; status: number; file?: string }
  /** Declares the full length, sends `fraction` of the body, then drops the connection. */
  | { kind: 'drop'; fraction: number; file?: string };

export interface ModelServer {
  baseUrl: string;
  mode: ServerMode;
  requests: string[];
  /** Connections the client closed before the body was complete. */
  aborted: number;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startModelServer(
  repo: string,
  files: Map<string, Uint8Array>,
): Promise<ModelServer> {
  const prefix = `/${repo}/resolve/main/`;
  const state: ModelServer = {
    baseUrl: '',
    mode: { kind: 'ok' },
    requests: [],
    aborted: 0,
    close: async () => {},
  };
  const server = http.createServer(async (req, res) => {
    const url = req.url ?? '';
    state.requests.push(url);
    const file = url.startsWith(prefix) ? decodeURIComponent(url.slice(prefix.length)) : undefined;
    const body = file !== undefined ? files.get(file) : undefined;
    const mode = state.mode;
    const applies = (m: { file?: string }) => m.file === undefined || m.file === file;
    if (mode.kind === 'status' && applies(mode)) {
      res.writeHead(mode.status, { 'content-type': 'text/plain' }).end(`status ${mode.status}`);
      return;
    }
    if (!body) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found');
      return;
    }
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': String(body.byteLength),
    });
    if (mode.kind === 'drop' && applies(mode)) {
      res.write(body.subarray(0, Math.floor(body.byteLength * mode.fraction)));
      await sleep(20);
      res.socket?.destroy();
      return;
    }
    if (mode.kind === 'slow') {
      let closed = false;
      res.on('close', () => {
        if (!res.writableFinished) {
          closed = true;
          state.aborted++;
        }
      });
      for (let i = 0; i < body.byteLength && !closed; i += mode.chunk) {
        res.write(body.subarray(i, i + mode.chunk));
        await sleep(mode.delayMs);
      }
      if (!closed) res.end();
      return;
    }
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
