import type { CliIO } from '../io';

/**
 * One CLI command as the command table lists it: its name and help lines, and its body loaded on
 * demand, so `--help` and `--version` never load TensorFlow.js. Add yours to COMMANDS in ./index.ts.
 */
export interface CliCommand {
  name: string;
  /** One line for `help`. */
  summary: string;
  /** "run <graph.json> [--out DIR] ..." */
  usage: string;
  /** The command prints its own JSON result for `--json` (main adds the errors); else main wraps its lines. */
  json?: true;
  load(): Promise<CommandBody>;
}

/** What a command's own file exports. */
export interface CommandBody {
  /** Optional longer help (options, examples), printed by `mgan-studio help NAME` / `NAME --help`. */
  details?: string;
  /** Returns the exit code: 0 ok, 1 failed while running, 2 invalid input (throw UsageError for that too). */
  run(args: string[], io: CliIO): Promise<number>;
}
