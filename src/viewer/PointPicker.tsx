import { useThree } from '@react-three/fiber';
import { useEffect } from 'react';
import { Matrix4 } from 'three';
import { registerViewReader } from './camera-pose';
import { pickPoint } from './pick-point';
import { getState, setState, type PickedPointState } from './store';

/** A press that moves further than this (CSS px) is an orbit drag, not a click. */
const CLICK_SLOP_PX = 4;
/** Pick radius in CSS px when point sizes are in metres (their screen size varies). */
const DEFAULT_RADIUS_PX = 4;

/**
 * Clicks in the view pick points while the Measure section's mode asks for it: the nearest
 * drawn point under the cursor (pick-point.ts) becomes the pick, or one end of a measurement.
 */
export function PointPicker() {
  const gl = useThree((s) => s.gl);
  const camera = useThree((s) => s.camera);
  const invalidate = useThree((s) => s.invalidate);

  useEffect(() => {
    const canvas = gl.domElement;
    const viewProjection = () => {
      camera.updateMatrixWorld();
      return new Matrix4().multiplyMatrices(camera.projectionMatrix, camera.matrixWorldInverse)
        .elements;
    };
    registerViewReader(() => {
      const rect = canvas.getBoundingClientRect();
      return { viewProjection: [...viewProjection()], width: rect.width, height: rect.height };
    });
    let down: { x: number; y: number } | undefined;
    const onDown = (e: PointerEvent) => {
      down = e.button === 0 ? { x: e.clientX, y: e.clientY } : undefined;
    };
    const onUp = (e: PointerEvent) => {
      const start = down;
      down = undefined;
      const s = getState();
      if (!start || s.pickMode === 'boxes' || !s.cloud) return;
      if (Math.hypot(e.clientX - start.x, e.clientY - start.y) > CLICK_SLOP_PX) return;
      const rect = canvas.getBoundingClientRect();
      const radius =
        s.sizeUnits === 'pixels' ? Math.max(3, s.pointSize / 2 + 2) : DEFAULT_RADIUS_PX;
      const picked = pickPoint({
        positions: s.cloud.positions,
        viewProjection: viewProjection(),
        width: rect.width,
        height: rect.height,
        x: e.clientX - rect.left,
        y: e.clientY - rect.top,
        radius,
      });
      if (!picked) {
        setState({ statusText: 'No point under the cursor' });
        return;
      }
      const entry: PickedPointState = { index: picked.index, position: picked.position };
      setState((st) => ({
        picks: st.pickMode === 'point' || st.picks.length >= 2 ? [entry] : [...st.picks, entry],
      }));
      invalidate();
    };
    canvas.addEventListener('pointerdown', onDown);
    canvas.addEventListener('pointerup', onUp);
    return () => {
      canvas.removeEventListener('pointerdown', onDown);
      canvas.removeEventListener('pointerup', onUp);
      registerViewReader(undefined);
    };
  }, [gl, camera, invalidate]);

  return null;
}
