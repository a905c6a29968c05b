/**
 * Colour maps as 256-entry RGBA lookup tables, shared by the point shader (as a texture) and the
 * legend (as a CSS gradient / canvas), so both always agree.
 */
import type { ColormapName } from './store';

function clamp01(x: number) {
  return Math.min(1, Math.max(0, x));
}

/** Google's polynomial approximation of Turbo (Mikhailov, 2019). */
function turbo(t: number): [number, number, number] {
  const r =
    0.13572138 +
    t *
      (4.6153926 + t * (-42.66032258 + t * (132.13108234 + t * (-152.94239396 + t * 59.28637943))));
  const g =
    0.09140261 +
    t * (2.19418839 + t * (4.84296658 + t * (-14.18503333 + t * (4.27729857 + t * 2.82956604))));
  const b =
    0.1066733 +
    t *
      (12.64194608 +
        t * (-60.58204836 + t * (110.36276771 + t * (-89.90310912 + t * 27.34824973))));
  return [clamp01(r), clamp01(g), clamp01(b)];
}

/** Polynomial fit of matplotlib's viridis (Matt Zucker's fit, max error ~1/255). */
function viridis(t: number): [number, number, number] {
  const c0 = [0.2777273272234177, 0.005407344544966578, 0.3340998053353061];
  const c1 = [0.1050930431085774, 1.404613529898575, 1.384590162594685];
  const c2 = [-0.3308618287255563, 0.214847559468213, 0.09509516302823659];
  const c3 = [-4.634230498983486, -5.799100973351585, -19.33244095627987];
  const c4 = [6.228269936347081, 14.17993336680509, 56.69055260068105];
  const c5 = [4.776384997670288, -13.74514537774601, -65.35303263337234];
  const c6 = [-5.435455855934631, 4.645852612178535, 26.3124352495832];
  const ch = (i: number) =>
    clamp01(
      c0[i] + t * (c1[i] + t * (c2[i] + t * (c3[i] + t * (c4[i] + t * (c5[i] + t * c6[i]))))),
    );
  return [ch(0), ch(1), ch(2)];
}

const FUNCTIONS: Record<ColormapName, (t: number) => [number, number, number]> = { turbo, viridis };

const cache = new Map<ColormapName, Uint8Array>();

/** 256 RGBA entries, 0..255. */
export function colormapLut(name: ColormapName): Uint8Array {
  let lut = cache.get(name);
  if (!lut) {
    lut = new Uint8Array(256 * 4);
    for (let i = 0; i < 256; i++) {
      const [r, g, b] = FUNCTIONS[name](i / 255);
      lut.set([Math.round(r * 255), Math.round(g * 255), Math.round(b * 255), 255], i * 4);
    }
    cache.set(name, lut);
  }
  return lut;
}

/** A CSS linear-gradient for legends. */
export function colormapCss(name: ColormapName, stops = 16): string {
  const lut = colormapLut(name);
  const parts: string[] = [];
  for (let i = 0; i < stops; i++) {
    const k = Math.round((i / (stops - 1)) * 255) * 4;
    parts.push(
      `rgb(${lut[k]},${lut[k + 1]},${lut[k + 2]}) ${((i / (stops - 1)) * 100).toFixed(1)}%`,
    );
  }
  return `linear-gradient(to right, ${parts.join(', ')})`;
}
