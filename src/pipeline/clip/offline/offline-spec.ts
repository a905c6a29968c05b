/**
 * The hand-set parameters of the bundled offline colour encoder. Changing any of these changes the
 * generated ONNX files (and `npm run models` output); the tests check the behaviour, not values.
 */
import { CLIP_PREPROCESS_DEFAULTS, CLIP_TOKENIZER_DEFAULTS } from '../../defaults';
import { COLOR_TERMS } from './color-terms';

export const OFFLINE_MODEL_ID = 'offline-colors';
/** Folder (relative to the web root / `public/`) the generated model is served from. */
export const OFFLINE_MODEL_PATH = 'models/offline-colors';
/** Output dimension D of both graphs. */
export const OFFLINE_EMBED_DIM = 64;
/** Joint space before projection: the 11 colour terms plus one 'generic' channel. */
export const OFFLINE_TERM_COUNT = COLOR_TERMS.length;
export const OFFLINE_GENERIC_CHANNEL = COLOR_TERMS.length;
export const OFFLINE_JOINT_DIM = COLOR_TERMS.length + 1;
/**
 * Patch side of the dense output `patch_embeds`: ViT-B/16's geometry, 14×14 per 224-px window
 * (with B/32's 32-px patches an 8 cm lamp column at 2–3 m is a third of a patch and takes the
 * wall's colour).
 */
export const OFFLINE_PATCH_SIDE = 16;
/** Seed of the fixed orthonormal projection joint space → D. */
export const OFFLINE_PROJECTION_SEED = 0x5eed_c011;

export const CLIP_IMAGE_SIZE = CLIP_PREPROCESS_DEFAULTS.imageSize;
export const CLIP_CONTEXT_LENGTH = CLIP_TOKENIZER_DEFAULTS.contextLength;
/** CLIP's normalisation (folded into the vision graph to recover sRGB in 0..1). */
export const CLIP_IMAGE_MEAN = CLIP_PREPROCESS_DEFAULTS.mean;
export const CLIP_IMAGE_STD = CLIP_PREPROCESS_DEFAULTS.std;

/**
 * Per-pixel classifier. Chromaticity c = (rgb + eps) / (r + g + b + 3 eps) is unchanged by
 * shading; eps pulls dark, noisy pixels towards neutral. Chromatic terms are prototypes in
 * chromaticity only. Achromatic terms (black, grey, white) share the neutral chromaticity and
 * differ by log-lightness ln(mean(rgb) + delta), in which shading is a shift; their prototypes are
 * spaced so that grey's band is symmetric and a x0.6 .. x1.2 shading keeps the ranking.
 */
export const OFFLINE_CLASSIFIER = {
  /** Pixels are classified in blocks of this side (mean colour of the block). */
  blockSize: 2,
  chromaEpsilon: 0.02,
  lightnessDelta: 0.01,
  /** Logit weight of the squared chromaticity distance. */
  chromaWeight: 1000,
  /** Logit weight of the squared log-lightness distance (achromatic terms only). */
  lightnessWeight: 4,
  achromaticLogLightness: { black: -2.45, grey: -1.05, white: 0.35 },
} as const;

/** Constant 'generic' component of every image embedding (before projection). */
export const OFFLINE_IMAGE_GENERIC = 0.1;
/** 'generic' component each ordinary (non-special) text token adds, so any text is non-zero. */
export const OFFLINE_TOKEN_GENERIC = 0.1;

/** Words the offline BPE spells as single tokens: the terms, a synonym and LERF's negatives. */
export const OFFLINE_VOCAB_WORDS = [
  ...COLOR_TERMS,
  'gray',
  'object',
  'objects',
  'thing',
  'things',
  'stuff',
  'texture',
] as const;

/**
 * Function words a query may contain that the offline encoder reads as generic tokens without
 * harm ("the red one", "something blue"), so they are not reported as unknown. config.json's
 * closed_vocabulary.ignored_words; every other word outside OFFLINE_VOCAB_WORDS is (see
 * src/pipeline/clip/tokenizer/closed-vocabulary.ts).
 */
export const OFFLINE_IGNORED_WORDS = [
  'a',
  'an',
  'the',
  'this',
  'that',
  'these',
  'those',
  'some',
  'something',
  'any',
  'anything',
  'one',
  'ones',
  'of',
  'in',
  'on',
  'at',
  'to',
  'with',
  'and',
  'or',
  'is',
  'are',
  'it',
  'its',
  'color',
  'colour',
  'colored',
  'coloured',
] as const;
