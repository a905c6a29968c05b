/**
 * Typed errors of the batch commands. Scene and manifest problems use the pipeline's own errors
 * (ParseError naming the manifest and line, MissingFileError, UnsupportedError); these are the
 * ones only a batch run has.
 */

/** The shard to run cannot be decided: a malformed `--shard`, or scheduler variables that disagree. */
export class ShardConfigError extends Error {
  override name = 'ShardConfigError';
  readonly kind = 'shard-config';
}

/** The output folder holds something batch did not write where it would write (never overwritten). */
export class OutputConflictError extends Error {
  override name = 'OutputConflictError';
  readonly kind = 'output-conflict';
}
