/**
 * The generated rooms' grounding queries: one colour word per colour term present, with the GT
 * objects of that colour it must find (`targetIds` when there are several, as the cluttered
 * room's two orange chairs). In the demo room every object has its own colour, so that is one
 * query per object. Written to `scenes/<room>.queries.json` by `npm run scenes` and committed;
 * `eval` reads it.
 */
import type { ColorTerm } from '../pipeline/clip/offline/color-terms';
import type { GroundingQuery } from '../pipeline/query/query-file';
import { DEMO_ROOM_NAME } from './demo-room';
import type { RoomLayout, RoomObject } from './room-layout';

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

export function demoRoomQueries(layout: RoomLayout, scene = DEMO_ROOM_NAME): DemoRoomQueryFile {
  // Colours in order of their first object, so distinct colours keep the objects' order.
  const byColour = new Map<ColorTerm, RoomObject[]>();
  for (const o of layout.objects) {
    const group = byColour.get(o.colorName);
    if (group) group.push(o);
    else byColour.set(o.colorName, [o]);
  }
  const queries = [...byColour].map(([colorName, objects]): DemoRoomQuery => {
    const label = [...new Set(objects.map((o) => o.label))].join(', ');
    const query: DemoRoomQuery = { text: colorName, targetId: objects[0].id, label, colorName };
    if (objects.length === 1) return query;
    return {
      text: colorName,
      targetId: objects[0].id,
      targetIds: objects.map((o) => o.id),
      label,
      colorName,
    };
  });
  return { scene, seed: layout.seed, queries };
}

/** The committed file's exact text (2-space JSON and a final newline, as prettier leaves it). */
export function formatQueryFile(file: DemoRoomQueryFile): string {
  // Prettier prints a short array of ids on one line.
  const text = JSON.stringify(file, null, 2).replace(
    /\[\n\s*(-?\d+(?:,\n\s*-?\d+)*)\n\s*\]/g,
    (_, ids: string) => `[${ids.split(/,\s*/).join(', ')}]`,
  );
  return text + '\n';
}
