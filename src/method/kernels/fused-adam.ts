/**
 * tf.train.adam with each variable's update as one kernel where the backend has one (`MganAdam`,
 * WebGPU: webgpu-adam.ts); elsewhere (WASM, cpu, WebGL) tfjs's own update runs unchanged, so those
 * backends keep their results. Slots, saved weights and checkpoints are tfjs's AdamOptimizer's.
 */
import * as tf from '@tensorflow/tfjs';
import { ADAM_KERNEL, type AdamAttrs } from './webgpu-adam';

/** tfjs's private fields this class shares with its base. */
interface AdamSlots {
  accumulatedFirstMoment: Array<{ originalName: string; variable: tf.Variable } | undefined>;
  accumulatedSecondMoment: Array<{ originalName: string; variable: tf.Variable } | undefined>;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
}

export class FusedAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer['applyGradients']>[0]): void {
    if (!tf.getKernel(ADAM_KERNEL, tf.getBackend())) {
      super.applyGradients(variableGradients);
      return;
    }
    const slots = this as unknown as AdamSlots;
    const list: Array<{ name: string; tensor: tf.Tensor | null }> = Array.isArray(variableGradients) ? variableGradients : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    // beta^t in f32 as tfjs's accumulators hold it (t = the step being taken, 1-based).
    const t = this.iterations + 1;
    const correction1 = Math.fround(1 - Math.fround(this.beta1 ** t));
    const correction2 = Math.fround(1 - Math.fround(this.beta2 ** t));
    tf.tidy(() => {
      list.forEach(({ name, tensor: gradient }, i) => {
        if (gradient == null) return;
        const value = tf.engine().registeredVariables[name];
        const m = slots.accumulatedFirstMoment[i];
        const v = slots.accumulatedSecondMoment[i];
        const first = !m || !v;
        const attrs: AdamAttrs = { lr: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, correction1, correction2, first };
        const inputs = first ? { param: value, gradient } : { param: value, gradient, m: m.variable, v: v.variable };
        const [param, m1, v1] = tf.engine().runKernel(ADAM_KERNEL, inputs as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as unknown as tf.Tensor[];
        value.assign(param);
        if (first) {
          slots.accumulatedFirstMoment[i] = { originalName: `${name}/m`, variable: tf.variable(m1, false) };
          slots.accumulatedSecondMoment[i] = { originalName: `${name}/v`, variable: tf.variable(v1, false) };
        } else {
          m.variable.assign(m1);
          v.variable.assign(v1);
        }
      });
    });
    this.incrementIterations();
  }
}

/** Adam as the trainers use it (beta2 0.999, the backend's epsilon). */
export function createAdam(lr: number, beta1: number): FusedAdamOptimizer {
  return new FusedAdamOptimizer(lr, beta1, 0.999);
}
