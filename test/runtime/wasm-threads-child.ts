/**
 * Run by wasm-threads.test.ts in a fresh Node process (the WASM thread count is fixed when the backend
 * starts): `node --import tsx test/runtime/wasm-threads-child.ts THREADS [results|cancel|lost-thread|exit]`.
 * Prints one JSON line; `exit` then leaves the process to end by itself (the others call process.exit). Uses a VGG19 with random weights (real layer widths) so it needs no weight files.
 */
import * as tf from '@tensorflow/tfjs';
import { MganDataset } from '../../src/method/mgan/dataset';
import { runMdan } from '../../src/method/mdan/mdan';
import { trainMgan } from '../../src/method/mgan/trainer';
import { generatorInput } from '../../src/method/mgan/generator';
import { createVgg19, VGG19_CONV_LAYERS, type Vgg19Weights } from '../../src/method/vgg/vgg19';
import { initBackend } from '../../src/runtime/backend';
import { GraphRuntime } from '../../src/runtime/runtime';
import { nodeWasmThreading, wasmPoolThreads } from '../../src/platform/node/wasm-threads';
import { doc, edge, fakeRegistry, node, testEnv } from './fake-nodes';

const WIDTHS = [64, 64, 128, 128, 256, 256, 256, 256, 512];

function randomVgg() {
  const layers: Vgg19Weights['layers'] = {};
  let cin = 3;
  VGG19_CONV_LAYERS.slice(0, WIDTHS.length).forEach((conv, i) => {
    const cout = WIDTHS[i];
    layers[conv] = {
      kernel: tf.randomNormal([3, 3, cin, cout], 0, Math.sqrt(2 / (9 * cin)) / 40, 'float32', 10 + i) as tf.Tensor4D,
      bias: tf.zeros([cout]) as tf.Tensor1D,
    };
    cin = cout;
  });
  return createVgg19({ convention: 'vgg19-matconvnet-rgb-mean', layers });
}

function image(h: number, w: number, seed: number): tf.Tensor3D {
  return tf.randomUniform([h, w, 3], 0, 1, 'float32', seed) as tf.Tensor3D;
}

const sample = (values: ArrayLike<number>, n = 48) => Array.from({ length: n }, (_, i) => values[Math.floor((i * values.length) / n)]);

async function results() {
  const vgg = randomVgg();
  const texture = image(48, 48, 1);
  const mdan = await runMdan(vgg, texture, { size: 32, exampleSize: 48, iterations: 3, discriminator: { channels: 16 } });
  const photos = [image(48, 48, 2), image(48, 48, 3)];
  const targets = [image(48, 48, 4), image(48, 48, 5)];
  const data = MganDataset.build(photos, targets, { cropSize: 32, stride: 16, angles: [0], scales: [1], flips: [false] });
  const mgan = await trainMgan(vgg, data, { epochs: 1, batchSize: 4, loss: 'mgan' });
  const decoded = tf.tidy(() => mgan.generator.forward(generatorInput(vgg, tf.expandDims(photos[0], 0) as tf.Tensor4D), { normalization: 'batch' }));
  return { mdan: sample(mdan.image.dataSync()), mganLosses: mgan.lossHistory, decoded: sample(decoded.dataSync()) };
}

/** Cancels an MDAN run and an MGAN run after their first step: what is left behind. */
async function cancel() {
  const vgg = randomVgg();
  const texture = image(48, 48, 1);
  const photos = [image(48, 48, 2)];
  const targets = [image(48, 48, 4)];
  const data = MganDataset.build(photos, targets, { cropSize: 32, stride: 16, angles: [0], scales: [1], flips: [false] });
  const tensors = tf.memory().numTensors;
  const threads = wasmPoolThreads().length;
  const outcomes: string[] = [];
  for (const run of [
    (signal: AbortSignal, onStep: () => void) => runMdan(vgg, texture, { size: 32, exampleSize: 48, iterations: 5, discriminator: { channels: 16 } }, { signal, onIteration: onStep }),
    (signal: AbortSignal, onStep: () => void) => trainMgan(vgg, data, { epochs: 2, batchSize: 2, loss: 'mgan' }, { signal, onStep }),
  ]) {
    const stop = new AbortController();
    try {
      await run(stop.signal, () => stop.abort());
      outcomes.push('finished');
    } catch (e) {
      outcomes.push((e as Error).name);
    }
  }
  return { outcomes, tensorsBefore: tensors, tensorsAfter: tf.memory().numTensors, threadsBefore: threads, threadsAfter: wasmPoolThreads().length };
}

/** Stops one of the pool's threads, then runs a graph: the node must fail with a message, not hang. */
async function lostThread() {
  // The pool threads do not keep the process alive: a timer does, until the thread's exit is seen.
  const keepAlive = setInterval(() => undefined, 1000);
  const threads = wasmPoolThreads();
  const exited = new Promise((resolve) => threads[0].once('exit', resolve));
  await threads[0].terminate();
  await exited;
  const { registry } = fakeRegistry();
  const runtime = new GraphRuntime({ registry, env: testEnv });
  runtime.setDocument(doc([node('src', 'fill'), node('s', 'scale')], [edge('src', 's')]));
  const statuses = await runtime.run();
  const first = statuses.get('src');
  runtime.dispose();
  clearInterval(keepAlive);
  return { state: first?.state, error: first?.error };
}

const [threadsArg, mode = 'results'] = process.argv.slice(2);
tf.env().set('PROD', true);
const info = await initBackend('wasm', { threads: Number(threadsArg), wasmThreading: nodeWasmThreading });
if (mode === 'exit') {
  // Some work on the pool, then nothing left to do: the process must end on its own.
  const sum = tf.tidy(() => tf.sum(tf.conv2d(tf.ones([1, 32, 32, 16]) as tf.Tensor4D, tf.ones([3, 3, 16, 16]) as tf.Tensor4D, 1, 'same')).dataSync()[0]);
  process.stdout.write(`${JSON.stringify({ threads: info.threads, sum })}\n`);
} else {
  const out = mode === 'cancel' ? await cancel() : mode === 'lost-thread' ? await lostThread() : await results();
  process.stdout.write(`${JSON.stringify({ threads: info.threads, ...out })}\n`);
  process.exit(0);
}
