import { CappedList } from './CappedList';
import { clearFeatureCache } from './controller';
import { useApp } from './store';

/**
 * Under the extraction summary: its warnings (e.g. a cached entry that was dropped and
 * recomputed), capped, and the buttons that clear cached features for this scene or all scenes.
 */
export function FeatureCacheControls() {
  const warnings = useApp((s) => s.extraction?.warnings);
  const status = useApp((s) => s.status);
  const hasScene = useApp((s) => !!s.scene);
  const cleared = useApp((s) => s.featureCacheCleared);
  return (
    <>
      {warnings?.length ? (
        <CappedList
          items={warnings}
          className="diagnostics extract-warnings"
          label="Extraction warnings"
          render={(w) => w}
        />
      ) : null}
      <div className="row">
        <button
          type="button"
          disabled={!hasScene || status !== 'ready'}
          onClick={() => clearFeatureCache('scene')}
        >
          Clear cached features (this scene)
        </button>
        <button
          type="button"
          disabled={status !== 'ready'}
          onClick={() => clearFeatureCache('all')}
        >
          Clear all cached features
        </button>
      </div>
      {cleared ? (
        <p className="hint" aria-live="polite" data-testid="feature-cache-cleared">
          Removed {cleared.removed} cached feature {cleared.removed === 1 ? 'bundle' : 'bundles'}
          {cleared.scope === 'scene' ? ' of this scene' : ''}.
        </p>
      ) : null}
    </>
  );
}
