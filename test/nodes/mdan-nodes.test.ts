// The MDAN nodes: patch-sampler, discriminator, mdan-optimiser (run the way the runtime runs them).
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveParams } from '../../src/graph/params';
import { MdanDiscriminator } from '../../src/method/mdan/discriminator';
import { MdanTooSmallError } from '../../src/method/mdan/mdan';
import type { FeaturesValue } from '../../src/method/vgg/vgg19';
import { discriminatorNode } from '../../src/nodes/discriminator';
import { mdanOptimiserNode } from '../../src/nodes/mdan-optimiser';
import { patchSamplerNode, type PatchesValue } from '../../src/nodes/patch-sampler';
import { nodeRegistry } from '../../src/nodes/registry';
import { validateDocument } from '../../src/graph/validate';
import { totalVariation } from '../../src/method/mdan/losses';
import type { NodeDefinition, NodeEnv, ProgressInfo, RunContext } from '../../src/nodes/types';
import type { NodeServices } from '../../src/services/node-services';
import { createNodeEnv } from '../../src/platform/node/env';
import { readImageFile } from '../../src/platform/node/image-io';
import { createNodeVgg19Service } from '../../src/platform/node/weights-store';
import { testVgg19 } from '../support/vgg19';

function envWith(services: NodeServices): NodeEnv {
  return { ...createNodeEnv(), services };
}

const withVgg = () => envWith({ vgg19: testVgg19 });

interface Recorded {
  progress: Array<{ fraction: number; info?: ProgressInfo }>;
  previews: number[][];
  warnings: string[];
  checkpoints: number;
}

async function run(def: NodeDefinition, params: Record<string, unknown>, inputs: Record<string, unknown>, env: NodeEnv) {
  const resolved = resolveParams(def, params as never, 'n1');
  const errors = resolved.issues.filter((i) => i.severity === 'error');
  if (errors.length) throw new Error(errors.map((e) => e.message).join('; '));
  const rec: Recorded = { progress: [], previews: [], warnings: [], checkpoints: 0 };
  const ctx: RunContext = {
    nodeId: def.type,
    inputs,
    params: resolved.params,
    signal: new AbortController().signal,
    control: {
      checkpoint: async () => {
        rec.checkpoints++;
      },
      paused: false,
    },
    env,
    progress: (fraction, info) => rec.progress.push({ fraction, info }),
    preview: (image) => rec.previews.push(image.shape),
    warn: (m) => rec.warnings.push(m),
    note: () => {},
  };
  const outputs = await def.run(ctx);
  return { outputs, rec };
}

let texture: tf.Tensor3D;
beforeAll(async () => {
  const full = await readImageFile('public/samples/styles/starry_night.jpg');
  texture = tf.image.resizeBilinear(full, [48, 64], true);
  full.dispose();
});
afterAll(() => texture.dispose());

describe('registry', () => {
  it('lists the three MDAN nodes with doc cards', () => {
    for (const type of ['patch-sampler', 'discriminator', 'mdan-optimiser']) {
      const def = nodeRegistry.get(type);
      expect(def, type).toBeDefined();
      expect(def!.doc.length).toBeGreaterThan(300);
      for (const p of def!.params) expect(def!.doc).toContain(`**${p.name}**`);
    }
    expect(nodeRegistry.get('mdan-optimiser')!.long).toBe(true);
  });
});

describe('patch-sampler', () => {
  it('cuts a feature map into patches with the border included', async () => {
    const tensor = tf.randomNormal([1, 14, 10, 4]) as tf.Tensor4D;
    const features: FeaturesValue = { layer: 'relu3_1', tensor, convention: 'vgg19-matconvnet-rgb-mean' };
    const { outputs } = await run(patchSamplerNode, { size: 8, stride: 4 }, { features }, createNodeEnv());
    const value = outputs.patches as PatchesValue;
    expect(value.patches.shape).toEqual([6, 8, 8, 4]); // rows at 0, 4, 6 × cols at 0, 2
    expect(value.grid.rowStarts).toEqual([0, 4, 6]);
    expect(value.grid.colStarts).toEqual([0, 2]);
    expect(value.layer).toBe('relu3_1');
    expect(outputs.sampling).toEqual({ layer: 'relu3_1', size: 8, stride: 4 });
    value.patches.dispose();
    await expect(run(patchSamplerNode, { size: 16, stride: 4 }, { features }, createNodeEnv())).rejects.toThrow(
      /16×16 patches do not fit the 10×14 relu3_1 map/,
    );
    tensor.dispose();
  });
});

describe('discriminator', () => {
  it('outputs an untrained D with the chosen settings', async () => {
    const { outputs } = await run(discriminatorNode, { channels: 16, depth: 2, slope: 0.1, patchSize: 4, seed: 7 }, {}, createNodeEnv());
    const d = outputs.discriminator as MdanDiscriminator;
    expect(d).toBeInstanceOf(MdanDiscriminator);
    expect(d.config).toEqual({ channels: 16, depth: 2, slope: 0.1, patchSize: 4, seed: 7 });
    expect(d.inputChannels).toBeUndefined();
    expect(d.sampling).toBeUndefined();
    d.dispose();
  });

  it("takes its patch size from a wired patch sampler's spec and carries the layer and stride", async () => {
    const sampling = { layer: 'relu2_1', size: 6, stride: 3 };
    const { outputs } = await run(discriminatorNode, { channels: 16, patchSize: 4 }, { sampling }, createNodeEnv());
    const d = outputs.discriminator as MdanDiscriminator;
    expect(d.patchSize).toBe(6);
    expect(d.sampling).toEqual({ layer: 'relu2_1', patchStride: 3 });
    const copy = d.clone();
    expect(copy.sampling).toEqual(d.sampling);
    expect(MdanDiscriminator.fromJSON(d.toJSON()).sampling).toEqual(d.sampling);
    expect(() => MdanDiscriminator.fromJSON({ ...d.toJSON(), sampling: { layer: 'relu2_1', patchStride: 0 } })).toThrow(/patch sampling/);
    copy.dispose();
    d.dispose();
  });
});

describe('mdan-optimiser', () => {
  const small = { size: 32, iterations: 3, exampleSize: 64, dChannels: 16, previewEvery: 2 };

  it('streams progress with losses and patch scores, previews, checkpoints, and outputs image + D', async () => {
    const { outputs, rec } = await run(mdanOptimiserNode, small, { texture }, withVgg());
    const image = outputs.image as tf.Tensor3D;
    expect(image.shape).toEqual([32, 32, 3]);
    expect(outputs.discriminator).toBeInstanceOf(MdanDiscriminator);
    expect(rec.checkpoints).toBe(3);
    expect(rec.progress.map((p) => p.info?.iteration)).toEqual([1, 2, 3]);
    expect(rec.progress[2].fraction).toBe(1);
    const info = rec.progress[0].info!;
    expect(Object.keys(info.losses!).sort()).toEqual(['content', 'd', 'image', 'tv']);
    expect(info.extra!.patchScores).toMatchObject({ rows: 1, cols: 1 });
    expect(rec.previews).toEqual([
      [32, 32, 3],
      [32, 32, 3],
      [32, 32, 3],
    ]); // iteration 1, every 2nd, and the last
    image.dispose();
    (outputs.discriminator as MdanDiscriminator).dispose();
  });

  it('runs with the patch size of a connected D, not its own patchSize', async () => {
    // 4×4 patches on the 8×8 relu3_1 map of a 32 px result: a 2×2 grid (8×8 patches would give 1×1).
    const d = new MdanDiscriminator({ channels: 4, depth: 1, slope: 0.2, patchSize: 4, seed: 1 });
    const { outputs, rec } = await run(mdanOptimiserNode, { ...small, patchSize: 8 }, { texture, discriminator: d }, withVgg());
    expect(rec.progress[0].info!.extra!.patchScores).toMatchObject({ rows: 2, cols: 2 });
    const trained = outputs.discriminator as MdanDiscriminator;
    expect(trained.patchSize).toBe(4);
    expect(trained.sampling).toBeUndefined();
    tf.dispose(outputs.image as tf.Tensor);
    trained.dispose();
    d.dispose();
  });

  it('samples the layer and stride a connected D carries, and passes them on with the trained D', async () => {
    // relu2_1 of a 32 px result is 16×16: 4×4 patches at stride 6 give rows/cols at 0, 6, 12 (3×3).
    const d = new MdanDiscriminator({ channels: 4, depth: 1, slope: 0.2, patchSize: 4, seed: 1 }, { layer: 'relu2_1', patchStride: 6 });
    const { outputs, rec } = await run(mdanOptimiserNode, small, { texture, discriminator: d }, withVgg());
    expect(rec.progress[0].info!.extra!.patchScores).toMatchObject({ rows: 3, cols: 3 });
    const trained = outputs.discriminator as MdanDiscriminator;
    expect(trained.sampling).toEqual({ layer: 'relu2_1', patchStride: 6 });
    expect(trained.inputChannels).toBe(128);
    tf.dispose(outputs.image as tf.Tensor);
    trained.dispose();
    d.dispose();
  });

  it('says how to install the weights when they are missing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'mdan-no-weights-'));
    const env = envWith({ vgg19: createNodeVgg19Service({ cacheDir: empty }) });
    await expect(run(mdanOptimiserNode, small, { texture }, env)).rejects.toThrow(/weights/);
    await expect(run(mdanOptimiserNode, small, { texture }, envWith({}))).rejects.toThrow(
      /no VGG19 service .*npx mgan-studio weights --from/,
    );
  });

  it('names the setting to change when the result is too small for one patch', async () => {
    // Guided by a 3:2 photo, size 40 gives a 32×16 result: relu3_1 sees 4 cells, an 8×8 patch needs 8.
    const photo = tf.zeros([200, 300, 3]) as tf.Tensor3D;
    const tooSmall = run(mdanOptimiserNode, { ...small, size: 40 }, { texture, content: photo }, withVgg());
    await expect(tooSmall).rejects.toThrow(
      "mdan-optimiser: size 40 gives a 32×16 px result (the aspect ratio of init, else content), too small for one 8×8 patch on relu3_1 (32×32 px): raise size to at least 48, or lower patchSize",
    );
    await expect(tooSmall).rejects.toMatchObject({ name: 'ParamError', param: 'size' });
    photo.dispose();
    // Where no allowed size fits (a very long photo), the advice is the other settings.
    expect(new MdanTooSmallError('too small', 1100).advice('mdanSize', 1024)).toBe(
      'too small: no mdanSize up to 1024 fits this aspect ratio; lower patchSize or use a shallower layer',
    );
  });

  it('converts a version-1 tvWeight (mean squared difference of [0, 1] pixels) to the authors\' units', () => {
    const doc = (version: number, params: Record<string, unknown>) => ({
      schemaVersion: 1,
      nodes: [
        { id: 't', type: 'image-source', version: 1, params: { sample: 'starry_night' }, position: { x: 0, y: 0 } },
        { id: 'm', type: 'mdan-optimiser', version, params, position: { x: 300, y: 0 } },
      ],
      edges: [{ from: { node: 't', port: 'image' }, to: { node: 'm', port: 'texture' } }],
      meta: {},
    });
    const old = validateDocument(doc(1, { size: 128, tvWeight: 1000 }), nodeRegistry);
    expect(old.errors).toEqual([]);
    const node = old.document!.nodes[1];
    expect(node.version).toBe(2);
    // 1000 × mean over 3·128·127 differences of [0, 1] pixels = 0.0103 × ½ Σ over the [-1, 1] pixels.
    expect(node.params.tvWeight).toBeCloseTo(1000 / (6 * 128 * 127), 10);
    expect(old.migrations.join('\n')).toMatch(/mdan-optimiser.*version 1 → 2/);
    // Measured on a 128×128 noise image, the two forms agree.
    const image = tf.randomUniform([128, 128, 3], 0, 1, 'float32', 5) as tf.Tensor3D;
    const oldTerm = tf.tidy(() => 1000 * totalVariation(image).dataSync()[0]);
    const newTerm = tf.tidy(() => 0.5 * (node.params.tvWeight as number) * totalVariation(tf.sub(tf.mul(image, 2), 1) as tf.Tensor3D, 'sum').dataSync()[0]);
    expect(newTerm).toBeCloseTo(oldTerm, 2);
    image.dispose();
    // A graph saved at version 2 keeps its value.
    expect(validateDocument(doc(2, { tvWeight: 5e-4 }), nodeRegistry).document!.nodes[1].params.tvWeight).toBe(5e-4);
  });

  it('rejects iterations of 0 and an unconnected texture', async () => {
    await expect(run(mdanOptimiserNode, { ...small, iterations: 0 }, { texture }, withVgg())).rejects.toThrow(/iterations/);
    await expect(run(mdanOptimiserNode, small, {}, withVgg())).rejects.toThrow(/input 'texture' is not connected/);
  });
});
