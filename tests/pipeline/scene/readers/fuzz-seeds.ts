/**
 * Small valid inputs the fuzzers mutate, shared by the in-process fuzz tests and the
 * child-process suite (tests/fuzz) so both attack the same files.
 */
import { sensIntrinsicMatrix, writeSens } from '../../../../src/pipeline/scene/readers/sens-writer';
import type { Scene } from '../../../../src/pipeline/scene/types';

/** A 40-point cloud with colours, normals, labels and three faces. */
export function smallCloud() {
  const n = 40;
  return {
    positions: new Float32Array(n * 3).map((_, i) => i * 0.1),
    colors: new Uint8Array(n * 3).map((_, i) => i),
    normals: new Float32Array(n * 3).fill(0.5),
    semanticIds: new Int32Array(n).map((_, i) => i % 4),
    faces: Uint32Array.from([0, 1, 2, 2, 3, 4, 5, 6, 7]),
  };
}

/** .sens files with JPEG, PNG and raw colour; zlib and raw depth. */
export function sensSeeds(): Uint8Array[] {
  const frame = (k: number) => ({
    color: { width: 8, height: 4, data: new Uint8Array(96).map((_, i) => (i * 9 + k) & 255) },
    depth: new Uint16Array(16).map((_, i) => 800 + i + k),
    cameraToWorld: [1, 0, 0, k, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
    timestampColor: k * 1000,
  });
  const options = {
    colorIntrinsics: sensIntrinsicMatrix(8, 8, 3.5, 1.5),
    depthIntrinsics: sensIntrinsicMatrix(4, 4, 1.5, 1.5),
    colorWidth: 8,
    colorHeight: 4,
    depthWidth: 4,
    depthHeight: 4,
    imuFrameCount: 1,
  };
  return [
    writeSens(options, [frame(0), frame(1), frame(2)]),
    writeSens({ ...options, colorCompression: 1, depthCompression: 0 }, [frame(0), frame(1)]),
    writeSens({ ...options, colorCompression: 0 }, [frame(3)]),
  ];
}

/** A scene with a cloud, one object and two 4×3 frames with depth and instances (for bundles). */
export function bundleSeedScene(): Scene {
  return {
    name: 'fuzz',
    format: 'generated',
    cloud: smallCloud(),
    objects: [
      {
        id: 1,
        label: 'box',
        aabb: { min: [0, 0, 0], max: [1, 1, 1] },
        pointIds: Uint32Array.from([1, 2]),
      },
    ],
    warnings: [],
    frames: [0, 1].map((k) => ({
      index: k,
      name: `f${k}`,
      intrinsics: { fx: 5, fy: 5, cx: 2, cy: 1.5, width: 4, height: 3 },
      depthIntrinsics: { fx: 5, fy: 5, cx: 2, cy: 1.5, width: 4, height: 3 },
      cameraToWorld: Float64Array.from([1, 0, 0, k, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]),
      loadColor: async () => ({ width: 4, height: 3, data: new Uint8Array(36).fill(k * 10) }),
      loadDepth: async () => ({
        width: 4,
        height: 3,
        data: new Uint16Array(12).fill(1000),
        depthScale: 1000,
        invalidValues: [0],
      }),
      loadInstances: async () => new Int32Array(12).fill(k),
    })),
  };
}
