import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMganDecoder } from '../../src/method/mgan/decoder';
import { MganGenerator } from '../../src/method/mgan/generator';
import { imageSetNode, sampleNamesFromParam } from '../../src/nodes/image-set';
import { mganDecoderNode } from '../../src/nodes/mgan-decoder';
import { nodeRegistry } from '../../src/nodes/registry';
import type { NodeEnv } from '../../src/nodes/types';
import { createNodeDecoderCatalog } from '../../src/platform/node/services';
import { runNode, testEnv } from '../nodes/run-node';
import { testImage, testVgg } from './mgan-helpers';
import { DECODER_FORMAT } from '../../src/formats/decoder-meta';

describe('MGAN nodes', () => {
  let dir: string;
  let env: NodeEnv;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mgan-nodes-'));
    const base = testEnv();
    const decoders = createNodeDecoderCatalog({ cacheDir: dir, bundledDecodersDir: join(dir, 'bundled') }, () => testVgg());
    env = { ...base, services: { ...base.services, decoders } };
    const vgg = await testVgg();
    const decoder = createMganDecoder(MganGenerator.create(3), { format: DECODER_FORMAT, formatVersion: 1, name: 'tiny', vggConvention: vgg.convention, createdAt: '', training: {} }, () => testVgg());
    await decoders.save(decoder);
    decoder.dispose();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('are registered with doc cards', () => {
    for (const type of ['image-set', 'mgan-trainer', 'mgan-decoder']) {
      const def = nodeRegistry.get(type);
      expect(def, type).toBeDefined();
      expect(def!.doc.length).toBeGreaterThan(400);
    }
    expect(nodeRegistry.get('mgan-trainer')!.long).toBe(true);
  });

  it('image-set loads bundled samples, resized, and rejects unknown names', async () => {
    expect(sampleNamesFromParam('all-photos')).toContain('coffee');
    expect(() => sampleNamesFromParam('coffee, nope')).toThrow(/unknown sample 'nope'/);
    const { outputs, warnings } = await runNode(imageSetNode, { samples: 'coffee, chelsea', maxSide: 64, multipleOf: 8 });
    const images = outputs.images as tf.Tensor3D[];
    expect(images.map((i) => i.shape)).toEqual([
      [40, 64, 3],
      [40, 64, 3],
    ]);
    expect(warnings.join()).toMatch(/coffee 600x400 -> 64x40/);
    tf.dispose(images);
    await expect(runNode(imageSetNode, { samples: '' })).rejects.toThrow(/no images chosen/);
  });

  it('mgan-decoder decodes with a saved decoder by name, and names the problem when it is missing', async () => {
    const img = testImage(61, 80);
    const { outputs, warnings, notes } = await runNode(mganDecoderNode, { decoder: 'tiny' }, { image: img }, env);
    expect(notes).toEqual(["decoder 'tiny' (yours)"]);
    expect((outputs.image as tf.Tensor3D).shape).toEqual([56, 80, 3]);
    expect(warnings.join()).toMatch(/resized to 80x56/);
    (outputs.image as tf.Tensor3D).dispose();
    await expect(runNode(mganDecoderNode, { decoder: 'nope' }, { image: img }, env)).rejects.toThrow(
      /no decoder named 'nope': none saved in .*\(saved: tiny\), none bundled in .*bundled\. To get one: use a bundled name, import a shared \.mgan file \(npx mgan-studio decoders import FILE\.mgan\), or train one with the mgan-train preset/,
    );
    await expect(runNode(mganDecoderNode, {}, { image: img }, env)).rejects.toThrow(/no decoder chosen: connect a Decoder \(an MGAN trainer's output\) or set 'decoder' to a decoder's name, yours or a bundled one \(the editor's Decoders panel and `npx mgan-studio decoders list` show them\), or to a \.mgan file/);
    img.dispose();
  });
});
