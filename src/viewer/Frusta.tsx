import { useThree, type ThreeEvent } from '@react-three/fiber';
import { useEffect, useMemo } from 'react';
import { BufferAttribute, BufferGeometry, LineBasicMaterial } from 'three';
import type { ViewFrame } from '../../workers/pipeline-api';
import { showFrame } from './controller';
import { strideIndices } from './frustum-stride';
import { useApp } from './store';
import { useViewFrames } from './view-frames';

/** 8 segments per frustum: 4 from the centre to the image corners, 4 around the image. */
const VERTICES_PER_FRUSTUM = 16;
const HIGHLIGHT = [1, 0.8, 0.2];

function frustumVertices(frames: ViewFrame[], depth: number): Float32Array {
  const out = new Float32Array(frames.length * VERTICES_PER_FRUSTUM * 3);
  let o = 0;
  const put = (m: number[], x: number, y: number, z: number) => {
    out[o++] = m[0] * x + m[1] * y + m[2] * z + m[3];
    out[o++] = m[4] * x + m[5] * y + m[6] * z + m[7];
    out[o++] = m[8] * x + m[9] * y + m[10] * z + m[11];
  };
  for (const f of frames) {
    const { fx, fy, cx, cy, width, height } = f.intrinsics;
    // Image corners back-projected to `depth` in camera coordinates (OpenCV: z forward).
    const corners = [
      [0, 0],
      [width, 0],
      [width, height],
      [0, height],
    ].map(([u, v]) => [((u - cx) / fx) * depth, ((v - cy) / fy) * depth, depth]);
    const m = f.cameraToWorld;
    for (let k = 0; k < 4; k++) {
      put(m, 0, 0, 0);
      put(m, corners[k][0], corners[k][1], corners[k][2]);
    }
    for (let k = 0; k < 4; k++) {
      const a = corners[k];
      const b = corners[(k + 1) % 4];
      put(m, a[0], a[1], a[2]);
      put(m, b[0], b[1], b[2]);
    }
  }
  return out;
}

/** Captured frames grey, rendered views light blue, the frame on show highlighted. */
function frustumColors(frames: ViewFrame[], selected: number | undefined): Float32Array {
  const colors = new Float32Array(frames.length * VERTICES_PER_FRUSTUM * 3);
  frames.forEach((f, k) => {
    const c =
      f.index === selected ? HIGHLIGHT : f.rendered ? [0.45, 0.65, 0.95] : [0.55, 0.55, 0.55];
    for (let v = 0; v < VERTICES_PER_FRUSTUM; v++)
      colors.set(c, (k * VERTICES_PER_FRUSTUM + v) * 3);
  });
  return colors;
}

/**
 * The frames' camera frusta in one LineSegments (at most `maxFrusta`, evenly strided, plus the
 * frame on show); clicking one opens that frame's image, which also moves the Frame slider.
 */
export function Frusta() {
  const invalidate = useThree((s) => s.invalidate);
  const scene = useApp((s) => s.scene);
  const selected = useApp((s) => s.frameImage?.index);
  const scale = useApp((s) => s.frustumScale);
  const opacity = useApp((s) => s.frustumOpacity);
  const maxFrusta = useApp((s) => s.maxFrusta);
  const all = useViewFrames();
  const selectedAt = all.findIndex((f) => f.index === selected);
  const frames = useMemo(
    () => strideIndices(all.length, maxFrusta, selectedAt).map((k) => all[k]),
    [all, maxFrusta, selectedAt],
  );

  const geometry = useMemo(() => {
    const b = scene?.info.bounds;
    const size = b ? Math.hypot(b.max[0] - b.min[0], b.max[1] - b.min[1], b.max[2] - b.min[2]) : 4;
    const g = new BufferGeometry();
    const depth = Math.min(0.15, size * 0.03) * scale;
    g.setAttribute('position', new BufferAttribute(frustumVertices(frames, depth), 3));
    g.setAttribute('color', new BufferAttribute(frustumColors(frames, undefined), 3));
    g.computeBoundingSphere();
    return g;
  }, [frames, scene, scale]);
  const material = useMemo(() => new LineBasicMaterial({ vertexColors: true }), []);
  useEffect(() => () => geometry.dispose(), [geometry]);
  useEffect(() => () => material.dispose(), [material]);

  useEffect(() => {
    material.opacity = opacity;
    material.transparent = opacity < 1;
    // Transparent frusta must not hide the points behind them from the depth test.
    material.depthWrite = opacity >= 1;
    material.needsUpdate = true;
    invalidate();
  }, [material, opacity, invalidate]);

  useEffect(() => {
    const attr = geometry.getAttribute('color') as BufferAttribute;
    (attr.array as Float32Array).set(frustumColors(frames, selected));
    attr.needsUpdate = true;
    invalidate();
  }, [geometry, frames, selected, invalidate]);

  if (frames.length === 0) return null;
  const onClick = (e: ThreeEvent<MouseEvent>) => {
    if (e.index === undefined) return;
    const frame = frames[Math.floor(e.index / VERTICES_PER_FRUSTUM)];
    if (frame) {
      e.stopPropagation();
      void showFrame(frame.index);
    }
  };
  return <lineSegments geometry={geometry} material={material} onClick={onClick} />;
}
