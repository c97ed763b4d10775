// Shared by the MGAN tests: the real VGG19 (relu4_1 prefix) from the installed weights, loaded once per file.
import * as tf from '@tensorflow/tfjs';
import type { Vgg19 } from '../../src/method/vgg/vgg19';
import { loadVgg19 } from '../../src/method/vgg/vgg19-weights';
import { readTestWeightFile } from '../support/vgg19';

const vggs = new Map<string, Promise<Vgg19>>();
/** relu4_1 (the decoder's encoder) by default; relu5_1 for MDAN's guided targets. */
export function testVgg(deepest: 'relu4_1' | 'relu5_1' = 'relu4_1'): Promise<Vgg19> {
  if (!vggs.has(deepest)) vggs.set(deepest, loadVgg19(readTestWeightFile, deepest));
  return vggs.get(deepest)!;
}

/** A smooth, structured test image [h, w, 3] in [0, 1] (gradients + stripes), deterministic. */
export function testImage(h: number, w: number, phase = 0): tf.Tensor3D {
  return tf.tidy(() => {
    const y = tf.reshape(tf.linspace(0, 1, h), [h, 1, 1]);
    const x = tf.reshape(tf.linspace(0, 1, w), [1, w, 1]);
    const r = tf.add(tf.mul(y, 0.8), tf.zeros([h, w, 1]));
    const g = tf.add(tf.mul(tf.sin(tf.mul(tf.add(x, phase), 12)), 0.4), 0.5);
    const b = tf.mul(tf.add(tf.mul(tf.cos(tf.mul(tf.add(x, y), 9)), 0.5), 0.5), tf.ones([h, w, 1]));
    return tf.concat([r, tf.add(g, tf.zeros([h, w, 1])), b], 2) as tf.Tensor3D;
  });
}
