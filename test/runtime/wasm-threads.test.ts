// The WASM backend on several threads in Node (threaded SIMD build, see src/platform/node/wasm-threads.ts).
// Each case runs wasm-threads-child.ts in a fresh process: the thread count is fixed when the backend starts.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

async function child(threads: number, mode: 'results' | 'cancel' | 'lost-thread' | 'exit', timeout = 540_000): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'test/runtime/wasm-threads-child.ts', String(threads), mode], { timeout, maxBuffer: 1 << 22 });
  const line = stdout.trim().split('\n').pop()!;
  return JSON.parse(line) as Record<string, unknown>;
}

function expectClose(a: number[], b: number[], what: string) {
  expect(a.length, what).toBe(b.length);
  const scale = Math.max(1e-3, ...b.map(Math.abs));
  const worst = Math.max(...a.map((v, i) => Math.abs(v - b[i])));
  expect(worst / scale, what).toBeLessThan(1e-3);
}

describe('WASM on several threads (Node)', () => {
  it('gives the same MDAN image, MGAN losses and decode on 1 and 2 threads', async () => {
    const [one, two] = [await child(1, 'results'), await child(2, 'results')];
    expect(one.threads).toBe(1);
    expect(two.threads).toBe(2);
    expectClose(two.mdan as number[], one.mdan as number[], 'MDAN image');
    expectClose(two.decoded as number[], one.decoded as number[], 'decoded image');
    const losses = (r: Record<string, unknown>) => (r.mganLosses as Array<Record<string, number>>).flatMap((l) => [l.g, l.d, l.pixel, l.adversarial]);
    expect(losses(one).every(Number.isFinite)).toBe(true);
    expectClose(losses(two), losses(one), 'MGAN losses');
  }, 600_000);

  it('leaves no tensors and no extra threads behind when MDAN and MGAN runs are cancelled', async () => {
    const r = await child(2, 'cancel');
    expect(r.threads).toBe(2);
    expect(r.outcomes).toEqual(['AbortError', 'AbortError']);
    expect(r.tensorsAfter).toBe(r.tensorsBefore);
    expect(r.threadsBefore).toBeGreaterThan(0);
    expect(r.threadsAfter).toBe(r.threadsBefore);
  }, 600_000);

  it('lets the process end by itself when its work is done (the pool threads do not hold it open)', async () => {
    // Without an exit of its own the child would be killed at the timeout, and execFile would reject.
    const r = await child(2, 'exit', 240_000);
    expect(r.threads).toBe(2);
    // Ones through a 3x3 'same' conv: per axis 30 positions see 3 taps and 2 see 2, so 94 x 94 taps, x 16 x 16 channels.
    expect(r.sum).toBe(94 * 94 * 16 * 16);
  }, 300_000);

  it('fails the next node with a clear message when a compute thread dies, instead of waiting on it', async () => {
    const r = await child(2, 'lost-thread');
    expect(r.state).toBe('error');
    expect(r.error).toMatch(/^a WASM compute thread stopped \(exit code \d+\): the backend cannot compute any more; save the graph and restart \(CLI\) or reload the page$/);
  }, 600_000);
});
