/** The CLI's command table: one file per command in this folder, one line here each. */
import { decodersCommand } from './decoders';
import { extractCommand } from './extract';
import { nodesCommand } from './nodes';
import { runCommand } from './run';
import type { CliCommand } from './types';
import { validateCommand } from './validate';
import { WEIGHTS_USAGE, weightsCommand } from './weights';

export type { CliCommand } from './types';

export const COMMANDS: CliCommand[] = [
  runCommand,
  validateCommand,
  nodesCommand,
  extractCommand,
  decodersCommand,
  {
    name: 'weights',
    summary: 'install the VGG19 weights into your data folder (md5-checked), or --check them',
    usage: 'weights [--from <folder|url>] [--check] [--cache <dir>]',
    details: WEIGHTS_USAGE,
    run: (args, io) => weightsCommand(args, { log: io.out, error: io.err }),
  },
];
