/**
 * Settings an optimiser takes while it runs (the editor's mid-run edits): MDAN's and the MGAN
 * trainer's loss weights and learning rate, applied between two steps.
 */
import type * as tf from '@tensorflow/tfjs';

/**
 * `options` with `tuning` applied: a learning rate only when positive, a weight only when not
 * negative (anything else keeps the running value). The optimisers take a changed learning rate at
 * once: tfjs's Adam reads it at every step.
 */
export function tunedOptions<O extends { lr: number }>(options: O, tuning: Partial<NoInfer<O>>, optimizers: tf.Optimizer[]): O {
  const next = { ...options };
  for (const [name, value] of Object.entries(tuning)) {
    if (typeof value !== 'number' || !(name === 'lr' ? value > 0 : value >= 0)) continue;
    (next as Record<string, unknown>)[name] = value;
  }
  if (next.lr !== options.lr) {
    for (const optimizer of optimizers) (optimizer as unknown as { learningRate: number }).learningRate = next.lr;
  }
  return next;
}

/** Only the named settings of a tuning (a message from elsewhere may carry more). */
export function pickTuning<T extends object, K extends keyof T>(tuning: T, names: readonly K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(names.filter((n) => tuning[n] !== undefined).map((n) => [n, tuning[n]])) as Partial<Pick<T, K>>;
}
