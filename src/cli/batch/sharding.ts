/**
 * Which shard runs which scene.
 *
 * Scene k of the dataset (its position in the manifest, or in the byte-wise sorted folder
 * listing) goes to shard k mod N. Why round-robin by position:
 * - deterministic: every shard computes the same plan from the same listing, with no
 *   coordinator and nothing shared but the dataset;
 * - even: shard sizes differ by at most one scene (a hash of the id would leave some shards
 *   with twice the work of others on small datasets);
 * - stable under appending: scenes added at the end (new manifest lines, or new ScanNet-style ids
 *   that sort last) take new positions and leave every existing scene on its shard, so finished
 *   shards stay finished. Contiguous blocks (3D-LLM's `--job`/`--all_jobs`) would move scenes
 *   between shards whenever the dataset grows;
 * - neighbours spread out: scenes next to each other in the listing (often the same building or
 *   scan session, of similar size) land on different shards, which balances time as well.
 * A scene inserted in the middle, or a changed N, does move later scenes; the per-scene status
 * files make that safe (a finished scene is skipped by whichever shard now owns it).
 */

/** A shard: index in [0, count). */
export interface Shard {
  index: number;
  count: number;
}

export function shardOf(position: number, count: number): number {
  return position % count;
}

/** The items of one shard, in dataset order. */
export function itemsOfShard<T>(items: readonly T[], shard: Shard): T[] {
  return items.filter((_, k) => shardOf(k, shard.count) === shard.index);
}

/** How many items each shard gets. */
export function shardSizes(total: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => Math.floor((total - i + count - 1) / count));
}
