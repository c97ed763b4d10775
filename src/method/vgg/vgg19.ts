/**
 * VGG19 (Simonyan & Zisserman), convolution layers only, as a fixed feature extractor.
 * Computes only as deep as the deepest layer asked for, and is differentiable w.r.t. its input
 * (MDAN optimises pixels through it). Weights come from `vgg19-weights.ts`.
 */
import * as tf from '@tensorflow/tfjs';
import type { VggConvention } from '../../formats/decoder-meta';
import { convBiasRelu } from '../kernels/conv-bias-relu';
import { VGG_INPUT, type VggInputAttrs } from '../kernels/webgpu-vgg-input';

export const VGG19_CONV_LAYERS = [
  'conv1_1', 'conv1_2',
  'conv2_1', 'conv2_2',
  'conv3_1', 'conv3_2', 'conv3_3', 'conv3_4',
  'conv4_1', 'conv4_2', 'conv4_3', 'conv4_4',
  'conv5_1', 'conv5_2', 'conv5_3', 'conv5_4',
] as const;
export type VggConvLayer = (typeof VGG19_CONV_LAYERS)[number];

/** Every ReLU output, in network order: the layers a tap may expose. */
export const VGG19_LAYERS = VGG19_CONV_LAYERS.map((c) => c.replace('conv', 'relu')) as unknown as readonly VggLayer[];
export type VggLayer = VggConvLayer extends `conv${infer S}` ? `relu${S}` : never;

/** A 2x2 max-pool stride 2 follows the last conv of blocks 1-4 (half-decode.ts reads it too). */
export const POOL_AFTER = new Set<VggConvLayer>(['conv1_2', 'conv2_2', 'conv3_4', 'conv4_4']);

/** ImageNet mean in RGB order, on the 0..255 scale. */
export const IMAGENET_MEAN_RGB = [123.68, 116.779, 103.939] as const;

export interface VggConvWeights {
  /** [3, 3, in, out], TensorFlow order. */
  kernel: tf.Tensor4D;
  bias: tf.Tensor1D;
}

export interface Vgg19Weights {
  convention: VggConvention;
  /** A prefix of VGG19_CONV_LAYERS (conv1_1 up to some layer). */
  layers: Partial<Record<VggConvLayer, VggConvWeights>>;
}

export interface VggFeatureOptions {
  /** The pixels' range: 'unit' [0, 1] (default) or 'signed' [-1, 1] (MDAN's pixels). */
  input?: 'unit' | 'signed';
  /** Append each image's mirror image (flipped left-right) to the batch; one image only. */
  mirror?: boolean;
  /**
   * 'max' (VGG's own, default) or 'avg' 2x2 pooling. Losses that push gradients back to pixels use
   * 'avg': a max-pool passes each window's gradient to one pixel of four, and a generator trained
   * through three of them learns a 4 px dot lattice (measured); Gatys et al. made the same swap.
   */
  pooling?: 'max' | 'avg';
}

export interface Vgg19 {
  convention: VggConvention;
  /** The deepest layer these weights can compute. */
  deepest: VggLayer;
  /**
   * `x`: [B, H, W, 3] RGB in [0, 1] (or [-1, 1]: options.input; preprocessing is applied inside). Returns each asked layer,
   * keyed by its name. The caller owns the returned tensors; intermediates are disposed.
   */
  features(x: tf.Tensor4D, layers: VggLayer[], options?: VggFeatureOptions): Record<string, tf.Tensor4D>;
  /** One layer's weights (the model's own: never dispose them); an error past `deepest`. */
  layerWeights(conv: VggConvLayer): VggConvWeights;
  /** Frees the weights. Models handed out by a `Vgg19Service` are shared: never dispose those. */
  dispose(): void;
}

/** Loads (and caches per process) a VGG19 deep enough for `deepest`. The returned model is shared. */
export interface Vgg19Service {
  load(deepest: VggLayer): Promise<Vgg19>;
}

/** The value on a `Features` port. */
export type FeaturesValue = { layer: VggLayer; tensor: tf.Tensor4D; convention: VggConvention };

export function isVggLayer(name: string): name is VggLayer {
  return (VGG19_LAYERS as readonly string[]).includes(name);
}

export function convLayerOf(layer: VggLayer): VggConvLayer {
  return layer.replace('relu', 'conv') as VggConvLayer;
}

/** The conv layers needed to compute `layer` (conv1_1 ... its conv). */
export function convLayersUpTo(layer: VggLayer): VggConvLayer[] {
  const last = VGG19_CONV_LAYERS.indexOf(convLayerOf(layer));
  return VGG19_CONV_LAYERS.slice(0, last + 1);
}

/** How many 2x2 pools precede `layer`: its feature map is 1/2^n of the image. */
export function vggDownsampling(layer: VggLayer): number {
  return 2 ** convLayersUpTo(layer).filter((c, i, all) => i < all.length - 1 && POOL_AFTER.has(c)).length;
}

/** [0, 1] RGB → the input the weights expect (0..255 minus the ImageNet mean, BGR for Keras caffe). */
export function preprocessForVgg(x01: tf.Tensor4D, convention: VggConvention = 'vgg19-matconvnet-rgb-mean'): tf.Tensor4D {
  return tf.tidy(() => {
    const centred = tf.sub(tf.mul(x01, 255), tf.tensor1d([...IMAGENET_MEAN_RGB])) as tf.Tensor4D;
    return convention === 'vgg19-keras-caffe-bgr-mean' ? tf.reverse(centred, -1) : centred;
  });
}

/** True when the current backend makes VGG's input in one program (`MganVggInput`, WebGPU). */
export function hasFusedVggInput(): boolean {
  return !!tf.getKernel(VGG_INPUT, tf.getBackend());
}

/**
 * What VGG's first conv takes, from pixels in `range`, with the mirror pair when asked: one program
 * where the backend has `MganVggInput` (WebGPU), else tfjs ops.
 */
export function vggInput(x: tf.Tensor4D, convention: VggConvention, options: Pick<VggFeatureOptions, 'input' | 'mirror'> = {}): tf.Tensor4D {
  const signed = options.input === 'signed';
  if (x.dtype === 'float32' && hasFusedVggInput()) {
    const attrs: VggInputAttrs = { scale: signed ? 0.5 : 1, offset: signed ? 0.5 : 0, bgr: convention === 'vgg19-keras-caffe-bgr-mean', mirror: !!options.mirror, mean: IMAGENET_MEAN_RGB };
    return tf.engine().runKernel(VGG_INPUT, { x }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
  }
  return tf.tidy(() => {
    const x01 = signed ? (tf.div(tf.add(x, 1), 2) as tf.Tensor4D) : x;
    return preprocessForVgg(options.mirror ? (tf.concat([x01, tf.reverse(x01, 2)]) as tf.Tensor4D) : x01, convention);
  });
}

export function createVgg19(weights: Vgg19Weights): Vgg19 {
  const available: VggConvLayer[] = [];
  for (const conv of VGG19_CONV_LAYERS) {
    if (!weights.layers[conv]) break;
    available.push(conv);
  }
  if (available.length === 0) throw new Error('VGG19 weights hold no layers (conv1_1 is missing)');
  const deepest = available[available.length - 1].replace('conv', 'relu') as VggLayer;
  const deepestIndex = available.length - 1;
  let disposed = false;

  function features(x: tf.Tensor4D, layers: VggLayer[], options: VggFeatureOptions = {}): Record<string, tf.Tensor4D> {
    if (disposed) throw new Error('this VGG19 model was disposed');
    if (x.rank !== 4 || x.shape[3] !== 3) throw new Error(`VGG19 expects [B, H, W, 3] RGB, got [${x.shape.join(', ')}]`);
    if (layers.length === 0) return {};
    let last = -1;
    for (const layer of layers) {
      if (!isVggLayer(layer)) throw new Error(`'${layer}' is not a VGG19 layer (relu1_1 ... relu5_4)`);
      const index = VGG19_CONV_LAYERS.indexOf(convLayerOf(layer));
      if (index > deepestIndex) throw new Error(`${layer} is deeper than the loaded VGG19 weights (up to ${deepest})`);
      last = Math.max(last, index);
    }
    const wanted = new Set<string>(layers);
    // With no gradient being recorded, bias and ReLU run inside the conv (one pass over memory less per
    // layer). Under a gradient tape convBiasRelu: a gradient for the pixels only, never for the
    // filters of this fixed network (tf.fused.conv2d's gradient computes them all).
    const fused = !tf.engine().isTapeOn();
    return tf.tidy(() => {
      const out: Record<string, tf.Tensor4D> = {};
      let h = vggInput(x, weights.convention, options);
      for (let i = 0; i <= last; i++) {
        const conv = VGG19_CONV_LAYERS[i];
        const w = weights.layers[conv]!;
        h = fused
          ? tf.fused.conv2d({ x: h, filter: w.kernel, strides: 1, pad: 'same', bias: w.bias, activation: 'relu' })
          : convBiasRelu(h, w.kernel, w.bias);
        const relu = conv.replace('conv', 'relu');
        if (wanted.has(relu)) out[relu] = h;
        if (i < last && POOL_AFTER.has(conv)) h = options.pooling === 'avg' ? tf.avgPool(h, 2, 2, 'valid') : tf.maxPool(h, 2, 2, 'valid');
      }
      return out;
    });
  }

  return {
    convention: weights.convention,
    deepest,
    features,
    layerWeights(conv) {
      if (disposed) throw new Error('this VGG19 model was disposed');
      const w = available.includes(conv) ? weights.layers[conv] : undefined;
      if (!w) throw new Error(`${conv} is deeper than the loaded VGG19 weights (up to ${deepest})`);
      return w;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const conv of available) {
        weights.layers[conv]!.kernel.dispose();
        weights.layers[conv]!.bias.dispose();
      }
    },
  };
}
