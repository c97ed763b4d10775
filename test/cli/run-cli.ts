import { main } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/io';

/** Runs `mgan-studio ...argv` in this process; stdout and stderr lines joined with newlines. */
export async function runCli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => out.push(t), err: (t) => err.push(t) };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}
