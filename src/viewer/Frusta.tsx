import { useThree, type ThreeEvent } from '@react-three/fiber';
import { useEffect, useMemo } from 'react';
import { BufferAttribute, BufferGeometry, LineBasicMaterial } from 'three';
import type { ViewFrame } from '../../workers/pipeline-api';
import { showFrame } from './controller';
import { useApp } from './store';

/** 8 segments per frustum: 4 from the centre to the image corners, 4 around the image. */
const VERTICES_PER_FRUSTUM = 16;

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

/** Captured frames grey, rendered views light blue. */
function baseColors(frames: ViewFrame[], colors: Float32Array) {
  frames.forEach((f, k) => {
    const c = f.rendered ? [0.45, 0.65, 0.95] : [0.55, 0.55, 0.55];
    for (let v = 0; v < VERTICES_PER_FRUSTUM; v++)
      colors.set(c, (k * VERTICES_PER_FRUSTUM + v) * 3);
  });
}

/** The frames' camera frusta in one LineSegments; clicking one opens that frame's image. */
export function Frusta() {
  const invalidate = useThree((s) => s.invalidate);
  const scene = useApp((s) => s.scene);
  const selected = useApp((s) => s.frameImage?.index);
  // Rendered views join the captured frames once an extraction used them.
  const rendered = useApp((s) => s.extraction?.renderedFrames);
  const frames = useMemo(() => [...(scene?.frames ?? []), ...(rendered ?? [])], [scene, rendered]);

  const geometry = useMemo(() => {
    const b = scene?.info.bounds;
    const size = b ? Math.hypot(b.max[0] - b.min[0], b.max[1] - b.min[1], b.max[2] - b.min[2]) : 4;
    const g = new BufferGeometry();
    g.setAttribute(
      'position',
      new BufferAttribute(frustumVertices(frames, Math.min(0.15, size * 0.03)), 3),
    );
    const colors = new Float32Array(frames.length * VERTICES_PER_FRUSTUM * 3);
    baseColors(frames, colors);
    g.setAttribute('color', new BufferAttribute(colors, 3));
    g.computeBoundingSphere();
    return g;
  }, [frames, scene]);
  const material = useMemo(() => new LineBasicMaterial({ vertexColors: true }), []);
  useEffect(() => () => geometry.dispose(), [geometry]);
  useEffect(() => () => material.dispose(), [material]);

  useEffect(() => {
    const attr = geometry.getAttribute('color') as BufferAttribute;
    const colors = attr.array as Float32Array;
    baseColors(frames, colors);
    const k = frames.findIndex((f) => f.index === selected);
    if (k >= 0) {
      for (let v = 0; v < VERTICES_PER_FRUSTUM; v++)
        colors.set([1, 0.8, 0.2], (k * VERTICES_PER_FRUSTUM + v) * 3);
    }
    attr.needsUpdate = true;
    invalidate();
  }, [geometry, frames, selected, invalidate]);

  if (frames.length === 0) return null;
  const onClick = (e: ThreeEvent<MouseEvent>) => {
    if (e.index === undefined) return;
    const frame = frames[Math.floor(e.index / VERTICES_PER_FRUSTUM)];
    if (frame) {
      e.stopPropagation();
      showFrame(frame.index);
    }
  };
  return <lineSegments geometry={geometry} material={material} onClick={onClick} />;
}
