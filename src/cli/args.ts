import { CLI_NUMBER_LIMITS } from '../pipeline/defaults';
import { platform } from '../pipeline/platform';
import { MAX_LOCATION_BINS } from '../tokens/location-tokens';

/** Minimal argv parsing: positionals, `--flag value`, `--flag=value` and boolean `--flag`. */
export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | true>;
}

/** Flags that never take a value (everything else consumes the next token if it isn't a flag). */
const BOOLEAN_FLAGS = new Set([
  'json',
  'help',
  'quiet',
  'force',
  'pe',
  'no-reconstruct',
  'dry-run',
  'dense',
  'lenient',
]);

export function parseArgs(argv: string[]): ParsedArgs {
  const positionals: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      if (eq > 0) {
        flags[a.slice(2, eq)] = a.slice(eq + 1);
        continue;
      }
      const name = a.slice(2);
      const next = argv[i + 1];
      if (!BOOLEAN_FLAGS.has(name) && next !== undefined && !next.startsWith('--')) {
        flags[name] = next;
        i++;
      } else flags[name] = true;
    } else if (a === '-h') flags.help = true;
    else positionals.push(a);
  }
  return { positionals, flags };
}

export function flagString(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags[name];
  return typeof v === 'string' ? v : undefined;
}

/** Wrong arguments: the CLI prints `error: usage error: …` and exits 2. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
  readonly kind = 'usage';
}

/**
 * What a numeric flag accepts. One table for every command, so a flag means and checks the
 * same everywhere (`info --stride` is refused exactly like `extract --stride`).
 */
export interface NumberRule {
  integer?: boolean;
  /** Smallest value allowed (inclusive), or `{ above }` for an exclusive bound. */
  min?: number;
  above?: number;
  /** Largest value allowed (inclusive); a function for limits of this machine (cores). */
  max?: number | (() => number);
  /** What the value is, for the message: 'a frame stride'. */
  what: string;
}

const positiveInt = (what: string, max?: number): NumberRule => ({
  integer: true,
  min: 1,
  max,
  what,
});

/** Every numeric flag of every command and what it accepts. */
export const NUMBER_FLAGS: Record<string, NumberRule> = {
  stride: positiveInt('a frame stride (every k-th frame)'),
  voxel: { above: 0, max: CLI_NUMBER_LIMITS.maxVoxelM, what: 'a voxel size in metres' },
  'cloud-stride': positiveInt('a reconstruction frame stride (every k-th frame)'),
  'cloud-voxel': {
    above: 0,
    max: CLI_NUMBER_LIMITS.maxVoxelM,
    what: 'a reconstruction voxel size in metres',
  },
  threads: {
    integer: true,
    min: 1,
    max: () => Math.min(CLI_NUMBER_LIMITS.maxThreads, platform().maxThreads),
    what: 'a thread count (at most the cores of this machine)',
  },
  border: {
    integer: true,
    min: 0,
    max: CLI_NUMBER_LIMITS.maxBorderPx,
    what: 'a border in pixels',
  },
  seed: { integer: true, min: 0, max: 0xffffffff, what: 'a 32-bit unsigned seed' },
  'max-voxels': positiveInt('a voxel count', CLI_NUMBER_LIMITS.maxVoxels),
  'pe-weight': { min: 0, max: 1e6, what: 'a position-embedding weight' },
  'dense-short-side': {
    integer: true,
    min: 224,
    max: 4096,
    what: 'a short side in pixels',
  },
  'dense-stride': { integer: true, min: 1, max: 224, what: 'a stride in pixels' },
  overlap: { min: 0, max: 0.95, what: 'a crop overlap fraction' },
  batch: positiveInt('a batch size', CLI_NUMBER_LIMITS.maxBatch),
  'top-k': positiveInt('a box count', CLI_NUMBER_LIMITS.maxTopK),
  threshold: { min: -1, max: 1, what: 'a score threshold' },
  radius: { above: 0, max: 1e6, what: 'a radius in metres' },
  bins: { integer: true, min: 2, max: MAX_LOCATION_BINS, what: 'a bin count' },
  level: { integer: true, min: 0, max: 1000, what: 'a hierarchy level' },
  index: { integer: true, min: 0, max: 999_999, what: 'a file index' },
};

function describeRule(rule: NumberRule, max: number | undefined): string {
  const kind = rule.integer ? 'an integer' : 'a number';
  const low =
    rule.above !== undefined ? `> ${rule.above}` : rule.min !== undefined ? `≥ ${rule.min}` : '';
  const high = max !== undefined ? `≤ ${max}` : '';
  const range = [low, high].filter(Boolean).join(' and ');
  return `${kind}${range ? ` ${range}` : ''} (${rule.what})`;
}

/**
 * A numeric flag checked against its rule in NUMBER_FLAGS: undefined when absent; a usage error
 * for a missing value, '' or text, NaN/±Infinity, a fraction where an integer is needed, or a
 * value outside the range.
 */
export function flagNumber(args: ParsedArgs, name: string): number | undefined {
  const rule = NUMBER_FLAGS[name];
  if (!rule) throw new Error(`flagNumber: --${name} has no rule in NUMBER_FLAGS`);
  const v = args.flags[name];
  if (v === undefined) return undefined;
  const max = typeof rule.max === 'function' ? rule.max() : rule.max;
  const expects = `--${name} expects ${describeRule(rule, max)}`;
  if (v === true) throw new CliUsageError(`${expects}, got no value`);
  const n = v.trim() === '' ? NaN : Number(v);
  const ok =
    Number.isFinite(n) &&
    (!rule.integer || Number.isInteger(n)) &&
    (rule.min === undefined || n >= rule.min) &&
    (rule.above === undefined || n > rule.above) &&
    (max === undefined || n <= max);
  if (!ok) throw new CliUsageError(`${expects}, got '${v}'`);
  return n;
}
