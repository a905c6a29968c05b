/**
 * The demo room's grounding queries: one colour word per object, with the GT object it must find.
 * Written to `scenes/demo-room.queries.json` by `npm run scenes` and committed; `eval` reads it.
 */
import type { ColorTerm } from '../pipeline/clip/offline/color-terms';
import type { GroundingQuery } from '../pipeline/query/query-file';
import { DEMO_ROOM_NAME } from './demo-room';
import type { RoomLayout } from './room-layout';

/** A query of the demo room: the text is a colour term, and label and colour are always set. */
export interface DemoRoomQuery extends GroundingQuery {
  label: string;
  colorName: ColorTerm;
}

export interface DemoRoomQueryFile {
  scene: string;
  /** Layout seed the ids refer to. */
  seed: number;
  queries: DemoRoomQuery[];
}

export function demoRoomQueries(layout: RoomLayout): DemoRoomQueryFile {
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
export function formatQueryFile(file: DemoRoomQueryFile): string {
  return JSON.stringify(file, null, 2) + '\n';
}
