// vgg19-tap: Image -> Features through the vgg19 service, with the real (installed) weights.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { vgg19TapNode } from '../../src/nodes/vgg19-tap';
import { nodeRegistry } from '../../src/nodes/registry';
import type { FeaturesValue } from '../../src/method/vgg/vgg19';
import { createNodeVgg19Service } from '../../src/platform/node/weights-store';
import { testVgg19 } from '../support/vgg19';
import { runNode, testEnv } from './run-node';

const env = () => ({
  ...testEnv(),
  services: { ...testEnv().services, vgg19: testVgg19 },
});

describe('vgg19-tap', () => {
  it('is registered, offers every reluN_M, defaults to relu3_1', () => {
    expect(nodeRegistry.get('vgg19-tap')).toBe(vgg19TapNode);
    const layer = vgg19TapNode.params.find((p) => p.name === 'layer');
    expect(layer?.default).toBe('relu3_1');
    expect(layer && 'options' in layer ? layer.options : []).toHaveLength(16);
  });

  it('outputs the layer as [1, h/4, w/4, 256] Features with its convention; owns nothing of its input', async () => {
    const image = tf.randomUniform([24, 32, 3], 0, 1, 'float32', 1) as tf.Tensor3D;
    const e = env();
    await e.services.vgg19.load('relu3_1'); // the shared model's weights are not part of the count below
    const before = tf.memory().numTensors;
    const { outputs } = await runNode(vgg19TapNode, { layer: 'relu3_1' }, { image }, e);
    const features = outputs.features as FeaturesValue;
    expect(features.layer).toBe('relu3_1');
    expect(features.convention).toBe('vgg19-matconvnet-rgb-mean');
    expect(features.tensor.shape).toEqual([1, 6, 8, 256]);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(image.isDisposed).toBe(false);
    features.tensor.dispose();
    image.dispose();
  });

  it('errors: an unknown layer names the param; too small an image for the layer says so', async () => {
    const image = tf.zeros([8, 8, 3]) as tf.Tensor3D;
    await expect(runNode(vgg19TapNode, { layer: 'relu6_1' }, { image }, env())).rejects.toThrow(/layer/);
    await expect(runNode(vgg19TapNode, { layer: 'relu5_1' }, { image }, env())).rejects.toThrow(/smaller than 16x16, the least relu5_1 needs/);
    image.dispose();
  });

  it('without installed weights the message says how to install them', async () => {
    const image = tf.zeros([8, 8, 3]) as tf.Tensor3D;
    const missing = { ...testEnv(), services: { vgg19: createNodeVgg19Service({ cacheDir: '/nonexistent-cache' }) } };
    await expect(runNode(vgg19TapNode, { layer: 'relu1_1' }, { image }, missing)).rejects.toThrow(/npx mgan-studio weights --from/);
    image.dispose();
  });
});
