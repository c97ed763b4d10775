/**
 * Gram-matrix optimisation (Gatys, Ecker & Bethge 2015/2016), the global-statistics method the MGAN
 * paper compares with (Figs. 11, 12, 15): optimise an image's pixels so that the Gram matrices (the
 * channel-by-channel correlations, summed over all positions) of its VGG19 features match the
 * texture's at several layers, optionally keeping a photo's features at one deep layer.
 *
 * Everything but the loss is MDAN's: the same VGG19, the same Adam on [-1, 1] pixels, the same
 * starting image, total-variation term and post-processing (src/method/mdan/mdan.ts). Gatys et al.
 * use L-BFGS; Adam is used here so that both methods take comparable steps (docs/presets.md). VGG runs
 * with average pooling, the swap Gatys et al. made for smoother gradients.
 */
import * as tf from '@tensorflow/tfjs';
import { createAdam } from '../kernels/fused-adam';
import { contentLoss, totalVariation } from '../mdan/losses';
import { outputSize, postprocess, startingPixels } from '../mdan/mdan';
import { resizeImage } from '../image/image-tensor';
import { pausePoint } from '../../util/abort';
import { VGG19_LAYERS, vggDownsampling, type Vgg19, type VggLayer } from '../vgg/vgg19';

export interface GramOptions {
  /** Longest side of the result, px (floored to a multiple of the deepest layer's downsampling). */
  size: number;
  iterations: number;
  /** Adam learning rate on the [-1, 1] pixels (MDAN's scale). */
  lr: number;
  beta1: number;
  /** Layers whose Gram matrices are matched, each weighted 1/(their count) (Gatys et al.: relu1_1 … relu5_1). */
  styleLayers: VggLayer[];
  styleWeight: number;
  /** Weight of ½·MSE of the `contentLayer` features to the photo's (guided only). */
  contentWeight: number;
  contentLayer: VggLayer;
  /** Weight of ½·Σ squared neighbour differences of the [-1, 1] pixels (as MDAN's). */
  tvWeight: number;
  /** The texture's longest side before its Gram matrices are taken, px; 0: the result's longest side. */
  exampleSize: number;
  seed: number;
  /** Std of the starting noise of an unguided run. */
  noiseStd: number;
}

export const GATYS_STYLE_LAYERS: VggLayer[] = ['relu1_1', 'relu2_1', 'relu3_1', 'relu4_1', 'relu5_1'];

export const DEFAULT_GRAM_OPTIONS: GramOptions = {
  size: 128,
  iterations: 100,
  lr: 0.02,
  beta1: 0.5,
  styleLayers: GATYS_STYLE_LAYERS,
  styleWeight: 1e-3,
  contentWeight: 1,
  contentLayer: 'relu4_2',
  tvWeight: 1e-4,
  exampleSize: 0,
  seed: 1,
  noiseStd: 0.1,
};

/**
 * The Gram matrix of a feature map [1, H, W, C]: FᵀF / (H·W), F the map as H·W rows of C channels.
 * Dividing by the position count makes it a mean correlation, so a texture and a result of other
 * sizes compare.
 */
export function gramMatrix(features: tf.Tensor4D): tf.Tensor2D {
  const [b, h, w, c] = features.shape;
  if (b !== 1) throw new Error(`gramMatrix takes one feature map, got a batch of ${b}`);
  return tf.tidy(() => {
    const f = tf.reshape(features, [h * w, c]) as tf.Tensor2D;
    return tf.div(tf.matMul(f, f, true, false), h * w) as tf.Tensor2D;
  });
}

/** Gatys et al.'s per-layer style loss on normalised Gram matrices: ¼·mean((G − A)²). */
export function gramLoss(features: tf.Tensor4D, target: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mul(tf.mean(tf.squaredDifference(gramMatrix(features), target)), 0.25) as tf.Scalar);
}

export interface GramLosses {
  /** Weighted style term (sum over the layers). */
  style: number;
  /** Weighted content term (0 when unguided). */
  content: number;
  /** Weighted total-variation term. */
  tv: number;
}

export interface GramIteration {
  iteration: number;
  total: number;
  losses: GramLosses;
  /** The current image, post-processed, [H, W, 3] in [0, 1]; disposed after the callback. */
  preview: tf.Tensor3D;
}

export interface GramHooks {
  content?: tf.Tensor3D;
  init?: tf.Tensor3D;
  signal?: AbortSignal;
  checkpoint?: () => Promise<void>;
  onIteration?(it: GramIteration): void | Promise<void>;
}

export interface GramResult {
  /** Post-processed result [H, W, 3] in [0, 1]; the caller owns it. */
  image: tf.Tensor3D;
  losses: GramLosses[];
}

function deepest(layers: VggLayer[]): VggLayer {
  return layers.reduce((a, b) => (VGG19_LAYERS.indexOf(a) >= VGG19_LAYERS.indexOf(b) ? a : b));
}

/** The deepest layer a run with these options reads (what to load of VGG19). */
export function gramDeepestLayer(o: Pick<GramOptions, 'styleLayers' | 'contentLayer'>, guided: boolean): VggLayer {
  return deepest(guided ? [...o.styleLayers, o.contentLayer] : o.styleLayers);
}

function validate(o: GramOptions): void {
  if (!Number.isInteger(o.iterations) || o.iterations < 1) throw new Error(`iterations must be a whole number of at least 1, got ${o.iterations}`);
  if (!(o.size >= 16)) throw new Error(`size must be at least 16 px, got ${o.size}`);
  if (!(o.lr > 0)) throw new Error(`lr must be positive, got ${o.lr}`);
  if (!(o.beta1 >= 0 && o.beta1 < 1)) throw new Error(`beta1 must be in [0, 1), got ${o.beta1}`);
  if (o.styleLayers.length === 0) throw new Error('styleLayers: name at least one VGG19 layer');
  for (const l of [...o.styleLayers, o.contentLayer]) if (!VGG19_LAYERS.includes(l)) throw new Error(`unknown VGG19 layer '${l}'`);
  for (const k of ['styleWeight', 'contentWeight', 'tvWeight', 'exampleSize'] as const) {
    if (!(o[k] >= 0)) throw new Error(`${k} must be >= 0, got ${o[k]}`);
  }
}

const AVG = { pooling: 'avg' } as const;

/** The texture's Gram matrices at the style layers, at `side` px on its longest side. */
function textureGrams(vgg: GramFeatureNet, texture: tf.Tensor3D, o: GramOptions, side: number): tf.Tensor2D[] {
  return tf.tidy(() => {
    const [th, tw] = texture.shape;
    const scale = side / Math.max(th, tw);
    const factor = vggDownsampling(deepest(o.styleLayers));
    const h = Math.max(factor, Math.round(th * scale));
    const w = Math.max(factor, Math.round(tw * scale));
    const example = th === h && tw === w ? texture : resizeImage(texture, w, h);
    const feats = vgg.features(tf.expandDims(example, 0) as tf.Tensor4D, o.styleLayers, AVG);
    return o.styleLayers.map((l) => gramMatrix(feats[l]));
  });
}

/** What the Gram optimisation needs of VGG19: features with a choice of pooling. */
export type GramFeatureNet = Pick<Vgg19, 'features'>;

export async function runGram(vgg: GramFeatureNet, texture: tf.Tensor3D, options: Partial<GramOptions> = {}, hooks: GramHooks = {}): Promise<GramResult> {
  const o: GramOptions = { ...DEFAULT_GRAM_OPTIONS, ...options };
  validate(o);
  const guided = !!hooks.content;
  const multiple = Math.max(8, vggDownsampling(gramDeepestLayer(o, guided)));
  const [h, w] = outputSize(o.size, multiple, hooks.init ?? hooks.content);
  const disposables: tf.TensorContainer[] = [];
  try {
    const targets = textureGrams(vgg, texture, o, o.exampleSize > 0 ? o.exampleSize : Math.max(h, w));
    disposables.push(targets);
    const contentTarget = hooks.content
      ? tf.tidy(() => vgg.features(tf.expandDims(resizeImage(hooks.content!, w, h), 0) as tf.Tensor4D, [o.contentLayer], AVG)[o.contentLayer])
      : undefined;
    if (contentTarget) disposables.push(contentTarget);
    const pixels = startingPixels(o, hooks, h, w);
    disposables.push(pixels);
    const optimizer = createAdam(o.lr, o.beta1);
    const layers = contentTarget && !o.styleLayers.includes(o.contentLayer) ? [...o.styleLayers, o.contentLayer] : o.styleLayers;
    const history: GramLosses[] = [];
    try {
      for (let it = 0; it < o.iterations; it++) {
        await pausePoint(hooks.signal, hooks.checkpoint, 'Gram optimisation cancelled');
        const parts = tf.tidy(() => {
          let kept: tf.Scalar[] = [];
          const { grads } = tf.variableGrads(() => {
            const feats = vgg.features(tf.expandDims(pixels, 0) as tf.Tensor4D, layers, { ...AVG, input: 'signed' });
            const style = tf.mul(tf.addN(o.styleLayers.map((l, i) => gramLoss(feats[l], targets[i]))), o.styleWeight / o.styleLayers.length) as tf.Scalar;
            const content = contentTarget ? (tf.mul(contentLoss(feats[o.contentLayer], contentTarget), 0.5 * o.contentWeight) as tf.Scalar) : tf.scalar(0);
            const tv = tf.mul(totalVariation(pixels as tf.Tensor3D, 'sum'), 0.5 * o.tvWeight) as tf.Scalar;
            kept = [style, content, tv].map((x) => tf.keep(tf.clone(x)));
            return tf.addN([style, content, tv]) as tf.Scalar;
          }, [pixels]);
          optimizer.applyGradients(grads as unknown as Record<string, tf.Variable>);
          const stacked = tf.stack(kept);
          tf.dispose(kept);
          return stacked;
        });
        const [style, content, tv] = await parts.data();
        parts.dispose();
        const losses = { style, content, tv };
        history.push(losses);
        if (hooks.onIteration) {
          const preview = postprocess(pixels as tf.Tensor3D);
          try {
            await hooks.onIteration({ iteration: it + 1, total: o.iterations, losses, preview });
          } finally {
            preview.dispose();
          }
        }
        await tf.nextFrame();
      }
    } finally {
      optimizer.dispose();
    }
    return { image: postprocess(pixels as unknown as tf.Tensor3D), losses: history };
  } finally {
    tf.dispose(disposables);
  }
}
