/**
 * The DOM layer box labels live in (outside the canvas, over it). The in-canvas placer writes
 * their positions every frame through this handle, so moving the camera never re-renders React.
 */
let overlay: HTMLElement | null = null;

export function setLabelOverlay(el: HTMLElement | null): void {
  overlay = el;
}

export function labelOverlay(): HTMLElement | null {
  return overlay;
}
