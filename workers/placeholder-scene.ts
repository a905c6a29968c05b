/**
 * A small generated scene shown until a real scene is opened (and when the demo room is not
 * available): a floor and three coloured solids, with their boxes as ground truth. Deterministic.
 */
import type { GtObject, Scene } from '../src/pipeline/scene/types';
import { mulberry32 } from '../src/pipeline/random';

interface Solid {
  label: string;
  colorName: string;
  rgb: [number, number, number];
  /** Point on the surface for parameters u, v in [0,1). */
  surface(u: number, v: number): [number, number, number];
}

const SOLIDS: Solid[] = [
  {
    label: 'box',
    colorName: 'red',
    rgb: [200, 30, 35],
    surface(u, v) {
      // A 0.6 m cube standing on the floor; u picks the face.
      const face = Math.floor(u * 6);
      const s = (u * 6 - face) * 0.6;
      const t = v * 0.6;
      const c: [number, number, number][] = [
        [0, s, t],
        [0.6, s, t],
        [s, 0, t],
        [s, 0.6, t],
        [s, t, 0],
        [s, t, 0.6],
      ];
      const [x, y, z] = c[face];
      return [x - 1.1, y - 0.3, z];
    },
  },
  {
    label: 'ball',
    colorName: 'blue',
    rgb: [35, 75, 200],
    surface(u, v) {
      const theta = u * 2 * Math.PI;
      const phi = Math.acos(2 * v - 1);
      const r = 0.35;
      return [
        0.6 + r * Math.sin(phi) * Math.cos(theta),
        0.4 + r * Math.sin(phi) * Math.sin(theta),
        r + r * Math.cos(phi),
      ];
    },
  },
  {
    label: 'column',
    colorName: 'green',
    rgb: [40, 150, 60],
    surface(u, v) {
      const theta = u * 2 * Math.PI;
      return [0.1 + 0.2 * Math.cos(theta), -0.9 + 0.2 * Math.sin(theta), v * 1.2];
    },
  },
];

export function placeholderScene(pointsPerSolid = 15000, floorPoints = 30000): Scene {
  const rand = mulberry32(7);
  const n = floorPoints + SOLIDS.length * pointsPerSolid;
  const positions = new Float32Array(n * 3);
  const colors = new Uint8Array(n * 3);
  const instanceIds = new Int32Array(n).fill(-1);
  let k = 0;
  for (let i = 0; i < floorPoints; i++, k++) {
    positions.set([rand() * 4 - 2, rand() * 3 - 1.5, 0], k * 3);
    const g = 150 + Math.floor(rand() * 30);
    colors.set([g, g, g - 10], k * 3);
  }
  const objects: GtObject[] = [];
  SOLIDS.forEach((solid, id) => {
    const min: [number, number, number] = [Infinity, Infinity, Infinity];
    const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
    const start = k;
    for (let i = 0; i < pointsPerSolid; i++, k++) {
      const p = solid.surface(rand(), rand());
      positions.set(p, k * 3);
      const shade = 0.85 + 0.15 * rand();
      colors.set(
        solid.rgb.map((c) => Math.round(c * shade)),
        k * 3,
      );
      instanceIds[k] = id;
      for (let a = 0; a < 3; a++) {
        min[a] = Math.min(min[a], p[a]);
        max[a] = Math.max(max[a], p[a]);
      }
    }
    const pointIds = new Uint32Array(pointsPerSolid).map((_, i) => start + i);
    objects.push({
      id,
      label: solid.label,
      colorName: solid.colorName,
      aabb: { min, max },
      pointIds,
    });
  });
  return {
    name: 'generated shapes',
    format: 'bundle',
    cloud: { positions, colors, instanceIds },
    frames: [],
    objects,
    warnings: ['Generated placeholder scene: the demo room is not available in this build.'],
  };
}
