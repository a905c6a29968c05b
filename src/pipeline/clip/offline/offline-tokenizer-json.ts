/**
 * The offline model's tokenizer.json, in the Hugging Face `tokenizers` format that CLIP exports
 * use (normalizer, CLIP's split regex + ByteLevel pre-tokenizer, BPE with '</w>', RoBERTa-style
 * post-processor, 77-token padding/truncation), so the same loader reads it and CLIP's.
 */
import { CLIP_CONTEXT_LENGTH } from './offline-spec';
import { END_OF_WORD, END_TOKEN, START_TOKEN, type OfflineVocabulary } from './offline-vocabulary';

/** CLIP's pre-tokenizer pattern as written in its tokenizer.json. */
const CLIP_SPLIT_REGEX =
  "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+";

function addedToken(id: number, content: string) {
  return {
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: true,
    special: true,
  };
}

export function offlineTokenizerJson(vocabulary: OfflineVocabulary): string {
  const vocab: Record<string, number> = {};
  vocabulary.tokens.forEach((token, id) => (vocab[token] = id));
  const json = {
    version: '1.0',
    truncation: {
      direction: 'Right',
      max_length: CLIP_CONTEXT_LENGTH,
      strategy: 'LongestFirst',
      stride: 0,
    },
    padding: {
      strategy: { Fixed: CLIP_CONTEXT_LENGTH },
      direction: 'Right',
      pad_to_multiple_of: null,
      pad_id: vocabulary.endId,
      pad_type_id: 0,
      pad_token: END_TOKEN,
    },
    added_tokens: [
      addedToken(vocabulary.startId, START_TOKEN),
      addedToken(vocabulary.endId, END_TOKEN),
    ],
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'NFC' },
        { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' },
        { type: 'Lowercase' },
      ],
    },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        { type: 'Split', pattern: { Regex: CLIP_SPLIT_REGEX }, behavior: 'Removed', invert: true },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: {
      type: 'RobertaProcessing',
      sep: [END_TOKEN, vocabulary.endId],
      cls: [START_TOKEN, vocabulary.startId],
      trim_offsets: false,
      add_prefix_space: false,
    },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: END_TOKEN,
      continuing_subword_prefix: '',
      end_of_word_suffix: END_OF_WORD,
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges: vocabulary.merges,
    },
  };
  return JSON.stringify(json, null, 2) + '\n';
}
