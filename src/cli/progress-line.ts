import type { Progress } from '../pipeline/progress';

/** One stderr line for a progress report: stage, done/total unit, message, ETA. */
export function progressLine(p: Progress): string {
  const parts = [`${p.stage} ${p.done}/${p.total || '?'} ${p.unit ?? ''}`.trim()];
  if (p.message) parts.push(p.message);
  if (p.etaSeconds !== undefined) parts.push(`ETA ${p.etaSeconds.toFixed(0)} s`);
  return parts.join(', ');
}
