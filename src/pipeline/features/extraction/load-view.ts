/**
 * Loading a view's images, with intrinsics scaled (and a warning) when an image's size differs
 * from what its intrinsics say. Warnings are capped so a scene with many such frames does not
 * flood the result.
 */
import { scaleIntrinsics } from '../../geometry/camera';
import type { DepthImage, Intrinsics, RgbImage, RgbdFrame } from '../../scene/types';

function sameSize(a: Intrinsics, w: number, h: number) {
  return a.width === w && a.height === h;
}

/** The colour image and intrinsics matching its size; the first view always warns. */
export async function loadViewColour(
  frame: RgbdFrame,
  firstView: boolean,
  warnings: string[],
): Promise<{ image: RgbImage; colorIntrinsics: Intrinsics }> {
  const image = await frame.loadColor();
  let colorIntrinsics = frame.intrinsics;
  if (!sameSize(colorIntrinsics, image.width, image.height)) {
    colorIntrinsics = scaleIntrinsics(colorIntrinsics, image.width, image.height);
    if (firstView || warnings.length < 20) {
      warnings.push(
        `frame ${frame.name}: colour image is ${image.width}×${image.height} but intrinsics say ` +
          `${frame.intrinsics.width}×${frame.intrinsics.height}; intrinsics scaled`,
      );
    }
  }
  return { image, colorIntrinsics };
}

/** The depth image and intrinsics matching its size. */
export async function loadViewDepth(
  frame: RgbdFrame,
  warnings: string[],
): Promise<{ depth: DepthImage; depthIntrinsics: Intrinsics }> {
  const depth = await frame.loadDepth();
  let depthIntrinsics = frame.depthIntrinsics;
  if (!sameSize(depthIntrinsics, depth.width, depth.height)) {
    depthIntrinsics = scaleIntrinsics(depthIntrinsics, depth.width, depth.height);
    if (warnings.length < 40) {
      warnings.push(
        `frame ${frame.name}: depth image is ${depth.width}×${depth.height} but its intrinsics say ` +
          `${frame.depthIntrinsics.width}×${frame.depthIntrinsics.height}; intrinsics scaled`,
      );
    }
  }
  return { depth, depthIntrinsics };
}
