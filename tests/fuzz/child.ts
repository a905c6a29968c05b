/**
 * Child process entry (bundled by esbuild, see bundle.ts): runs a range of cases of one target
 * and reports each result to the parent before starting the next, so the parent's watchdog can
 * kill it on a hang or a memory blow-up and restart it at the following case.
 */
import { classifyError, touchesChecksum } from './classify';
import { changedOffsets, mutateBytes } from './mutate';
import { hashSeed, mulberry32, pick } from './rng';
import { loadTargets } from './targets';
import type { CaseResult, FileMap, FuzzTarget } from './types';
import { installNodePlatform } from '../../src/hosts/node/platform';

export const SOURCE_NAME = 'fuzzsrc';

export type ChildRequest =
  { type: 'list' } | { type: 'run'; target: string; from: number; to: number };

export type ChildMessage =
  | { type: 'list'; targets: Array<{ name: string; defaultCases: number }>; unavailable: string[] }
  | { type: 'ready' }
  | { type: 'result'; result: CaseResult }
  | { type: 'fatal'; message: string }
  | { type: 'done' };

interface BuiltCase {
  files: FileMap;
  path?: string;
  changed?: number[];
  description: string;
}

function buildCase(target: FuzzTarget, seeds: FileMap[], index: number): BuiltCase {
  const rng = mulberry32(hashSeed(target.name, index));
  const seed = seeds[index % seeds.length];
  const files = new Map(seed);
  const all = [...seed.keys()].sort();
  if (all.length > 1 && rng() < 0.03) {
    const gone = pick(rng, all);
    files.delete(gone);
    return { files, description: `seed ${index % seeds.length}: deleted ${gone}` };
  }
  const path = pick(rng, target.mutable?.(all) ?? all);
  const original = seed.get(path)!;
  const mutated = target.mutate
    ? target.mutate(original, rng)
    : mutateBytes(original, rng, target.textual?.(path) ?? false);
  files.set(path, mutated);
  // Occasionally a second file of a folder as well.
  if (all.length > 1 && rng() < 0.1) {
    const other = pick(rng, all);
    if (other !== path) {
      files.set(other, mutateBytes(seed.get(other)!, rng, target.textual?.(other) ?? false));
    }
  }
  return {
    files,
    path,
    changed: files.get(path) === mutated ? changedOffsets(original, mutated) : undefined,
    description: `seed ${index % seeds.length}: ${path} ${original.length}→${mutated.length} B`,
  };
}

async function runCase(target: FuzzTarget, seeds: FileMap[], index: number): Promise<CaseResult> {
  const c = buildCase(target, seeds, index);
  // A file of the input by name, a path inside it (one a manifest refers to), or the folder
  // itself (`fuzzsrc: no scene format found`).
  const names = [...seeds[index % seeds.length].keys()].map((p) => p.split('/').pop()!);
  names.push(`${SOURCE_NAME}/`, `${SOURCE_NAME}:`);
  const base: CaseResult = { target: target.name, index, outcome: 'ok' };
  try {
    const output = await target.read(c.files, SOURCE_NAME);
    const problem = target.validate?.(output);
    if (problem) return { ...base, outcome: 'accepted', detail: `${c.description}: ${problem}` };
    if (c.path && c.changed && c.changed.length > 0 && target.checksummed) {
      const ranges = target.checksummed(c.path, seeds[index % seeds.length].get(c.path)!);
      if (touchesChecksum(c.changed, ranges)) {
        return {
          ...base,
          outcome: 'accepted',
          detail: `${c.description}: bytes ${c.changed.slice(0, 4).join(',')} under a checksum changed, read without error`,
        };
      }
    }
    return base;
  } catch (err) {
    const verdict = classifyError(err, names, target.hasLocations);
    return {
      ...base,
      outcome: verdict.outcome,
      detail: verdict.detail && `${c.description}: ${verdict.detail}`,
    };
  }
}

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => process.send!(message, () => resolve()));
}

async function main(request: ChildRequest): Promise<void> {
  installNodePlatform();
  const { targets, unavailable } = await loadTargets();
  if (request.type === 'list') {
    await send({
      type: 'list',
      targets: targets.map((t) => ({ name: t.name, defaultCases: t.defaultCases ?? 1000 })),
      unavailable,
    });
    return;
  }
  const target = targets.find((t) => t.name === request.target);
  if (!target) return send({ type: 'fatal', message: `no target ${request.target}` });
  let seeds: FileMap[];
  try {
    seeds = await target.seeds();
    // The seeds themselves must read cleanly, or every mutation result is meaningless.
    for (const seed of seeds) {
      const problem = target.validate?.(await target.read(seed, SOURCE_NAME));
      if (problem) throw new Error(`seed output invalid: ${problem}`);
    }
  } catch (err) {
    return send({ type: 'fatal', message: `seed for ${target.name}: ${String(err)}` });
  }
  await send({ type: 'ready' });
  for (let i = request.from; i < request.to; i++) {
    const result = await runCase(target, seeds, i);
    result.rssMb = Math.round(process.memoryUsage.rss() / 2 ** 20);
    await send({ type: 'result', result });
  }
  await send({ type: 'done' });
}

process.once('message', (request: ChildRequest) => {
  main(request).then(
    () => process.disconnect(),
    (err) => send({ type: 'fatal', message: String(err) }).then(() => process.disconnect()),
  );
});
