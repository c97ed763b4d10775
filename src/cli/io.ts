/** Where CLI output goes: the real process streams, or strings in tests that call `main()` in-process. */
export interface CliIO {
  /** Results (tables, JSON, documents). */
  out(text: string): void;
  /** Progress, warnings and errors. */
  err(text: string): void;
  /**
   * Only on a terminal: replaces the one status line at the bottom of stderr (a progress bar); '' clears
   * it. Without it, progress is printed as plain lines.
   */
  status?(text: string): void;
}

/** The stream a terminal status line is drawn on (process.stderr, or a stand-in in tests). */
export interface StatusStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/**
 * Lines on `stream` with one status line kept below them: a line printed while a status shows first
 * clears it, then draws it again, so bars never mix with messages. Returns undefined off a terminal.
 */
export function terminalStatus(stream: StatusStream): Pick<CliIO, 'err' | 'status'> | undefined {
  if (!stream.isTTY) return undefined;
  let current = '';
  const fit = (text: string) => text.slice(0, Math.max(10, (stream.columns || 80) - 1));
  return {
    err: (text) => {
      stream.write(current ? `\r\x1b[2K${text}\n${fit(current)}` : `${text}\n`);
    },
    status: (text) => {
      if (text === current) return;
      stream.write(`\r\x1b[2K${fit(text)}`);
      current = text;
    },
  };
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

const stderrStatus = terminalStatus(process.stderr);

export const processIO: CliIO = {
  out: (text) => {
    guardClosedPipe();
    process.stdout.write(`${text}\n`);
  },
  err: stderrStatus?.err ?? ((text) => void process.stderr.write(`${text}\n`)),
  ...(stderrStatus && process.env.TERM !== 'dumb' ? { status: stderrStatus.status } : {}),
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
