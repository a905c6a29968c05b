import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useMemo } from 'react';
import { BufferAttribute, BufferGeometry, PerspectiveCamera, Vector2 } from 'three';
import type { PointScores, ViewCloud } from '../../workers/pipeline-api';
import { COLOR_MODE_INDEX, colormapTexture, createPointMaterial } from './point-material';
import { getState, setState, useApp } from './store';

/** Writes per-point values into an attribute in place (the geometry is never rebuilt). */
function applyValues(geometry: BufferGeometry, name: string, values: PointScores | undefined) {
  const attr = geometry.getAttribute(name) as BufferAttribute;
  const array = attr.array as Float32Array;
  if (values && values.values.length === array.length) array.set(values.values);
  else array.fill(NaN);
  attr.needsUpdate = true;
}

function buildGeometry(cloud: ViewCloud): BufferGeometry {
  const n = cloud.positions.length / 3;
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new BufferAttribute(cloud.positions, 3));
  geometry.setAttribute('rgb', new BufferAttribute(cloud.colors, 3, true));
  geometry.setAttribute('score', new BufferAttribute(new Float32Array(n).fill(NaN), 1));
  geometry.setAttribute('views', new BufferAttribute(new Float32Array(n).fill(NaN), 1));
  const ids = cloud.instanceIds ?? new Int32Array(n).fill(-1);
  geometry.setAttribute('instanceId', new BufferAttribute(new Float32Array(ids), 1));
  geometry.computeBoundingSphere();
  return geometry;
}

/** The scene's cloud: one BufferGeometry, every colour mode in one shader. */
export function PointCloud({ cloud }: { cloud: ViewCloud }) {
  const invalidate = useThree((s) => s.invalidate);
  const geometry = useMemo(() => buildGeometry(cloud), [cloud]);
  const material = useMemo(() => createPointMaterial(), []);
  const scores = useApp((s) => s.scores);
  const viewCounts = useApp((s) => s.viewCounts);
  const colorMode = useApp((s) => s.colorMode);
  const colormap = useApp((s) => s.colormap);
  const heatRange = useApp((s) => s.heatRange);
  const pointSize = useApp((s) => s.pointSize);
  const sizeUnits = useApp((s) => s.sizeUnits);

  useEffect(() => () => geometry.dispose(), [geometry]);
  useEffect(() => () => material.dispose(), [material]);

  useEffect(() => {
    applyValues(geometry, 'score', scores);
    invalidate();
  }, [geometry, scores, invalidate]);

  useEffect(() => {
    applyValues(geometry, 'views', viewCounts);
    (material.uniforms.uViewRange.value as Vector2).set(0, Math.max(1, viewCounts?.max ?? 1));
    invalidate();
  }, [geometry, material, viewCounts, invalidate]);

  useEffect(() => {
    const u = material.uniforms;
    u.uMode.value = COLOR_MODE_INDEX[colorMode];
    (u.uRange.value as Vector2).set(heatRange[0], heatRange[1]);
    u.uSize.value = pointSize;
    u.uWorldSize.value = sizeUnits === 'metres';
    invalidate();
  }, [material, colorMode, heatRange, pointSize, sizeUnits, invalidate]);

  useEffect(() => {
    const old = material.uniforms.uColormap.value as { dispose(): void };
    material.uniforms.uColormap.value = colormapTexture(colormap);
    old.dispose();
    invalidate();
  }, [material, colormap, invalidate]);

  useFrame((state) => {
    // Metres → pixels: the projected size of 1 m at distance 1, for the current viewport.
    const camera = state.camera as PerspectiveCamera;
    const fov = ((camera.fov ?? 50) * Math.PI) / 180;
    material.uniforms.uProjScale.value =
      (state.size.height * state.viewport.dpr) / (2 * Math.tan(fov / 2));
    setState({ framesDrawn: getState().framesDrawn + 1 });
  });

  // Raycasting a million points on every click would stall the page; boxes and frusta are picked.
  return <points geometry={geometry} material={material} raycast={() => null} />;
}
