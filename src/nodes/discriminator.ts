/**
 * discriminator: a fresh MDAN discriminator D (or one stored by name), judging the patches a patch sampler wired to it names.
 * Connect it to an MDAN optimiser, whose `discriminator` output is the trained D, ready to start a
 * later run from.
 */
import { createMdanDiscriminator, DEFAULT_DISCRIMINATOR_CONFIG, describeDiscriminator, type MdanDiscriminator } from '../method/mdan/discriminator';
import { discriminatorSampling, type PatchSpec } from './patch-wiring';
import { ParamError } from './types';
import { defineNode, param } from './define-node';

export const discriminatorNode = defineNode({
  type: 'discriminator',
  version: 1,
  title: 'Discriminator',
  category: 'MDAN',
  doc: `The MDAN discriminator **D**: a tiny convolutional network that looks at one neural patch at a
time and scores it: high for patches of the example texture, low for the image being made.
Per patch: \`depth\` blocks of conv 3×3 (pad 1) → BatchNorm → LeakyReLU, then a patchSize×patchSize
conv without padding that leaves one score. The paper's D: one block of 256 channels, LeakyReLU 0.2,
scoring 8×8 patches of relu3_1.

D is trained on the fly by the MDAN optimiser (hinge loss, real and fake batches normalised
separately). This node outputs an untrained D with these settings; its weights are drawn from
\`seed\` on first use (when the feature channel count is known). The optimiser never changes the D
it is given: it trains a copy and outputs that. Feed a trained D into the next run: the paper (Fig. 10)
gets better results in 50 iterations with a pre-trained D than in 500 with a fresh one.

- **channels**: width of the hidden 3×3 convs. Fewer is faster and weaker (256 in the paper).
- **depth**: number of conv-BN-LeakyReLU blocks before the scoring conv.
- **slope**: LeakyReLU slope for negative inputs.
- **patchSize**: side of the patches it scores; a patch sampler wired to \`sampling\` sets it instead.
- **seed**: initial weights.

**sampling** (optional): a patch sampler's spec (the paper's Fig. 2: VGG19 tap → patch sampler → D).
D then scores the sampler's patch size, and carries its layer and stride to the optimiser or trainer
it is wired to, whose own \`layer\`, \`patchSize\` and \`patchStride\` then no longer apply (the
inspector shows them as set by the wire). Without a sampler, this D still sets its width and patch
size there, and the optimiser's own \`layer\` and \`patchStride\` apply.

**load**: the name of a D an MDAN optimiser stored (its \`saveDiscriminatorAs\`), e.g. one pre-trained
on earlier images (Fig. 10). Its architecture, trained weights and patch sampling then come from the
stored D: \`channels\`, \`depth\`, \`slope\`, \`patchSize\`, \`seed\` and a wired sampler do not apply
(the card's note says so). Empty: a fresh D from the params. The editor keeps the loaded D with the
run's results: after storing a D again under the same name, run this node again.`,
  inputs: [{ name: 'sampling', type: 'PatchSpec', optional: true, description: "a patch sampler's layer, size and stride" }],
  outputs: [{ name: 'discriminator', type: 'Discriminator', description: 'an untrained MDAN discriminator' }],
  params: {
    channels: param.number({ default: DEFAULT_DISCRIMINATOR_CONFIG.channels, min: 1, max: 1024, step: 1, integer: true, doc: 'Hidden conv width.', paper: 256 }),
    depth: param.number({ default: DEFAULT_DISCRIMINATOR_CONFIG.depth, min: 0, max: 4, step: 1, integer: true, doc: 'conv-BN-LeakyReLU blocks before the scoring conv.', paper: 1 }),
    slope: param.number({ default: DEFAULT_DISCRIMINATOR_CONFIG.slope, min: 0, max: 0.99, step: 0.01, doc: 'LeakyReLU negative slope.', paper: 0.2 }),
    patchSize: param.number({ default: DEFAULT_DISCRIMINATOR_CONFIG.patchSize, min: 1, max: 64, step: 1, integer: true, doc: 'Side of the scored patches, in feature cells.', paper: 8 }),
    seed: param.seed({ default: DEFAULT_DISCRIMINATOR_CONFIG.seed, doc: 'Seed of the initial weights.' }),
    load: param.string({ default: '', resource: 'output-name', doc: "A stored D's name (an mdan-optimiser's saveDiscriminatorAs); empty: a fresh D from the params." }),
  },
  async run(ctx) {
    const name = ctx.params.load.trim();
    if (name) {
      const store = ctx.env.services.discriminators;
      if (!store) throw new ParamError(undefined, 'load', 'discriminator: no discriminator store in this environment');
      let discriminator: MdanDiscriminator;
      try {
        discriminator = await store.load(name);
      } catch (e) {
        throw new ParamError(undefined, 'load', `discriminator: ${e instanceof Error ? e.message : String(e)}`);
      }
      ctx.note(`discriminator: loaded '${name}' (${describeDiscriminator(discriminator.config, discriminator.sampling)}); its own settings replace this node's params and any wired sampler`);
      return { discriminator };
    }
    try {
      const { patchSize, sampling } = discriminatorSampling(ctx.params.patchSize, ctx.inputs.sampling as PatchSpec | undefined);
      const { channels, depth, slope, seed } = ctx.params;
      const discriminator = createMdanDiscriminator({ channels, depth, slope, seed, patchSize }, sampling);
      return { discriminator };
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const param = ['channels', 'depth', 'slope', 'patchSize'].find((p) => message.includes(p)) ?? 'channels';
      throw new ParamError(undefined, param, message);
    }
  },
});
