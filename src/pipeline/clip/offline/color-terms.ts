/**
 * The 11 basic colour terms (Berlin & Kay) and a focal sRGB value for each. Shared by the bundled
 * offline encoder (its joint image/text space) and the demo room (object colours), so that a
 * colour query in the demo has a right answer.
 */
export const COLOR_TERMS = [
  'black',
  'white',
  'red',
  'green',
  'yellow',
  'blue',
  'brown',
  'orange',
  'pink',
  'purple',
  'grey',
] as const;

export type ColorTerm = (typeof COLOR_TERMS)[number];

/** Focal sRGB colours (0..255). */
export const FOCAL_SRGB: Record<ColorTerm, [number, number, number]> = {
  black: [25, 25, 25],
  white: [240, 240, 236],
  red: [200, 30, 35],
  green: [40, 150, 60],
  yellow: [240, 215, 40],
  blue: [35, 75, 200],
  brown: [115, 70, 35],
  orange: [245, 135, 20],
  pink: [245, 150, 190],
  purple: [125, 45, 160],
  grey: [128, 128, 128],
};

/** Spelling variants that name the same term. */
export const COLOR_SYNONYMS: Record<string, ColorTerm> = { gray: 'grey' };
