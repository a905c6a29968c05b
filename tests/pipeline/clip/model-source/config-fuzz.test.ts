import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModelError, ParseError } from '../../../../src/pipeline/errors';
import {
  checkPreprocessorConfig,
  parseModelConfig,
} from '../../../../src/pipeline/clip/model-source/clip-model-config';
import { buildOfflineModelFiles } from '../../../../src/pipeline/clip/offline/offline-model-files';
import {
  OFFLINE_IGNORED_WORDS,
  OFFLINE_VOCAB_WORDS,
} from '../../../../src/pipeline/clip/offline/offline-spec';

// Mutated config files (truncations, bit flips, garbage, random JSON) either parse or throw our
// ModelError (or a ParseError with line and column for broken JSON) — never another exception.
const files = buildOfflineModelFiles();
const config = files.get('config.json')!;
const preprocessor = files.get('preprocessor_config.json')!;

function mutated(base: Uint8Array) {
  return fc.oneof(
    fc.nat({ max: base.length }).map((n) => base.subarray(0, n)),
    fc
      .array(fc.tuple(fc.nat({ max: base.length - 1 }), fc.integer({ min: 0, max: 7 })), {
        minLength: 1,
        maxLength: 8,
      })
      .map((flips) => {
        const out = base.slice();
        for (const [at, bit] of flips) out[at] ^= 1 << bit;
        return out;
      }),
    fc.uint8Array({ maxLength: 200 }),
    fc.jsonValue().map((v) => new TextEncoder().encode(JSON.stringify(v))),
    fc
      .record({
        projection_dim: fc.jsonValue(),
        text_config: fc.jsonValue(),
        image_mean: fc.jsonValue(),
        closed_vocabulary: fc.jsonValue(),
        size: fc.jsonValue(),
      })
      .map((v) => new TextEncoder().encode(JSON.stringify(v))),
  );
}

function returnsOrTypedError(f: () => unknown) {
  try {
    f();
  } catch (err) {
    if (!(err instanceof ModelError) && !(err instanceof ParseError)) throw err;
    expect(err.message).toMatch(/config\.json/);
  }
}

describe('model config parsing under fuzz', () => {
  it('config.json: 1,000 mutations → a config or a ModelError', () => {
    fc.assert(
      fc.property(mutated(config), (bytes) =>
        returnsOrTypedError(() => parseModelConfig(bytes, 'config.json')),
      ),
      { numRuns: 1000 },
    );
  });

  it('preprocessor_config.json: 1,000 mutations → accepted or a ModelError', () => {
    fc.assert(
      fc.property(mutated(preprocessor), (bytes) =>
        returnsOrTypedError(() => checkPreprocessorConfig(bytes, 'preprocessor_config.json')),
      ),
      { numRuns: 1000 },
    );
  });

  it('parses the real values it needs', () => {
    expect(parseModelConfig(config, 'config.json')).toEqual({
      projectionDim: 64,
      contextLength: 77,
      vocabSize: 575,
      closedVocabulary: {
        words: [...OFFLINE_VOCAB_WORDS],
        ignoredWords: [...OFFLINE_IGNORED_WORDS],
      },
    });
    expect(() => checkPreprocessorConfig(preprocessor, 'p')).not.toThrow();
    expect(() =>
      parseModelConfig(new TextEncoder().encode('{"projection_dim": -3}'), 'c.json'),
    ).toThrow(/c\.json: projection_dim -3 is not a positive integer/);
  });
});
