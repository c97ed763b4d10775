// mdan-optimiser's saveDiscriminatorAs and discriminator's load: a D stored by one run is loaded by
// name in another with its config and weights; missing stores and names fail naming the param.
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveParams } from '../../src/graph/params';
import { MdanDiscriminator } from '../../src/method/mdan/discriminator';
import { discriminatorNode } from '../../src/nodes/discriminator';
import { mdanOptimiserNode } from '../../src/nodes/mdan-optimiser';
import type { NodeDefinition, NodeEnv, RunContext } from '../../src/nodes/types';
import { createNodeEnv } from '../../src/platform/node/env';
import { createNodeDiscriminatorStore } from '../../src/platform/node/discriminator-store';
import { testVgg19 } from '../support/vgg19';

const dir = mkdtempSync(join(tmpdir(), 'mgan-stored-d-'));
const env: NodeEnv = { ...createNodeEnv(), services: { vgg19: testVgg19, discriminators: createNodeDiscriminatorStore(dir) } };

async function run(def: NodeDefinition, params: Record<string, unknown>, inputs: Record<string, unknown>, runEnv = env) {
  const resolved = resolveParams(def, params as never, 'n1');
  const errors = resolved.issues.filter((i) => i.severity === 'error');
  if (errors.length) throw new Error(errors.map((e) => e.message).join('; '));
  const notes: string[] = [];
  const ctx: RunContext = {
    nodeId: def.type,
    inputs,
    params: resolved.params,
    signal: new AbortController().signal,
    control: { checkpoint: async () => {}, paused: false },
    env: runEnv,
    progress: () => {},
    preview: () => {},
    warn: () => {},
    note: (m) => notes.push(m),
  };
  return { outputs: await def.run(ctx), notes };
}

let texture: tf.Tensor3D;
beforeAll(() => {
  texture = tf.randomUniform([32, 40, 3], 0, 1, 'float32', 5) as tf.Tensor3D;
});
afterAll(() => {
  texture.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const tiny = { size: 32, iterations: 2, exampleSize: 32, patchSize: 4, patchStride: 2, previewEvery: 10 };

describe('a stored discriminator', () => {
  // That the loaded D then gives the wired D's pixels is checked through the CLI (test/cli/stored-discriminator.test.ts).
  it('is saved by one run and loaded by name with its own config and weights', async () => {
    const fresh = await run(discriminatorNode, { channels: 4, patchSize: 4 }, {});
    const first = await run(mdanOptimiserNode, { ...tiny, saveDiscriminatorAs: 'earlier' }, { texture, discriminator: fresh.outputs.discriminator });
    expect(first.notes.join('\n')).toMatch(/stored the trained D as 'earlier'/);
    const trained = first.outputs.discriminator as MdanDiscriminator;

    const loaded = await run(discriminatorNode, { channels: 64, patchSize: 8, load: 'earlier' }, {});
    const d = loaded.outputs.discriminator as MdanDiscriminator;
    expect(loaded.notes.join('\n')).toMatch(/loaded 'earlier' \(4 channels, depth 1, 4×4 patches\); its own settings replace this node's params/);
    expect(d.config).toEqual(trained.config);
    expect(d.toJSON().tensors).toEqual(trained.toJSON().tensors);

    tf.dispose(first.outputs.image as tf.Tensor);
    for (const x of [fresh.outputs.discriminator, trained, d]) (x as MdanDiscriminator).dispose();
  });

  it('names the param when the stored D is missing or no store exists', async () => {
    await expect(run(discriminatorNode, { load: 'never-saved' }, {})).rejects.toThrow(/no saved discriminator named 'never-saved'/);
    const bare: NodeEnv = { ...createNodeEnv(), services: { vgg19: testVgg19 } };
    await expect(run(discriminatorNode, { load: 'earlier' }, {}, bare)).rejects.toThrow(/no discriminator store/);
    await expect(run(mdanOptimiserNode, { ...tiny, saveDiscriminatorAs: 'x' }, { texture }, bare)).rejects.toThrow(/no discriminator store/);
    await expect(run(discriminatorNode, { load: '../x' }, {})).rejects.toThrow(/not a plain file name/);
  });
});
