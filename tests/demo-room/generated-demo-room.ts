/**
 * The standard demo room (default options) as tests read it: the bundle scenes/demo-room that
 * tests/global-setup.ts generates once per run (and likewise the cluttered room,
 * scenes/cluttered-room), opened with the pipeline's bundle reader over the
 * Node file source, once per test file's process (cached promise). Tests share the Scene object:
 * treat its arrays as read-only (frame loaders return fresh copies).
 */
import { NodeFileSource } from '../../src/hosts/node/node-file-source';
import {
  generateLayout,
  resolveDemoRoomOptions,
  type DemoRoomLayoutKind,
} from '../../src/demo-room/demo-room';
import type { RoomLayout } from '../../src/demo-room/room-layout';
import { DEMO_ROOM_DEFAULTS } from '../../src/pipeline/defaults';
import { openScene } from '../../src/pipeline/scene/open-scene';
import type { Scene } from '../../src/pipeline/scene/types';
import { defaultBundleDir, demoRoomStamp, recordedStampHash } from '../../scenes/generate';

const opened = new Map<DemoRoomLayoutKind, Promise<Scene>>();
const layouts = new Map<DemoRoomLayoutKind, RoomLayout>();

/**
 * The bundle's folder, after checking that it was made by the current generator with the
 * default options (a stale or missing bundle fails loudly instead of testing old output).
 */
export function generatedDemoRoomDir(kind: DemoRoomLayoutKind = 'demo'): string {
  const dir = defaultBundleDir(kind);
  const expected = demoRoomStamp(resolveDemoRoomOptions({ layout: kind })).hash;
  const found = recordedStampHash(dir);
  if (found !== expected) {
    throw new Error(
      `${dir} is ${found ? `stale (generator ${found}, code ${expected})` : 'missing'}: ` +
        'run `npm run scenes` (tests/global-setup.ts does it before each test run)',
    );
  }
  return dir;
}

/** The generated standard room (or the cluttered one), opened once per process. */
export function generatedDemoRoom(kind: DemoRoomLayoutKind = 'demo'): Promise<Scene> {
  let scene = opened.get(kind);
  if (!scene) {
    scene = (async () => openScene(await NodeFileSource.open(generatedDemoRoomDir(kind))))();
    opened.set(kind, scene);
  }
  return scene;
}

/** The standard room's layout (solids, colours, GT boxes): cheap to regenerate from its seed. */
export function generatedDemoRoomLayout(kind: DemoRoomLayoutKind = 'demo'): RoomLayout {
  let layout = layouts.get(kind);
  if (!layout) {
    layout = generateLayout(kind, DEMO_ROOM_DEFAULTS.seed);
    layouts.set(kind, layout);
  }
  return layout;
}

/** scenes/cluttered-room, checked as generatedDemoRoomDir checks the demo room. */
export const generatedClutteredRoomDir = () => generatedDemoRoomDir('cluttered');
/** The generated cluttered room, opened once per process. */
export const generatedClutteredRoom = () => generatedDemoRoom('cluttered');
/** The cluttered room's layout at the default seed. */
export const generatedClutteredRoomLayout = () => generatedDemoRoomLayout('cluttered');
