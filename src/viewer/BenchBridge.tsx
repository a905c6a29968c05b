import { useThree } from '@react-three/fiber';
import { useEffect } from 'react';
import { BufferGeometry, Points } from 'three';
import type { PointScores, ViewCloud } from '../../workers/pipeline-api';
import { applyValues, buildGeometry } from './point-geometry';
import { getState, setState } from './store';

export interface ViewerBench {
  /** Shows a synthetic cloud of n points (heatmap mode) and waits until it is drawn. */
  setCloud(n: number): Promise<void>;
  /** Mean ms per frame over k frames of an orbiting camera (GPU work included). */
  frameMs(k: number): number;
  /**
   * Mean ms to apply a new heatmap in place, up to the data being on the GPU (the draw itself is
   * skipped with an empty draw range, so rasterisation does not drown the difference).
   */
  heatmapMs(reps: number): number;
  /** The same for rebuilding the geometry with the new scores (the baseline). */
  rebuildMs(reps: number): number;
}

declare global {
  interface Window {
    __viewerBench?: ViewerBench;
  }
}

function syntheticCloud(n: number): ViewCloud {
  const positions = new Float32Array(n * 3);
  const colors = new Uint8Array(n * 3);
  let seed = 12345;
  const rand = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296;
  for (let i = 0; i < n * 3; i++) {
    positions[i] = rand() * 2 - 1;
    colors[i] = rand() * 255;
  }
  return { positions, colors, totalCount: n, voxelSize: 0, levels: [{ voxelSize: 0, count: n }] };
}

function randomScores(n: number, salt: number): PointScores {
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = (Math.sin(i * 0.001 + salt) + 1) / 2;
  return { values, min: 0, max: 1 };
}

/** Benchmark hooks (only mounted with ?bench): time draws and heatmap updates on the real pipeline. */
export function BenchBridge() {
  const gl = useThree((s) => s.gl);
  const scene = useThree((s) => s.scene);
  const camera = useThree((s) => s.camera);

  useEffect(() => {
    const ctx = gl.getContext();
    const pixel = new Uint8Array(4);
    // readPixels waits for the GPU (here SwiftShader) to finish the frame.
    const drawAndWait = () => {
      gl.render(scene, camera);
      ctx.readPixels(0, 0, 1, 1, ctx.RGBA, ctx.UNSIGNED_BYTE, pixel);
    };
    const points = () => {
      let found: Points | undefined;
      scene.traverse((o) => {
        if (o instanceof Points) found = o;
      });
      if (!found) throw new Error('no point cloud in the scene');
      return found;
    };
    window.__viewerBench = {
      async setCloud(n) {
        const before = getState().framesDrawn;
        setState({ cloud: syntheticCloud(n), colorMode: 'heatmap', heatRange: [0, 1] });
        for (let i = 0; i < 600 && getState().framesDrawn === before; i++) {
          await new Promise((r) => setTimeout(r, 50));
        }
      },
      frameMs(k) {
        drawAndWait();
        const t0 = performance.now();
        for (let i = 0; i < k; i++) {
          camera.position.applyAxisAngle(camera.up, 0.05);
          camera.lookAt(0, 0, 0);
          drawAndWait();
        }
        return (performance.now() - t0) / k;
      },
      heatmapMs(reps) {
        const geometry = points().geometry as BufferGeometry;
        const n = geometry.getAttribute('position').count;
        const inputs = Array.from({ length: reps }, (_, r) => randomScores(n, r));
        geometry.setDrawRange(0, 0);
        const t0 = performance.now();
        for (const scores of inputs) {
          applyValues(geometry, 'score', scores);
          drawAndWait(); // uploads the changed attribute
        }
        const ms = (performance.now() - t0) / reps;
        geometry.setDrawRange(0, Infinity);
        return ms;
      },
      rebuildMs(reps) {
        const p = points();
        const original = p.geometry as BufferGeometry;
        const cloud = getState().cloud!;
        const inputs = Array.from({ length: reps }, (_, r) =>
          randomScores(cloud.positions.length / 3, r),
        );
        const t0 = performance.now();
        for (const scores of inputs) {
          const previous = p.geometry as BufferGeometry;
          const rebuilt = buildGeometry(cloud);
          applyValues(rebuilt, 'score', scores);
          rebuilt.setDrawRange(0, 0);
          p.geometry = rebuilt;
          drawAndWait();
          if (previous !== original) previous.dispose();
        }
        const ms = (performance.now() - t0) / reps;
        (p.geometry as BufferGeometry).dispose();
        p.geometry = original;
        return ms;
      },
    };
    return () => {
      delete window.__viewerBench;
    };
  }, [gl, scene, camera]);
  return null;
}
