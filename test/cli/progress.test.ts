import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { terminalStatus } from '../../src/cli/io';
import { progressBar, reportProgress } from '../../src/cli/progress';
import { requireScript } from '../support/requirements';
import type { NodeStatus } from '../../src/runtime/types';

/** One node `id` of `type` reporting to reportProgress on a fake clock; `lines` collects stderr. */
function progressHarness(id: string, type: string) {
  const status$ = new Subject<Map<string, NodeStatus>>();
  const lines: string[] = [];
  const clock = { ms: 0 };
  const doc = { schemaVersion: 1, nodes: [{ id, type, version: 1, params: {}, position: { x: 0, y: 0 } }], edges: [], meta: {} };
  const sub = reportProgress(status$, doc, { out: () => undefined, err: (t) => lines.push(t) }, { now: () => clock.ms });
  const emit = (s: Omit<NodeStatus, 'nodeId'>) => status$.next(new Map([[id, { nodeId: id, ...s }]]));
  return { lines, clock, emit, sub };
}

describe('CLI progress on stderr', () => {
  it('prints start/end lines, at most one progress line per second per long node, and each warning once', () => {
    const { lines, clock, emit, sub } = progressHarness('mdan', 'mdan-optimiser');

    emit({ state: 'running', progress: 0 });
    for (let i = 1; i <= 30; i++) {
      clock.ms += 100; // 10 iterations per second for 3 seconds
      emit({ state: 'running', progress: i / 30, info: { iteration: i, total: 30, losses: { style: 1 / i, content: 0.5 } }, warnings: ['content image resized to 64x64'] });
    }
    emit({ state: 'done', ms: 3000, cached: false });
    sub.unsubscribe();

    expect(lines[0]).toBe('running mdan (mdan-optimiser)');
    const progress = lines.filter((l) => l.includes('iteration'));
    expect(progress).toHaveLength(3);
    // 1 s for a third of the work: 2 s left.
    expect(progress[0]).toBe('  mdan (mdan-optimiser): iteration 10/30 (33%) 2s left style=0.1000 content=0.5000');
    expect(lines.filter((l) => l.startsWith('warning:'))).toEqual(['warning: mdan (mdan-optimiser): content image resized to 64x64']);
    expect(lines.at(-1)).toBe('done mdan (mdan-optimiser) in 3000 ms');
  });
});

describe('CLI time left', () => {
  it('follows the iterations, not a progress fraction that jumped over cached work', () => {
    const { lines, clock, emit, sub } = progressHarness('t', 'mgan-trainer');
    emit({ state: 'running', progress: 0 });
    // Cached targets: 30% at once; then 100 steps of 2 s each cover the remaining 70%.
    for (let i = 1; i <= 100; i++) {
      clock.ms += 2000;
      emit({ state: 'running', progress: 0.3 + (0.7 * i) / 100, info: { iteration: i, total: 100 } });
    }
    sub.unsubscribe();
    // Step 1: no pace yet, so no guess (the fraction's pace would say 5 s). Step 2 (4 s in): 98 steps at 2 s.
    expect(lines[1]).toBe('  t (mgan-trainer): iteration 1/100 (31%)');
    expect(lines[2]).toBe('  t (mgan-trainer): iteration 2/100 (31%) 3m16s left');
    expect(lines.find((l) => l.includes('iteration 51/100'))).toContain('1m38s left');
  });
});

describe('progressLine', () => {
  it('drops a message that only repeats the iteration, keeps one that says more', async () => {
    const { progressLine } = await import('../../src/cli/progress');
    const base = { nodeId: 'm', state: 'running' as const, progress: 0.5 };
    expect(progressLine('m', { ...base, info: { iteration: 2, total: 4, message: 'iteration 2/4' } })).toBe('  m: iteration 2/4 (50%)');
    expect(progressLine('m', { ...base, info: { message: 'decoding tile 3/8' } })).toBe('  m: (50%) - decoding tile 3/8');
    expect(progressLine('m', { ...base, progress: 0.25 }, 450_000)).toBe('  m: (25%) 7m30s left');
  });
});

describe('progress bar on a terminal', () => {
  it('redraws one status line in place, clears it before each message and when the node ends', () => {
    const written: string[] = [];
    const tty = terminalStatus({ isTTY: true, columns: 200, write: (t) => written.push(t) })!;
    const status$ = new Subject<Map<string, NodeStatus>>();
    const doc = { schemaVersion: 1, nodes: [{ id: 'mdan', type: 'mdan-optimiser', version: 1, params: {}, position: { x: 0, y: 0 } }], edges: [], meta: {} };
    const sub = reportProgress(status$, doc, { out: () => undefined, ...tty }, { now: () => 0 });
    const emit = (s: Omit<NodeStatus, 'nodeId'>) => status$.next(new Map([['mdan', { nodeId: 'mdan', ...s }]]));
    emit({ state: 'running', progress: 0 });
    emit({ state: 'running', progress: 0.5, info: { iteration: 3, total: 6 } });
    emit({ state: 'running', progress: 0.5, info: { iteration: 3, total: 6 }, warnings: ['slow'] });
    emit({ state: 'done', ms: 10 });
    sub.unsubscribe();
    const bar = 'mdan (mdan-optimiser) [############------------]  50% 3/6';
    expect(written).toEqual([
      'running mdan (mdan-optimiser)\n',
      `\r\x1b[2K${bar}`,
      `\r\x1b[2Kwarning: mdan (mdan-optimiser): slow\n${bar}`,
      '\r\x1b[2K',
      'done mdan (mdan-optimiser) in 10 ms\n',
    ]);
    expect(terminalStatus({ isTTY: false, write: () => undefined })).toBeUndefined();
    expect(progressBar('m', { nodeId: 'm', state: 'running', progress: 1 })).toBe(`m [${'#'.repeat(24)}] 100%`);
  });

  it('the real CLI draws the bar on a pseudo-terminal and prints plain lines into a pipe', () => {
    requireScript();
    const out = mkdtempSync(join(tmpdir(), 'tty-'));
    const bin = resolve(import.meta.dirname, '../../bin/mgan-studio.js');
    const args = ['run', 'unguided-texture', '--set', 'mdan.iterations=4', '--set', 'mdan.size=32', '--set', 'texture.maxSide=64', '-o', out];
    const quoted = [process.execPath, bin, ...args].map((a) => `'${a}'`).join(' ');
    const onTty = spawnSync('script', ['-qec', quoted, '/dev/null'], { encoding: 'utf8', timeout: 110_000 });
    expect(onTty.status).toBe(0);
    expect(onTty.stdout).toMatch(/\r\x1b\[2Kmdan \(mdan-optimiser\) \[#+-*\] +\d+% \d\/4/);
    const piped = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 110_000 });
    expect(piped.status).toBe(0);
    expect(piped.stderr).not.toContain('\x1b[');
    expect(piped.stderr).toMatch(/^done mdan \(mdan-optimiser\)/m);
  }, 240_000);
});
