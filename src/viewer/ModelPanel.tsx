import { useEffect, useId, useRef, useState } from 'react';
import { cancelWork, clearModelCache, loadModel, refreshModelCache } from './controller';
import { filesFromInput } from './dropped-files';
import { useApp } from './store';

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** Choose the CLIP model: bundled offline colours, the hub (cached), or a local folder. */
export function ModelPanel() {
  const id = useId();
  const model = useApp((s) => s.model);
  const cache = useApp((s) => s.modelCache);
  const job = useApp((s) => s.job);
  const progress = useApp((s) => (s.job === 'model' ? s.progress : undefined));
  const status = useApp((s) => s.status);
  const [source, setSource] = useState<'offline' | 'hub' | 'folder'>('offline');
  const [repo, setRepo] = useState('Xenova/clip-vit-base-patch32');
  const folderInput = useRef<HTMLInputElement>(null);
  const workerGeneration = useApp((s) => s.workerGeneration);

  useEffect(() => {
    folderInput.current?.setAttribute('webkitdirectory', '');
  }, [source]);
  useEffect(() => {
    if (status === 'ready') refreshModelCache();
    // Only when a (new) worker becomes ready.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [workerGeneration, status === 'ready']);

  const busy = status !== 'ready';
  const downloading = job === 'model';
  return (
    <section className="panel model-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Model</h2>
      <label htmlFor={`${id}-source`}>Source</label>
      <select
        id={`${id}-source`}
        value={source}
        onChange={(e) => setSource(e.target.value as typeof source)}
      >
        <option value="offline">Bundled offline (colour words only)</option>
        <option value="hub">Hugging Face hub (CLIP, downloaded once)</option>
        <option value="folder">Local model folder</option>
      </select>
      {source === 'offline' ? (
        <p className="hint">
          The bundled encoder knows the 11 basic colour words (red, blue, …) and nothing else. Load
          CLIP for open-vocabulary queries.
        </p>
      ) : null}
      {source === 'hub' ? (
        <>
          <label htmlFor={`${id}-repo`}>Repository</label>
          <input id={`${id}-repo`} value={repo} onChange={(e) => setRepo(e.target.value)} />
        </>
      ) : null}
      {source === 'folder' ? (
        <>
          <label htmlFor={`${id}-folder`}>Model folder (onnx/, tokenizer.json, config.json)</label>
          <input
            id={`${id}-folder`}
            ref={folderInput}
            type="file"
            multiple
            disabled={busy}
            onChange={(e) => {
              if (e.target.files?.length) {
                loadModel({ kind: 'folder', files: filesFromInput(e.target.files) });
              }
              e.target.value = '';
            }}
          />
        </>
      ) : (
        <button
          type="button"
          disabled={busy}
          onClick={() => loadModel(source === 'hub' ? { kind: 'hub', repo } : { kind: 'offline' })}
        >
          Load model
        </button>
      )}
      {downloading ? (
        <div className="row">
          <progress
            aria-label="Model download"
            max={progress?.total || undefined}
            value={progress?.total ? progress.done : undefined}
          />
          <span>
            {progress?.unit === 'bytes' ? formatBytes(progress.done) : (progress?.stage ?? '')}
          </span>
          <button type="button" onClick={() => cancelWork()}>
            Cancel
          </button>
        </div>
      ) : null}
      <p data-testid="model-status">
        {model ? `Loaded: ${model.modelId} (D = ${model.dim})` : 'No model loaded'}
      </p>
      {model ? (
        <p className="hint" data-testid="model-dense">
          {model.dense
            ? `Dense features: ${model.dense.method}, ${model.dense.grid[0]}×${model.dense.grid[1]} patches per window`
            : `No dense features (${model.denseUnavailable ?? 'not a ViT'}): extraction uses crops`}
        </p>
      ) : null}
      <div className="row">
        <span>
          Cache: {cache ? `${cache.files} files, ${formatBytes(cache.bytes)}` : 'unknown'}
        </span>
        <button type="button" disabled={busy || !cache?.files} onClick={() => clearModelCache()}>
          Clear cache
        </button>
      </div>
    </section>
  );
}
