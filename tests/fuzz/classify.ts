/** Sorting one case's result into ok / typed / other / accepted (hang and oom are the parent's). */
import type { Outcome } from './types';

/** The `kind`s of the typed errors in src/pipeline/errors.ts that a user may see for bad input. */
const TYPED_KINDS = new Set(['parse', 'missing-file', 'unsupported', 'model', 'budget']);
const LOCATION_IN_MESSAGE = /\b(?:at byte|byte|offset|position|line|column|col)\s*\d+/i;
/** Errors about a file's content; a missing file or an unsupported variant has no location. */
const CONTENT_KINDS = new Set(['parse', 'model']);

export interface ErrorVerdict {
  outcome: Outcome;
  detail?: string;
}

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`.slice(0, 300);
  return `non-Error thrown: ${String(err)}`.slice(0, 300);
}

/**
 * Typed = one of our error classes whose message names one of the input's files; with a
 * location when the format has one (a FileLocation with byteOffset / line, or one in the text).
 */
export function classifyError(
  err: unknown,
  fileNames: string[],
  hasLocations: boolean,
): ErrorVerdict {
  const e = err as {
    kind?: unknown;
    message?: unknown;
    location?: { byteOffset?: unknown; line?: unknown };
  };
  const typed = err instanceof Error && typeof e.kind === 'string' && TYPED_KINDS.has(e.kind);
  if (!typed) return { outcome: 'other', detail: describe(err) };
  const message = String(e.message);
  if (!fileNames.some((name) => message.includes(name))) {
    return { outcome: 'other', detail: `names no input file: ${describe(err)}` };
  }
  if (!hasLocations || !CONTENT_KINDS.has(e.kind as string)) return { outcome: 'typed' };
  const located =
    e.location?.byteOffset !== undefined ||
    e.location?.line !== undefined ||
    LOCATION_IN_MESSAGE.test(message);
  return located ? { outcome: 'typed' } : { outcome: 'typed-no-location', detail: describe(err) };
}

/** True when any changed byte lies in a checksummed range. */
export function touchesChecksum(changed: number[], ranges: Array<[number, number]>): boolean {
  return changed.some((at) => ranges.some(([s, e]) => at >= s && at < e));
}
