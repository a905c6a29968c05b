/** The feature-source flags `extract`, `eval` and `embed-image` share. */
import { CliUsageError, flagString, type ParsedArgs } from './args';
import { DENSE_BLOCK_METHODS, type DenseBlockMethod } from '../pipeline/clip/dense/types';
import { FEATURE_SOURCES, type FeatureSource } from '../pipeline/features/extract';

/** `--features dense|crops`. */
export function featuresFlag(args: ParsedArgs): FeatureSource | undefined {
  const text = flagString(args, 'features');
  if (text === undefined) return undefined;
  if (!(FEATURE_SOURCES as readonly string[]).includes(text))
    throw new CliUsageError(`--features expects ${FEATURE_SOURCES.join('|')}, got '${text}'`);
  return text as FeatureSource;
}

/** The dense last-block rewrite (`--dense-method`, or `--method` for embed-image --dense). */
export function denseMethodFlag(
  args: ParsedArgs,
  flag = 'dense-method',
): DenseBlockMethod | undefined {
  const text = flagString(args, flag);
  if (text === undefined) return undefined;
  if (!(DENSE_BLOCK_METHODS as readonly string[]).includes(text))
    throw new CliUsageError(`--${flag} expects ${DENSE_BLOCK_METHODS.join('|')}, got '${text}'`);
  return text as DenseBlockMethod;
}
