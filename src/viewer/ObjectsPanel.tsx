import { useId, useMemo, useState } from 'react';
import type { SceneObject, ViewObject } from '../../workers/pipeline-api';
import { cancelWork } from './controller';
import { findObjects, selectObject, setObjectLevel } from './object-actions';
import { ObjectList } from './ObjectList';
import {
  formatSize,
  gtBoxKey,
  gtLabel,
  listLevel,
  objectBoxKey,
  objectLabel,
  structureSummary,
} from './objects';
import { reportError, setState, useApp } from './store';

const points = (n: number) => `${n.toLocaleString('en')} pts`;

/**
 * The scene's objects: segment it (Find objects, with progress and Cancel), pick a proposal
 * level, colour by segment, list the objects (largest first; structure summarised) and the
 * ground-truth objects; a click selects one, draws its box, flies there and shows its details.
 */
export function ObjectsPanel() {
  const id = useId();
  const hasScene = useApp((s) => !!s.cloud);
  const status = useApp((s) => s.status);
  const job = useApp((s) => s.job);
  const progress = useApp((s) => (s.job === 'objects' ? s.progress : undefined));
  const objects = useApp((s) => s.objects);
  const level = useApp((s) => s.objectLevel);
  const colorMode = useApp((s) => s.colorMode);
  const gt = useApp((s) => s.scene?.objects);
  const selectedObject = useApp((s) => s.selectedObject);
  const selectedBox = useApp((s) => s.selectedBox);
  const selectedTokens = useApp((s) => s.selectedTokens);
  const [copied, setCopied] = useState(false);

  const listing = useMemo(() => listLevel(objects, level ?? 0), [objects, level]);

  const running = job === 'objects';
  const fraction = progress && progress.total > 0 ? progress.done / progress.total : undefined;

  // The selection's details: a proposal's own box and tokens, or a GT object's box and the
  // tokens selectBox encoded for it.
  let details:
    { key: string; label: string; min: number[]; max: number[]; pointCount?: number } | undefined;
  let detailLevel: number | undefined;
  let detailTokens: string | undefined;
  if (selectedObject?.kind === 'proposal') {
    const o = objects?.objects.find((p) => p.id === selectedObject.id);
    if (o) {
      details = { key: objectBoxKey(o.id), label: objectLabel(o), ...o };
      detailLevel = o.level;
      detailTokens = o.tokens;
    }
  } else if (selectedObject?.kind === 'gt') {
    const o = gt?.find((g) => g.id === selectedObject.id);
    if (o) {
      details = { key: gtBoxKey(o.id), label: gtLabel(o), ...o.aabb };
      detailTokens = selectedBox === gtBoxKey(o.id) ? selectedTokens : undefined;
    }
  }

  const copy = async () => {
    if (!detailTokens) return;
    try {
      await navigator.clipboard.writeText(detailTokens);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch (err) {
      reportError(err);
    }
  };

  const selectedKey =
    selectedObject &&
    (selectedObject.kind === 'proposal'
      ? objectBoxKey(selectedObject.id)
      : gtBoxKey(selectedObject.id));

  return (
    <section className="panel objects-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Objects</h2>
      <div className="row">
        <button
          type="button"
          disabled={!hasScene || status !== 'ready'}
          onClick={() => findObjects()}
        >
          Find objects
        </button>
        {running ? (
          <button type="button" onClick={() => cancelWork()}>
            Cancel
          </button>
        ) : null}
      </div>
      {running ? (
        <div className="extract-progress">
          <progress
            aria-label="Segmentation progress"
            data-testid="objects-progress"
            max={1}
            value={fraction}
          />
          <span>
            {progress
              ? `${progress.stage}: ${progress.done}/${progress.total || '?'} ${progress.unit ?? ''}`
              : 'starting…'}
          </span>
        </div>
      ) : null}
      {objects && level !== undefined ? (
        <>
          <div className="row">
            <label htmlFor={`${id}-level`}>Level</label>
            <select
              id={`${id}-level`}
              value={level}
              onChange={(e) => setObjectLevel(Number(e.target.value))}
            >
              {Array.from({ length: objects.levelCount }, (_, l) => (
                <option key={l} value={l}>
                  {l}
                  {l === objects.objectLevel ? ' (objects)' : l === 0 ? ' (parts)' : ''}
                </option>
              ))}
            </select>
            <input
              id={`${id}-segment`}
              type="checkbox"
              checked={colorMode === 'segment'}
              onChange={(e) => setState({ colorMode: e.target.checked ? 'segment' : 'rgb' })}
            />
            <label htmlFor={`${id}-segment`}>Colour by segment</label>
          </div>
          <p className="hint" data-testid="objects-summary">
            {listing.objects.length.toLocaleString('en')} objects at level {level}
            {objects.seconds > 0 ? ` (segmented in ${objects.seconds.toFixed(1)} s)` : ''}
          </p>
          <ObjectList<SceneObject>
            key={`proposals-${level}`}
            label="Objects at this level"
            items={listing.objects}
            keyOf={(o) => objectBoxKey(o.id)}
            selected={selectedKey}
            onSelect={(o) => selectObject({ kind: 'proposal', id: o.id })}
            render={(o) => (
              <>
                {objectLabel(o)} · {points(o.pointCount)} · {formatSize(o.min, o.max)}
              </>
            )}
          />
          {listing.structure.length > 0 ? (
            <details className="structure">
              <summary>
                Structure: {structureSummary(listing.structure)} ({listing.structure.length})
              </summary>
              <ObjectList<SceneObject>
                key={`structure-${level}`}
                label="Structure at this level"
                items={listing.structure}
                keyOf={(o) => objectBoxKey(o.id)}
                selected={selectedKey}
                onSelect={(o) => selectObject({ kind: 'proposal', id: o.id })}
                render={(o) => (
                  <>
                    {objectLabel(o)} · {points(o.pointCount)}
                  </>
                )}
              />
            </details>
          ) : null}
        </>
      ) : null}
      {gt && gt.length > 0 ? (
        <>
          <h3>Ground truth ({gt.length})</h3>
          <ObjectList<ViewObject>
            label="Ground-truth objects"
            items={gt}
            keyOf={(o) => gtBoxKey(o.id)}
            selected={selectedKey}
            onSelect={(o) => selectObject({ kind: 'gt', id: o.id })}
            render={(o) => gtLabel(o)}
          />
        </>
      ) : null}
      {details ? (
        <dl className="object-details" aria-label="Selected object" data-testid="object-details">
          <dt>Object</dt>
          <dd data-testid="selected-object-label">{details.label}</dd>
          <dt>Size</dt>
          <dd data-testid="selected-object-size">{formatSize(details.min, details.max)}</dd>
          {details.pointCount !== undefined ? (
            <>
              <dt>Points</dt>
              <dd>{details.pointCount.toLocaleString('en')}</dd>
            </>
          ) : null}
          {detailLevel !== undefined ? (
            <>
              <dt>Level</dt>
              <dd>{detailLevel}</dd>
            </>
          ) : null}
          <dt>Tokens</dt>
          <dd className="selected-tokens">
            <code data-testid="selected-object-tokens">{detailTokens ?? '…'}</code>
            <button type="button" disabled={!detailTokens} onClick={copy}>
              {copied ? 'Copied' : 'Copy tokens'}
            </button>
          </dd>
        </dl>
      ) : null}
    </section>
  );
}
