/**
 * The Objects panel's actions: segment the open scene, change the listed level, select a
 * proposal or a ground-truth object.
 */
import { api, busy, isCurrentScene, onProgress, selectBox } from './controller';
import { gtViewBox, objectViewBox } from './objects';
import { getState, reportError, setState, type ObjectSelection, type ViewBox } from './store';

/** Segments the open scene (a cancellable job) and colours/lists its default level. */
export async function findObjects(): Promise<void> {
  await busy(
    'Finding objects…',
    async () => {
      const objects = await api().objects(onProgress);
      if (!isCurrentScene(objects.sceneEpoch)) return;
      const level = objects.objectLevel;
      const ids = await api().getSegmentIds(level);
      if (!isCurrentScene(objects.sceneEpoch)) return;
      setState({
        objects,
        objectLevel: level,
        segmentIds: { level, ids },
        selectedObject: undefined,
      });
    },
    'objects',
  );
}

/** Lists and colours another proposal level. */
export async function setObjectLevel(level: number): Promise<void> {
  if (!getState().objects) return;
  setState({ objectLevel: level });
  try {
    const ids = await api().getSegmentIds(level);
    // A later choice may have landed first.
    if (getState().objectLevel === level) setState({ segmentIds: { level, ids } });
  } catch (err) {
    reportError(err);
  }
}

/** The box an Objects-panel selection draws (a proposal's or a ground-truth object's). */
function selectionBox(sel: ObjectSelection): ViewBox | undefined {
  const s = getState();
  if (sel.kind === 'proposal') {
    const o = s.objects?.objects.find((p) => p.id === sel.id);
    return o && objectViewBox(o);
  }
  const o = s.scene?.objects.find((g) => g.id === sel.id);
  return o && gtViewBox(o);
}

/** Selects an object from the Objects panel: draws its box, flies to it, shows its tokens. */
export async function selectObject(sel: ObjectSelection): Promise<void> {
  const box = selectionBox(sel);
  if (!box) return;
  // One panel box at a time; GT boxes in `boxes` only ever come from the panel.
  setState((s) => ({
    selectedObject: sel,
    boxes: [...s.boxes.filter((b) => b.source !== 'object' && b.source !== 'gt'), box],
  }));
  await selectBox(box);
}
