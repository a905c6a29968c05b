import type { CliCommand } from '../command';
import { CliUsageError, flagNumber } from '../args';
import { listSceneObjects } from '../../pipeline/session/object-list';
import type { SceneObject } from '../../pipeline/session/types';
import { openScenePoints, segmentScenePoints } from './scene-points';
import { RECONSTRUCTION_USAGE, reconstructionFlags } from '../reconstruction-flags';

export interface ObjectsCommandResult {
  scene: string;
  points: number;
  levelCount: number;
  /** The level of whole objects (what a viewer shows by default). */
  objectLevel: number;
  /** Every proposal of every level (or of --level), by id. */
  objects: SceneObject[];
  timingsMs: { segment: number };
}

export const objectsCommand: CliCommand = {
  name: 'objects',
  usage: `objects <scene-or-bundle> [--level L] ${RECONSTRUCTION_USAGE} [--json]`,
  summary:
    'segment a scene (weight-free, hierarchical) and list its object proposals: id, level, parent, box, point count, structure, location tokens',
  async run(args, io) {
    const path = args.positionals[0];
    if (!path) throw new CliUsageError('objects needs a scene folder or a feature bundle');
    const level = flagNumber(args, 'level');
    if (level !== undefined && !(Number.isInteger(level) && level >= 0)) {
      throw new CliUsageError('--level must be a non-negative integer');
    }
    const reconstruction = reconstructionFlags(args);
    const scene = await openScenePoints(path, io, reconstruction);
    const { index, ms: segmentMs } = segmentScenePoints(scene, io);
    const list = listSceneObjects(index.segmentation, scene.normalisation);
    if (level !== undefined && level >= list.levelCount) {
      throw new CliUsageError(
        `--level ${level}: the segmentation has levels 0–${list.levelCount - 1}`,
      );
    }
    const result: ObjectsCommandResult = {
      scene: scene.name,
      points: scene.cloud.positions.length / 3,
      levelCount: list.levelCount,
      objectLevel: list.objectLevel,
      objects: level === undefined ? list.objects : list.objects.filter((o) => o.level === level),
      timingsMs: { segment: segmentMs },
    };
    return result;
  },
  format(result) {
    const r = result as ObjectsCommandResult;
    const fmt = (v: number[]) => v.map((x) => x.toFixed(3)).join(', ');
    const lines = [
      `${r.scene}: ${r.objects.length} proposals over ${r.levelCount} levels (objects at level ${r.objectLevel}), ${r.points} points, segmented in ${r.timingsMs.segment} ms`,
    ];
    for (const o of r.objects) {
      lines.push(
        `${o.id}  level ${o.level}  parent ${o.parent}  min (${fmt(o.min)}) max (${fmt(o.max)}) m  ` +
          `${o.pointCount} points${o.structure ? `  ${o.structure}` : ''}  ${o.tokens}`,
      );
    }
    return lines.join('\n');
  },
};
