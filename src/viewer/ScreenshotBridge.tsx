import { useThree } from '@react-three/fiber';
import { useEffect } from 'react';
import { registerCapture } from './screenshot';

/** Lets the export panel capture the canvas: render now, encode the same buffer. */
export function ScreenshotBridge() {
  const gl = useThree((s) => s.gl);
  const scene = useThree((s) => s.scene);
  const camera = useThree((s) => s.camera);
  useEffect(() => {
    registerCapture(() => {
      gl.render(scene, camera);
      // toDataURL reads the buffer synchronously, before the browser composites and clears it.
      const url = gl.domElement.toDataURL('image/png');
      const bytes = Uint8Array.from(atob(url.slice(url.indexOf(',') + 1)), (c) => c.charCodeAt(0));
      return Promise.resolve(new Blob([bytes], { type: 'image/png' }));
    });
    return () => registerCapture(undefined);
  }, [gl, scene, camera]);
  return null;
}
