import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useMemo, useState } from 'react';
import { PerspectiveCamera, Vector2, Vector3 } from 'three';
import type { ViewCloud } from '../../workers/pipeline-api';
import { pipelineRemote } from './controller';
import { EDL_FLAG } from './edl-shader';
import {
  applyNormals,
  applySegmentColors,
  applyValues,
  buildGeometry,
  heightRange,
} from './point-geometry';
import { COLOR_MODE_INDEX, colormapTexture, createPointMaterial } from './point-material';
import { getState, reportError, setState, useApp } from './store';

const DEFAULT_UP: [number, number, number] = [0, 0, 1];
/** The points are what eye-dome lighting shades (EyeDomeLighting.tsx). */
const EDL_SHADED = { [EDL_FLAG]: true };

/** The scene's cloud: one BufferGeometry, every colour mode in one shader. */
export function PointCloud({ cloud }: { cloud: ViewCloud }) {
  const invalidate = useThree((s) => s.invalidate);
  const geometry = useMemo(() => buildGeometry(cloud), [cloud]);
  const material = useMemo(() => createPointMaterial(), []);
  const scores = useApp((s) => s.scores);
  const viewCounts = useApp((s) => s.viewCounts);
  const segmentIds = useApp((s) => s.segmentIds?.ids);
  const colorMode = useApp((s) => s.colorMode);
  const colormap = useApp((s) => s.colormap);
  const heatRange = useApp((s) => s.heatRange);
  const pointSize = useApp((s) => s.pointSize);
  const sizeUnits = useApp((s) => s.sizeUnits);
  const up = useApp((s) => s.scene?.up) ?? DEFAULT_UP;
  const clipBox = useApp((s) => s.clipBox);
  // Normals cost a neighbour search in the worker: asked only once the 'normal' mode is chosen.
  const [normals, setNormals] = useState<{ cloud: ViewCloud; normals: Float32Array }>();
  const wantNormals = colorMode === 'normal' && normals?.cloud !== cloud;

  useEffect(() => () => geometry.dispose(), [geometry]);
  useEffect(() => () => material.dispose(), [material]);

  useEffect(() => {
    applyValues(geometry, 'score', scores);
    invalidate();
  }, [geometry, scores, invalidate]);

  useEffect(() => {
    applySegmentColors(geometry, segmentIds);
    invalidate();
  }, [geometry, segmentIds, invalidate]);

  useEffect(() => {
    applyValues(geometry, 'views', viewCounts);
    (material.uniforms.uViewRange.value as Vector2).set(0, Math.max(1, viewCounts?.max ?? 1));
    invalidate();
  }, [geometry, material, viewCounts, invalidate]);

  useEffect(() => {
    if (!wantNormals) return;
    let current = true;
    pipelineRemote()
      ?.getViewNormals()
      .then((n) => current && setNormals({ cloud, normals: n }))
      .catch(reportError);
    return () => {
      current = false;
    };
  }, [cloud, wantNormals]);

  useEffect(() => {
    applyNormals(geometry, normals?.cloud === cloud ? normals.normals : undefined);
    invalidate();
  }, [geometry, cloud, normals, invalidate]);

  const [upX, upY, upZ] = up;
  useEffect(() => {
    const axis: [number, number, number] = [upX, upY, upZ];
    (material.uniforms.uUp.value as Vector3).set(...axis);
    (material.uniforms.uHeightRange.value as Vector2).set(...heightRange(cloud.positions, axis));
    invalidate();
  }, [material, cloud, upX, upY, upZ, invalidate]);

  useEffect(() => {
    const u = material.uniforms;
    u.uClip.value = !!clipBox;
    if (clipBox) {
      (u.uClipMin.value as Vector3).set(...clipBox.min);
      (u.uClipMax.value as Vector3).set(...clipBox.max);
    }
    invalidate();
  }, [material, clipBox, invalidate]);

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
    material.uniforms.uPixelRatio.value = state.viewport.dpr;
    setState({
      framesDrawn: getState().framesDrawn + 1,
      drawnPoints: geometry.getAttribute('position').count,
    });
  });

  // Raycasting a million points on every click would stall the page; boxes and frusta are picked.
  return (
    <points geometry={geometry} material={material} raycast={() => null} userData={EDL_SHADED} />
  );
}
