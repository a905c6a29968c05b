/**
 * Browser end-to-end harness: builds the app if dist/ is missing or stale, serves it with
 * `vite preview` on 127.0.0.1 on a free port, and drives Debian Chromium through playwright-core
 * with a fresh profile. WebGL runs on SwiftShader there (no GPU): the app renders on demand.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedRoot = path.resolve(repoRoot, '..', 'shared');
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Without a GPU, Chromium only offers WebGL through SwiftShader when asked to.
  '--enable-unsafe-swiftshader',
  '--use-angle=swiftshader',
];

const vite = path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js');

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, name)));
  return newest;
}

/** Builds with `vite build` when dist/ is missing or older than any input of the build. */
export function ensureBuilt(): void {
  const built = path.join(repoRoot, 'dist', 'index.html');
  const inputs = ['src', 'workers', 'public', 'index.html', 'vite.config.ts', 'package.json'];
  const newestInput = Math.max(...inputs.map((p) => newestMtime(path.join(repoRoot, p))));
  if (existsSync(built) && statSync(built).mtimeMs >= newestInput) return;
  // What `npm run build` does first: the demo scene and the offline model under public/.
  const pre = spawnSync('npm', ['run', '--silent', 'prebuild', '--if-present'], {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (pre.status !== 0) throw new Error(`npm run prebuild failed with status ${pre.status}`);
  const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`vite build failed with status ${r.status}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface Preview {
  url: string;
  stop(): Promise<void>;
}

/** Serves dist/ with `vite preview` (COOP/COEP headers from vite.config.ts). */
export async function startPreview(): Promise<Preview> {
  ensureBuilt();
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [vite, 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vite preview exited: ${output}`);
    try {
      const res = await fetch(url);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`vite preview did not answer on ${url}: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far (page and workers). */
  errors: string[];
  /** All console lines, for diagnosing failures. */
  log: string[];
  close(): Promise<void>;
}

/** Launches Chromium with a fresh profile and one page that records errors. */
export async function launchBrowser(): Promise<BrowserSession> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'scene3d-e2e-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  const log: string[] = [];
  page.on('console', (msg) => {
    log.push(`[${msg.type()}] ${msg.text()}`);
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('worker', (worker) => {
    worker.on('console', (msg) => {
      log.push(`[worker ${msg.type()}] ${msg.text()}`);
      if (msg.type() === 'error') errors.push(`worker: ${msg.text()}`);
    });
  });
  return {
    context,
    page,
    errors,
    log,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** A running `vite preview` and a Chromium session, for one describe block. */
export interface AppSession {
  readonly preview: Preview;
  readonly browser: BrowserSession;
}

/**
 * Registers hooks in the calling describe block that start `vite preview` and a fresh Chromium
 * (in parallel) before its tests and close both after them. Call it before any other beforeAll
 * that needs the session; read the session only inside hooks and tests.
 */
export function useAppSession(): AppSession {
  let preview: Preview | undefined;
  let browser: BrowserSession | undefined;
  beforeAll(async () => {
    const [p, b] = await Promise.allSettled([startPreview(), launchBrowser()]);
    if (p.status === 'fulfilled') preview = p.value;
    if (b.status === 'fulfilled') browser = b.value;
    // afterAll still closes whichever one started.
    if (p.status === 'rejected') throw p.reason;
    if (b.status === 'rejected') throw b.reason;
  });
  afterAll(async () => {
    await browser?.close();
    await preview?.stop();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`e2e: ${what} is not running (did beforeAll fail?)`);
    return value;
  };
  return {
    get preview() {
      return started(preview, 'vite preview');
    },
    get browser() {
      return started(browser, 'Chromium');
    },
  };
}

/** Counts pixels of a PNG screenshot that differ from `background` by more than `tolerance`. */
export async function countForegroundPixels(
  png: Uint8Array,
  background: [number, number, number],
  tolerance = 24,
): Promise<{ foreground: number; total: number; colourful: number }> {
  const { decode } = await import('fast-png');
  const img = decode(png);
  const channels = img.channels;
  const data = img.data;
  let foreground = 0;
  let colourful = 0;
  for (let i = 0; i < img.width * img.height; i++) {
    const r = data[i * channels];
    const g = data[i * channels + 1];
    const b = data[i * channels + 2];
    const d =
      Math.abs(r - background[0]) + Math.abs(g - background[1]) + Math.abs(b - background[2]);
    if (d > tolerance) {
      foreground++;
      if (Math.max(r, g, b) - Math.min(r, g, b) > 60) colourful++;
    }
  }
  return { foreground, total: img.width * img.height, colourful };
}
