/** The frames the 3D view lists: the scene's captured frames, then the last extraction's renders. */
import { useMemo } from 'react';
import type { ViewFrame } from '../../workers/pipeline-api';
import { useApp } from './store';

export function useViewFrames(): ViewFrame[] {
  const scene = useApp((s) => s.scene);
  // Rendered views join the captured frames once an extraction used them.
  const rendered = useApp((s) => s.extraction?.renderedFrames);
  return useMemo(() => [...(scene?.frames ?? []), ...(rendered ?? [])], [scene, rendered]);
}
