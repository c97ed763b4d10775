/** Time left from a node's status stream (the CLI's progress lines and the editor's cards share it). */
import { describe, expect, it } from 'vitest';
import { formatDuration, TimeLeft } from '../../src/runtime/time-left';
import type { NodeStatus } from '../../src/runtime/types';

function clocked() {
  const clock = { ms: 0 };
  const tl = new TimeLeft(() => clock.ms);
  const feed = (s: Omit<NodeStatus, 'nodeId'>) => tl.update('n', { nodeId: 'n', ...s });
  return { clock, tl, feed };
}

describe('TimeLeft', () => {
  it('uses the fraction since the start when there is no iteration counter', () => {
    const { clock, feed } = clocked();
    expect(feed({ state: 'running', progress: 0 })).toBeUndefined();
    clock.ms = 10_000;
    expect(feed({ state: 'running', progress: 0.25 })).toBe(30_000);
  });

  it('does not count a pause: after a resume the pace starts again', () => {
    const { clock, tl, feed } = clocked();
    feed({ state: 'running', progress: 0 });
    for (let i = 1; i <= 4; i++) {
      clock.ms += 1000;
      feed({ state: 'running', progress: i / 10, info: { iteration: i, total: 10 } });
    }
    // Paced from iteration 1: 3 iterations in 3 s, 6 to go.
    expect(feed({ state: 'running', progress: 0.4, info: { iteration: 4, total: 10 } })).toBe(6000);
    expect(tl.msPerIteration('n')).toBe(1000);
    feed({ state: 'paused', progress: 0.4, info: { iteration: 4, total: 10 } });
    clock.ms += 600_000; // ten minutes away
    expect(feed({ state: 'running', progress: 0.4, info: { iteration: 4, total: 10 } })).toBeUndefined();
    clock.ms += 2000;
    expect(feed({ state: 'running', progress: 0.5, info: { iteration: 5, total: 10 } })).toBe(10_000);
    expect(tl.msPerIteration('n', 1)).toBe(2000);
  });

  it('forgets a node once it is done', () => {
    const { clock, tl, feed } = clocked();
    feed({ state: 'running', info: { iteration: 1, total: 5 } });
    clock.ms += 500;
    feed({ state: 'running', info: { iteration: 2, total: 5 } });
    clock.ms += 500;
    feed({ state: 'running', info: { iteration: 3, total: 5 } });
    expect(tl.msPerIteration('n')).toBe(500);
    feed({ state: 'done', ms: 1500 });
    expect(tl.msPerIteration('n')).toBeUndefined();
  });

  it('leaves a slow first timed iteration (weights loading) out of the pace it records', () => {
    const { clock, tl, feed } = clocked();
    feed({ state: 'running', info: { iteration: 1, total: 10 } });
    clock.ms += 9000; // the first timed iteration also loaded weights
    feed({ state: 'running', info: { iteration: 2, total: 10 } });
    for (const i of [3, 4]) {
      clock.ms += 1000;
      feed({ state: 'running', info: { iteration: i, total: 10 } });
    }
    expect(tl.msPerIteration('n')).toBe(1000);
    // With too few iterations left without it, the whole stretch counts.
    expect(tl.msPerIteration('n', 3)).toBe(11_000 / 3);
  });

  it('formats durations', () => {
    expect(formatDuration(2400)).toBe('2s');
    expect(formatDuration(196_000)).toBe('3m16s');
    expect(formatDuration(3_900_000)).toBe('1h05m');
  });
});
