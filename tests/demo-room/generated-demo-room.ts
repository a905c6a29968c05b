/**
 * The standard demo room (default options) as tests read it: the bundle scenes/demo-room that
 * tests/global-setup.ts generates once per run, opened with the pipeline's bundle reader over the
 * Node file source, once per test file's process (cached promise). Tests share the Scene object:
 * treat its arrays as read-only (frame loaders return fresh copies).
 */
import { NodeFileSource } from '../../src/hosts/node/node-file-source';
import { resolveDemoRoomOptions } from '../../src/demo-room/demo-room';
import { generateRoomLayout, type RoomLayout } from '../../src/demo-room/room-layout';
import { DEMO_ROOM_DEFAULTS } from '../../src/pipeline/defaults';
import { openScene } from '../../src/pipeline/scene/open-scene';
import type { Scene } from '../../src/pipeline/scene/types';
import { DEFAULT_DEMO_ROOM_DIR, demoRoomStamp, recordedStampHash } from '../../scenes/generate';

let opened: Promise<Scene> | undefined;
let layout: RoomLayout | undefined;

/**
 * The bundle's folder, after checking that it was made by the current generator with the
 * default options (a stale or missing bundle fails loudly instead of testing old output).
 */
export function generatedDemoRoomDir(): string {
  const expected = demoRoomStamp(resolveDemoRoomOptions()).hash;
  const found = recordedStampHash(DEFAULT_DEMO_ROOM_DIR);
  if (found !== expected) {
    throw new Error(
      `${DEFAULT_DEMO_ROOM_DIR} is ${found ? `stale (generator ${found}, code ${expected})` : 'missing'}: ` +
        'run `npm run scenes` (tests/global-setup.ts does it before each test run)',
    );
  }
  return DEFAULT_DEMO_ROOM_DIR;
}

/** The generated standard room, opened once per process. */
export function generatedDemoRoom(): Promise<Scene> {
  opened ??= (async () => openScene(await NodeFileSource.open(generatedDemoRoomDir())))();
  return opened;
}

/** The standard room's layout (solids, colours, GT boxes): cheap to regenerate from its seed. */
export function generatedDemoRoomLayout(): RoomLayout {
  layout ??= generateRoomLayout(DEMO_ROOM_DEFAULTS.seed);
  return layout;
}
