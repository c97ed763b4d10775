/**
 * The MGAN trainer (docs/method.md, "Training"): Adam (lr 0.02, beta1 0.5) on G and on the MGAN discriminator;
 * per batch one G step (pixel MSE + advWeight x hinge, or pixel-only / neural losses for Fig. 5) and one
 * D step (real = relu3_1 of the MDAN target crops, fake = relu3_1 of the output G's step computed).
 * The paper runs D first; running it second on G's own output saves a G and a VGG pass per batch and
 * is the same alternation shifted by half a step.
 * Optional auto-encoder initialisation: one pass of G learning to invert VGG (target = the photo crop).
 * Snapshots decode a fixed photo every N batches (Fig. 6). The whole state (G, D, both optimisers,
 * position) is a checkpoint the trainer can resume from; pause/cancel go through `checkpoint()`/signal.
 */
import * as tf from '@tensorflow/tfjs';
import { pickTuning, tunedOptions } from '../optimiser-tuning';
import { MganGenerator, generatorInput } from './generator';
import type { GeneratorUpsampling } from '../../formats/decoder-meta';
import { CheckpointFormatError } from './checkpoint';
import { type MganCheckpoint, type NamedTensor } from './training-state';
import { CropFeatureCache } from './crop-features';
import { MganDiscriminator } from './discriminator';
import type { MganDataset } from './dataset';
import { type MganLossKind, discriminatorLoss, generatorLoss } from './losses';
import type { Vgg19 } from '../vgg/vgg19';
import { abortError, isAbortError, pausePoint } from '../../util/abort';
import { createAdam } from '../kernels/fused-adam';
import { DeferredReads, defaultReadEvery } from '../kernels/deferred-reads';

export interface MganTrainOptions {
  epochs: number;
  batchSize: number;
  lr: number;
  beta1: number;
  advWeight: number;
  /** Weight of the output's total variation; 0 = the paper's loss exactly. */
  tvWeight: number;
  /** Keep G's upsampling phases at equal tap sums after every step (generator.constrain). */
  equalPhases: boolean;
  /**
   * Decay of an exponential moving average of G's weights (0 = off): the decoder returned (and the
   * snapshots) use the average, which cancels the step-to-step noise of Adam in G's weights.
   */
  emaDecay: number;
  loss: MganLossKind;
  /** One epoch of VGG-inverting auto-encoder training before the main loop. */
  autoencoderInit: boolean;
  /** Snapshot every N batches (0 = never). */
  snapshotEvery: number;
  /** G's upsampling when it starts from random weights (a `startFrom` generator brings its own). */
  upsampling: GeneratorUpsampling;
  seed: number;
}

/** What a training can take mid-run. */
export type MganTuning = Partial<Pick<MganTrainOptions, 'lr' | 'advWeight' | 'tvWeight'>>;

export const DEFAULT_MGAN_TRAIN_OPTIONS: MganTrainOptions = {
  epochs: 1,
  batchSize: 8,
  lr: 0.02,
  beta1: 0.5,
  advWeight: 1e-2,
  tvWeight: 0,
  emaDecay: 0,
  equalPhases: false,
  loss: 'mgan',
  autoencoderInit: false,
  snapshotEvery: 10,
  upsampling: 'deconv',
  seed: 1,
};

export interface MganStepInfo {
  /** 1-based step over the whole run (auto-encoder steps first). */
  step: number;
  totalSteps: number;
  phase: 'autoencoder' | 'train';
  epoch: number;
  /** The latest losses read back: this step's when they are read every step (lossReadEvery). */
  losses: Record<string, number>;
  /** Wall time of this step's G update and D update (0 when it had none); with deferred reads (lossReadEvery > 1 on a GPU) the time to queue them. */
  ms: { generator: number; discriminator: number };
}

export interface MganTrainHooks {
  signal?: AbortSignal;
  /** Awaited once per batch (pause / step). */
  checkpoint?: () => Promise<void>;
  /**
   * Read before each step: settings changed while the training goes on (the editor's user edited
   * them). The learning rate and the loss weights take effect from that step.
   */
  tuning?(): MganTuning | undefined;
  onStep?: (info: MganStepInfo) => void | Promise<void>;
  /** The photo decoded for snapshots (default: none). */
  snapshotPhoto?: tf.Tensor3D;
  /** Gets each snapshot [H, W, 3] (disposed after the callback). */
  onSnapshot?: (image: tf.Tensor3D, step: number) => void | Promise<void>;
  /** Steps that get a snapshot besides every `snapshotEvery`-th (Fig. 6: after 100, 300, 1000 batches). */
  snapshotAt?: readonly number[];
  /** Resume from this state (not consumed: the caller still owns it). */
  resume?: MganCheckpoint;
  /**
   * G's starting weights (copied; the caller still owns it), e.g. the VGG inverter (docs/decoders.md,
   * "The inverter"): G and its average start from it instead of random weights, with its architecture.
   * A resumed run takes its checkpoint's weights instead.
   */
  startFrom?: MganGenerator;
  /**
   * Receives a fresh checkpoint every `checkpointEvery` steps and when the run is cancelled
   * (ownership passes to the callee). Awaited: a cancelled run rejects only after the callee has
   * stored its checkpoint (so the CLI's Ctrl-C exits after the save).
   */
  onCheckpoint?: (c: MganCheckpoint) => void | Promise<void>;
  checkpointEvery?: number;
  /** Memory for the crops' constant VGG features (G's input, D's real batch); default DEFAULT_CROP_FEATURE_BYTES. */
  cropFeatureBytes?: number;
  /**
   * A time budget: once `performance.now()` passes this, the run ends after the batch in progress and
   * finishes as if its steps were done (the average's statistics re-estimated, the models returned),
   * so a run on borrowed time always leaves a decoder. Undefined = run all steps.
   */
  stopAt?: number;
  /**
   * At most this many steps in this call. 0 trains none: a resumed run's weights are returned as they
   * are (the average's statistics re-estimated, as at any end), to export what a checkpoint holds.
   */
  maxSteps?: number;
  /**
   * Read the losses back every N steps, without waiting inside a step (default: the backend's,
   * defaultReadEvery: every step on WASM/cpu, every 10 on a GPU). `onStep` then reports the latest
   * losses that arrived (the first step's at once); `lossHistory` is complete when the run returns.
   * Results do not depend on it.
   */
  lossReadEvery?: number;
}

export interface MganTrainResult {
  generator: MganGenerator;
  discriminator: MganDiscriminator;
  lossHistory: Array<Record<string, number>>;
}

function validate(o: MganTrainOptions): void {
  const int = (name: string, v: number, min: number) => {
    if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be a whole number >= ${min}, got ${v}`);
  };
  int('epochs', o.epochs, 1);
  int('batchSize', o.batchSize, 1);
  int('snapshotEvery', o.snapshotEvery, 0);
  if (!(o.lr > 0)) throw new Error(`lr must be positive, got ${o.lr}`);
  if (!(o.beta1 >= 0 && o.beta1 < 1)) throw new Error(`beta1 must be in [0, 1), got ${o.beta1}`);
  if (!(o.advWeight >= 0)) throw new Error(`advWeight must be >= 0, got ${o.advWeight}`);
  if (!(o.tvWeight >= 0)) throw new Error(`tvWeight must be >= 0, got ${o.tvWeight}`);
  if (!(o.emaDecay >= 0 && o.emaDecay < 1)) throw new Error(`emaDecay must be in [0, 1), got ${o.emaDecay}`);
}

function copyNamed(entries: Array<[string, tf.Variable]>): Record<string, tf.Tensor> {
  return Object.fromEntries(entries.map(([n, v]) => [n, tf.clone(v)]));
}

/** Copies of an optimiser's slots. getWeights returns the live slot variables plus a fresh 'iter' scalar (ours to free). */
async function optimizerState(opt: tf.Optimizer): Promise<NamedTensor[]> {
  const live = await opt.getWeights();
  const copies = live.map((w) => ({ name: w.name, tensor: tf.clone(w.tensor) }));
  tf.dispose(live.filter((w) => !(w.tensor instanceof tf.Variable)).map((w) => w.tensor));
  return copies;
}

/**
 * Adam's saved slots are [iterations, first moments..., second moments...], one moment per variable in
 * order (only iterations before its first step, or none): anything else would pair slots with the wrong variables.
 */
function checkOptimizerSlots(what: string, slots: NamedTensor[], vars: tf.Variable[]): void {
  if (slots.length <= 1) return;
  if (slots.length !== 1 + 2 * vars.length) throw new Error(`the ${what} optimiser has ${slots.length} slots, expected ${1 + 2 * vars.length}`);
  // Adam walks the gradients in the key order of a {variable name: gradient} object (tfjs names are
  // numeric ids, which JS orders numerically): the order its slots were created and are matched in.
  const adamOrder = Object.values(Object.fromEntries(vars.map((v) => [v.name, v])));
  adamOrder.forEach((v, i) => {
    for (const slot of [slots[1 + i], slots[1 + vars.length + i]]) {
      if (slot.tensor.shape.join('x') !== v.shape.join('x')) {
        throw new Error(`the ${what} optimiser slot '${slot.name}' has shape [${slot.tensor.shape}], expected [${v.shape}]`);
      }
    }
  });
}

/** Trains G (and the MGAN D) on the dataset. The caller owns the returned networks. */
/** Which batch a step trains on: the auto-encoder pass first, then `epochs` passes over the data. */
interface StepPosition {
  autoencoder: boolean;
  epoch: number;
  /** Batch index within its pass. */
  index: number;
}

/**
 * One training run's state: G, D, their optimisers, the optional moving average of G, the losses so
 * far and the position. Disposes what it made unless the run finished (then G or its average and D
 * are the caller's).
 */
class TrainingRun {
  readonly generator: MganGenerator;
  readonly discriminator: MganDiscriminator;
  readonly gOpt: tf.AdamOptimizer;
  readonly dOpt: tf.AdamOptimizer;
  average: MganGenerator | undefined;
  readonly lossHistory: Array<Record<string, number>> = [];
  /** The losses of the latest step whose values have been read back. */
  latestLosses: Record<string, number> = {};
  /** Losses on their way back to the CPU (DeferredReads). */
  readonly reads: DeferredReads;
  readonly batches: number;
  readonly aeSteps: number;
  readonly totalSteps: number;
  step = 0;
  /** Wall time of the last batch's G and D updates. */
  lastStepMs = { generator: 0, discriminator: 0 };
  private gVars: tf.Variable[] = [];
  private dVars: tf.Variable[] = [];
  /** The crops' VGG features that never change (G's input, D's real batch), kept within a budget. */
  readonly cropFeatures: CropFeatureCache;

  constructor(
    private o: MganTrainOptions,
    vgg: Vgg19,
    data: MganDataset,
    cropFeatureBytes?: number,
    readEvery = defaultReadEvery(),
    startFrom?: MganGenerator,
  ) {
    this.cropFeatures = new CropFeatureCache(vgg, data, cropFeatureBytes);
    this.generator = startFrom ? MganGenerator.fromTensors(Object.fromEntries(startFrom.namedWeights()), startFrom.architecture) : MganGenerator.create(o.seed, { upsampling: o.upsampling });
    this.discriminator = MganDiscriminator.create(o.seed);
    this.gOpt = createAdam(o.lr, o.beta1);
    this.dOpt = createAdam(o.lr, o.beta1);
    this.batches = data.batchesPerEpoch(o.batchSize);
    this.aeSteps = o.autoencoderInit ? this.batches : 0;
    this.totalSteps = this.aeSteps + o.epochs * this.batches;
    this.reads = new DeferredReads(readEvery, (index, values) => {
      const losses = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v[0]]));
      Object.assign(this.lossHistory[index], losses);
      this.latestLosses = this.lossHistory[index];
    });
  }

  /** New loss weights, and the learning rate of both optimisers, from the next step on. */
  tune(tuning: MganTuning): void {
    this.o = tunedOptions(this.o, pickTuning(tuning, ['lr', 'advWeight', 'tvWeight']), [this.gOpt, this.dOpt]);
  }

  /** The trainable variables (fixed order: Adam matches its slots by position) and the average of G. */
  prepare(): void {
    this.gVars = this.generator.trainableVariables();
    this.dVars = this.discriminator.trainableVariables();
    if (this.o.emaDecay > 0) this.average = MganGenerator.create(this.o.seed, this.generator.architecture);
  }

  /** Takes up a checkpoint's weights, optimiser slots, position and losses (the checkpoint stays the caller's). */
  async resume(c: MganCheckpoint): Promise<void> {
    try {
      if (c.step > this.totalSteps) throw new Error(`it is at step ${c.step}, past this run's ${this.totalSteps} steps`);
      this.generator.assignFrom(c.generator);
      this.discriminator.assignFrom(c.discriminator);
      if (this.average && c.averageGenerator) this.average.assignFrom(c.averageGenerator);
      checkOptimizerSlots('generator', c.generatorOptimizer, this.gVars);
      checkOptimizerSlots('discriminator', c.discriminatorOptimizer, this.dVars);
    } catch (e) {
      throw new CheckpointFormatError(`the checkpoint does not fit this model: ${(e as Error).message}`);
    }
    // setWeights makes its own variables from these (the checkpoint stays the caller's); Adam matches
    // slots to variables by position, and trainableVariables() keeps a fixed order.
    if (c.generatorOptimizer.length) await this.gOpt.setWeights(c.generatorOptimizer);
    if (c.discriminatorOptimizer.length) await this.dOpt.setWeights(c.discriminatorOptimizer);
    this.step = c.step;
    this.lossHistory.push(...c.lossHistory);
  }

  /** A fresh average (or one resumed from a checkpoint written without it) starts at G's weights. */
  startAverage(resumed: MganCheckpoint | undefined): void {
    if (this.average && !resumed?.averageGenerator) this.average.assignFrom(Object.fromEntries(this.generator.namedWeights()));
  }

  position(): StepPosition {
    const autoencoder = this.step < this.aeSteps;
    return {
      autoencoder,
      epoch: autoencoder ? 0 : Math.floor((this.step - this.aeSteps) / this.batches),
      index: autoencoder ? this.step : (this.step - this.aeSteps) % this.batches,
    };
  }

  /** One G step and (with an adversarial loss) one D step on the position's batch; returns the loss tensors (the caller's). */
  trainBatch(vgg: Vgg19, data: MganDataset, at: StepPosition): Record<string, tf.Tensor> {
    const order = data.order(this.o.seed, at.autoencoder ? -1 : at.epoch);
    const ids = data.batchCrops(order, at.index, this.o.batchSize);
    // G's target: the photo itself (auto-encoder pass) or its MDAN target; the other is not needed.
    const target = data.cropsOf(ids, at.autoencoder ? 'photos' : 'targets');
    try {
      const features = this.cropFeatures.input(ids);
      try {
        const started = performance.now();
        const { g, parts, fake } = this.generatorStep(vgg, features, target, at.autoencoder);
        const generatorDone = performance.now();
        this.lastStepMs = { generator: generatorDone - started, discriminator: 0 };
        const losses: Record<string, tf.Tensor> = { g };
        if (fake) {
          losses.d = this.discriminatorStep(ids, fake);
          this.lastStepMs.discriminator = performance.now() - generatorDone;
        }
        return { ...losses, ...parts };
      } finally {
        features.dispose();
      }
    } finally {
      target.dispose();
    }
  }

  /**
   * G's Adam step. Returns its total loss, each term of it and, for losses with an adversarial term,
   * the relu3_1 features of the output it computed (the terms and features are the caller's to dispose).
   */
  private generatorStep(
    vgg: Vgg19,
    features: tf.Tensor4D,
    target: tf.Tensor4D,
    autoencoder: boolean,
  ): { g: tf.Scalar; parts: Record<string, tf.Scalar>; fake?: tf.Tensor4D } {
    const kind: MganLossKind = autoencoder ? 'pixel' : this.o.loss;
    const parts: Record<string, tf.Scalar> = {};
    let fake: tf.Tensor4D | undefined;
    const gLoss = tf.tidy(() =>
      this.gOpt.minimize(
        () => {
          const output = this.generator.forward(features, { normalization: 'batch', training: true });
          const p = generatorLoss({
            kind,
            output,
            target,
            vgg,
            discriminator: this.discriminator,
            advWeight: this.o.advWeight,
            tvWeight: autoencoder ? 0 : this.o.tvWeight,
          });
          parts.pixel = tf.keep(tf.clone(p.pixel));
          if (p.adversarial) parts.adversarial = tf.keep(tf.clone(p.adversarial));
          if (p.neural) parts.neural = tf.keep(tf.clone(p.neural));
          if (p.tv) parts.tv = tf.keep(tf.clone(p.tv));
          if (p.fakeFeatures) fake = tf.keep(tf.clone(p.fakeFeatures));
          return p.total;
        },
        true,
        this.gVars,
      ) as tf.Scalar,
    );
    if (this.o.equalPhases) this.generator.constrain();
    return { g: gLoss, parts, fake };
  }

  /**
   * D's Adam step on the fake batch G's step just made (G's output before its update), so each batch
   * costs one G pass and one VGG pass over the output, not two of each (~35% faster). Disposes `fake`.
   */
  private discriminatorStep(crops: number[], fake: tf.Tensor4D): tf.Scalar {
    try {
      return tf.tidy(() => {
        const real = this.cropFeatures.real(crops);
        return this.dOpt.minimize(() => discriminatorLoss(this.discriminator, real, fake), true, this.dVars) as tf.Scalar;
      });
    } finally {
      fake.dispose();
    }
  }

  /**
   * Counts the step, moves the average of G towards G and queues the losses for reading (the first
   * step's are waited for, so there are always losses to report; with a read every step, each is).
   */
  async completeStep(losses: Record<string, tf.Tensor>): Promise<void> {
    this.step++;
    if (this.average) updateAverage(this.average, this.generator, Math.min(this.o.emaDecay, (1 + this.step) / (10 + this.step)));
    const first = this.lossHistory.length === 0 || this.reads.every === 1;
    this.lossHistory.push({});
    this.reads.add(this.lossHistory.length - 1, losses);
    if (first) await this.reads.settle();
  }

  /** The G the run hands out: the average of its weights when there is one. */
  get output(): MganGenerator {
    return this.average ?? this.generator;
  }

  /** Copies of everything needed to continue from here. */
  async checkpoint(): Promise<MganCheckpoint> {
    await this.reads.settle();
    return {
      step: this.step,
      generator: copyNamed(this.generator.namedWeights()),
      ...(this.average ? { averageGenerator: copyNamed(this.average.namedWeights()) } : {}),
      discriminator: copyNamed(this.discriminator.namedWeights()),
      generatorOptimizer: await optimizerState(this.gOpt),
      discriminatorOptimizer: await optimizerState(this.dOpt),
      lossHistory: [...this.lossHistory],
    };
  }

  /** The trained models (the caller's from now on); the G the average replaces is released. */
  result(): MganTrainResult {
    if (this.average) this.generator.dispose();
    return { generator: this.output, discriminator: this.discriminator, lossHistory: this.lossHistory };
  }

  dispose(finished: boolean): void {
    this.reads.dispose();
    this.gOpt.dispose();
    this.dOpt.dispose();
    this.cropFeatures.dispose();
    if (finished) return;
    this.generator.dispose();
    this.discriminator.dispose();
    this.average?.dispose();
  }
}

/** After each step: progress, a snapshot every `snapshotEvery` steps (and the last) and at `snapshotAt`, a checkpoint every `checkpointEvery`. */
async function reportStep(run: TrainingRun, at: StepPosition, vgg: Vgg19, o: MganTrainOptions, hooks: MganTrainHooks): Promise<void> {
  const { step, totalSteps } = run;
  await hooks.onStep?.({ step, totalSteps, phase: at.autoencoder ? 'autoencoder' : 'train', epoch: at.epoch, losses: { ...run.latestLosses }, ms: { ...run.lastStepMs } });
  const every = o.snapshotEvery > 0 && (step % o.snapshotEvery === 0 || step === totalSteps);
  if (hooks.snapshotPhoto && hooks.onSnapshot && (every || hooks.snapshotAt?.includes(step))) {
    const snap = snapshot(vgg, run.output, hooks.snapshotPhoto);
    try {
      await hooks.onSnapshot(snap, step);
    } finally {
      snap.dispose();
    }
  }
  if (hooks.onCheckpoint && hooks.checkpointEvery && step % hooks.checkpointEvery === 0 && step < totalSteps) {
    await hooks.onCheckpoint(await run.checkpoint());
  }
}

export async function trainMgan(
  vgg: Vgg19,
  data: MganDataset,
  options: Partial<MganTrainOptions> = {},
  hooks: MganTrainHooks = {},
): Promise<MganTrainResult> {
  const o: MganTrainOptions = { ...DEFAULT_MGAN_TRAIN_OPTIONS, ...options };
  validate(o);
  const run = new TrainingRun(o, vgg, data, hooks.cropFeatureBytes, hooks.lossReadEvery, hooks.startFrom);
  let finished = false;
  try {
    run.prepare();
    if (hooks.resume) await run.resume(hooks.resume);
    run.startAverage(hooks.resume);
    if (o.equalPhases) run.generator.constrain();
    // At least one batch per call, so a budget spent before training began still yields a trained step.
    const firstStep = run.step;
    const outOfTime = () => hooks.stopAt !== undefined && run.step > firstStep && performance.now() >= hooks.stopAt;
    const outOfSteps = () => hooks.maxSteps !== undefined && run.step - firstStep >= hooks.maxSteps;
    while (run.step < run.totalSteps && !outOfTime() && !outOfSteps()) {
      await pausePoint(hooks.signal, hooks.checkpoint, 'MGAN training cancelled');
      const tuning = hooks.tuning?.();
      if (tuning) run.tune(tuning);
      const at = run.position();
      await run.completeStep(run.trainBatch(vgg, data, at));
      await reportStep(run, at, vgg, o, hooks);
    }
    await run.reads.settle();
    if (run.average) await recalibrateStatistics(run.average, data, run.cropFeatures, o.batchSize, o.seed, hooks);
    finished = true;
    return run.result();
  } catch (e) {
    // A cancelled run leaves a checkpoint behind, so running it again continues from here.
    if (hooks.onCheckpoint && isAbortError(e) && run.step > 0) await hooks.onCheckpoint(await run.checkpoint());
    throw e;
  } finally {
    run.dispose(finished);
  }
}

/** Batches that re-estimate the averaged G's BN running statistics (0.9^48: 0.6% of the old value left). */
const RECALIBRATION_BATCHES = 48;

/**
 * The running statistics were recorded with the last step's weights; the averaged G's activations
 * differ, so its statistics are re-estimated over training batches (forward passes only, ~0.2 s per
 * batch). Without this, `fixed`-normalisation decodes of the averaged G come out washed out (measured).
 */
export async function recalibrateStatistics(
  generator: MganGenerator,
  data: MganDataset,
  cropFeatures: CropFeatureCache,
  batchSize: number,
  seed: number,
  hooks: MganTrainHooks,
  maxBatches = RECALIBRATION_BATCHES,
): Promise<void> {
  const order = data.order(seed, -2);
  const n = Math.min(data.batchesPerEpoch(batchSize), maxBatches);
  for (let i = 0; i < n; i++) {
    if (hooks.signal?.aborted) throw abortError('MGAN training cancelled');
    await hooks.checkpoint?.();
    tf.tidy(() => {
      generator.forward(cropFeatures.input(data.batchCrops(order, i, batchSize)), { normalization: 'batch', training: true });
    });
  }
}

/**
 * average <- decay * average + (1 - decay) * G for G's trainable weights; BN running statistics are
 * averages already and are copied. The decay ramps up over the first steps ((1 + t) / (10 + t), as
 * TensorFlow's ExponentialMovingAverage with num_updates), so the average is not stuck at the init.
 */
export function updateAverage(average: MganGenerator, generator: MganGenerator, decay: number): void {
  const current = new Map(generator.namedWeights());
  tf.tidy(() => {
    for (const [name, v] of average.namedWeights()) {
      const g = current.get(name)!;
      v.assign(g.trainable ? tf.add(tf.mul(v, decay), tf.mul(g, 1 - decay)) : g);
    }
  });
}

/** G's current decode of a photo (batch statistics, as while training), floored to a multiple of 8. */
export function snapshot(vgg: Vgg19, generator: MganGenerator, photo: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const [h, w] = photo.shape;
    const h8 = Math.max(8, Math.floor(h / 8) * 8);
    const w8 = Math.max(8, Math.floor(w / 8) * 8);
    const x = h8 === h && w8 === w ? photo : tf.image.resizeBilinear(photo, [h8, w8], true);
    const f = generatorInput(vgg, tf.expandDims(x, 0) as tf.Tensor4D);
    return tf.squeeze(generator.forward(f, { normalization: 'batch' }), [0]) as tf.Tensor3D;
  });
}
