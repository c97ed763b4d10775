/**
 * Pause / step / resume / cancel for one node's run. The node awaits `checkpoint()` once per
 * iteration; the runtime holds the other side.
 */
import type { RunControl } from '../nodes/types';
import { abortError } from '../util/abort';

export class NodeRunControl implements RunControl {
  private pausedFlag: boolean;
  /** Checkpoints waiting while paused; `step()` releases one, `resume()` all. */
  private waiters: Array<{ resolve(): void; reject(e: unknown): void }> = [];
  /** Steps granted before a checkpoint was waiting for them. */
  private pendingSteps = 0;

  constructor(
    private readonly signal: AbortSignal,
    options: { paused?: boolean; onPauseChange?: (paused: boolean) => void } = {},
  ) {
    this.pausedFlag = options.paused ?? false;
    this.onPauseChange = options.onPauseChange;
    signal.addEventListener('abort', () => this.rejectAll(), { once: true });
  }

  private readonly onPauseChange?: (paused: boolean) => void;

  get paused(): boolean {
    return this.pausedFlag;
  }

  async checkpoint(): Promise<void> {
    // One macrotask per iteration (~1 ms): on WASM in Node an iteration's awaits all settle as
    // microtasks, so without it the event loop never runs during a long node, and the CLI's SIGINT
    // handler (Ctrl-C -> cancel) would only fire after the last iteration.
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    return this.gate();
  }

  private gate(): Promise<void> {
    if (this.signal.aborted) return Promise.reject(abortError());
    if (!this.pausedFlag) return Promise.resolve();
    if (this.pendingSteps > 0) {
      this.pendingSteps--;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  pause(): void {
    if (this.pausedFlag) return;
    this.pausedFlag = true;
    this.onPauseChange?.(true);
  }

  resume(): void {
    if (!this.pausedFlag) return;
    this.pausedFlag = false;
    this.pendingSteps = 0;
    const waiting = this.waiters.splice(0);
    for (const w of waiting) w.resolve();
    this.onPauseChange?.(false);
  }

  /** Lets exactly one more iteration through while paused. */
  step(): void {
    if (!this.pausedFlag) return;
    const next = this.waiters.shift();
    if (next) next.resolve();
    else this.pendingSteps++;
  }

  private rejectAll(): void {
    const waiting = this.waiters.splice(0);
    for (const w of waiting) w.reject(abortError());
  }
}
