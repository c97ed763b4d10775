#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx, so there is no build step between a clone and a run.
import { register } from 'tsx/esm/api';

// A failure nothing caught (a bug) still ends in one line; MGAN_STUDIO_DEBUG=1 adds the stack for a report.
function lastResort(e) {
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(`error: mgan-studio failed unexpectedly (${message.split('\n')[0]}); please report it (MGAN_STUDIO_DEBUG=1 prints where it happened)\n`);
  if (process.env.MGAN_STUDIO_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  process.exit(1);
}
process.on('uncaughtException', lastResort);
process.on('unhandledRejection', lastResort);

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
