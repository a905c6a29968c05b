import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { CappedList } from './CappedList';
import { cancelWork, openBuiltIn, showFrame } from './controller';
import { filesFromDrop, filesFromInput } from './dropped-files';
import { openFilesWithFeatures } from './openscene-actions';
import { reconstructScene } from './reconstruction-actions';
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
  // Reconstruction settings being edited, for one opening (epoch) of the scene; until then
  // the fields show how its cloud was made.
  const recon = scene?.reconstruction;
  const [reconEdit, setReconEdit] = useState<{ epoch?: number; stride: string; voxelCm: string }>();
  const reconFields =
    reconEdit && reconEdit.epoch === scene?.epoch
      ? reconEdit
      : {
          epoch: scene?.epoch,
          stride: String(recon?.frameStride ?? 1),
          voxelCm: String(Number(((recon?.voxelSize ?? 0) * 100).toFixed(3))),
        };
  const reconProgress = useApp((s) => (s.job === 'reconstruct' ? s.progress : undefined));
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
        filesFromDrop(e.dataTransfer).then(openFilesWithFeatures, reportError);
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
          if (e.target.files?.length) openFilesWithFeatures(filesFromInput(e.target.files));
          e.target.value = '';
        }}
      />
      <label htmlFor={filesId}>…or files (PLY, splat .ply/.splat, LAS/LAZ, .sens)</label>
      <input
        id={filesId}
        type="file"
        multiple
        disabled={!canOpen}
        data-testid="files-input"
        onChange={(e) => {
          if (e.target.files?.length) openFilesWithFeatures(filesFromInput(e.target.files));
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
      {recon ? (
        <fieldset className="reconstruction" aria-label="Reconstruction">
          <legend>Reconstruction</legend>
          <p data-testid="reconstruction-summary">
            {`${recon.framesUsed.toLocaleString('en')} of ${recon.framesTotal.toLocaleString('en')} frames, ${recon.pointCount.toLocaleString('en')} points`}
            {recon.strideFrom === 'budget' && recon.frameStride > 1
              ? ` (every ${recon.frameStride}th frame: the scan is over the ${(recon.pointBudget / 1e6).toLocaleString('en')} M point budget)`
              : ''}
          </p>
          <div className="row">
            <label htmlFor={`${inputId}-cloud-stride`}>Cloud from every Nth frame</label>
            <input
              id={`${inputId}-cloud-stride`}
              type="number"
              min={1}
              step={1}
              value={reconFields.stride}
              onChange={(e) => setReconEdit({ ...reconFields, stride: e.target.value })}
            />
            <label htmlFor={`${inputId}-cloud-voxel`}>Cloud voxel size (cm)</label>
            <input
              id={`${inputId}-cloud-voxel`}
              type="number"
              min={0.1}
              step={0.5}
              value={reconFields.voxelCm}
              onChange={(e) => setReconEdit({ ...reconFields, voxelCm: e.target.value })}
            />
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                reconstructScene({
                  // Empty or malformed fields become NaN: the worker refuses them by name.
                  frameStride: reconFields.stride.trim() === '' ? NaN : Number(reconFields.stride),
                  voxelSize:
                    (reconFields.voxelCm.trim() === '' ? NaN : Number(reconFields.voxelCm)) / 100,
                })
              }
            >
              Apply
            </button>
          </div>
          {job === 'reconstruct' ? (
            <div className="row">
              <span aria-live="polite" data-testid="reconstruct-progress">
                {reconProgress
                  ? `${reconProgress.stage}: ${reconProgress.done}${reconProgress.total > 0 ? `/${reconProgress.total}` : ''} ${reconProgress.unit ?? ''}`
                  : 'reconstructing…'}
              </span>
              <button type="button" onClick={() => cancelWork()}>
                Cancel reconstruction
              </button>
            </div>
          ) : null}
        </fieldset>
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
