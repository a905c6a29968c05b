import type { CliCommand } from '../command';
import { CliUsageError, flagNumber, flagString, type ParsedArgs } from '../args';
import { NodeFileSource } from '../../hosts/node/node-file-source';
import { readBundleNormalisation } from '../../pipeline/query/bundle-normalisation';
import { QUERY_DEFAULTS } from '../../pipeline/defaults';
import {
  decodeBinsToBox,
  encodeBoxToBins,
  formatLocationTokens,
  parseLocationTokens,
  type LocationDiagnostic,
  type ParsedLocationBox,
  type SceneNormalisation,
} from '../../tokens';

export interface TokensEncodeResult {
  action: 'encode';
  normalisation: SceneNormalisation;
  bins: number;
  box: { min: number[]; max: number[] };
  locationBins: number[];
  tokens: string;
  /** The box the tokens decode to (bin centres): what a model reading them would see. */
  decoded: { min: number[]; max: number[] };
}

export interface TokensDecodeResult {
  action: 'decode';
  normalisation: SceneNormalisation;
  bins: number;
  boxes: ParsedLocationBox[];
  diagnostics: LocationDiagnostic[];
  omittedDiagnostics: number;
}

function parseCoordinate(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) {
    throw new CliUsageError(`expected a coordinate in metres, got '${text}'`);
  }
  return value;
}

/** `--centroid x,y,z --radius r` instead of a bundle (e.g. for 3D-LLM's own normalisation). */
async function normalisationFrom(
  args: ParsedArgs,
  bundleDir: string | undefined,
): Promise<SceneNormalisation> {
  const centroidText = flagString(args, 'centroid');
  const radius = flagNumber(args, 'radius');
  if (centroidText !== undefined || radius !== undefined) {
    const centroid = (centroidText ?? '').split(',').map(parseCoordinate);
    if (centroid.length !== 3 || radius === undefined || !(radius > 0)) {
      throw new CliUsageError(
        '--centroid needs x,y,z and --radius a positive number (both together)',
      );
    }
    return { centroid: [centroid[0], centroid[1], centroid[2]], radius };
  }
  if (!bundleDir) throw new CliUsageError('tokens needs a feature bundle directory');
  return readBundleNormalisation(await NodeFileSource.open(bundleDir));
}

const round = (v: number) => Number(v.toFixed(4));

export const tokensCommand: CliCommand = {
  name: 'tokens',
  usage:
    'tokens encode <bundle-dir> xmin ymin zmin xmax ymax zmax | tokens decode <bundle-dir> "TEXT" [--bins N] [--centroid x,y,z --radius r] [--lenient: also read <LOC12>, <loc 13>, <loc014> in free text]',
  summary:
    '3D-LLM location tokens: a box in metres → six <locK> tokens, or LLM text → boxes + diagnostics',
  async run(args) {
    const [action, ...rest] = args.positionals;
    const bins = flagNumber(args, 'bins') ?? QUERY_DEFAULTS.locationBins;
    const explicitNorm = flagString(args, 'centroid') !== undefined;
    if (action === 'encode') {
      const [bundleDir, ...coordText] = explicitNorm ? [undefined, ...rest] : rest;
      if (coordText.length !== 6) {
        throw new CliUsageError(
          'tokens encode needs six coordinates: xmin ymin zmin xmax ymax zmax',
        );
      }
      const c = coordText.map((t) => parseCoordinate(t as string));
      const normalisation = await normalisationFrom(args, bundleDir);
      const box = {
        min: [c[0], c[1], c[2]] as [number, number, number],
        max: [c[3], c[4], c[5]] as [number, number, number],
      };
      const locationBins = encodeBoxToBins(box, normalisation, bins);
      const decoded = decodeBinsToBox(locationBins, normalisation, bins);
      const result: TokensEncodeResult = {
        action,
        normalisation,
        bins,
        box,
        locationBins,
        tokens: formatLocationTokens(locationBins),
        decoded: { min: decoded.min.map(round), max: decoded.max.map(round) },
      };
      return result;
    }
    if (action === 'decode') {
      const [bundleDir, ...textParts] = explicitNorm ? [undefined, ...rest] : rest;
      if (textParts.length === 0) throw new CliUsageError('tokens decode needs the TEXT to read');
      const normalisation = await normalisationFrom(args, bundleDir);
      // --lenient: free text typed by people (`<LOC12>`, `<loc 13>`, `<loc014>`); model output
      // uses the exact vocabulary spelling `<locK>` only.
      const parsed = parseLocationTokens(textParts.join(' '), {
        bins,
        normalisation,
        lenient: args.flags.lenient === true,
      });
      const result: TokensDecodeResult = { action, normalisation, bins, ...parsed };
      return result;
    }
    throw new CliUsageError(`tokens needs 'encode' or 'decode', got '${action ?? ''}'`);
  },
  format(result) {
    const r = result as TokensEncodeResult | TokensDecodeResult;
    if (r.action === 'encode') {
      return [
        r.tokens,
        `bins: ${r.locationBins.join(' ')} (of ${r.bins} per axis)`,
        `decodes to min (${r.decoded.min.join(', ')}) max (${r.decoded.max.join(', ')}) m`,
      ].join('\n');
    }
    const lines = r.boxes.map((b, i) => {
      const box = b.box!;
      const fmt = (v: number[]) => v.map((x) => x.toFixed(3)).join(', ');
      return `${i + 1}. ${JSON.stringify(b.label)} ${b.tokens} → min (${fmt(box.min)}) max (${fmt(box.max)}) m`;
    });
    if (lines.length === 0) lines.push('no boxes found');
    for (const d of r.diagnostics)
      lines.push(`${d.severity} [${d.code}] at ${d.start}: ${JSON.stringify(d.message)}`);
    if (r.omittedDiagnostics > 0) lines.push(`… and ${r.omittedDiagnostics} more diagnostics`);
    return lines.join('\n');
  },
};
