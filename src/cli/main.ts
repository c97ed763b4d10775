/** The headless entry point: `mgan-studio <command> [args]` (bin/mgan-studio.js calls `main`). */
import { COMMANDS, type CliCommand } from './commands/index';
import { didYouMean } from './suggest';
import { moveLegacyDataOnce, packageVersion } from '../platform/node/user-data';
import { EXIT_FAILED, EXIT_INVALID, EXIT_OK, processIO, UsageError, type CliIO } from './io';

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'mgan-studio: stylise photos and videos, run MGAN Studio texture graphs headless, serve the editor',
    '',
    'usage: mgan-studio <command> [options]',
    '       mgan-studio --version',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    `  ${'help'.padEnd(width)}  this list, or \`help <command>\` for one command`,
    '',
    'exit codes: 0 ok, 1 failed while running, 2 invalid document, parameter or arguments',
  ].join('\n');
}

async function commandHelp(command: CliCommand): Promise<string> {
  const { details } = await command.load();
  return [`usage: mgan-studio ${command.usage}`, '', command.summary, ...(details ? ['', details] : [])].join('\n');
}

export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v' || name === 'version') {
    io.out(packageVersion());
    return EXIT_OK;
  }
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const topic = name === 'help' ? rest[0] : undefined;
    const command = topic ? COMMANDS.find((c) => c.name === topic) : undefined;
    if (topic && !command) {
      io.err(`unknown command '${topic}'${didYouMean(topic, COMMANDS.map((c) => c.name))}\n\n${helpText()}`);
      return EXIT_INVALID;
    }
    io.out(command ? await commandHelp(command) : helpText());
    return name === undefined ? EXIT_INVALID : EXIT_OK;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const names = [...COMMANDS.map((c) => c.name), 'help'];
    io.err(`unknown command '${name}'${didYouMean(name, names)} (commands: ${names.join(', ')})`);
    return EXIT_INVALID;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(await commandHelp(command));
    return EXIT_OK;
  }
  if (!rest.includes('--json')) return runCommand(command, rest, io);
  const json = jsonOutput(command, io);
  const exitCode = await runCommand(command, command.json ? rest : rest.filter((a) => a !== '--json'), json.io);
  json.finish(exitCode);
  return exitCode;
}

async function runCommand(command: CliCommand, args: string[], io: CliIO): Promise<number> {
  try {
    await moveLegacyDataOnce(io.err);
    const body = await command.load();
    return await body.run(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`error: ${e.message}`);
      io.err(`usage: mgan-studio ${command.usage}`);
      return EXIT_INVALID;
    }
    io.err(`error: ${describeFailure(e, command.name)}`);
    if (process.env[DEBUG_ENV]) io.err(e instanceof Error ? (e.stack ?? e.message) : String(e));
    return EXIT_FAILED;
  }
}

/** An error line: `error: ...`, `FILE: error: ...`, `not run: ...`. */
const ERROR_LINE = /^(?:[^\s]*: )?error: |^not run: /;

/**
 * `--json` on any command: stdout holds JSON only, with every error line inside it (`errors`), while
 * stderr keeps the human messages. A command that prints its own JSON (`json: true`) gets the errors
 * added to each object it prints; for the others the lines they print become `output`. Nothing
 * printed at all (a usage error): `{ command, exitCode, errors }`.
 */
function jsonOutput(command: CliCommand, io: CliIO): { io: CliIO; finish(exitCode: number): void } {
  const errors: string[] = [];
  const output: string[] = [];
  let printed = false;
  const jsonIO: CliIO = {
    err: (line) => {
      io.err(line);
      if (ERROR_LINE.test(line)) errors.push(line.replace(/^error: /, ''));
    },
    out: (line) => {
      if (!command.json) return void output.push(line);
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        value = undefined;
      }
      if (value === undefined) return void output.push(line);
      printed = true;
      const object = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
      io.out(object && errors.length && !('errors' in object) ? JSON.stringify({ ...object, errors }) : line);
    },
  };
  return {
    io: jsonIO,
    finish(exitCode) {
      if (!printed) io.out(JSON.stringify({ command: command.name, exitCode, output, errors }));
    },
  };
}

/** Set to print the stack of an unexpected failure (for bug reports; users never need it). */
export const DEBUG_ENV = 'MGAN_STUDIO_DEBUG';

/** JavaScript's own errors mean a bug here, not a mistake of the user's: say so, in one line. */
const BUG_ERRORS = [TypeError, RangeError, ReferenceError, SyntaxError];

function describeFailure(e: unknown, command: string): string {
  const message = (e instanceof Error ? e.message : String(e)).split('\n')[0];
  if (BUG_ERRORS.some((kind) => e instanceof kind)) {
    return `'${command}' failed unexpectedly (${message}); please report it (${DEBUG_ENV}=1 prints where it happened)`;
  }
  return message;
}
