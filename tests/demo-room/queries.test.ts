import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COLOR_TERMS } from '../../src/pipeline/clip/offline/color-terms';
import { DEMO_ROOM_DEFAULTS } from '../../src/pipeline/defaults';
import { demoRoomQueries, formatQueryFile } from '../../src/demo-room/queries';
import { generateRoomLayout } from '../../src/demo-room/room-layout';
import { parseQueryFile } from '../../src/pipeline/query/query-file';

const committed = path.resolve(__dirname, '../../scenes/demo-room.queries.json');

describe('demo room query file', () => {
  const layout = generateRoomLayout(DEMO_ROOM_DEFAULTS.seed);

  it('the committed scenes/demo-room.queries.json is exactly what the generator writes', () => {
    expect(readFileSync(committed, 'utf8')).toBe(formatQueryFile(demoRoomQueries(layout)));
  });

  it('the query-file parser that eval uses reads the committed file', () => {
    const parsed = parseQueryFile(readFileSync(committed), committed);
    expect(parsed).toEqual(demoRoomQueries(layout).queries);
  });

  it('one colour-word query per object, naming that object’s id, label and colour', () => {
    const file = demoRoomQueries(layout);
    expect(file.scene).toBe('demo-room');
    expect(file.seed).toBe(DEMO_ROOM_DEFAULTS.seed);
    expect(file.queries).toHaveLength(layout.objects.length);
    for (const q of file.queries) {
      const o = layout.objects.find((x) => x.id === q.targetId)!;
      expect(o).toBeDefined();
      expect(q).toEqual({
        text: o.colorName,
        targetId: o.id,
        label: o.label,
        colorName: o.colorName,
      });
      expect(COLOR_TERMS).toContain(q.text);
    }
    // Distinct colours make every query unambiguous.
    expect(new Set(file.queries.map((q) => q.text)).size).toBe(file.queries.length);
  });
});
