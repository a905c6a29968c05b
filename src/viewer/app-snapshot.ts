/**
 * A read-only, plain-data snapshot of the app state for end-to-end tests and debugging
 * (window.__app). Big arrays are summarised, never exposed.
 */
import { currentCameraPose, currentViewTransform } from './camera-pose';
import { formatSize, gtLabel, listLevel, objectLabel } from './objects';
import { getState, type AppState } from './store';

/** The Objects panel's state: the listing at the chosen level, without the proposals' arrays. */
function objectsSnapshot(s: AppState) {
  if (!s.objects || s.objectLevel === undefined) return undefined;
  const { objects, structure } = listLevel(s.objects, s.objectLevel);
  return {
    levelCount: s.objects.levelCount,
    objectLevel: s.objects.objectLevel,
    level: s.objectLevel,
    /** Proposals of every level. */
    total: s.objects.objects.length,
    /** Non-structure proposals listed at the chosen level (what the panel counts). */
    count: objects.length,
    structureCount: structure.length,
    /** The listed ids, largest first. */
    ids: objects.map((o) => o.id),
    seconds: s.objects.seconds,
  };
}

function selectedObjectSnapshot(s: AppState) {
  const sel = s.selectedObject;
  if (!sel) return undefined;
  if (sel.kind === 'proposal') {
    const o = s.objects?.objects.find((p) => p.id === sel.id);
    if (!o) return undefined;
    return {
      kind: sel.kind,
      id: o.id,
      label: objectLabel(o),
      level: o.level,
      min: [...o.min],
      max: [...o.max],
      size: formatSize(o.min, o.max),
      pointCount: o.pointCount,
      tokens: o.tokens,
    };
  }
  const o = s.scene?.objects.find((g) => g.id === sel.id);
  if (!o) return undefined;
  return {
    kind: sel.kind,
    id: o.id,
    label: gtLabel(o),
    level: undefined,
    min: [...o.aabb.min],
    max: [...o.aabb.max],
    size: formatSize(o.aabb.min, o.aabb.max),
    pointCount: undefined,
    tokens: s.selectedBox === `gt-${o.id}` ? s.selectedTokens : undefined,
  };
}

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
    edl: s.edl,
    edlStrength: s.edlStrength,
    clipBox: s.clipBox ? structuredClone(s.clipBox) : undefined,
    frusta: { scale: s.frustumScale, opacity: s.frustumOpacity, max: s.maxFrusta },
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
    objects: objectsSnapshot(s),
    selectedObject: selectedObjectSnapshot(s),
    /** The level of the segment ids the 'segment' colour mode shows, and how many points. */
    segments: s.segmentIds
      ? { level: s.segmentIds.level, points: s.segmentIds.ids.length }
      : undefined,
    queryConfident: s.lastQuery?.confident,
    queryReason: s.lastQuery?.reason,
    lastExport: s.lastExport ? { ...s.lastExport } : undefined,
    /** The live camera position and orbit target. */
    camera: currentCameraPose(),
    /** The live projection × view matrix and canvas size (CSS px). */
    view: currentViewTransform(),
    pickMode: s.pickMode,
    picks: structuredClone(s.picks),
    framesDrawn: s.framesDrawn,
    drawnPoints: s.drawnPoints,
  };
}

export type AppSnapshot = ReturnType<typeof appSnapshot>;
