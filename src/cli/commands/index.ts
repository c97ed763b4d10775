/** The CLI's command table: one file per command in this folder, one line here each. */
import { extractCommand } from './extract';
import { nodesCommand } from './nodes';
import { runCommand } from './run';
import type { CliCommand } from './types';
import { validateCommand } from './validate';

export type { CliCommand } from './types';

export const COMMANDS: CliCommand[] = [
  runCommand,
  validateCommand,
  nodesCommand,
  extractCommand,
];
