import { existsSync, statSync } from 'node:fs';
import * as nodePath from 'node:path';
import type { CliCommand } from '../command';
import { CliUsageError, flagString } from '../args';
import { NodeFileSource } from '../../hosts/node/node-file-source';
import { offlineModelFolder } from '../../hosts/node/model-spec';
import { loadClipTokenizer } from '../../pipeline/clip/tokenizer/load-tokenizer';

/** The bundled offline model's tokenizer, used when no --vocab is given. */
const OFFLINE_TOKENIZER = nodePath.join(offlineModelFolder(), 'tokenizer.json');

export const tokenizeCommand: CliCommand = {
  name: 'tokenize',
  usage: 'tokenize [--vocab FILE|MODEL_DIR] TEXT',
  summary:
    "CLIP token ids (start ... end, before padding) as a JSON array; FILE is CLIP's " +
    'bpe_simple_vocab_16e6.txt.gz or a tokenizer.json (default: the offline model)',
  async run(args) {
    if (args.positionals.length === 0)
      throw new CliUsageError('tokenize needs the TEXT to tokenize');
    const text = args.positionals.join(' ');
    let vocabPath = flagString(args, 'vocab');
    if (args.flags.vocab === true) throw new CliUsageError('--vocab needs a file or model folder');
    if (vocabPath === undefined) {
      if (!existsSync(OFFLINE_TOKENIZER)) {
        throw new CliUsageError(
          `no --vocab given and ${OFFLINE_TOKENIZER} is missing (run \`npm run models\`)`,
        );
      }
      vocabPath = OFFLINE_TOKENIZER;
    } else if (existsSync(vocabPath) && statSync(vocabPath).isDirectory()) {
      vocabPath = nodePath.join(vocabPath, 'tokenizer.json');
    }
    const source = await NodeFileSource.open(vocabPath);
    const tokenizer = await loadClipTokenizer(source, nodePath.basename(vocabPath));
    return tokenizer.encode(text);
  },
  format: (result) => JSON.stringify(result),
};
