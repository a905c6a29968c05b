import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { CappedList } from './CappedList';
import { cancelWork, openBuiltIn, openFiles, showFrame } from './controller';
import { filesFromDrop, filesFromInput } from './dropped-files';
import { reportError, useApp } from './store';

function formatBounds(b: { min: number[]; max: number[] } | undefined): string {
  if (!b) return '—';
  const f = (v: number[]) => v.map((x) => x.toFixed(2)).join(', ');
  return `[${f(b.min)}] → [${f(b.max)}] m`;
}

/** Open a scene (list, folder picker, drag-and-drop) and show what it contains. */
export function ScenePanel() {
  const scenes = useApp((s) => s.scenes);
  const scene = useApp((s) => s.scene);
  const rendered = useApp((s) => s.extraction?.renderedFrames);
  // Captured frames, then the rendered views an extraction used (shown the same way).
  const frames = useMemo(() => [...(scene?.frames ?? []), ...(rendered ?? [])], [scene, rendered]);
  const status = useApp((s) => s.status);
  const folderInput = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [frameNumber, setFrameNumber] = useState(0);
  const inputId = useId();
  const filesId = useId();

  useEffect(() => {
    // React has no typed prop for it; set the attribute so the picker chooses folders.
    folderInput.current?.setAttribute('webkitdirectory', '');
  }, []);

  const busy = status === 'busy' || status === 'starting';
  // A new scene may be opened while a long job runs: it cancels that job.
  const job = useApp((s) => s.job);
  const openProgress = useApp((s) => (s.job === 'open' ? s.progress : undefined));
  const canOpen = status !== 'starting' && (status !== 'busy' || job !== undefined);
  return (
    <section
      className={`panel scene-panel${dragging ? ' dragging' : ''}`}
      aria-labelledby={`${inputId}-title`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        filesFromDrop(e.dataTransfer).then(openFiles, reportError);
      }}
    >
      <h2 id={`${inputId}-title`}>Scene</h2>
      <ul className="scene-list" aria-label="Bundled scenes">
        {scenes.map((s) => (
          <li key={s.id}>
            <button
              type="button"
              disabled={!canOpen}
              aria-pressed={scene?.id === s.id}
              onClick={() => openBuiltIn(s.id)}
              title={s.description}
            >
              {s.name}
            </button>
          </li>
        ))}
      </ul>
      <label htmlFor={inputId}>Open a scan folder</label>
      <input
        id={inputId}
        ref={folderInput}
        type="file"
        multiple
        disabled={!canOpen}
        data-testid="folder-input"
        onChange={(e) => {
          if (e.target.files?.length) openFiles(filesFromInput(e.target.files));
          e.target.value = '';
        }}
      />
      <label htmlFor={filesId}>…or files (PLY, splat .ply/.splat, LAS, .sens)</label>
      <input
        id={filesId}
        type="file"
        multiple
        disabled={!canOpen}
        data-testid="files-input"
        onChange={(e) => {
          if (e.target.files?.length) openFiles(filesFromInput(e.target.files));
          e.target.value = '';
        }}
      />
      <p className="hint">Or drop files or a folder here.</p>
      {job === 'open' ? (
        <div className="row open-progress">
          <span aria-live="polite" data-testid="open-progress">
            {openProgress
              ? `${openProgress.stage}: ${openProgress.done}${openProgress.total > 0 ? `/${openProgress.total}` : ''} ${openProgress.unit ?? ''}`
              : 'opening…'}
          </span>
          <button type="button" onClick={() => cancelWork()}>
            Cancel opening
          </button>
        </div>
      ) : null}
      {scene ? (
        <dl className="scene-info" aria-label="Scene information">
          <dt>Name</dt>
          <dd>{scene.info.name}</dd>
          <dt>Format</dt>
          <dd>{scene.info.format}</dd>
          <dt>Points</dt>
          <dd>{scene.info.pointCount.toLocaleString('en')}</dd>
          <dt>Frames</dt>
          <dd>{scene.info.frameCount}</dd>
          <dt>Objects</dt>
          <dd>{scene.info.objectCount}</dd>
          <dt>Bounds</dt>
          <dd>{formatBounds(scene.info.bounds)}</dd>
          {scene.info.warnings.length > 0 ? (
            <dd>
              <CappedList
                items={scene.info.warnings}
                className="warning"
                label="Scene warnings"
                render={(w) => w}
              />
            </dd>
          ) : null}
        </dl>
      ) : null}
      {scene && frames.length > 0 ? (
        <div className="row">
          <label htmlFor={`${inputId}-frame`}>Frame</label>
          <input
            id={`${inputId}-frame`}
            type="number"
            min={0}
            max={frames.length - 1}
            value={frameNumber}
            onChange={(e) => setFrameNumber(Number(e.target.value))}
          />
          <button
            type="button"
            disabled={busy}
            onClick={() => {
              const frame = frames[Math.min(frames.length - 1, Math.max(0, frameNumber))];
              if (frame) showFrame(frame.index);
            }}
          >
            Show frame
          </button>
        </div>
      ) : null}
    </section>
  );
}
