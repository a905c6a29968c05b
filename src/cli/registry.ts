import type { CliCommand } from './command';
import { infoCommand } from './commands/info';
import { tokenizeCommand } from './commands/tokenize';

/** Every CLI command; one file per command under ./commands. Keep alphabetical. */
export const COMMANDS: CliCommand[] = [infoCommand, tokenizeCommand];
