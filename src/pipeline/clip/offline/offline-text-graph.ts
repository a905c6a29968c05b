/**
 * The offline text graph: each token id looks up a row of a hand-set table in the joint colour
 * space (colour words → their term, every ordinary token (and the start token) → a small 'generic' component,
 * padding → 0); rows are summed over the sequence and projected → `text_embeds`.
 */
import { GraphBuilder } from '../onnx/graph-builder';
import { COLOR_SYNONYMS, COLOR_TERMS, type ColorTerm } from './color-terms';
import {
  OFFLINE_EMBED_DIM,
  OFFLINE_GENERIC_CHANNEL,
  OFFLINE_JOINT_DIM,
  OFFLINE_TOKEN_GENERIC,
} from './offline-spec';
import { END_OF_WORD, type OfflineVocabulary } from './offline-vocabulary';

/** Row-major [vocab, joint dim] token table. */
export function tokenTable(vocabulary: OfflineVocabulary): Float32Array {
  const table = new Float32Array(vocabulary.tokens.length * OFFLINE_JOINT_DIM);
  const termIndex = new Map<string, number>();
  COLOR_TERMS.forEach((term, k) => termIndex.set(term + END_OF_WORD, k));
  for (const [synonym, term] of Object.entries(COLOR_SYNONYMS)) {
    termIndex.set(synonym + END_OF_WORD, COLOR_TERMS.indexOf(term as ColorTerm));
  }
  vocabulary.tokens.forEach((token, id) => {
    // The end token (= padding) adds nothing; nor does id 0, the pad id some CLIP pipelines
    // (open_clip) use, so padding never shifts an embedding whichever convention the caller has.
    // The start token counts as an ordinary token, so even '' embeds to a non-zero vector.
    if (id === vocabulary.endId || id === 0) return;
    const row = table.subarray(id * OFFLINE_JOINT_DIM, (id + 1) * OFFLINE_JOINT_DIM);
    row[OFFLINE_GENERIC_CHANNEL] = OFFLINE_TOKEN_GENERIC;
    const term = termIndex.get(token);
    if (term !== undefined) row[term] = 1;
  });
  return table;
}

/** `projection`: row-major [joint dim (12), D]. */
export function buildOfflineTextModel(
  vocabulary: OfflineVocabulary,
  projection: Float64Array,
): Uint8Array {
  const D = OFFLINE_EMBED_DIM;
  const g = new GraphBuilder('offline_colors_text', 13);
  const ids = g.input('input_ids', 'int64', ['batch_size', 'sequence_length']);
  const table = g.floats(
    'token_table',
    [vocabulary.tokens.length, OFFLINE_JOINT_DIM],
    tokenTable(vocabulary),
  );
  const rows = g.node('Gather', [table, ids], { axis: { int: 0 } });
  const summed = g.node('ReduceSum', [rows, g.int64s('sequence_axis', [1], [1])], {
    keepdims: { int: 0 },
  });
  const embeds = g.node(
    'MatMul',
    [summed, g.floats('projection', [OFFLINE_JOINT_DIM, D], projection)],
    {},
    'text_embeds',
  );
  g.output(embeds, 'float', ['batch_size', D]);
  return g.encode({
    docString: 'Offline colour-term text encoder (hand-set weights); see README.md.',
  });
}
