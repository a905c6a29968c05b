import type { CliCommand } from '../command';
import { CliUsageError } from '../args';
import { summariseBatch, type BatchSummary } from '../batch/summary';

export const batchStatusCommand: CliCommand = {
  name: 'batch-status',
  usage: 'batch-status <out-dir>',
  summary:
    'summarise a batch output folder over all shards: done, failed (with the reason), partial, missing; ' +
    'exit 0 only when every scene is done',
  async run(args) {
    const dir = args.positionals[0];
    if (!dir) throw new CliUsageError('batch-status needs the --out folder of a batch run');
    return summariseBatch(dir);
  },
  exitCode: (result) => ((result as BatchSummary).complete ? 0 : 1),
  format(result) {
    const s = result as BatchSummary;
    const t = s.totals;
    const lines = [
      `${s.out}: ${t.scenes} scenes, ${t.done} done, ${t.failed} failed, ${t.partial} partial, ` +
        `${t.missing} missing, ${t.stale} stale${s.complete ? ' — complete' : ''}`,
      ...s.shards.map(
        (h) =>
          `  shard ${h.index}/${h.count}: ${h.run}${h.host ? ` on ${h.host}` : ''}; ${h.scenes} scenes, ` +
          `${h.done} done, ${h.failed} failed, ${h.partial} partial, ${h.missing} missing` +
          (h.stale ? `, ${h.stale} stale` : ''),
      ),
    ];
    for (const state of ['failed', 'partial', 'missing', 'stale'] as const) {
      const list = s.scenes.filter((x) => x.state === state);
      if (list.length === 0) continue;
      lines.push(`${state}:`);
      for (const x of list)
        lines.push(
          `  ${x.id} (shard ${x.shard}, ${x.path})${x.reason ? `: ${x.reason}` : ''}` +
            (x.owner ? ` [${x.owner.host} pid ${x.owner.pid} since ${x.owner.startedAt}]` : ''),
        );
    }
    for (const u of s.unreadable) lines.push(`unreadable shard record: ${u}`);
    return lines.join('\n');
  },
};
