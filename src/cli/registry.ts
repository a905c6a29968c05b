import type { CliCommand } from './command';
import { batchCommand } from './commands/batch';
import { batchStatusCommand } from './commands/batch-status';
import { embedImageCommand } from './commands/embed-image';
import { embedTextCommand } from './commands/embed-text';
import { evalCommand } from './commands/eval';
import { export3dLlmCommand } from './commands/export-3dllm';
import { exportOpenSceneCommand } from './commands/export-openscene';
import { extractCommand } from './commands/extract';
import { groundCommand } from './commands/ground';
import { infoCommand } from './commands/info';
import { objectsCommand } from './commands/objects';
import { queryCommand } from './commands/query';
import { tokenizeCommand } from './commands/tokenize';
import { tokensCommand } from './commands/tokens';

/** Every CLI command; one file per command under ./commands. Keep alphabetical. */
export const COMMANDS: CliCommand[] = [
  batchCommand,
  batchStatusCommand,
  embedImageCommand,
  embedTextCommand,
  evalCommand,
  export3dLlmCommand,
  exportOpenSceneCommand,
  extractCommand,
  groundCommand,
  infoCommand,
  objectsCommand,
  queryCommand,
  tokenizeCommand,
  tokensCommand,
];
