/**
 * Reads small per-step results (losses, D scores) back to the CPU in batches without waiting for them
 * inside the step: on a GPU, `await t.data()` in every step empties the queue and idles the device
 * until the read lands (a stall per read). Each step's tensors are packed into one vector at once (so
 * the step's tensors can be freed); every `every` steps the packed vectors are joined and read with
 * one `data()` that nobody awaits until `settle()`. Values arrive in step order through `onValues`.
 */
import * as tf from '@tensorflow/tfjs';

interface Pending {
  key: number;
  names: string[];
  sizes: number[];
  packed: tf.Tensor1D;
}

export class DeferredReads {
  private pending: Pending[] = [];
  private inFlight: Array<Promise<void>> = [];
  private failure: unknown;

  constructor(
    /** Steps per read (1 = a read every step). */
    readonly every: number,
    private readonly onValues: (key: number, values: Record<string, Float32Array>) => void,
  ) {
    if (!(Number.isInteger(every) && every >= 1)) throw new Error(`reads must happen every whole number >= 1 of steps, got ${every}`);
  }

  /** Queues the tensors of step `key` (ownership passes here: they are disposed). */
  add(key: number, tensors: Record<string, tf.Tensor>): void {
    const names = Object.keys(tensors);
    const packed = tf.tidy(() => tf.concat(names.map((n) => tf.reshape(tensors[n], [-1]))) as tf.Tensor1D);
    this.pending.push({ key, names, sizes: names.map((n) => tensors[n].size), packed });
    tf.dispose(Object.values(tensors));
    if (this.pending.length >= this.every) this.start();
  }

  /** Starts reading everything queued (without waiting for it). */
  start(): void {
    const batch = this.pending;
    this.pending = [];
    if (!batch.length) return;
    const all = batch.length === 1 ? batch[0].packed : (tf.concat(batch.map((b) => b.packed)) as tf.Tensor1D);
    if (batch.length > 1) tf.dispose(batch.map((b) => b.packed));
    const read = all
      .data()
      .then((data) => {
        let at = 0;
        for (const b of batch) {
          const values: Record<string, Float32Array> = {};
          b.names.forEach((n, i) => {
            values[n] = Float32Array.from(data.subarray(at, at + b.sizes[i]) as Float32Array);
            at += b.sizes[i];
          });
          this.onValues(b.key, values);
        }
      })
      .catch((e: unknown) => {
        this.failure ??= e;
      })
      .finally(() => all.dispose());
    this.inFlight.push(read);
  }

  /** Reads what is queued and waits for every read; rethrows a failed read. */
  async settle(): Promise<void> {
    this.start();
    const reads = this.inFlight;
    this.inFlight = [];
    await Promise.all(reads);
    if (this.failure) throw this.failure;
  }

  /** Drops what was never read (a cancelled run). */
  dispose(): void {
    tf.dispose(this.pending.map((p) => p.packed));
    this.pending = [];
  }
}

/** Steps per read-back when a run does not say: every step on CPU backends (a read there costs nothing extra), every 10 on GPU ones. */
export function defaultReadEvery(): number {
  return ['webgpu', 'webgl'].includes(tf.getBackend()) ? 10 : 1;
}
