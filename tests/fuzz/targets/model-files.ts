/** Model folder files: CLIP BPE merges (plain and gzipped), tokenizer.json, config.json. */
import { gzipSync } from 'fflate';
import { buildOfflineModelFiles } from '../../../src/pipeline/clip/offline/offline-model-files';
import { buildOfflineVocabulary } from '../../../src/pipeline/clip/offline/offline-vocabulary';
import {
  checkPreprocessorConfig,
  parseModelConfig,
} from '../../../src/pipeline/clip/model-source/clip-model-config';
import { parseClipBpeVocab } from '../../../src/pipeline/clip/tokenizer/load-bpe-vocab';
import { parseTokenizerJson } from '../../../src/pipeline/clip/tokenizer/load-tokenizer-json';
import type { BpeModelSpec } from '../../../src/pipeline/clip/tokenizer/bpe-model';
import { MissingFileError } from '../../../src/pipeline/errors';
import type { FuzzTarget } from '../types';
import { utf8 } from './checks';

function checkSpec(output: unknown): string | undefined {
  const spec = output as BpeModelSpec;
  if (spec.merges.length === 0) return 'a vocabulary with no merges';
  for (const [a, b] of spec.merges) if (!a || !b) return `empty merge part in '${a} ${b}'`;
  for (const id of spec.vocab.values()) {
    if (!Number.isSafeInteger(id) || id < 0) return `token id ${id}`;
  }
  for (const id of [spec.startId, spec.endId, spec.padId]) {
    if (!Number.isSafeInteger(id) || id < 0) return `special token id ${id}`;
  }
  return undefined;
}

const mergesText = () => `#version: 0.2\n${buildOfflineVocabulary().merges.join('\n')}\n`;

export const targets: FuzzTarget[] = [
  {
    name: 'clip-bpe-vocab',
    hasLocations: true,
    seeds: () => [new Map([['bpe_simple_vocab_16e6.txt', utf8(mergesText())]])],
    textual: () => true,
    read: async (files, sourceName) =>
      parseClipBpeVocab(
        files.get('bpe_simple_vocab_16e6.txt')!,
        `${sourceName}/bpe_simple_vocab_16e6.txt`,
      ),
    validate: checkSpec,
  },
  {
    name: 'clip-bpe-vocab-gz',
    hasLocations: true,
    seeds: () => [new Map([['bpe_simple_vocab_16e6.txt.gz', gzipSync(utf8(mergesText()))]])],
    read: async (files, sourceName) =>
      parseClipBpeVocab(
        files.get('bpe_simple_vocab_16e6.txt.gz')!,
        `${sourceName}/bpe_simple_vocab_16e6.txt.gz`,
      ),
    validate: checkSpec,
    // gzip's CRC-32 covers the whole uncompressed text; the deflate body feeds it.
    checksummed: (_path, bytes) => [[10, bytes.length]],
  },
  {
    name: 'tokenizer-json',
    hasLocations: true,
    seeds: () => [new Map([['tokenizer.json', buildOfflineModelFiles().get('tokenizer.json')!]])],
    textual: () => true,
    read: async (files, sourceName) =>
      parseTokenizerJson(files.get('tokenizer.json')!, `${sourceName}/tokenizer.json`),
    validate: checkSpec,
  },
  {
    name: 'model-config',
    hasLocations: true,
    seeds: () => {
      const model = buildOfflineModelFiles();
      return [
        new Map([
          ['config.json', model.get('config.json')!],
          ['preprocessor_config.json', model.get('preprocessor_config.json')!],
        ]),
      ];
    },
    textual: () => true,
    read: async (files, sourceName) => {
      // As the folder loader does: a missing config.json is a MissingFileError, not a crash.
      const configBytes = files.get('config.json');
      if (!configBytes) throw new MissingFileError(`${sourceName}/config.json`);
      const config = parseModelConfig(configBytes, `${sourceName}/config.json`);
      const preprocessor = files.get('preprocessor_config.json');
      if (preprocessor)
        checkPreprocessorConfig(preprocessor, `${sourceName}/preprocessor_config.json`);
      return config;
    },
    validate: (output) => {
      const c = output as { projectionDim?: number; contextLength: number; vocabSize?: number };
      if (
        c.projectionDim !== undefined &&
        !(Number.isSafeInteger(c.projectionDim) && c.projectionDim > 0)
      ) {
        return `projection_dim ${c.projectionDim}`;
      }
      if (!Number.isSafeInteger(c.contextLength) || c.contextLength < 2)
        return `context ${c.contextLength}`;
      if (c.vocabSize !== undefined && !(Number.isSafeInteger(c.vocabSize) && c.vocabSize > 0)) {
        return `vocab_size ${c.vocabSize}`;
      }
      return undefined;
    },
  },
];
