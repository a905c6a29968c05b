import { useId, useState } from 'react';
import type { PipelineDefaults } from '../../workers/pipeline-api';
import { cancelWork, extract } from './controller';
import { FeatureCacheControls } from './FeatureCacheControls';
import { useApp } from './store';

type ExtractDefaults = PipelineDefaults['extract'];
type Detail = ExtractDefaults['detail'];
/** 'auto': the captured frames when the scene has them, views rendered from it when not. */
type ViewChoice = 'auto' | 'captured' | 'rendered' | 'both';

function formatEta(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '';
  if (seconds < 60) return `${Math.ceil(seconds)} s left`;
  return `${Math.floor(seconds / 60)} min ${Math.ceil(seconds % 60)} s left`;
}

function parseScales(text: string): number[] {
  return text
    .split(',')
    .map((v) => Number(v.trim()))
    .filter((v) => v > 0 && v <= 1);
}

/** The preset the fields currently spell, or undefined for a custom tiling. */
function presetOf(
  presets: ExtractDefaults['presets'],
  scales: string,
  overlap: number | undefined,
): Detail | undefined {
  const parsed = parseScales(scales);
  return (Object.keys(presets) as Detail[]).find((name) => {
    const p = presets[name];
    return (
      p.cropOverlap === overlap &&
      p.cropScales.length === parsed.length &&
      p.cropScales.every((s, i) => s === parsed[i])
    );
  });
}

/** Feature extraction options, Extract with progress, ETA and Cancel, and the result summary. */
export function PipelinePanel() {
  const id = useId();
  const hasFrames = useApp((s) => (s.scene?.info.frameCount ?? 0) > 0);
  const hasPoints = useApp((s) => (s.scene?.info.pointCount ?? 0) > 0);
  const [views, setViews] = useState<ViewChoice>('auto');
  const status = useApp((s) => s.status);
  const job = useApp((s) => s.job);
  const progress = useApp((s) => (s.job === 'extract' ? s.progress : undefined));
  const extraction = useApp((s) => s.extraction);
  const modelDim = useApp((s) => s.model?.dim);
  // The pipeline's defaults (from the worker; undefined until they arrive) under the user's edits.
  const defaults = useApp((s) => s.defaults?.extract);
  const [featuresEdit, setFeatures] = useState<'dense' | 'crops'>();
  const [strideEdit, setStride] = useState<number>();
  const [scalesEdit, setScales] = useState<string>();
  const [overlapEdit, setOverlap] = useState<number>();
  const features = featuresEdit ?? defaults?.features ?? 'dense';
  const crops = features === 'crops';
  const stride = strideEdit ?? defaults?.frameStride;
  const scales = scalesEdit ?? defaults?.cropScales.join(', ') ?? '';
  const overlap = overlapEdit ?? defaults?.cropOverlap;
  const details = defaults ? (Object.keys(defaults.presets) as Detail[]) : [];

  const detail = (defaults && presetOf(defaults.presets, scales, overlap)) ?? 'custom';
  const choosePreset = (name: string) => {
    const preset = defaults?.presets[name as Detail];
    if (!preset) return;
    setScales(preset.cropScales.join(', '));
    setOverlap(preset.cropOverlap);
  };

  const run = () => {
    if (stride === undefined || overlap === undefined) return;
    const cropScales = parseScales(scales);
    extract({
      features,
      frameStride: Math.max(1, Math.round(stride)),
      cropScales,
      cropOverlap: overlap,
      ...(views !== 'auto' ? { views } : {}),
    });
  };

  const running = job === 'extract';
  const fraction = progress && progress.total > 0 ? progress.done / progress.total : undefined;
  return (
    <section className="panel pipeline-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Pipeline</h2>
      <div className="row">
        <label htmlFor={`${id}-features`}>Features</label>
        <select
          id={`${id}-features`}
          value={features}
          disabled={!defaults}
          title="Dense: one encoder pass per 224-px window, a feature per ViT patch (fast). Crops: CLIP on every crop tile (tens to thousands of encoder calls per view)."
          onChange={(e) => setFeatures(e.target.value === 'crops' ? 'crops' : 'dense')}
        >
          <option value="dense">dense (one pass)</option>
          <option value="crops">crops</option>
        </select>
      </div>
      <div className="row">
        <label htmlFor={`${id}-detail`}>Detail</label>
        <select
          id={`${id}-detail`}
          value={detail}
          disabled={!defaults || !crops}
          title="Finer crop tiles give sharper object edges and cost more encoder calls"
          onChange={(e) => choosePreset(e.target.value)}
        >
          {details.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
          <option value="custom" disabled>
            custom
          </option>
        </select>
      </div>
      <div className="row">
        <label htmlFor={`${id}-views`}>Views</label>
        <select
          id={`${id}-views`}
          value={views}
          title="Captured RGB-D frames, or views rendered from the scene's mesh or points (as 3D-LLM does)"
          onChange={(e) => setViews(e.target.value as ViewChoice)}
        >
          <option value="auto">{hasFrames ? 'auto (captured)' : 'auto (rendered)'}</option>
          <option value="captured" disabled={!hasFrames}>
            captured
          </option>
          <option value="rendered" disabled={!hasPoints}>
            rendered
          </option>
          <option value="both" disabled={!hasFrames || !hasPoints}>
            both
          </option>
        </select>
      </div>
      <div className="row">
        <label htmlFor={`${id}-stride`}>Frame stride</label>
        <input
          id={`${id}-stride`}
          type="number"
          min={1}
          value={stride ?? ''}
          disabled={!defaults}
          onChange={(e) => setStride(Number(e.target.value))}
        />
        <label htmlFor={`${id}-overlap`}>Overlap</label>
        <input
          id={`${id}-overlap`}
          type="number"
          min={0}
          max={0.9}
          step={0.05}
          value={overlap ?? ''}
          disabled={!defaults || !crops}
          onChange={(e) => setOverlap(Number(e.target.value))}
        />
      </div>
      <label htmlFor={`${id}-scales`}>Crop scales (fractions of the shorter side)</label>
      <input
        id={`${id}-scales`}
        value={scales}
        disabled={!defaults || !crops}
        onChange={(e) => setScales(e.target.value)}
      />
      <div className="row">
        <button
          type="button"
          data-shortcut="extract"
          disabled={(!hasFrames && !hasPoints) || status !== 'ready' || !defaults}
          onClick={run}
        >
          Extract features
        </button>
        {running ? (
          <button type="button" onClick={() => cancelWork()}>
            Cancel
          </button>
        ) : null}
      </div>
      {!hasFrames && hasPoints ? (
        <p className="hint">
          No RGB-D frames: features come from views rendered from the scene&apos;s mesh or points.
        </p>
      ) : null}
      {!hasFrames && !hasPoints ? (
        <p className="hint">This scene has no frames and no points to extract from.</p>
      ) : null}
      {running ? (
        <div className="extract-progress">
          <progress
            aria-label="Extraction progress"
            data-testid="extract-progress"
            max={1}
            value={fraction}
          />
          <span>
            {progress
              ? `${progress.stage}: ${progress.done}/${progress.total || '?'} ${progress.unit ?? ''}` +
                (progress.rate ? ` · ${progress.rate.toFixed(1)}/s` : '')
              : 'starting…'}{' '}
            {formatEta(progress?.etaSeconds)}
          </span>
        </div>
      ) : null}
      {extraction?.importedFrom ? (
        <p className="hint" data-testid="extract-summary">
          {extraction.seenPoints.toLocaleString('en')} of {extraction.points.toLocaleString('en')}{' '}
          points carry D = {extraction.dim} features imported from {extraction.importedFrom.file}{' '}
          (OpenScene; no extraction needed). Text space: {extraction.importedFrom.textSpace}
          {modelDim !== undefined && modelDim !== extraction.dim
            ? `: the loaded model is ${modelDim}-d and cannot query them.`
            : '.'}
        </p>
      ) : extraction ? (
        <p className="hint" data-testid="extract-summary">
          {extraction.seenPoints.toLocaleString('en')} of {extraction.points.toLocaleString('en')}{' '}
          points seen in {extraction.views} views (
          {extraction.featureSource === 'dense'
            ? `${extraction.crops} dense windows, ${extraction.denseMethod ?? 'dense'}`
            : `${extraction.crops} crops`}
          ), D = {extraction.dim}, {extraction.bytesPerPoint.toFixed(1)} B/point;{' '}
          {extraction.fromCache
            ? 'restored from the browser cache.'
            : `encode ${extraction.seconds.encode.toFixed(1)} s, fuse ${extraction.seconds.fuse.toFixed(1)} s.`}
        </p>
      ) : null}
      <FeatureCacheControls />
    </section>
  );
}
