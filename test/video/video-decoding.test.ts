import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { GraphDocument } from '../../src/graph/types';
import type { MganDecoder } from '../../src/method/mgan/decoder';
import { mganDecoderNode } from '../../src/nodes/mgan-decoder';
import { nodeRegistry } from '../../src/nodes/registry';
import type { Frames } from '../../src/nodes/types';
import { videoService } from '../../src/services/video';
import { createNodeDecoderCatalog } from '../../src/platform/node/services';
import { quantizeDecoderArtifacts } from '../../src/platform/common/decoder-quantize';
import { decoderToArtifacts, encodeDecoderFile } from '../../src/platform/common/decoder-store';
import { GraphRuntime } from '../../src/runtime/runtime';
import { collectFrames, makeContext, nodeEnv, tempDir } from './helpers';
import { requireFfmpeg } from '../support/requirements';
import { testVgg19 } from '../support/vgg19';
import { createTestDecoder } from './test-decoder';

let dir: string;
let cleanup: () => Promise<void>;
let decoder: MganDecoder;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('decoding'));
  requireFfmpeg();
  const video = videoService(nodeEnv(dir).services);
  decoder = await createTestDecoder((await video.open({ kind: 'sample', name: 'coffee_pan' }, { maxSide: 64, fps: 4, start: 0, duration: 1 })).open());
});
afterAll(async () => {
  decoder?.dispose();
  await cleanup();
});

/** An env whose decoder store (in the temp folder, no bundled decoders) and VGG19 are the test ones. */
function envWithStore() {
  const env = nodeEnv(dir);
  env.services = {
    ...env.services,
    vgg19: testVgg19,
    decoders: createNodeDecoderCatalog({ cacheDir: dir, bundledDecodersDir: join(dir, 'bundled') }, (l) => testVgg19.load(l)),
  };
  return env;
}

describe('mgan-decoder with a video', () => {
  it('maps every frame lazily through the decoder (fixed statistics, one noise field)', async () => {
    const env = nodeEnv(dir);
    const video = videoService(env.services);
    const source = await video.open({ kind: 'sample', name: 'coffee_pan' }, { maxSide: 64, fps: 8, start: 0, duration: 0.5 });
    expect([source.width, source.height]).toEqual([64, 43]);
    const before = tf.memory().numTensors;
    const run = makeContext(mganDecoderNode, { noise: 0.3, noiseSeed: 5 }, env, { decoder, image: source });
    const out = (await mganDecoderNode.run(run.ctx)) as { image: tf.Tensor3D; frames: Frames };
    expect(run.warnings.join()).toMatch(/resized to 64x40/);
    expect(out.image.shape).toEqual([40, 64, 3]);
    expect([out.frames.width, out.frames.height, out.frames.fps, out.frames.frameCount]).toEqual([64, 40, 8, 4]);
    const frames = await collectFrames(out.frames);
    expect(frames.length).toBe(4);
    // frame 0 of the stream is the node's image output; each frame is what decode gives for it
    const first = await out.image.data();
    expect(Math.max(...frames[0].data.map((v, i) => Math.abs(v - first[i])))).toBeLessThan(1e-5);
    const sourceFrames = await collectFrames(source);
    const input3 = tf.tensor3d(sourceFrames[3].data, [43, 64, 3]);
    const direct = await decoder.decode(input3, { noise: 0.3, noiseSeed: 5, normalization: 'fixed' });
    const directData = await direct.data();
    expect(Math.max(...frames[3].data.map((v, i) => Math.abs(v - directData[i])))).toBeLessThan(1e-5);
    tf.dispose([input3, direct, out.image]);
    out.frames.dispose?.();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('an image in still gives an image, and a one-frame stream', async () => {
    const image = tf.randomUniform([32, 48, 3], 0, 1, 'float32', 2) as tf.Tensor3D;
    const before = tf.memory().numTensors;
    const out = (await mganDecoderNode.run(makeContext(mganDecoderNode, {}, nodeEnv(dir), { decoder, image }).ctx)) as { image: tf.Tensor3D; frames: Frames };
    expect(out.image.shape).toEqual([32, 48, 3]);
    expect((await collectFrames(out.frames)).length).toBe(1);
    out.image.dispose();
    out.frames.dispose?.();
    expect(tf.memory().numTensors).toBe(before);
    image.dispose();
  });

  it('the video-stylisation preset decodes the sample with a bundled starry_night decoder (nothing of yours) and writes frames + WebM', async () => {
    const env = envWithStore();
    await mkdir(join(dir, 'bundled'), { recursive: true });
    await writeFile(join(dir, 'bundled', 'starry_night.mgan'), encodeDecoderFile(quantizeDecoderArtifacts(await decoderToArtifacts(decoder))));
    const preset = JSON.parse(await readFile('presets/video-stylisation.json', 'utf8')) as GraphDocument;
    expect(preset.meta).toMatchObject({ figure: 'Fig. 14' });
    expect(Object.keys(preset.meta)).toEqual(expect.arrayContaining(['description', 'figure', 'paperSettings', 'title']));
    // the preset as shipped, smaller and shorter for the test
    const clip = preset.nodes.find((n) => n.type === 'video-source')!;
    clip.params = { ...clip.params, maxSide: 48, fps: 6, duration: 0.5 };
    const runtime = new GraphRuntime({ registry: nodeRegistry, env });
    runtime.setDocument(preset);
    const statuses = await runtime.run({ includeLong: true });
    for (const s of statuses.values()) expect(s.state, `${s.nodeId}: ${s.error ?? ''}`).toBe('done');
    expect(statuses.get('decode')?.notes).toEqual(["decoder 'starry_night' (bundled)"]);
    const frames = (await readdir(join(dir, 'video_out'))).sort();
    expect(frames).toEqual(['frame_00001.png', 'frame_00002.png', 'frame_00003.png']);
    expect((await stat(join(dir, 'video_out.webm'))).size).toBeGreaterThan(500);
    runtime.dispose();
  });
});
