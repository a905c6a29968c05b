import type { Progress } from '../pipeline/progress';
import { useApp } from './store';

function formatProgress(p: Progress): string {
  const total = p.total > 0 ? `/${p.total}` : '';
  const unit = p.unit ? ` ${p.unit}` : '';
  const eta = p.etaSeconds !== undefined ? `, ~${Math.ceil(p.etaSeconds)} s left` : '';
  return `${p.stage}: ${p.done}${total}${unit}${eta}`;
}

/** One line at the bottom: worker state, scene, points shown, progress. */
export function StatusLine() {
  const statusText = useApp((s) => s.statusText);
  const status = useApp((s) => s.status);
  const cloud = useApp((s) => s.cloud);
  const scene = useApp((s) => s.scene);
  const progress = useApp((s) => s.progress);
  const shown = cloud ? cloud.positions.length / 3 : 0;
  return (
    <div className="status-line" role="status" aria-live="polite" data-status={status}>
      <span>{statusText}</span>
      {scene ? <span> · {scene.info.name}</span> : null}
      {cloud ? (
        <span>
          {' '}
          · {shown.toLocaleString('en')} of {cloud.totalCount.toLocaleString('en')} points
          {cloud.voxelSize > 0 ? ` (voxel ${(cloud.voxelSize * 100).toFixed(1)} cm)` : ''}
        </span>
      ) : null}
      {progress ? <span> · {formatProgress(progress)}</span> : null}
    </div>
  );
}
