/**
 * The demo room's grounding queries: one colour word per object, with the GT object it must find.
 * Written to `scenes/demo-room.queries.json` by `npm run scenes` and committed; `eval` reads it.
 */
import type { ColorTerm } from '../clip/offline/color-terms';
import { DEMO_ROOM_NAME } from './demo-room';
import type { RoomLayout } from './room-layout';

export interface GroundingQuery {
  /** The query text (a colour term: the bundled offline encoder only knows colour words). */
  text: string;
  /** GT object id in the scene's `objects`. */
  targetId: number;
  label: string;
  colorName: ColorTerm;
}

export interface GroundingQueryFile {
  scene: string;
  /** Layout seed the ids refer to. */
  seed: number;
  queries: GroundingQuery[];
}

export function demoRoomQueries(layout: RoomLayout): GroundingQueryFile {
  return {
    scene: DEMO_ROOM_NAME,
    seed: layout.seed,
    queries: layout.objects.map((o) => ({
      text: o.colorName,
      targetId: o.id,
      label: o.label,
      colorName: o.colorName,
    })),
  };
}

/** The committed file's exact text (2-space JSON and a final newline, as prettier leaves it). */
export function formatQueryFile(file: GroundingQueryFile): string {
  return JSON.stringify(file, null, 2) + '\n';
}
