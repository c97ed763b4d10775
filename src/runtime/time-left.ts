/**
 * Time left for running nodes, from their status stream: the CLI prints it on its progress lines and
 * the editor shows it on the cards. Pure bookkeeping on a clock; nothing here touches TensorFlow.js.
 */
import type { NodeState, NodeStatus } from './types';

/** "2s", "3m16s", "1h05m". */
export function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  return h ? `${h}h${String(m).padStart(2, '0')}m` : m ? `${m}m${String(sec).padStart(2, '0')}s` : `${sec}s`;
}

/** Where a node's iteration counter started being timed: reset when its total changes, it goes back, or it resumes from a pause. */
interface IterationPace {
  total: number;
  iteration: number;
  at: number;
  last: number;
  lastAt: number;
  /** Where the second timed iteration ended: the first may hold one-time work (weights, kernels). */
  second?: { iteration: number; at: number };
}

/** Where the progress fraction started being timed (run start, or the last resume). */
interface FractionStart {
  at: number;
  progress: number;
}

export class TimeLeft {
  private readonly paces = new Map<string, IterationPace>();
  private readonly starts = new Map<string, FractionStart>();
  private readonly states = new Map<string, NodeState>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  /**
   * Feeds one status of node `id`; returns the milliseconds left while it runs, or undefined when
   * there is nothing honest to say yet.
   *
   * With an iteration counter (iteration/total) the pace of the iterations themselves is used, not
   * the overall fraction: the fraction jumps when part of the work is cached (mgan-trainer with
   * cached MDAN targets starts at 30%), and the fraction's pace then promised "30 s left" for a
   * 9-minute training. Without a counter, the fraction's pace since the run started.
   */
  update(id: string, s: NodeStatus): number | undefined {
    const t = this.now();
    const previous = this.states.get(id);
    this.states.set(id, s.state);
    if (s.state !== 'running') {
      if (s.state !== 'paused') this.forget(id);
      return undefined;
    }
    if (previous !== 'running') {
      // A fresh run, or a resume: time from here (a pause is not part of the pace).
      this.starts.set(id, { at: t, progress: previous === 'paused' ? (s.progress ?? 0) : 0 });
      this.paces.delete(id);
    }
    const iteration = s.info?.iteration;
    const total = s.info?.total;
    if (iteration !== undefined && total !== undefined) {
      const pace = this.paces.get(id);
      if (!pace || pace.total !== total || iteration < pace.last) {
        this.paces.set(id, { total, iteration, at: t, last: iteration, lastAt: t });
        return undefined;
      }
      if (iteration > pace.last) {
        pace.lastAt = t;
        if (!pace.second && pace.last === pace.iteration) pace.second = { iteration, at: t };
      }
      pace.last = iteration;
      if (iteration <= pace.iteration || iteration >= total) return undefined;
      return ((t - pace.at) / (iteration - pace.iteration)) * (total - iteration);
    }
    const start = this.starts.get(id)!;
    const p = s.progress;
    if (p === undefined || p <= start.progress || p >= 1) return undefined;
    return ((t - start.at) * (1 - p)) / (p - start.progress);
  }

  /**
   * Milliseconds per iteration over the timed stretch of the current run (read it before feeding
   * the final status), once at least `min` iterations were timed. The first timed iteration is left
   * out when `min` remain without it: a first run's one-time work (loading weights, compiling
   * kernels) would otherwise make every later estimate too long.
   */
  msPerIteration(id: string, min = 2): number | undefined {
    const pace = this.paces.get(id);
    if (!pace || pace.last - pace.iteration < min) return undefined;
    const from = pace.second && pace.last - pace.second.iteration >= min ? pace.second : { iteration: pace.iteration, at: pace.at };
    return (pace.lastAt - from.at) / (pace.last - from.iteration);
  }

  forget(id: string): void {
    this.paces.delete(id);
    this.starts.delete(id);
  }
}
