/**
 * `tokenize --vocab` with CLIP's real BPE vocabulary (../shared) through the CLI in-process, for
 * every reference case (token ids from OpenAI's clip.tokenize). Integration tier: real data, and
 * each call loads the 49k-merge vocabulary again as a user's call does.
 */
import { describe, expect, it } from 'vitest';
import { bpeVocabPath, hasClipVocab, referenceCases } from '../pipeline/clip/tokenizer/clip-vocab';
import { cli as runCli } from './run-cli';

const cli = (args: string[]) => runCli(...args);

describe('cli tokenize with the CLIP vocabulary', () => {
  it.skipIf(!hasClipVocab)('prints the reference ids for every case', async () => {
    for (const c of referenceCases()) {
      const r = await cli(['tokenize', '--vocab', bpeVocabPath, c.text]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.trim().split('\n')).toHaveLength(1);
      expect(JSON.parse(r.stdout), c.text).toEqual(c.ids);
    }
  });
});
