/**
 * MDAN (docs/method.md): optimise the pixels of one image so that a discriminator D, trained on the fly,
 * calls its neural patches (windows of a VGG19 layer) real; optionally stay close to a guide photo
 * in relu5_1, and stay smooth (total variation).
 *
 * Each iteration: one Adam step on D (real patches sampled from the augmented example, as many as the
 * image has, vs the image's patches), then one Adam step on the pixels (hinge y = +1 on the image's
 * own patches + contentWeight·½·MSE(contentLayer) + tvWeight·½·Σ squared neighbour differences of the
 * [-1, 1] pixels; docs/mdan.md gives the units). D's fake batch is the patch batch
 * the previous pixel step computed (the image one Adam step earlier): this saves a whole VGG forward
 * pass per iteration, which is most of the cost on a CPU.
 */
import { createAdam } from '../kernels/fused-adam';
import { DeferredReads, defaultReadEvery } from '../kernels/deferred-reads';
import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '../noise/noise';
import { DEFAULT_FLIPS, augmentExample } from '../image/augment';
import { contentLoss, discriminatorHinge, hingeLoss, totalVariation } from './losses';
import { createMdanDiscriminator, MdanDiscriminator, type MdanDiscriminatorConfig } from './discriminator';
import { extractPatches, patchGrid, patchSource, samplePatches, type PatchGrid, type PatchSource } from './patches';
import { pausePoint } from '../../util/abort';
import { resizeImage } from '../image/image-tensor';
import { type VggFeatureOptions, hasFusedVggInput } from '../vgg/vgg19';
import { POSTPROCESS } from '../kernels/webgpu-postprocess';

/**
 * What MDAN needs of VGG19 (`Vgg19` satisfies it): features of RGB images in [0, 1],
 * [B, H, W, 3], at the named relu layers.
 */
export interface FeatureNet {
  features(x: tf.Tensor4D, layers: string[], options?: Pick<VggFeatureOptions, 'input' | 'mirror'>): Record<string, tf.Tensor4D>;
}

export interface MdanOptions {
  /** Longest side of the synthesised image, px (floored to a multiple of 8, or 16 with relu5_1 guidance). */
  size: number;
  iterations: number;
  /** Adam learning rate, the same for D and the pixels (pixels live in [-1, 1], the authors' scale). */
  lr: number;
  beta1: number;
  /** Weight of 0.5·MSE between the image's and the photo's `contentLayer` features (guided only). */
  contentWeight: number;
  /**
   * Weight of the smoothness term tvWeight · ½ Σ (neighbour differences)² over every pixel and
   * channel of the [-1, 1] image: the authors' form, so the paper's 1e-4 means what it means there.
   */
  tvWeight: number;
  /** The VGG layer D sees. */
  layer: string;
  patchSize: number;
  patchStride: number;
  contentLayer: string;
  seed: number;
  /**
   * The example's longest side before augmentation, px. 0 (default): the result's longest side, so
   * the texture's strokes keep the same size relative to the result at any `size` (the authors
   * synthesise at 384 px from a 384 px example); see autoExampleSide for small results.
   */
  exampleSize: number;
  /** Std of the Gaussian noise an unguided run starts from (pixels in [-1, 1] around mid-grey). */
  noiseStd: number;
  /** Config of the fresh D made when no discriminator is passed in. */
  discriminator?: Partial<MdanDiscriminatorConfig>;
}

export const DEFAULT_MDAN_OPTIONS: MdanOptions = {
  size: 128,
  iterations: 100,
  lr: 0.02,
  beta1: 0.5,
  contentWeight: 2.5e-4,
  tvWeight: 1e-4,
  layer: 'relu3_1',
  patchSize: 8,
  patchStride: 4,
  contentLayer: 'relu5_1',
  seed: 1,
  exampleSize: 0,
  noiseStd: 0.1,
};

export interface MdanLosses {
  /** D's hinge loss, real + fake. */
  d: number;
  /** The image's hinge loss (its patches labelled real). */
  image: number;
  /** Weighted content term (0 when unguided). */
  content: number;
  /** Weighted total-variation term. */
  tv: number;
}

/** D's score of each of the image's patches, row-major on the patch grid (a heatmap). */
export interface PatchScoreGrid {
  rows: number;
  cols: number;
  values: number[];
}

export interface MdanIteration {
  /** 1-based. */
  iteration: number;
  total: number;
  losses: MdanLosses;
  /** The current image, post-processed, [H, W, 3] in [0, 1]. Disposed after the callback returns. */
  preview: tf.Tensor3D;
  patchScores: PatchScoreGrid;
}

export interface MdanHooks {
  /** Guide photo (guided synthesis). Resized to the output size; a warning if its aspect differs. */
  content?: tf.Tensor3D;
  /** Starting image; default: the content photo, or noise. Sets the output aspect ratio. */
  init?: tf.Tensor3D;
  /** A trained D to start from; it is cloned, never changed. */
  discriminator?: MdanDiscriminator;
  /** Example features shared by runs on several photos (the caller owns and disposes the cache). */
  examples?: MdanExampleCache;
  signal?: AbortSignal;
  /** Awaited once per iteration (pause / step). */
  checkpoint?: () => Promise<void>;
  /**
   * Read losses and D's patch scores back every N iterations without waiting inside one (default:
   * defaultReadEvery, every iteration on WASM/cpu, every 10 on a GPU). `onIteration` then gets the
   * latest that arrived (the first iteration's at once); the result's `losses` are complete. Results
   * do not depend on it.
   */
  readEvery?: number;
  onIteration?(it: MdanIteration): void | Promise<void>;
  onWarning?(message: string): void;
  /**
   * Read before each iteration: settings changed while the run goes on (the editor's user moved a
   * slider). The learning rate and the loss weights take effect from that iteration.
   */
  tuning?(): MdanTuning | undefined;
}

/** What an MDAN run can take mid-run. */
export type MdanTuning = Partial<Pick<MdanOptions, 'lr' | 'contentWeight' | 'tvWeight'>>;

/** Applies a tuning to a running MDAN's state: new loss weights, and the learning rate of both optimisers. */
function applyTuning(state: MdanState, tuning: MdanTuning): void {
  const next = { ...state.o };
  if (tuning.lr !== undefined && tuning.lr > 0) next.lr = tuning.lr;
  if (tuning.contentWeight !== undefined && tuning.contentWeight >= 0) next.contentWeight = tuning.contentWeight;
  if (tuning.tvWeight !== undefined && tuning.tvWeight >= 0) next.tvWeight = tuning.tvWeight;
  if (next.lr !== state.o.lr) {
    // tfjs's Adam reads its learning rate at every step.
    for (const optimizer of [state.dOptimizer, state.pixelOptimizer]) (optimizer as unknown as { learningRate: number }).learningRate = next.lr;
  }
  state.o = next;
}

export interface MdanResult {
  /** Post-processed result [H, W, 3] in [0, 1]; the caller owns it. */
  image: tf.Tensor3D;
  /** The trained D (a new object; the caller owns it). */
  discriminator: MdanDiscriminator;
  /** One entry per iteration. */
  losses: MdanLosses[];
}

/** Downsampling factor of a VGG reluN_M layer: 2^(N-1). */
export function layerStride(layer: string): number {
  const m = /^relu([1-5])_[1-4]$/.exec(layer);
  if (!m) throw new Error(`unknown VGG19 layer '${layer}' (expected reluN_M, e.g. relu3_1)`);
  return 2 ** (Number(m[1]) - 1);
}

/** A small seeded PRNG (mulberry32) for patch sampling, so runs are reproducible; seed 0 is remapped so it still mixes. */
export function seededRandom(seed: number): () => number {
  return mulberry32(seed >>> 0 || 0x9e3779b9);
}

/**
 * Output post-processing (authors' code): subtract the mean, clip to ±2 std, min-max to [0, 1]. Two
 * programs where the backend has `MganPostprocess` (WebGPU), else tfjs ops.
 */
export function postprocess(image: tf.Tensor3D): tf.Tensor3D {
  if (image.dtype === 'float32' && tf.getKernel(POSTPROCESS, tf.getBackend())) return tf.engine().runKernel(POSTPROCESS, { x: image }, {}) as tf.Tensor3D;
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(image);
    const std = tf.sqrt(variance);
    const clipped = tf.minimum(tf.maximum(tf.sub(image, mean), tf.mul(std, -2)), tf.mul(std, 2));
    const lo = tf.min(clipped);
    const range = tf.maximum(tf.sub(tf.max(clipped), lo), 1e-8);
    return tf.div(tf.sub(clipped, lo), range) as tf.Tensor3D;
  });
}

function validateOptions(o: MdanOptions): void {
  if (!Number.isInteger(o.iterations) || o.iterations <= 0) {
    throw new Error(`iterations must be a whole number of at least 1, got ${o.iterations}`);
  }
  if (!(o.size >= 16)) throw new Error(`size must be at least 16 px, got ${o.size}`);
  if (!(o.lr > 0)) throw new Error(`lr must be positive, got ${o.lr}`);
  if (!(o.beta1 >= 0 && o.beta1 < 1)) throw new Error(`beta1 must be in [0, 1), got ${o.beta1}`);
  if (!(o.contentWeight >= 0)) throw new Error(`contentWeight must be >= 0, got ${o.contentWeight}`);
  if (!(o.tvWeight >= 0)) throw new Error(`tvWeight must be >= 0, got ${o.tvWeight}`);
  if (!(o.exampleSize >= 0)) throw new Error(`exampleSize must be >= 0 (0: the result's size), got ${o.exampleSize}`);
  if (!Number.isInteger(o.patchSize) || o.patchSize < 1) throw new Error(`patchSize must be a positive integer, got ${o.patchSize}`);
  if (!Number.isInteger(o.patchStride) || o.patchStride < 1) throw new Error(`patchStride must be a positive integer, got ${o.patchStride}`);
  layerStride(o.layer);
  layerStride(o.contentLayer);
}

/**
 * The result is too small for one patch on D's layer. The message says what was too small; the node
 * running MDAN names its own setting (`size`, or the trainer's `mdanSize`) with `minimumSize`.
 */
/** The largest result side the MDAN node allows (its `size` param's maximum). */
export const MAX_MDAN_SIZE = 2048;

export class MdanTooSmallError extends Error {
  constructor(
    message: string,
    /** The smallest `size` that fits one patch at this aspect ratio (undefined: none up to `limit`). */
    readonly minimumSize: number | undefined,
  ) {
    super(message);
    this.name = 'MdanTooSmallError';
  }

  /** The message with what to change, naming the caller's setting for the size (at most `max`). */
  advice(setting: string, max: number): string {
    return this.minimumSize !== undefined && this.minimumSize <= max
      ? `${this.message}: raise ${setting} to at least ${this.minimumSize}, or lower patchSize`
      : `${this.message}: no ${setting} up to ${max} fits this aspect ratio; lower patchSize or use a shallower layer`;
  }
}

/** The smallest size from `size` up to `limit` whose result holds one `footprint`-pixel patch. */
function smallestSizeThatFits(size: number, multiple: number, footprint: number, limit: number, reference?: tf.Tensor3D): number | undefined {
  for (let s = size; s <= limit; s++) {
    const [h, w] = outputSize(s, multiple, reference);
    if (Math.min(h, w) >= footprint) return s;
  }
  return undefined;
}

/** Output height and width: the reference's aspect ratio (or square), floored to a multiple of `multiple`. */
export function outputSize(size: number, multiple: number, reference?: tf.Tensor3D): [number, number] {
  let h = size;
  let w = size;
  if (reference) {
    const [rh, rw] = reference.shape;
    if (rh >= rw) w = (size * rw) / rh;
    else h = (size * rh) / rw;
  }
  const floorTo = (v: number) => Math.max(multiple, Math.floor(v / multiple) * multiple);
  return [floorTo(h), floorTo(w)];
}

function resizeTo(image: tf.Tensor3D, h: number, w: number): tf.Tensor3D {
  if (image.shape[0] === h && image.shape[1] === w) return tf.clone(image);
  return resizeImage(image, w, h);
}

function aspectDiffers(a: tf.Tensor3D, h: number, w: number): boolean {
  return Math.abs(a.shape[1] / a.shape[0] - w / h) > 0.02 * (w / h);
}

/**
 * The example's longest side when exampleSize is 0: the result's longest side, but never so small
 * that the example's shorter side is under two patch footprints (rotation crops and the 1/1.1 scale
 * take about a third off it, and every variant must still hold a patch).
 */
export function autoExampleSide(texture: tf.Tensor3D, h: number, w: number, o: Pick<MdanOptions, 'layer' | 'patchSize'>): number {
  const [th, tw] = texture.shape;
  const footprint = o.patchSize * layerStride(o.layer);
  return Math.max(h, w, Math.ceil((2 * footprint * Math.max(th, tw)) / Math.min(th, tw)));
}

/**
 * The example's constant part of MDAN runs with one texture and one set of options (MGAN's MDAN
 * targets, one run per photo): its 18 variants' VGG features at `layer` and where the patches sit in
 * them (a PatchSource), made once per example side (photos of another size resolve exampleSize 0 to another side)
 * and handed to each run through `MdanHooks.examples`. One cache serves one network; the owner
 * disposes it after the runs.
 */
export class MdanExampleCache {
  private readonly entries = new Map<string, PatchSource>();
  private network: FeatureNet | undefined;

  /** The example's patches for one run (owned by the cache). */
  features(vgg: FeatureNet, texture: tf.Tensor3D, o: MdanOptions, exampleSide: number): PatchSource {
    this.network ??= vgg;
    if (this.network !== vgg) throw new Error('an MDAN example cache serves runs on one network; make one per network');
    const key = JSON.stringify({ texture: texture.id, layer: o.layer, patchSize: o.patchSize, patchStride: o.patchStride, exampleSide });
    let entry = this.entries.get(key);
    if (!entry) {
      entry = exampleFeatureMaps(vgg, texture, o, exampleSide);
      this.entries.set(key, entry);
    }
    return entry;
  }

  dispose(): void {
    for (const e of this.entries.values()) e.cells.dispose();
    this.entries.clear();
  }
}

/**
 * VGG features of the example's 18 variants at `layer`, dropping any variant too small for one patch,
 * as one PatchSource.
 */
function exampleFeatureMaps(vgg: FeatureNet, texture: tf.Tensor3D, o: MdanOptions, exampleSide: number): PatchSource {
  const footprint = o.patchSize * layerStride(o.layer);
  const [th, tw] = texture.shape;
  if (Math.min(th, tw) < footprint) {
    throw new Error(
      `the texture is ${tw}×${th} px, smaller than one ${o.patchSize}×${o.patchSize} patch on ${o.layer} (${footprint}×${footprint} px): use a larger texture or a smaller patchSize`,
    );
  }
  // Where VGG's input is one GPU program (WebGPU), the flips come from it (options.mirror): each
  // unflipped variant and its mirror image pass as one batch of two, in augmentExample's order (flip
  // false, then true). Elsewhere one pass per variant: WASM's convs round a batch of two differently.
  const flips = hasFusedVggInput() && DEFAULT_FLIPS.length === 2 && !DEFAULT_FLIPS[0] && DEFAULT_FLIPS[1];
  const variants = augmentExample(texture, { maxSide: exampleSide, flips: flips ? [false] : DEFAULT_FLIPS });
  const maps: tf.Tensor4D[] = [];
  try {
    for (const v of variants) {
      const map = tf.tidy(() => vgg.features(tf.expandDims(v.image, 0) as tf.Tensor4D, [o.layer], { mirror: flips })[o.layer]);
      const [, h, w] = map.shape;
      if (h < o.patchSize || w < o.patchSize) {
        map.dispose();
        continue;
      }
      maps.push(map);
    }
  } finally {
    for (const v of variants) v.image.dispose();
  }
  if (maps.length === 0) {
    throw new Error(
      `the texture, resized to ${exampleSide} px on its longest side (exampleSize), is smaller than one ${o.patchSize}×${o.patchSize} patch on ${o.layer}: raise exampleSize or lower patchSize`,
    );
  }
  try {
    return patchSource(maps, o.patchSize, o.patchStride);
  } finally {
    tf.dispose(maps);
  }
}

/**
 * The output's height and width (and its patch grid on `layer`) for these options and hooks; checks
 * that a given D scores patches of the right size and warns when the photo's aspect differs.
 */
function outputShape(o: MdanOptions, hooks: MdanHooks): { h: number; w: number; imageGrid: PatchGrid } {
  const guided = !!hooks.content;
  const multiple = Math.max(8, layerStride(o.layer), guided ? Math.max(16, layerStride(o.contentLayer)) : 1);
  const [h, w] = outputSize(o.size, multiple, hooks.init ?? hooks.content);
  const footprint = o.patchSize * layerStride(o.layer);
  if (Math.min(h, w) < footprint) {
    throw new MdanTooSmallError(
      `size ${o.size} gives a ${w}×${h} px result${hooks.init ?? hooks.content ? ' (the aspect ratio of init, else content)' : ''}, too small for one ${o.patchSize}×${o.patchSize} patch on ${o.layer} (${footprint}×${footprint} px)`,
      smallestSizeThatFits(o.size, multiple, footprint, MAX_MDAN_SIZE, hooks.init ?? hooks.content),
    );
  }
  const imageGrid = patchGrid(h / layerStride(o.layer), w / layerStride(o.layer), o.patchSize, o.patchStride);
  if (hooks.discriminator && hooks.discriminator.patchSize !== o.patchSize) {
    throw new Error(
      `the discriminator scores ${hooks.discriminator.patchSize}×${hooks.discriminator.patchSize} patches but patchSize is ${o.patchSize}: make them equal`,
    );
  }
  // The output takes init's aspect ratio, else the photo's: a photo can only disagree with init.
  if (hooks.content && hooks.init && aspectDiffers(hooks.content, hooks.init.shape[0], hooks.init.shape[1])) {
    hooks.onWarning?.(
      `content image ${hooks.content.shape[1]}×${hooks.content.shape[0]} has another aspect ratio than the output; resized to ${w}×${h}`,
    );
  }
  return { h, w, imageGrid };
}

/** The image to optimise: init, else the photo, else noise (the Gram optimiser starts the same way). */
export function startingPixels(o: Pick<MdanOptions, 'noiseStd' | 'seed'>, hooks: Pick<MdanHooks, 'init' | 'content'>, h: number, w: number): tf.Variable {
  // Pixels live in [-1, 1] (the authors' scale, so lr 0.02 means what it means in their code).
  const start = tf.tidy(() => {
    const source = hooks.init ?? hooks.content;
    if (source) return tf.sub(tf.mul(resizeTo(source, h, w), 2), 1) as tf.Tensor3D;
    return tf.randomNormal([h, w, 3], 0, o.noiseStd, 'float32', o.seed) as tf.Tensor3D;
  });
  const pixels = tf.variable(start, true);
  start.dispose();
  return pixels;
}

/** The pixels' features: a batch of one image in [-1, 1] (VGG maps it to [0, 1] inside, in its input program). */
function pixelFeatures(vgg: FeatureNet, pixels: tf.Tensor, layers: string[]): Record<string, tf.Tensor4D> {
  return vgg.features(tf.expandDims(pixels, 0) as tf.Tensor4D, layers, { input: 'signed' });
}

/** The guide photo's features at `contentLayer`, at the output size (guided runs only). */
function contentFeatures(vgg: FeatureNet, content: tf.Tensor3D | undefined, o: MdanOptions, h: number, w: number): tf.Tensor4D | undefined {
  if (!content) return undefined;
  return tf.tidy(() => {
    const photo = resizeTo(content, h, w);
    return vgg.features(tf.expandDims(photo, 0) as tf.Tensor4D, [o.contentLayer])[o.contentLayer];
  });
}

/** What the iterations of one run share. */
interface MdanState {
  vgg: FeatureNet;
  o: MdanOptions;
  pixels: tf.Variable;
  discriminator: MdanDiscriminator;
  dOptimizer: tf.Optimizer;
  pixelOptimizer: tf.Optimizer;
  contentTarget: tf.Tensor4D | undefined;
  /** The VGG layers the pixel step reads: `layer`, and `contentLayer` when guided. */
  layers: string[];
}

/** The image's patches at `layer`, as D scores them. */
function imagePatches(s: MdanState): tf.Tensor4D {
  const { vgg, o, pixels } = s;
  return tf.tidy(() =>
    extractPatches(pixelFeatures(vgg, pixels, [o.layer])[o.layer], o.patchSize, o.patchStride),
  );
}

/** One Adam step on D: the example's patches real, the image's fake. Returns D's loss (the caller's). */
function discriminatorStep(s: MdanState, realBatch: tf.Tensor4D, fake: tf.Tensor4D): tf.Scalar {
  const { discriminator, dOptimizer } = s;
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(
      () => discriminatorHinge(discriminator.scores(realBatch), discriminator.scores(fake)),
      discriminator.variables(),
    );
    dOptimizer.applyGradients(grads as tf.NamedTensorMap as unknown as Record<string, tf.Variable>);
    return value;
  });
}

/** What a pixel step hands back for the next D step and the progress report (the caller's to dispose). */
interface PixelStep {
  patches: tf.Tensor4D;
  scores: tf.Tensor1D;
  texture: tf.Scalar;
  content: tf.Scalar;
  tv: tf.Scalar;
}

/** One Adam step on the pixels: D's hinge on the image's patches + content + TV. */
function pixelStep(s: MdanState): PixelStep {
  const { vgg, o, pixels, discriminator, pixelOptimizer, contentTarget, layers } = s;
  let kept: PixelStep | undefined;
  tf.tidy(() => {
    const { grads } = tf.variableGrads(() => {
      const feats = pixelFeatures(vgg, pixels, layers);
      const patches = extractPatches(feats[o.layer], o.patchSize, o.patchStride);
      const scores = discriminator.scores(patches);
      const texture = hingeLoss(scores, 1);
      const content = contentTarget
        ? contentLoss(feats[o.contentLayer], contentTarget, 0.5 * o.contentWeight)
        : tf.scalar(0);
      const tv = totalVariation(pixels as tf.Tensor3D, 'sum', 0.5 * o.tvWeight);
      kept = {
        patches: tf.keep(tf.clone(patches)),
        scores: tf.keep(tf.clone(scores)),
        texture: tf.keep(tf.clone(texture)),
        content: tf.keep(tf.clone(content)),
        tv: tf.keep(tf.clone(tv)),
      };
      return tf.addN([texture, content, tv]) as tf.Scalar;
    }, [pixels]);
    pixelOptimizer.applyGradients(grads as unknown as Record<string, tf.Variable>);
  });
  return kept!;
}


/** Hands the iteration to `onIteration` with a post-processed preview (disposed after). */
async function reportIteration(hooks: MdanHooks, pixels: tf.Variable, report: Omit<MdanIteration, 'preview'>): Promise<void> {
  if (!hooks.onIteration) return;
  const preview = tf.tidy(() => postprocess(pixels as tf.Tensor3D));
  try {
    await hooks.onIteration({ ...report, preview });
  } finally {
    preview.dispose();
  }
}

export async function runMdan(
  vgg: FeatureNet,
  texture: tf.Tensor3D,
  options: Partial<MdanOptions> = {},
  hooks: MdanHooks = {},
): Promise<MdanResult> {
  const o: MdanOptions = { ...DEFAULT_MDAN_OPTIONS, ...options };
  validateOptions(o);
  const { h, w, imageGrid } = outputShape(o, hooks);

  const random = seededRandom(o.seed);
  const disposables: Array<{ dispose(): void }> = [];
  const discriminator = hooks.discriminator ? hooks.discriminator.clone() : createMdanDiscriminator({ patchSize: o.patchSize, seed: o.seed, ...o.discriminator });
  let succeeded = false;
  try {
    if (discriminator.patchSize !== o.patchSize) {
      throw new Error(`the discriminator config's patchSize ${discriminator.patchSize} differs from patchSize ${o.patchSize}`);
    }
    const exampleSide = o.exampleSize > 0 ? o.exampleSize : autoExampleSide(texture, h, w, o);
    const real = hooks.examples ? hooks.examples.features(vgg, texture, o, exampleSide) : exampleFeatureMaps(vgg, texture, o, exampleSide);
    if (!hooks.examples) disposables.push(real.cells);
    discriminator.build(real.channels);

    const pixels = startingPixels(o, hooks, h, w);
    disposables.push(pixels);
    const contentTarget = contentFeatures(vgg, hooks.content, o, h, w);
    if (contentTarget) disposables.push(contentTarget);
    const layers = contentTarget && o.contentLayer !== o.layer ? [o.layer, o.contentLayer] : [o.layer];

    const dOptimizer = createAdam(o.lr, o.beta1);
    const pixelOptimizer = createAdam(o.lr, o.beta1);
    disposables.push(dOptimizer, pixelOptimizer);
    const state: MdanState = { vgg, o, pixels, discriminator, dOptimizer, pixelOptimizer, contentTarget, layers };

    // D's fake batch is the patches the previous pixel step computed (see the top of this file).
    let fake = imagePatches(state);
    const history: MdanLosses[] = [];
    // Each iteration's losses and patch scores, read back in batches (DeferredReads).
    let latest: { losses: MdanLosses; scores: number[] } = { losses: { d: NaN, image: NaN, content: NaN, tv: NaN }, scores: [] };
    const reads = new DeferredReads(hooks.readEvery ?? defaultReadEvery(), (index, v) => {
      Object.assign(history[index], { d: v.d[0], image: v.image[0], content: v.content[0], tv: v.tv[0] });
      latest = { losses: history[index], scores: Array.from(v.scores) };
    });
    try {
      for (let it = 0; it < o.iterations; it++) {
        await pausePoint(hooks.signal, hooks.checkpoint, 'MDAN run cancelled');
        const tuning = hooks.tuning?.();
        if (tuning) applyTuning(state, tuning);
        const realBatch = samplePatches(real, fake.shape[0], random);
        const dLoss = discriminatorStep(state, realBatch, fake);
        realBatch.dispose();
        const step = pixelStep(state);
        fake.dispose();
        fake = step.patches;
        history.push({ d: NaN, image: NaN, content: NaN, tv: NaN });
        reads.add(it, { d: dLoss, image: step.texture, content: step.content, tv: step.tv, scores: step.scores });
        if (it === 0 || reads.every === 1) await reads.settle();
        await reportIteration(hooks, pixels, {
          iteration: it + 1,
          total: o.iterations,
          losses: { ...latest.losses },
          patchScores: { rows: imageGrid.rows, cols: imageGrid.cols, values: latest.scores },
        });
        await tf.nextFrame();
      }
      await reads.settle();
    } finally {
      reads.dispose();
      fake.dispose();
    }
    const image = postprocess(pixels as unknown as tf.Tensor3D);
    succeeded = true;
    return { image, discriminator, losses: history };
  } finally {
    for (const d of disposables) d.dispose();
    if (!succeeded) discriminator.dispose();
  }
}
