/**
 * How long the built CLI takes to answer `--help` and `--version` (it loads no command and no
 * TensorFlow.js for them), next to `node -e 0` on the same machine, and how long a command that
 * computes takes to load TensorFlow.js (`nodes`). Builds dist-cli/ first. Args: `--runs N` (default 10).
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { emit } from './lib';

const ROOT = resolve(import.meta.dirname, '..');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The child prints the CPU time it used (user + system, start-up included) as its last stderr line. */
const CPU_AT_EXIT = `process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write('\\ncpu ' + (u.user + u.system) / 1000 + '\\n'); });`;

/**
 * Median and fastest wall time of `node ...args`, and the median CPU time: on a busy machine the wall
 * times wait for cores, the CPU time much less.
 */
function timeRun(args: string[], runs: number): { ms: number; min: number; cpuMs: number } {
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(CPU_AT_EXIT)}`, ...args], { encoding: 'utf8' });
    times.push(performance.now() - started);
    if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
    cpu.push(Number(/cpu ([\d.]+)\s*$/.exec(result.stderr)?.[1]));
  }
  return { ms: median(times), min: Math.min(...times), cpuMs: median(cpu) };
}

export default async function cliStartup(args: string[]): Promise<void> {
  const at = args.indexOf('--runs');
  const runs = at >= 0 ? Number(args[at + 1]) : 10;
  const built = spawnSync(process.execPath, [join(ROOT, 'bin/build-cli.js')], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`building the CLI failed: ${built.stderr}`);
  const main = pathToFileURL(join(ROOT, 'dist-cli/main.js')).href;
  const cli = (...argv: string[]) => ['--input-type=module', '-e', `const { main } = await import(${JSON.stringify(main)}); process.exitCode = await main(${JSON.stringify(argv)});`];
  const baseline = timeRun(['-e', '0'], runs);
  emit({ bench: 'cli-startup', case: 'node -e 0', backend: 'none', ...baseline, runs });
  for (const argv of [['--version'], ['--help'], ['nodes', 'image-out']]) {
    const time = timeRun(cli(...argv), runs);
    emit({ bench: 'cli-startup', case: `mgan-studio ${argv.join(' ')}`, backend: argv[0] === 'nodes' ? 'loads tfjs' : 'none', ...time, cpuOverNodeMs: time.cpuMs - baseline.cpuMs, runs });
  }
}
