/** Frames per second over a sliding window of recent frame times (milliseconds). */
export class FpsMeter {
  private readonly times: number[] = [];
  constructor(private readonly windowMs = 1000) {}

  /** Records a frame shown at `now`; returns the current rate. */
  tick(now: number): number {
    this.times.push(now);
    return this.rate(now);
  }

  /** Frames per second over the last window (0 until two frames have been seen in it). */
  rate(now: number): number {
    while (this.times.length && now - this.times[0] > this.windowMs) this.times.shift();
    if (this.times.length < 2) return 0;
    const span = this.times[this.times.length - 1] - this.times[0];
    return span > 0 ? ((this.times.length - 1) * 1000) / span : 0;
  }

  reset(): void {
    this.times.length = 0;
  }
}
