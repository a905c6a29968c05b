/**
 * A read-only, plain-data snapshot of the app state for end-to-end tests and debugging
 * (window.__app). Big arrays are summarised, never exposed.
 */
import { getState } from './store';

export function appSnapshot() {
  const s = getState();
  return {
    status: s.status,
    statusText: s.statusText,
    ping: s.ping ? { ...s.ping } : undefined,
    workerGeneration: s.workerGeneration,
    errors: s.errors.map((e) => e.message),
    scenes: s.scenes.map((e) => e.id),
    scene: s.scene
      ? {
          id: s.scene.id,
          info: structuredClone(s.scene.info),
          frameCount: s.scene.frames.length,
          objects: structuredClone(s.scene.objects),
          up: [...s.scene.up],
        }
      : undefined,
    pointCount: s.cloud ? s.cloud.positions.length / 3 : 0,
    totalPointCount: s.cloud?.totalCount ?? 0,
    progress: s.progress ? { ...s.progress } : undefined,
    colorMode: s.colorMode,
    heatRange: [...s.heatRange],
    boxes: structuredClone(s.boxes),
    selectedBox: s.selectedBox,
    selectedTokens: s.selectedTokens,
    tokenDiagnostics: [...s.tokenDiagnostics],
    normalisation: s.normalisation ? structuredClone(s.normalisation) : undefined,
    frameImage: s.frameImage
      ? { index: s.frameImage.index, width: s.frameImage.width, height: s.frameImage.height }
      : undefined,
    model: s.model ? { ...s.model } : undefined,
    extraction: s.extraction ? structuredClone(s.extraction) : undefined,
    job: s.job,
    lastQuery: s.lastQuery ? structuredClone(s.lastQuery) : undefined,
    /** The last query's boxes (alias of lastQuery.boxes, for tests and tools). */
    results: s.lastQuery ? structuredClone(s.lastQuery.boxes) : [],
    lastExport: s.lastExport ? { ...s.lastExport } : undefined,
    framesDrawn: s.framesDrawn,
    drawnPoints: s.drawnPoints,
  };
}

export type AppSnapshot = ReturnType<typeof appSnapshot>;
