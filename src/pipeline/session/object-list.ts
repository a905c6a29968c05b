/** A segmentation's proposals as plain data (the Objects panel, `cli objects`). */
import { StructureKind, type SceneSegmentation } from '../segment/types';
import { encodeBoxToTokens, type SceneNormalisation } from '../../tokens/location-tokens';
import type { ObjectsReply, SceneObject, StructureName } from './types';

const STRUCTURE_NAMES: Record<number, StructureName | undefined> = {
  [StructureKind.Floor]: 'floor',
  [StructureKind.Wall]: 'wall',
  [StructureKind.Ceiling]: 'ceiling',
};

/** Every proposal of every level, by id; the default level is whole objects (one below the top). */
export function listSceneObjects(
  seg: SceneSegmentation,
  normalisation: SceneNormalisation,
): Omit<ObjectsReply, 'seconds'> {
  const objects: SceneObject[] = [];
  const b = seg.bounds;
  for (let p = 0; p < seg.proposalCount; p++) {
    const min: [number, number, number] = [b[p * 6], b[p * 6 + 1], b[p * 6 + 2]];
    const max: [number, number, number] = [b[p * 6 + 3], b[p * 6 + 4], b[p * 6 + 5]];
    const structure = STRUCTURE_NAMES[seg.structure[p]];
    objects.push({
      id: p,
      level: seg.level[p],
      parent: seg.parent[p],
      min,
      max,
      pointCount: seg.pointOffsets[p + 1] - seg.pointOffsets[p],
      ...(structure ? { structure } : {}),
      tokens: encodeBoxToTokens({ min, max }, normalisation),
    });
  }
  return {
    levelCount: seg.levelCount,
    objectLevel: Math.max(0, seg.levelCount - 2),
    objects,
  };
}
