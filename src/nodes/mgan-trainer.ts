/**
 * mgan-trainer: trains a feed-forward MGAN decoder (Li & Wand 2016) from a texture and a set of photos:
 * MDAN stylises each photo (cached), then G learns photo -> painting on paired augmented crops.
 * Long-running: progress with losses, snapshots of a fixed photo (Fig. 6), pause/step/cancel, and a
 * cancelled run resumes from its checkpoint when run again with the same inputs and settings.
 */
import * as tf from '@tensorflow/tfjs';
import { createMganDecoder, makeThumbnail } from '../method/mgan/decoder';
import { MganDataset, cropStarts, hashImage, mdanTargets } from '../method/mgan/dataset';
import { DEFAULT_ANGLES, DEFAULT_FLIPS, DEFAULT_SCALES } from '../method/image/augment';
import { MGAN_LOSS_KINDS } from '../method/mgan/losses';
import { type MganCheckpointStore, checkpointId } from '../method/mgan/checkpoint';
import { INVERTER_DECODER } from '../method/mgan/inverter';
import { snapshot, trainMgan } from '../method/mgan/trainer';
import { SnapshotStrip, parseBatchCounts } from './snapshot-strip';
import { type MganCheckpoint, disposeCheckpoint } from '../method/mgan/training-state';
import { MdanDiscriminator } from '../method/mdan/discriminator';
import { DEFAULT_MDAN_OPTIONS, MdanTooSmallError } from '../method/mdan/mdan';
import { imageSetCount } from './image-set';
import { GENERATOR_UPSAMPLINGS } from '../formats/decoder-meta';
import type { MganGenerator } from '../method/mgan/generator';
import { ParamError, outputWanted, type RunContext } from './types';
import { isAbortError } from '../util/abort';
import { canonicalJson } from '../util/canonical-json';
import { DECODER_FORMAT, DECODER_FORMAT_VERSION } from '../formats/decoder-meta';
import { defineNode, param } from './define-node';
import { discriminatorOverrides, type RunnerPatchSettings } from './patch-wiring';

/**
 * Checkpoints of cancelled runs kept in memory where the environment has no checkpoint store, by a key
 * of (inputs, settings); one per key, newest wins.
 */
const checkpoints = new Map<string, MganCheckpoint>();
const MAX_CHECKPOINTS = 2;

function keepCheckpoint(key: string, c: MganCheckpoint): void {
  disposeCheckpoint(checkpoints.get(key));
  checkpoints.delete(key);
  checkpoints.set(key, c);
  while (checkpoints.size > MAX_CHECKPOINTS) {
    const oldest = checkpoints.keys().next().value as string;
    disposeCheckpoint(checkpoints.get(oldest));
    checkpoints.delete(oldest);
  }
}

/** Where one run's checkpoint lives: `services.mganCheckpoints` (survives the process / page), else memory. */
interface CheckpointKeeper {
  /** Whether saving every N steps is worth it (a memory copy does not outlive a crash). */
  persistent: boolean;
  load(): Promise<MganCheckpoint | undefined>;
  /** Takes ownership of `c`. */
  save(c: MganCheckpoint): Promise<void>;
  /** Done with a checkpoint that load() returned. */
  release(c: MganCheckpoint): void;
  /** Forgets the run's checkpoint (training finished, or the checkpoint did not fit). */
  remove(): Promise<void>;
}

function checkpointKeeper(key: string, store: MganCheckpointStore | undefined, warn: (message: string) => void): CheckpointKeeper {
  if (!store) {
    return {
      persistent: false,
      load: async () => checkpoints.get(key),
      save: async (c) => keepCheckpoint(key, c),
      release: () => undefined, // the map still owns it
      remove: async () => {
        disposeCheckpoint(checkpoints.get(key));
        checkpoints.delete(key);
      },
    };
  }
  const id = checkpointId(key);
  return {
    persistent: true,
    async load() {
      try {
        return await store.get(id);
      } catch (e) {
        warn(`mgan-trainer: ignoring the saved checkpoint and starting from step 0: ${(e as Error).message}`);
        await store.delete(id).catch(() => undefined);
        return undefined;
      }
    },
    async save(c) {
      try {
        await store.set(id, c);
      } catch (e) {
        warn(`mgan-trainer: could not save the checkpoint at step ${c.step}: ${(e as Error).message}`);
      } finally {
        disposeCheckpoint(c);
      }
    },
    release: (c) => disposeCheckpoint(c),
    remove: () => store.delete(id),
  };
}

/**
 * MDAN settings of the targets that are not node params (iterations, size and content weight are):
 * as the MDAN optimiser's defaults, the example at the targets' size (the paper's ratio of strokes to
 * image) and the paper's TV.
 */
const MDAN_TARGET_SETTINGS = {
  exampleSize: DEFAULT_MDAN_OPTIONS.exampleSize,
  tvWeight: DEFAULT_MDAN_OPTIONS.tvWeight,
};


/** The largest mdanSize param. */
const MDAN_SIZE_MAX = 1024;

/** The part of the run that trains; the MDAN targets take the rest of the progress bar. */
const TRAIN_SHARE = 0.7;

export const mganTrainerNode = defineNode({
  type: 'mgan-trainer',
  version: 1,
  title: 'MGAN trainer',
  category: 'MGAN',
  long: true,
  doc: `Trains a **decoder** that stylises any photo, video frame or noise image in one forward pass: the
MGAN of Li & Wand, "Precomputed Real-Time Texture Synthesis with Markovian Generative Adversarial
Networks" (ECCV 2016). The decoder G maps VGG19 relu4_1 features back to pixels (transposed convs
512→512→256→128→3, batch norm, tanh); a discriminator on relu3_1 of G's output judges its neural
patches.

What happens:
1. **MDAN targets**: each photo is stylised once by MDAN (guided by the photo, \`mdanIterations\` at
   \`mdanSize\`), one MDAN discriminator carried from photo to photo (later photos converge faster, paper
   Fig. 10), the example at the targets' size and the MDAN default TV (the paper's 1e-4, see
   docs/mdan.md), content weight \`mdanContentWeight\` (default 2.5e-4, as the MDAN optimiser's: the
   targets take the texture's strokes and palette over the photo's layout; a much higher one keeps the
   photo's own colours, and G then learns little of the texture; about 100 iterations at 128 px are
   needed before the targets look painted). Results are cached on disk / in the browser, keyed by the photo, the texture and the MDAN
   settings: a second training with the same data skips this.
2. **Data**: photo and target get the same 18 augmentations (rotations −10/0/+10°, scales 1.1^−1/1/1.1,
   mirror); \`cropSize\` crops at \`stride\` (paper: 128 at 64, ~16k pairs from 100 photos), shuffled (seeded).
3. **Training**: per batch one Adam step on G: pixel MSE to the target + \`advWeight\` × adversarial
   hinge (+ \`tvWeight\` × total variation, 0 by default), then one on D (hinge: target crops real, the
   output G just made fake, outer ring of the score map masked). The decoder kept is a moving average of
   G's weights (\`emaDecay\`), smoother than the last step's weights.
   Fig. 6: colours come first (~100 batches), brush strokes later (~300), details after ~1000.

Progress shows \`g\` (G's total loss), \`pixel\`, \`adversarial\` and \`d\`; a snapshot of the first photo
decoded by the current G appears every \`snapshotEvery\` batches. Pause, step and cancel act at every
batch. **Checkpoints** (G, D, both optimisers, position) are saved every \`checkpointEvery\` batches and
when the run is cancelled (Ctrl-C in the CLI, the card's cancel), on disk under
\`mgan-checkpoints/\` in your data folder in Node and in IndexedDB in the browser: running again with the same inputs
and settings, even in a new process or after a page reload, continues from the last checkpoint (a
warning says at which step); a finished training deletes its checkpoint. An unreadable checkpoint is
ignored with a warning.

Inputs: **texture** (the style), **photos** (an ImageSet), **discriminator** (optional: the MDAN
discriminator the MDAN targets start from, fresh from a Discriminator node or trained by an MDAN
optimiser). The targets' patches are then the ones that D judges: its patch size, and the layer and
stride of a patch sampler wired into it (the paper's Fig. 2: VGG19 tap → patch sampler →
discriminator → trainer); the card names the node each comes from. Unwired: 8×8 patches of relu3_1
at stride 4, as the MDAN optimiser's defaults. (The adversary of G in training is the MGAN
discriminator on relu3_1, not this one.)

Parameters:
- **epochs**, **batchSize**: passes over the crops, crops per step (paper: up to 5, 64).
- **cropSize**, **stride**: training crop side and spacing in pixels (multiple of 8; paper 128/64).
- **lr**, **beta1**: Adam for G and D (paper 0.02, 0.5). **lr**, **advWeight** and **tvWeight** can be
  changed while the training runs or is paused: the next batch takes them (in the editor, no restart).
- **advWeight**: weight of the adversarial term (paper 1e-2).
- **tvWeight**: weight of a total-variation term on G's output (not in the paper; 0 = off).
- **emaDecay**: decay of the moving average of G's weights that becomes the decoder (0 = the last
  step's weights, as the paper); its batch-norm running statistics are re-estimated on 48 batches.
- **equalPhases**: after every step, each stride-2 layer's four output phases are given equal tap
  sums, so a flat input region cannot come out as a fixed 2-8 px lattice (the checkerboard/hatching
  an adversarial G grows early on); the decoder format is unchanged. Off = the paper's free kernels.
- **loss**: \`mgan\` (pixel + adversarial), \`pixel\` (pixel MSE only: blurry, Fig. 5 "pixel VAE") or
  \`neural\` (MSE of relu3_1 features, Fig. 5 "neural VAE").
- **mdanIterations**, **mdanSize**, **mdanContentWeight**: the MDAN targets' iterations, longest side
  and content weight.
- **autoencoderInit**: first one epoch of G learning to invert VGG (target = the photo), which the paper
  found stabilises training.
- **snapshotEvery**: batches between snapshots (0 = none).
- **snapshotAt**: batch counts whose snapshots the **snapshots** output keeps as a labelled strip
  (paper Fig. 6: 100, 300, 1000); empty: the strip holds the finished decoder's only. A count the
  training never reaches is left out (a warning says so) and the finished decoder closes the strip.
  The snapshots decode the **snapshotPhoto** input, else the first training photo. The strip is made
  only when the **snapshots** output is wired (in the CLI: into an image-out, which saves it): unwired,
  no decode is spent on it, neither at those counts nor at the end. Wiring it after a run needs a
  rerun (the earlier counts are gone by then).
- **checkpointEvery**: batches between saved checkpoints (0 = only when cancelled).
- **maxMinutes**: a time budget for the whole run (MDAN targets included), in minutes: when it is
  spent, training ends after the batch in progress and the decoder trained so far is kept and saved
  like a finished one (its record says how many steps it got). 0 = no limit. For runs on borrowed
  time (a rented GPU) that must leave a decoder.
- **saveAs**: save the trained decoder in the decoder store under this name (empty = do not save);
  the **mgan-decoder** node loads it by name. A bundled decoder's name is refused before training
  starts (yours would hide the bundled one everywhere) unless **replaceBundled** is on.
- **textureName**: the texture's name for the decoder's training record (e.g. \`starry_night\`); the
  decoders list, the docs table and \`bench decoder-quality\` read it.
- **upsampling**: \`resize\` (nearest 2x + 3x3 conv: a flat input always decodes flat, no 4-px
  checker) or \`deconv\` (the paper's 4x4 stride-2 transposed convs); the decoder file records it.
- **startFromInverter**: G starts from the bundled \`vgg19-inverter\` (G trained once to turn relu4_1
  back into the photo, the paper's Sec. 4.3), so training begins from a decoder that already paints
  the photo; its upsampling then applies. Where no inverter is bundled, G starts from random weights
  and a note says so: training never fails for it.
- **seed**: weight init, crop order.

The decoder records the VGG19 convention it was trained with; decoding needs the same weights.
Cost on the CPU (WASM): a few seconds per batch at 64 px crops, mostly weight gradients of the large
512-channel layers (measured in docs/benchmarks.md).`,
  inputs: [
    { name: 'texture', type: 'Image', description: 'the style texture' },
    { name: 'photos', type: 'ImageSet', description: 'training photos' },
    { name: 'discriminator', type: 'Discriminator', optional: true, description: 'a trained MDAN D to start the MDAN targets from' },
    { name: 'snapshotPhoto', type: 'Image', optional: true, description: 'the photo snapshots decode (default: the first training photo)' },
  ],
  outputs: [
    { name: 'decoder', type: 'Decoder', description: 'the trained decoder' },
    { name: 'snapshots', type: 'Image', onDemand: true, description: 'the decoder at the snapshotAt batch counts, as a labelled strip' },
  ],
  params: {
    epochs: param.number({ default: 1, min: 1, max: 100, step: 1, integer: true, doc: 'Passes over all crops.' }),
    batchSize: param.number({ default: 4, min: 1, max: 128, step: 1, integer: true, doc: 'Crops per step.', paper: 64 }),
    cropSize: param.number({ default: 64, min: 16, max: 512, step: 8, integer: true, doc: 'Crop side in px, multiple of 8.', paper: 128 }),
    stride: param.number({ default: 32, min: 8, max: 512, step: 8, integer: true, doc: 'Crop spacing in px.', paper: 64 }),
    lr: param.number({ midRun: true, default: 0.02, min: 1e-5, max: 1, step: 0.001, doc: 'Adam learning rate.', paper: 0.02 }),
    beta1: param.number({ default: 0.5, min: 0, max: 0.999, step: 0.01, doc: 'Adam beta1.', paper: 0.5 }),
    advWeight: param.number({ midRun: true, default: 0.01, min: 0, max: 10, step: 0.001, doc: 'Adversarial loss weight.', paper: '1e-2' }),
    loss: param.choice(MGAN_LOSS_KINDS, { default: 'mgan', doc: "'mgan', 'pixel' or 'neural' (Fig. 5)." }),
    tvWeight: param.number({ midRun: true, default: 0, min: 0, max: 100, step: 0.1, doc: "Total variation of G's output (0 = the paper's loss)." }),
    equalPhases: param.boolean({ default: true, doc: "Keep G's upsampling phases at equal tap sums (no lattice on flat areas)." }),
    emaDecay: param.number({ default: 0.99, min: 0, max: 0.9999, step: 0.001, doc: "Moving average of G's weights kept as the decoder (0 = the last weights)." }),
    mdanIterations: param.number({ default: 60, min: 1, max: 2000, step: 1, integer: true, doc: 'MDAN iterations per photo target.' }),
    mdanContentWeight: param.number({ default: 2.5e-4, min: 0, max: 1, step: 0.0001, doc: 'Content weight of the MDAN targets (lower = more texture, less photo).' }),
    mdanSize: param.number({ default: 128, min: 32, max: MDAN_SIZE_MAX, step: 16, integer: true, doc: 'Longest side of the MDAN targets.', paper: 384 }),
    autoencoderInit: param.boolean({ default: false, doc: 'One epoch of VGG inversion first.' }),
    snapshotEvery: param.number({ default: 5, min: 0, max: 10000, step: 1, integer: true, doc: 'Batches between snapshots (0 = none).' }),
    snapshotAt: param.string({ default: '', doc: 'Batch counts kept in the snapshots strip, comma-separated (empty: only the finished decoder).', paper: '100, 300, 1000' }),
    checkpointEvery: param.number({ default: 25, min: 0, max: 100000, step: 1, integer: true, doc: 'Batches between saved checkpoints (0 = only on cancel).' }),
    maxMinutes: param.number({ default: 0, min: 0, max: 100000, step: 1, doc: 'Time budget of the whole run in minutes: training stops early and keeps its decoder (0 = no limit).' }),
    saveAs: param.string({ default: '', widget: 'decoder', resource: 'output-name', doc: 'Save the decoder under this name (empty: do not save).' }),
    replaceBundled: param.boolean({ default: false, doc: "Allow saveAs to take a bundled decoder's name (yours then hides the bundled one)." }),
    textureName: param.string({ default: '', doc: "The texture's name, for the decoder's training record." }),
    upsampling: param.choice(GENERATOR_UPSAMPLINGS, { default: 'resize', doc: "G's upsampling: 'resize' (no checker) or 'deconv' (the paper's)." }),
    startFromInverter: param.boolean({ default: true, doc: 'Start G from the bundled VGG inverter (random weights when none is bundled).' }),
    seed: param.seed({ default: 1, doc: 'Init and crop order.' }),
  },
  estimateWork(params, input) {
    const photosNode = input('photos');
    const photos = photosNode?.type === 'image-set' ? imageSetCount(photosNode.params) : undefined;
    const { mdanSize, mdanIterations, cropSize, batchSize } = params;
    // Photos are assumed 3:2 (the bundled ones are 1:1 to 3:2); targets are made at mdanSize on the long side.
    const shortSide = Math.round((mdanSize * 2) / 3);
    const cropsPerPhoto =
      cropStarts(mdanSize, cropSize, params.stride).length * cropStarts(shortSide, cropSize, params.stride).length *
      DEFAULT_ANGLES.length * DEFAULT_SCALES.length * DEFAULT_FLIPS.length;
    const epochs = params.epochs + (params.autoencoderInit ? 1 : 0);
    const steps = photos === undefined ? undefined : epochs * Math.ceil((photos * cropsPerPhoto) / batchSize);
    return [
      { kind: 'mdan-setup', perIteration: 1, iterations: 1, label: 'MDAN targets: the texture’s variants at 256 px' },
      {
        kind: 'mdan-iteration',
        perIteration: (mdanSize * shortSide) / 128 ** 2,
        iterations: photos === undefined ? undefined : photos * mdanIterations,
        label: `MDAN targets: ${photos ?? 'each of the'} photo${photos === 1 ? '' : 's'} × ${mdanIterations} iterations at ${mdanSize} px (cached after the first run)`,
      },
      {
        kind: 'mgan-step',
        perIteration: (batchSize * cropSize ** 2) / (2 * 64 ** 2),
        iterations: steps,
        counted: true,
        each: 'training step',
        label: `${steps === undefined ? 'training steps' : `≈ ${steps} training steps`} of ${batchSize} × ${cropSize} px crops`,
      },
    ];
  },
  async run(ctx) {
    const texture = ctx.inputs.texture as tf.Tensor3D | undefined;
    const photos = ctx.inputs.photos as tf.Tensor3D[] | undefined;
    if (!texture) throw new Error("mgan-trainer: input 'texture' is not connected");
    if (!Array.isArray(photos) || photos.length === 0) throw new Error("mgan-trainer: input 'photos' is empty or not connected");
    const given = ctx.inputs.discriminator;
    if (given !== undefined && !(given instanceof MdanDiscriminator)) throw new Error("mgan-trainer: input 'discriminator' is not an MDAN discriminator");
    const p = ctx.params;
    const { loss, cropSize } = p;
    if (cropSize % 8 !== 0) throw new ParamError(undefined, 'cropSize', `mgan-trainer: cropSize must be a multiple of 8, got ${cropSize}`);
    const counts = parseBatchCounts(p.snapshotAt, 'snapshotAt', 'mgan-trainer');
    // The strip costs a VGG + G pass per tile: made only for a consumer.
    const strip = outputWanted(ctx, 'snapshots') ? new SnapshotStrip(counts) : undefined;
    const snapshotPhoto = (ctx.inputs.snapshotPhoto as tf.Tensor3D | undefined) ?? photos[0];
    const saveAs = p.saveAs.trim();
    const store = ctx.env.services.decoders;
    if (saveAs && !store) throw new ParamError(undefined, 'saveAs', 'mgan-trainer: no decoder store in this environment');
    // Checked before hours of training, not after: a decoder of yours under a bundled name hides the bundled one.
    if (saveAs && store && !ctx.params.replaceBundled && (await store.bundled.names().catch(() => [] as string[])).includes(saveAs)) {
      throw new ParamError(
        undefined,
        'saveAs',
        `mgan-trainer: saveAs '${saveAs}' is a bundled decoder's name: saving under it would hide the bundled one. Choose another name (e.g. 'my_${saveAs}') or turn on replaceBundled`,
      );
    }
    const { upsampling } = p;
    const service = ctx.env.services.vgg19;
    if (!service) throw new Error('mgan-trainer: no VGG19 service in this environment (install the weights: npx mgan-studio weights --from <folder|url>)');
    const vgg = await service.load('relu5_1');
    ctx.signal.throwIfAborted();
    const started = performance.now();

    // ctx.control.checkpoint() also yields to the event loop, so Ctrl-C in the CLI is seen between batches.
    const checkpoint = () => ctx.control.checkpoint();
    const mdanOptions = {
      ...MDAN_TARGET_SETTINGS,
      contentWeight: p.mdanContentWeight,
      iterations: p.mdanIterations,
      size: p.mdanSize,
      seed: p.seed,
      ...mdanTargetPatches(given as MdanDiscriminator | undefined),
    };
    const { targets } = await mdanTargets(vgg, texture, photos, mdanOptions, {
      cache: ctx.env.services.mdanTargets,
      discriminator: given as MdanDiscriminator | undefined,
      signal: ctx.signal,
      checkpoint,
      onWarning: (m) => ctx.warn(`mgan-trainer: ${m}`),
      onPhoto: (i, total, cached) =>
        ctx.progress(((i + 1) / total) * (1 - TRAIN_SHARE), { message: `MDAN target ${i + 1}/${total}${cached ? ' (cached)' : ''}` }),
      onIteration: (it) => {
        if (it.iteration % 10 === 0) ctx.progress((1 - TRAIN_SHARE) * 0.5, { message: `MDAN iteration ${it.iteration}/${it.total}`, losses: { mdanD: it.losses.d, mdanImage: it.losses.image } });
      },
    }).catch((e) => {
      if (e instanceof MdanTooSmallError) throw new ParamError(undefined, 'mdanSize', `mgan-trainer: making the MDAN targets failed: ${e.advice('mdanSize', MDAN_SIZE_MAX)}`);
      throw e instanceof Error && !isAbortError(e) ? new Error(`mgan-trainer: making the MDAN targets failed: ${e.message}`) : e;
    });
    let data: MganDataset;
    try {
      data = MganDataset.build(photos, targets, { cropSize, stride: p.stride });
    } catch (e) {
      throw new ParamError(undefined, 'cropSize', `mgan-trainer: ${(e as Error).message}`);
    } finally {
      tf.dispose(targets);
    }

    const options = {
      epochs: p.epochs,
      batchSize: p.batchSize,
      lr: p.lr,
      beta1: p.beta1,
      advWeight: p.advWeight,
      tvWeight: p.tvWeight,
      emaDecay: p.emaDecay,
      equalPhases: p.equalPhases,
      loss,
      autoencoderInit: p.autoencoderInit,
      snapshotEvery: p.snapshotEvery,
      upsampling,
      seed: p.seed,
    };
    const inverter = ctx.params.startFromInverter ? await openInverter(ctx.env.services.decoders, (m) => ctx.note(m)) : undefined;
    // What decides the training's course (snapshots only look at G): a checkpoint resumes under the same key.
    const { snapshotEvery: _snapshotsOnly, ...course } = options;
    const key = canonicalJson({
      options: course,
      mdanOptions,
      cropSize,
      stride: p.stride,
      texture: await hashImage(texture),
      photos: await Promise.all(photos.map(hashImage)),
      ...(inverter ? { startFrom: inverter.meta.createdAt } : {}),
    });
    const keeper = checkpointKeeper(key, ctx.env.services.mganCheckpoints, (m) => ctx.warn(m));
    const train = (resume: MganCheckpoint | undefined) =>
      trainMgan(vgg, data, options, {
        signal: ctx.signal,
        checkpoint,
        tuning: () => {
          const now = ctx.tuned?.();
          return now && { lr: Number(now.lr), advWeight: Number(now.advWeight), tvWeight: Number(now.tvWeight) };
        },
        resume,
        startFrom: inverter?.generator,
        onCheckpoint: (c) => keeper.save(c),
        checkpointEvery: keeper.persistent ? p.checkpointEvery : 0,
        stopAt: p.maxMinutes > 0 ? started + p.maxMinutes * 60_000 : undefined,
        snapshotPhoto,
        snapshotAt: strip?.counts ?? [],
        onSnapshot: async (img, step) => {
          ctx.preview(img);
          if (strip?.wants(step)) await strip.add(img, step);
        },
        onStep: (s) =>
          ctx.progress(1 - TRAIN_SHARE + (TRAIN_SHARE * s.step) / s.totalSteps, {
            iteration: s.step,
            total: s.totalSteps,
            losses: s.losses,
            message: `${s.phase === 'autoencoder' ? 'auto-encoder' : `epoch ${s.epoch + 1}`} batch ${s.step}/${s.totalSteps} (${data.size} crops)`,
          }),
      });
    try {
      let resume = await keeper.load();
      if (resume) ctx.warn(`mgan-trainer: resuming the stopped run from its checkpoint at step ${resume.step}`);
      let result: Awaited<ReturnType<typeof trainMgan>>;
      try {
        result = await train(resume);
      } catch (e) {
        // A checkpoint of another model version (e.g. an older build's layer shapes): start over.
        if (!resume || (e as Error).name !== 'CheckpointFormatError') throw e;
        ctx.warn(`mgan-trainer: ignoring the saved checkpoint and starting from step 0: ${(e as Error).message}`);
        keeper.release(resume);
        resume = undefined;
        await keeper.remove();
        result = await train(undefined);
      } finally {
        if (resume) keeper.release(resume);
      }
      await keeper.remove().catch((e) => ctx.warn(`mgan-trainer: could not delete the finished run's checkpoint: ${(e as Error).message}`));
      result.discriminator.dispose();
      const steps = result.lossHistory.length;
      const missed = strip?.missed(steps) ?? [];
      if (missed.length) ctx.warn(`mgan-trainer: the training ended after ${steps} batches, so the snapshots strip has no ${missed.join(', ')}`);
      if (strip && (strip.size === 0 || missed.length)) {
        const final = snapshot(vgg, result.generator, snapshotPhoto);
        await strip.add(final, steps, ' (end)').finally(() => final.dispose());
      }
      const last = result.lossHistory[result.lossHistory.length - 1] ?? {};
      const decoder = createMganDecoder(
        result.generator,
        {
          format: DECODER_FORMAT,
          formatVersion: DECODER_FORMAT_VERSION,
          name: saveAs || 'untitled',
          vggConvention: vgg.convention,
          createdAt: new Date().toISOString(),
          thumbnail: await makeThumbnail(texture),
          training: { ...options, ...mdanOptions, cropSize, stride: p.stride, photos: photos.length, crops: data.size, steps: result.lossHistory.length, finalLosses: last },
          record: {
            ...(p.textureName.trim() ? { texture: p.textureName.trim() } : {}),
            photoCount: photos.length,
            steps: result.lossHistory.length,
            crops: data.size,
            cropSize,
            batchSize: options.batchSize,
            seconds: Math.round((performance.now() - started) / 1000),
            machine: `${ctx.env.services.machine ?? 'unknown machine'}, tfjs ${tf.getBackend()}`,
            date: new Date().toISOString(),
          },
        },
        (deepest) => service.load(deepest),
      );
      if (saveAs && store) {
        await store.save(decoder, saveAs);
        ctx.progress(1, { message: `saved decoder '${saveAs}'` });
      }
      return { decoder, ...(strip ? { snapshots: strip.image('decoder after') } : {}) };
    } finally {
      data.dispose();
      inverter?.dispose();
    }
  },
});

/**
 * The patches of the MDAN targets a wired D sets: only those other than the MDAN defaults, so the
 * targets' cache key and the checkpoint key stay what they were for the default patches.
 */
export function mdanTargetPatches(d: MdanDiscriminator | undefined): Partial<Omit<RunnerPatchSettings, 'dChannels'>> {
  const { dChannels: _width, ...wired } = discriminatorOverrides(d && { ...d.config, sampling: d.sampling });
  return Object.fromEntries(Object.entries(wired).filter(([name, value]) => DEFAULT_MDAN_OPTIONS[name as keyof typeof wired] !== value));
}

/** The inverter G starts from, or undefined (with a note) where none is bundled or it cannot be read. */
async function openInverter(
  catalog: RunContext['env']['services']['decoders'],
  note: (message: string) => void,
): Promise<{ generator: MganGenerator; meta: { createdAt: string }; dispose(): void } | undefined> {
  const missing = `no '${INVERTER_DECODER}' decoder is bundled: G starts from random weights`;
  if (!catalog || !(await catalog.bundled.names().catch(() => [] as string[])).includes(INVERTER_DECODER)) {
    note(`mgan-trainer: ${missing}`);
    return undefined;
  }
  try {
    const { decoder, label } = await catalog.open(INVERTER_DECODER);
    note(`mgan-trainer: G starts from ${label}`);
    return decoder;
  } catch (e) {
    note(`mgan-trainer: ${missing} (${(e as Error).message})`);
    return undefined;
  }
}
