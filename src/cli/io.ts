/** Where CLI output goes: the real process streams, or strings in tests that call `main()` in-process. */
export interface CliIO {
  /** Results (tables, JSON, documents). */
  out(text: string): void;
  /** Progress, warnings and errors. */
  err(text: string): void;
}

let pipeGuarded = false;
/** `mgan-studio nodes | head` closes stdout early: stop quietly instead of crashing on EPIPE. */
function guardClosedPipe(): void {
  if (pipeGuarded) return;
  pipeGuarded = true;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

export const processIO: CliIO = {
  out: (text) => {
    guardClosedPipe();
    process.stdout.write(`${text}\n`);
  },
  err: (text) => void process.stderr.write(`${text}\n`),
};

/** Exit codes (docs/cli.md). */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_INVALID = 2;
/** Ctrl-C (128 + SIGINT), as shells expect. */
export const EXIT_INTERRUPTED = 130;

/** A user error found before anything ran: message printed as is, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
