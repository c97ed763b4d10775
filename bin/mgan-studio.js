#!/usr/bin/env node
// The installed package runs the CLI built to JavaScript (dist-cli/, made by `prepack`); a clone,
// which has the TypeScript sources, runs them through tsx, so there is no build step between an edit and a run.
import { existsSync } from 'node:fs';

// A failure nothing caught (a bug) still ends in one line; MGAN_STUDIO_DEBUG=1 adds the stack for a report.
function lastResort(e) {
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(`error: mgan-studio failed unexpectedly (${message.split('\n')[0]}); please report it (MGAN_STUDIO_DEBUG=1 prints where it happened)\n`);
  if (process.env.MGAN_STUDIO_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  process.exit(1);
}
process.on('uncaughtException', lastResort);
process.on('unhandledRejection', lastResort);

const sources = new URL('../src/cli/main.ts', import.meta.url);
let main;
if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(sources.href));
} else {
  ({ main } = await import('../dist-cli/main.js'));
}
process.exitCode = await main(process.argv.slice(2));
