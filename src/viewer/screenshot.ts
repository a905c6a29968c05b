/**
 * Screenshot of the 3D view. The WebGL buffer is cleared after each composite (no
 * preserveDrawingBuffer, which costs every frame), so the capture renders a frame and reads it in
 * the same task.
 */
type Capture = () => Promise<Blob>;

let capture: Capture | undefined;

export function registerCapture(fn: Capture | undefined): void {
  capture = fn;
}

export function captureScreenshot(): Promise<Blob> {
  if (!capture) return Promise.reject(new Error('The 3D view is not ready'));
  return capture();
}
