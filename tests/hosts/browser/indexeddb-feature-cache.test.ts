/** A stored entry is checked before the session sees it (IndexedDB itself runs in the e2e tier). */
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../src/pipeline/errors';
import { entryFiles } from '../../../src/hosts/browser/indexeddb-feature-cache';

describe('entryFiles', () => {
  it('returns the files of a well-formed entry', () => {
    const meta = new Uint8Array([123, 125]);
    const files = entryFiles('k', { key: 'k', savedAt: 1, files: { 'meta.json': meta } });
    expect([...files]).toEqual([['meta.json', meta]]);
  });

  it('refuses an entry of another shape with a ParseError naming the entry', () => {
    for (const entry of [null, 'text', { key: 'k' }, { files: { 'meta.json': 'not bytes' } }]) {
      const err = (() => {
        try {
          entryFiles('features-v1:abc', entry);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(ParseError);
      expect((err as ParseError).location.file).toMatch(
        /scene3d-llm-features\/bundles\/features-v1:abc/,
      );
    }
  });
});
