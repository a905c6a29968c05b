/**
 * A model's output must be finite: one NaN or ±Infinity in an embedding makes every cosine,
 * norm and threshold computed from it NaN (printed as "norm NaN", or `null` in JSON), so a graph
 * that produces one is a ModelError naming the file, the output and the stage.
 */
import { ModelError } from '../../errors';

/** Throws ModelError if `data` ([rows, dim] row-major) holds a NaN or an infinity. */
export function checkFiniteOutput(
  data: Float32Array,
  dim: number,
  where: { file: string; output: string; stage: string },
): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v - v === 0) continue; // finite (NaN - NaN and ∞ - ∞ are NaN)
    const row = dim > 0 ? Math.floor(i / dim) : 0;
    const col = dim > 0 ? i % dim : i;
    throw new ModelError(
      `${where.file}: '${where.output}' holds ${v} at row ${row}, value ${col} (${where.stage}): ` +
        'the model produced a non-finite embedding',
    );
  }
}
