/**
 * What the commands over the user's stored things share (`decoders`, `discriminators`): the action
 * and the NAME it needs from the positionals, sizes in words, and a failure as one line.
 */
import { EXIT_FAILED, UsageError, type CliIO } from './io';
import { didYouMean } from './suggest';

/** "a, b or c". */
function either(words: readonly string[]): string {
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}` : words.join('');
}

/** The action (the first positional), one of `actions`; a usage error (exit 2) naming them otherwise. */
export function storeAction<A extends string>(command: string, positionals: string[], actions: readonly A[]): A {
  const action = positionals[0] ?? '';
  if (!(actions as readonly string[]).includes(action)) throw new UsageError(`${command}: expected ${either(actions)}, got '${action}'${didYouMean(action, actions)}`);
  return action as A;
}

/** The NAME (or FILE) an action needs: the second positional; a usage error (exit 2) when it is missing. */
export function actionTarget(command: string, positionals: string[], what: string): string {
  const target = positionals[1];
  if (!target) throw new UsageError(`${command} ${positionals[0]}: missing ${what}`);
  return target;
}

/** Runs an action: its failure (an unknown name, a damaged file, a refused write) is one line `error: ...`, exit 1; usage errors pass on (exit 2). */
export async function oneLineFailures(io: CliIO, action: () => Promise<number>): Promise<number> {
  try {
    return await action();
  } catch (e) {
    if (e instanceof UsageError) throw e;
    io.err(`error: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
    return EXIT_FAILED;
  }
}

/** A size in MB with one decimal: the unit decoders are listed in. */
export const formatMB = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** A stored file's size: in MB, or "37 kB" below 0.1 MB (a small discriminator). */
export function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  return bytes >= 1e5 ? formatMB(bytes) : `${Math.round(bytes / 1e3)} kB`;
}
