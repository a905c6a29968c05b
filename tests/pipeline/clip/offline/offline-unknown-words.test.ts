/**
 * ClipEncoder.unknownWords on the real offline model: the files `npm run models` wrote to
 * public/models/offline-colors (tests/global-setup.ts keeps them current), loaded through the
 * generic ONNX loader like a hub model. The model declares a closed vocabulary in config.json;
 * words outside it (and outside its ignored function words) are reported.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeFileSource } from '../../../../src/hosts/node/node-file-source';
import { FolderModelSource } from '../../../../src/pipeline/clip/model-source/folder-model-source';
import {
  loadClipModel,
  type LoadedClipModel,
} from '../../../../src/pipeline/clip/model-source/load-clip-model';
import { buildOfflineModelFiles } from '../../../../src/pipeline/clip/offline/offline-model-files';
import {
  OFFLINE_IGNORED_WORDS,
  OFFLINE_VOCAB_WORDS,
} from '../../../../src/pipeline/clip/offline/offline-spec';
import { MemoryFileSource } from '../../../../src/pipeline/io/memory-file-source';
import { OFFLINE_MODEL_DIR } from '../../../../scripts/make-offline-model';

let model: LoadedClipModel;
beforeAll(async () => {
  const source = new FolderModelSource(await NodeFileSource.open(OFFLINE_MODEL_DIR));
  model = await loadClipModel(source, { numThreads: 1 });
});
afterAll(async () => {
  await model?.encoder.dispose();
});
const unknown = (text: string) => model.encoder.unknownWords(text);

describe('offline encoder: unknownWords', () => {
  it('declares its closed vocabulary in config.json', () => {
    expect(model.config.closedVocabulary?.words).toEqual([...OFFLINE_VOCAB_WORDS]);
    expect(model.config.closedVocabulary?.ignoredWords).toEqual([...OFFLINE_IGNORED_WORDS]);
  });

  it.each([
    ['chair', ['chair']],
    ['red', []],
    ['a red chair', ['chair']],
    ['the red sofa', ['sofa']],
    ['something blue', []],
    ['a gray object', []],
    ['RED!', []],
    ['Chair, chair and CHAIR?', ['chair']],
    ['the red sofa next to a blue bed', ['sofa', 'next', 'bed']],
    ['2 red chairs', ['chairs']],
    ["the lamp's shade", ['lamp', 'shade']],
    ['&lt;red&gt;', []],
    ['rouge', ['rouge']],
    ['rot grün', ['rot', 'grün']],
    ['  red\t\nblue  ', []],
  ])('%j → %j', (text, expected) => {
    expect(unknown(text)).toEqual(expected);
  });

  it('hostile input: empty, punctuation, unicode, huge texts never throw', () => {
    expect(unknown('')).toEqual([]);
    expect(unknown('   ')).toEqual([]);
    expect(unknown('!!! ??? 123 <|endoftext|>')).toEqual([]);
    expect(unknown('红色的椅子')).toEqual(['红色的椅子']);
    expect(unknown('😀 red 😀')).toEqual([]);
    expect(unknown('\u0000\uffff\ud800 red')).toEqual([]);
    expect(unknown('e\u0301')).toEqual(['é']); // NFC, as the tokenizer
    const t0 = performance.now();
    expect(unknown('red '.repeat(250_000))).toEqual([]);
    const many = Array.from({ length: 10_000 }, (_, i) => `w${'abcdefghij'[i % 10]}x${i}`);
    const reported = unknown(many.join(' '));
    expect(reported.length).toBeGreaterThan(0);
    expect(reported.length).toBeLessThanOrEqual(16);
    expect(unknown('chair'.repeat(200_000)).length).toBeLessThanOrEqual(1);
    expect(unknown('\ud83d'.repeat(5000) + ' chair')).toEqual([]); // past the scanned head
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('a hub-style model without the declaration reports nothing (open vocabulary)', async () => {
    const files = new Map(buildOfflineModelFiles());
    const config = JSON.parse(new TextDecoder().decode(files.get('config.json')));
    delete config.closed_vocabulary;
    files.set('config.json', new TextEncoder().encode(JSON.stringify(config)));
    const open = await loadClipModel(new FolderModelSource(new MemoryFileSource(files, 'open')), {
      numThreads: 1,
    });
    try {
      expect(open.config.closedVocabulary).toBeUndefined();
      expect(open.encoder.unknownWords('a red chair')).toEqual([]);
    } finally {
      await open.encoder.dispose();
    }
  });
});
