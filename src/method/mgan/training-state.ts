/**
 * The state of an MGAN training run in memory: what the trainer hands out as a checkpoint and takes
 * back to resume. Apart from the trainer and from the checkpoint file format, which both use it.
 */
import * as tf from '@tensorflow/tfjs';

/** An optimiser slot (tfjs's own NamedTensor type is not exported from @tensorflow/tfjs). */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

/** Everything needed to continue a run: copies of all weights and optimiser slots, and the position. */
export interface MganCheckpoint {
  /** Steps completed. */
  step: number;
  generator: Record<string, tf.Tensor>;
  /** The moving average of G's weights (runs with emaDecay > 0). */
  averageGenerator?: Record<string, tf.Tensor>;
  discriminator: Record<string, tf.Tensor>;
  generatorOptimizer: NamedTensor[];
  discriminatorOptimizer: NamedTensor[];
  lossHistory: Array<Record<string, number>>;
}

export function disposeCheckpoint(c: MganCheckpoint | undefined): void {
  if (!c) return;
  tf.dispose(Object.values(c.generator));
  if (c.averageGenerator) tf.dispose(Object.values(c.averageGenerator));
  tf.dispose(Object.values(c.discriminator));
  tf.dispose(c.generatorOptimizer.map((n) => n.tensor));
  tf.dispose(c.discriminatorOptimizer.map((n) => n.tensor));
}
