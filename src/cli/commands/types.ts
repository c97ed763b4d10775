import type { CliIO } from '../io';

/** One CLI command; add yours to COMMANDS in ./index.ts. */
export interface CliCommand {
  name: string;
  /** One line for `help`. */
  summary: string;
  /** "run <graph.json> [--out DIR] ..." */
  usage: string;
  /** Optional longer help (options, examples), printed by `mgan-studio help NAME` / `NAME --help`. */
  details?: string;
  /** Returns the exit code: 0 ok, 1 failed while running, 2 invalid input (throw UsageError for that too). */
  run(args: string[], io: CliIO): Promise<number>;
}
