/**
 * The CLI as a function: parses argv, runs one command from the registry and writes its result
 * to `streams.stdout`, progress and errors to `streams.stderr`; returns the exit code (0 ok,
 * 1 a failed command, 2 a usage error). src/cli/main.ts calls it with the process's streams;
 * tests call it in-process with string buffers.
 */
import { parseArgs, type ParsedArgs } from './args';
import { oneLine, reportError } from './error-line';
import { parseOrtRuntimeName, resolveNodeOrtRuntime } from '../hosts/node/platform';
import { installPlatform, platform, type OrtHostRuntime } from '../pipeline/platform';
import type { CliCommand, CliIo } from './command';
import { COMMANDS } from './registry';

/** Where the CLI writes (process.stdout / process.stderr, or buffers in tests). */
export interface CliStreams {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** stderr is a terminal: progress lines overwrite each other. */
  isTty: boolean;
}

export function helpText(): string {
  // Usage lines are long (options), so each command gets its usage line and an indented summary.
  const lines = COMMANDS.flatMap((c) => [`  ${c.usage}`, `      ${c.summary}`]);
  return [
    'Usage: npm run --silent cli -- <command> [args] [--json]',
    '',
    'Commands:',
    ...lines,
    '',
    'Options:',
    '  --json   machine-readable JSON on stdout (progress always goes to stderr)',
    '  --runtime native|wasm   onnxruntime for models: native (onnxruntime-node, default where',
    '           it loads) or wasm (onnxruntime-web, what the browser runs); also $SCENE3D_ORT_RUNTIME',
    "  --help   this text, or a command's usage with `<command> --help`",
  ].join('\n');
}

export { oneLine } from './error-line';

/** Flags every command takes. */
const GLOBAL_FLAGS = ['json', 'help', 'runtime'];

/** Flags given that the command's usage line does not name (a typo would otherwise be ignored). */
function unknownFlags(command: CliCommand, flags: Record<string, unknown>): string[] {
  const known = new Set([
    ...GLOBAL_FLAGS,
    ...[...command.usage.matchAll(/--([a-z][a-z0-9-]*)/g)].map((m) => m[1]),
  ]);
  return Object.keys(flags).filter((f) => !known.has(f));
}

export async function runCli(argv: string[], streams: CliStreams): Promise<number> {
  const { stdout, stderr } = streams;
  const args = parseArgs(argv);
  const [name, ...rest] = args.positionals;
  if (!name) {
    stdout.write(helpText() + '\n');
    return args.flags.help ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    stderr.write(`error: unknown command '${oneLine(name)}' (see --help)\n`);
    return 2;
  }
  if (args.flags.help) {
    stdout.write(`Usage: npm run --silent cli -- ${command.usage}\n${command.summary}\n`);
    return 0;
  }
  const unknown = unknownFlags(command, args.flags);
  if (unknown.length > 0) {
    const list = unknown.map((f) => `--${oneLine(f)}`).join(', ');
    stderr.write(
      `error: usage error: unknown flag ${list} for '${command.name}' (see ${command.name} --help)\n`,
    );
    return 2;
  }
  const runtimeFlag = args.flags.runtime;
  if (runtimeFlag !== undefined && !parseOrtRuntimeName(String(runtimeFlag))) {
    stderr.write(
      `error: usage error: --runtime expects native or wasm, got '${oneLine(String(runtimeFlag))}'\n`,
    );
    return 2;
  }
  // --runtime holds for this command only: it swaps the process's platform while the command
  // runs (tests run many commands in one process, one at a time).
  const previous = platform();
  if (typeof runtimeFlag === 'string') {
    let runtime: OrtHostRuntime | undefined;
    installPlatform({ ...previous, ort: () => (runtime ??= resolveNodeOrtRuntime(runtimeFlag)) });
  }
  try {
    return await runCommand(command, { positionals: rest, flags: args.flags }, streams);
  } finally {
    installPlatform(previous);
  }
}

async function runCommand(
  command: CliCommand,
  args: ParsedArgs,
  streams: CliStreams,
): Promise<number> {
  const { stdout, stderr, isTty } = streams;
  const json = args.flags.json === true;
  const io: CliIo = {
    json,
    progress: (line) => stderr.write(isTty ? `\r\x1b[K${line}` : `${line}\n`),
    warn: (line) => stderr.write(`${isTty ? '\r\x1b[K' : ''}warning: ${oneLine(line)}\n`),
  };
  try {
    const result = await command.run(args, io);
    if (isTty) stderr.write('\r\x1b[K');
    const out =
      json || !command.format ? JSON.stringify(result, null, json ? 0 : 2) : command.format(result);
    stdout.write(out + '\n');
    return command.exitCode?.(result) ?? 0;
  } catch (err) {
    if (isTty) stderr.write('\r\x1b[K');
    const context = [command.name, ...args.positionals].map((a) => `'${a}'`).join(' ');
    const { line, exitCode } = reportError(err, context);
    stderr.write(line + '\n');
    return exitCode;
  }
}
