import { useThree } from '@react-three/fiber';
import { useEffect } from 'react';
import { registerCapture } from './screenshot';
import { drawLabels, drawLegend } from './screenshot-overlay';

/**
 * Lets the export panel capture the view: render now, copy the same buffer onto a 2D canvas in
 * the same task (before the browser composites and clears it), then draw labels and legend.
 */
export function ScreenshotBridge() {
  const gl = useThree((s) => s.gl);
  const scene = useThree((s) => s.scene);
  const camera = useThree((s) => s.camera);
  const advance = useThree((s) => s.advance);
  useEffect(() => {
    registerCapture(() => {
      const source = gl.domElement;
      // One frame as the frameloop draws it, so a pass that takes over rendering (eye-dome
      // lighting) is in the capture too.
      advance(performance.now());
      const out = document.createElement('canvas');
      out.width = source.width;
      out.height = source.height;
      const ctx = out.getContext('2d');
      if (!ctx) return Promise.reject(new Error('This browser gave no 2D canvas for screenshots'));
      ctx.drawImage(source, 0, 0);
      const rect = source.getBoundingClientRect();
      const scale = rect.width > 0 ? source.width / rect.width : 1;
      drawLabels(ctx, rect, scale);
      drawLegend(ctx, scale);
      return new Promise<Blob>((resolve, reject) =>
        out.toBlob(
          (blob) =>
            blob ? resolve(blob) : reject(new Error('The screenshot could not be encoded')),
          'image/png',
        ),
      );
    });
    return () => registerCapture(undefined);
  }, [gl, scene, camera, advance]);
  return null;
}
