import { readFile } from 'node:fs/promises';
import type { CliCommand } from '../command';
import { CliUsageError, flagNumber, flagString } from '../args';
import { QUERY_DEFAULTS } from '../../pipeline/defaults';
import { MissingFileError, ParseError } from '../../pipeline/errors';
import { readNpy } from '../../pipeline/io/npy';
import { groundScoresOnObjects } from '../../pipeline/query/ground-objects';
import type { GroundedBox } from '../../pipeline/query/types';
import { openScenePoints, segmentScenePoints } from './scene-points';
import { RECONSTRUCTION_USAGE, reconstructionFlags } from '../reconstruction-flags';

export interface GroundCommandResult {
  scene: string;
  scoresFile: string;
  points: number;
  /** Points with a finite score. */
  seenPoints: number;
  /** Whether something stood out; when false, `boxes` is empty and `reason` says why. */
  confident: boolean;
  reason?: string;
  boxes: GroundedBox[];
  timingsMs: { segment: number; ground: number };
}

/** One float per point: shape (N) or (N, 1), float32 (float16/float64 converted). */
export async function readPointScores(file: string, points: number): Promise<Float32Array> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch {
    throw new MissingFileError(file);
  }
  const npy = readNpy(bytes, file);
  const [n, ...rest] = npy.shape;
  if (npy.shape.length === 0 || rest.some((d) => d !== 1)) {
    throw new ParseError(
      { file },
      `expected one score per point, shape (${points},), got (${npy.shape.join(', ')})`,
    );
  }
  if (n !== points) {
    throw new ParseError(
      { file },
      `${n} scores, but the scene has ${points} points (same order as the scene's cloud)`,
    );
  }
  if (npy.dtype === '<f4') return npy.data as Float32Array;
  if (npy.dtype === '<f8' || npy.dtype === '<f2')
    return Float32Array.from(npy.data as ArrayLike<number>);
  throw new ParseError({ file }, `scores must be float32 (or float16/float64), got ${npy.dtype}`);
}

export const groundCommand: CliCommand = {
  name: 'ground',
  usage: `ground <scene-or-bundle> --scores FILE.npy [--top-k k] [--logistic] ${RECONSTRUCTION_USAGE} [--json]`,
  summary:
    "ground any per-point heatmap (float32 per point, NaN = unseen, the scene's point order) on the scene's objects: ranked boxes with location tokens",
  async run(args, io) {
    const path = args.positionals[0];
    const scoresFile = flagString(args, 'scores');
    if (!path || !scoresFile) {
      throw new CliUsageError(
        'ground needs a scene folder or a feature bundle and --scores FILE.npy',
      );
    }
    const topK = flagNumber(args, 'top-k');
    if (topK !== undefined && !(Number.isInteger(topK) && topK >= 1)) {
      throw new CliUsageError('--top-k must be a positive integer');
    }
    const reconstruction = reconstructionFlags(args);
    const scene = await openScenePoints(path, io, reconstruction);
    const points = scene.cloud.positions.length / 3;
    const scores = await readPointScores(scoresFile, points);
    const { index, ms: segmentMs } = segmentScenePoints(scene, io);
    const t1 = performance.now();
    const result = groundScoresOnObjects(scores, index, {
      topK: topK ?? QUERY_DEFAULTS.topK,
      logistic: args.flags.logistic === true,
      normalisation: scene.normalisation,
    });
    const t2 = performance.now();
    let seen = 0;
    for (const s of scores) if (Number.isFinite(s)) seen++;
    const out: GroundCommandResult = {
      scene: scene.name,
      scoresFile,
      points,
      seenPoints: seen,
      confident: result.confident,
      ...(result.reason ? { reason: result.reason } : {}),
      boxes: result.boxes,
      timingsMs: {
        segment: segmentMs,
        ground: Number((t2 - t1).toFixed(1)),
      },
    };
    return out;
  },
  format(result) {
    const r = result as GroundCommandResult;
    const fmt = (v: number[]) => v.map((x) => x.toFixed(3)).join(', ');
    const lines = [
      r.confident
        ? `${r.scoresFile}: ${r.boxes.length} box${r.boxes.length === 1 ? '' : 'es'} on ${r.scene}`
        : `${r.scoresFile}: no confident match: ${r.reason ?? 'nothing stands out'}`,
    ];
    for (const b of r.boxes) {
      lines.push(
        `${b.rank}. object ${b.objectId} (level ${b.level})  min (${fmt(b.min)}) max (${fmt(b.max)}) m  ` +
          `score ${b.score.toFixed(4)}  ${b.pointCount} points  ${b.tokens ?? ''}`,
      );
    }
    lines.push(`time: segment ${r.timingsMs.segment} ms, ground ${r.timingsMs.ground} ms`);
    return lines.join('\n');
  },
};
