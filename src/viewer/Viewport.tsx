import { Canvas } from '@react-three/fiber';
import { BenchBridge } from './BenchBridge';
import { Boxes } from './Boxes';
import { BoxLabels } from './BoxLabels';
import { CameraRig } from './CameraRig';
import { EyeDomeLighting } from './EyeDomeLighting';
import { Frusta } from './Frusta';
import { PickMarkers } from './PickMarkers';
import { PointCloud } from './PointCloud';
import { PointPicker } from './PointPicker';
import { ScreenshotBridge } from './ScreenshotBridge';
import { useApp } from './store';

export const BACKGROUND = '#14171c';

/** ?bench mounts the benchmark hooks (bench/viewer-frame.bench.ts). */
const BENCH = new URLSearchParams(location.search).has('bench');

/** The 3D view: renders on demand only (SwiftShader and laptops alike). */
export function Viewport() {
  const cloud = useApp((s) => s.cloud);
  const showFrusta = useApp((s) => s.showFrusta);
  const edl = useApp((s) => s.edl);
  return (
    <div className="viewport" data-testid="viewport">
      <Canvas
        frameloop="demand"
        dpr={[1, 2]}
        camera={{ fov: 50, near: 0.01, far: 1000, position: [3, 3, 3] }}
        gl={{ antialias: false, preserveDrawingBuffer: false }}
        raycaster={{
          params: {
            Line: { threshold: 0.03 },
            Points: { threshold: 0.01 },
            Mesh: {},
            LOD: {},
            Sprite: {},
          },
        }}
        aria-label="3D scene view"
      >
        <color attach="background" args={[BACKGROUND]} />
        {cloud && cloud.positions.length > 0 ? <PointCloud cloud={cloud} /> : null}
        <Boxes />
        <PickMarkers />
        <PointPicker />
        {showFrusta ? <Frusta /> : null}
        <CameraRig />
        <ScreenshotBridge />
        {edl ? <EyeDomeLighting /> : null}
        {BENCH ? <BenchBridge /> : null}
      </Canvas>
      <BoxLabels />
    </div>
  );
}
