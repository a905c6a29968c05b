/**
 * The exports `batch --export NAME` can run after each scene's extraction, each through its own
 * CLI command (the same code path as running it on extract's folder), into `<id>/<dir>/`.
 * Another export command is one more entry here.
 */
import type { CliCommand } from '../command';
import { export3dLlmCommand } from '../commands/export-3dllm';

export interface BatchExport {
  name: string;
  command: CliCommand;
  /** Sub-folder of the scene's output. */
  dir: string;
}

export const BATCH_EXPORTS: BatchExport[] = [
  { name: '3dllm', command: export3dLlmCommand, dir: '3dllm' },
];

/** The `--flag`s a command's usage line names, in order. */
export function usageFlags(usage: string): string[] {
  return [...new Set([...usage.matchAll(/--([a-z][a-z0-9-]*)/g)].map((m) => m[1]))];
}

/**
 * Flags of a single command's output that batch does not forward: it chooses each scene's folder
 * and replaces only its own outputs (atomic-output.ts).
 */
export const OUTPUT_FLAGS = new Set(['out', 'force']);

/** An export's own flags (all its usage's flags but the output's). */
export const exportFlags = (e: BatchExport) =>
  usageFlags(e.command.usage).filter((f) => !OUTPUT_FLAGS.has(f));
