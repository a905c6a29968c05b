// Test helpers: where the shared CLIP data lives, and tokenizer.json files built in the test.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { BpeModelSpec } from '../../../../src/pipeline/clip/tokenizer/bpe-model';

export const sharedDir = path.resolve(__dirname, '../../../../..', 'shared');
export const bpeVocabPath = path.join(sharedDir, 'data/clip/bpe_simple_vocab_16e6.txt.gz');
export const referencePath = path.join(sharedDir, 'reference/clip-tokenizer.json');
export const hasClipVocab = existsSync(bpeVocabPath) && existsSync(referencePath);
if (!hasClipVocab) {
  console.warn(`skipping CLIP vocabulary tests: ${bpeVocabPath} or ${referencePath} is missing`);
}

export interface TokenizerCase {
  text: string;
  ids: number[];
}

export function referenceCases(): TokenizerCase[] {
  return (JSON.parse(readFileSync(referencePath, 'utf8')) as { cases: TokenizerCase[] }).cases;
}

/** Cases computed with Python (openai/CLIP's algorithm), see the fixture's "source". */
export function extraCases(): TokenizerCase[] {
  const file = path.resolve(__dirname, '../../../fixtures/clip-tokenizer/extra-cases.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { cases: TokenizerCase[] }).cases;
}

/**
 * A Hugging Face tokenizer.json (the layout CLIP ONNX folders ship) for a BPE spec, with merges
 * written as "a b" strings (older `tokenizers`) or as [a, b] pairs (newer).
 */
export function toTokenizerJson(
  spec: BpeModelSpec,
  mergeStyle: 'strings' | 'pairs',
  padId?: number,
): string {
  const vocab: Record<string, number> = {};
  for (const [token, id] of spec.vocab) vocab[token] = id;
  const added = (id: number, content: string) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: true,
    special: true,
  });
  return JSON.stringify({
    version: '1.0',
    truncation: null,
    padding: padId === undefined ? null : { pad_id: padId, pad_token: '<|endoftext|>' },
    added_tokens: [added(spec.startId, '<|startoftext|>'), added(spec.endId, '<|endoftext|>')],
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
        {
          type: 'Split',
          pattern: {
            Regex:
              "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
          },
          behavior: 'Removed',
          invert: true,
        },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: {
      type: 'RobertaProcessing',
      sep: ['<|endoftext|>', spec.endId],
      cls: ['<|startoftext|>', spec.startId],
      trim_offsets: false,
      add_prefix_space: false,
    },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: '<|endoftext|>',
      continuing_subword_prefix: '',
      end_of_word_suffix: '</w>',
      fuse_unk: false,
      vocab,
      merges: spec.merges.map(([a, b]) => (mergeStyle === 'strings' ? `${a} ${b}` : [a, b])),
    },
  });
}
