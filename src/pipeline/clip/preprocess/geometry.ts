/**
 * CLIP's resize + centre-crop geometry (torchvision `Resize(n)` on a PIL image, then
 * `CenterCrop(n)`): the shorter side becomes n, the longer `int(n * long / short)`, and the crop
 * starts at round((size - n) / 2) with Python's round-half-to-even.
 */

export interface ClipCropGeometry {
  resizedWidth: number;
  resizedHeight: number;
  cropLeft: number;
  cropTop: number;
  size: number;
}

/** Python 3 round(): halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

export function clipCropGeometry(width: number, height: number, size: number): ClipCropGeometry {
  const short = Math.min(width, height);
  const long = Math.max(width, height);
  const newLong = Math.trunc((size * long) / short);
  const resizedWidth = width <= height ? size : newLong;
  const resizedHeight = width <= height ? newLong : size;
  return {
    resizedWidth,
    resizedHeight,
    cropLeft: roundHalfEven((resizedWidth - size) / 2),
    cropTop: roundHalfEven((resizedHeight - size) / 2),
    size,
  };
}
