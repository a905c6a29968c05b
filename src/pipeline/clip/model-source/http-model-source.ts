/**
 * A model folder served over HTTP: the Hugging Face hub (`<base>/<repo>/resolve/<revision>/<file>`)
 * or our own origin (the bundled offline model at /models/offline-colors/). Hub files are kept in
 * a ModelFileCache so the next start works offline.
 */
import { CLIP_MODEL_DEFAULTS } from '../../defaults';
import { ModelError } from '../../errors';
import type { WorkOptions } from '../../progress';
import { OFFLINE_MODEL_ID, OFFLINE_MODEL_PATH } from '../offline/offline-spec';
import { fetchBytes, type FetchLike } from './fetch-with-progress';
import { defaultModelCache, type ModelFileCache } from './model-file-cache';
import type { ModelSource, ModelVariant } from './model-source';

export interface HttpModelSourceOptions {
  label: string;
  /** URL of the folder, ending in '/'. Relative URLs resolve against the page or worker. */
  folderUrl: string;
  variant: ModelVariant;
  /** Model id for caches and bundles; default `${label}#${variant}`. */
  id?: string;
  cache?: ModelFileCache;
  fetch?: FetchLike;
  /** Least time between download progress events, ms (default 50). */
  progressIntervalMs?: number;
}

function absolute(url: string): string {
  const base = (globalThis as { location?: { href: string } }).location?.href;
  try {
    return new URL(url, base).href;
  } catch {
    throw new ModelError(
      `${url}: not a valid URL${base ? '' : ' (relative URLs need a page or worker location)'}`,
    );
  }
}

export class HttpModelSource implements ModelSource {
  readonly label: string;
  readonly folderUrl: string;

  constructor(private readonly options: HttpModelSourceOptions) {
    this.label = options.label;
    this.folderUrl = options.folderUrl.endsWith('/') ? options.folderUrl : `${options.folderUrl}/`;
  }

  async resolveVariant(): Promise<ModelVariant> {
    return this.options.variant;
  }

  modelId(variant: ModelVariant): string {
    return this.options.id ?? `${this.label}#${variant}`;
  }

  fileUrl(path: string): string {
    return absolute(this.folderUrl + path.split('/').map(encodeURIComponent).join('/'));
  }

  describeFile(path: string): string {
    return this.fileUrl(path);
  }

  async readFile(path: string, options: WorkOptions = {}): Promise<Uint8Array> {
    const url = this.fileUrl(path);
    const { cache } = this.options;
    const cached = await cache?.get(url).catch(() => undefined);
    if (cached) {
      options.onProgress?.({
        stage: 'download',
        done: cached.byteLength,
        total: cached.byteLength,
        unit: 'bytes',
        message: `${path} (cached)`,
      });
      return cached;
    }
    const bytes = await fetchBytes(url, {
      ...options,
      fetch: this.options.fetch,
      label: path,
      progressIntervalMs: this.options.progressIntervalMs,
    });
    // Only complete downloads reach here; a full quota must not fail the load.
    await cache?.put(url, bytes).catch(() => undefined);
    return bytes;
  }
}

export const DEFAULT_HUB_BASE_URL = CLIP_MODEL_DEFAULTS.hubBaseUrl;
export const DEFAULT_HUB_REPO = CLIP_MODEL_DEFAULTS.hubRepo;

export interface HubModelSourceOptions {
  repo?: string;
  variant?: ModelVariant;
  revision?: string;
  /** Hub (or mirror) base URL. */
  baseUrl?: string;
  /** Default: Cache Storage where available; pass null for none. */
  cache?: ModelFileCache | null;
  fetch?: FetchLike;
  progressIntervalMs?: number;
}

export function hubModelSource(options: HubModelSourceOptions = {}): HttpModelSource {
  const repo = options.repo ?? DEFAULT_HUB_REPO;
  if (!/^[\w.-]+\/[\w.-]+$/.test(repo))
    throw new ModelError(`'${repo}' is not a hub repository name (owner/name)`);
  const base = (options.baseUrl ?? DEFAULT_HUB_BASE_URL).replace(/\/+$/, '');
  const revision = encodeURIComponent(options.revision ?? CLIP_MODEL_DEFAULTS.hubRevision);
  return new HttpModelSource({
    label: repo,
    folderUrl: `${base}/${repo}/resolve/${revision}/`,
    variant: options.variant ?? CLIP_MODEL_DEFAULTS.hubVariant,
    cache: options.cache === null ? undefined : (options.cache ?? defaultModelCache()),
    fetch: options.fetch,
    progressIntervalMs: options.progressIntervalMs,
  });
}

/** The bundled offline encoder as served by our own origin (browser, worker). */
export function offlineHttpModelSource(
  options: { baseUrl?: string; fetch?: FetchLike } = {},
): HttpModelSource {
  return new HttpModelSource({
    label: OFFLINE_MODEL_ID,
    id: OFFLINE_MODEL_ID,
    folderUrl: options.baseUrl ?? `/${OFFLINE_MODEL_PATH}/`,
    variant: 'fp32',
    fetch: options.fetch,
  });
}
