/**
 * Every file of the offline model folder, built in memory (deterministically) from the hand-set
 * parameters. `npm run models` writes them to public/models/offline-colors/; tests can load them
 * straight from memory through the same loading code.
 */
import { COLOR_TERMS } from './color-terms';
import { offlineModelReadme } from './offline-readme';
import {
  CLIP_CONTEXT_LENGTH,
  CLIP_IMAGE_MEAN,
  CLIP_IMAGE_SIZE,
  CLIP_IMAGE_STD,
  OFFLINE_EMBED_DIM,
  OFFLINE_IGNORED_WORDS,
  OFFLINE_JOINT_DIM,
  OFFLINE_MODEL_ID,
  OFFLINE_PROJECTION_SEED,
  OFFLINE_VOCAB_WORDS,
} from './offline-spec';
import { orthonormalRows } from './offline-projection';
import { offlineTokenizerJson } from './offline-tokenizer-json';
import { buildOfflineTextModel } from './offline-text-graph';
import { buildOfflineVisionModel } from './offline-vision-graph';
import { buildOfflineVocabulary, END_TOKEN, START_TOKEN } from './offline-vocabulary';

const utf8 = (text: string) => new TextEncoder().encode(text);
const json = (value: unknown) => utf8(JSON.stringify(value, null, 2) + '\n');

/** path inside the model folder → bytes, in a fixed order. */
export function buildOfflineModelFiles(): Map<string, Uint8Array> {
  const vocabulary = buildOfflineVocabulary();
  const projection = orthonormalRows(OFFLINE_JOINT_DIM, OFFLINE_EMBED_DIM, OFFLINE_PROJECTION_SEED);
  const config = {
    _name_or_path: OFFLINE_MODEL_ID,
    architectures: ['CLIPModel'],
    model_type: 'clip',
    projection_dim: OFFLINE_EMBED_DIM,
    text_config: {
      model_type: 'clip_text_model',
      vocab_size: vocabulary.tokens.length,
      max_position_embeddings: CLIP_CONTEXT_LENGTH,
      bos_token_id: vocabulary.startId,
      eos_token_id: vocabulary.endId,
      pad_token_id: vocabulary.endId,
    },
    vision_config: {
      model_type: 'clip_vision_model',
      image_size: CLIP_IMAGE_SIZE,
      num_channels: 3,
    },
    offline_colors: {
      description: 'Hand-set colour-term encoder; colour words only. See README.md.',
      terms: COLOR_TERMS,
    },
    // Any other word has no meaning for this model: queries report it (unknownWords).
    closed_vocabulary: {
      words: OFFLINE_VOCAB_WORDS,
      ignored_words: OFFLINE_IGNORED_WORDS,
    },
  };
  const preprocessor = {
    crop_size: { height: CLIP_IMAGE_SIZE, width: CLIP_IMAGE_SIZE },
    do_center_crop: true,
    do_convert_rgb: true,
    do_normalize: true,
    do_rescale: true,
    do_resize: true,
    feature_extractor_type: 'CLIPFeatureExtractor',
    image_mean: CLIP_IMAGE_MEAN,
    image_processor_type: 'CLIPImageProcessor',
    image_std: CLIP_IMAGE_STD,
    resample: 3,
    rescale_factor: 1 / 255,
    size: { shortest_edge: CLIP_IMAGE_SIZE },
  };
  const tokenizerConfig = {
    tokenizer_class: 'CLIPTokenizer',
    model_max_length: CLIP_CONTEXT_LENGTH,
    do_lower_case: true,
    bos_token: START_TOKEN,
    eos_token: END_TOKEN,
    pad_token: END_TOKEN,
    unk_token: END_TOKEN,
  };
  return new Map<string, Uint8Array>([
    ['README.md', utf8(offlineModelReadme())],
    ['config.json', json(config)],
    ['preprocessor_config.json', json(preprocessor)],
    ['tokenizer.json', utf8(offlineTokenizerJson(vocabulary))],
    ['tokenizer_config.json', json(tokenizerConfig)],
    ['onnx/vision_model.onnx', buildOfflineVisionModel(projection)],
    ['onnx/text_model.onnx', buildOfflineTextModel(vocabulary, projection)],
  ]);
}
