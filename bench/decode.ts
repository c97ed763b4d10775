/**
 * MGAN decoder speed and memory (paper Fig. 15): `npm run bench -- decode [--backend wasm|cpu]
 * [--sizes 256,512,1024] [--tile 256] [--repeats N] [--mdan-iterations N] [--decoder NAME] [--skip-deconv] [--skip-train]`.
 * - `decode/<size>` and `decode-tiled/<size>`: photo -> VGG relu4_1 -> G, ms, peak tensor bytes (tf.profile)
 *   and process RSS; with `mdanRatio` = an MDAN run of the same image (125 iterations, extrapolated from
 *   `--mdan-iterations` timed ones) / the decode.
 * - `deconv/<shape>`: our fused 4x4 s2 transposed conv vs tf.conv2dTranspose.
 * - `train/<loss>-b<batch>-c<crop>`: MGAN training steps per second.
 * Uses a decoder of yours or a bundled one (`--decoder`, default starry_night) if there is one, else an untrained G (same cost).
 */
import * as tf from '@tensorflow/tfjs';
import { type MganDecoder, createMganDecoder } from '../src/method/mgan/decoder';
import { deconv4x4s2 } from '../src/method/mgan/deconv';
import { MganGenerator } from '../src/method/mgan/generator';
import { MganDataset } from '../src/method/mgan/dataset';
import { trainMgan } from '../src/method/mgan/trainer';
import { runMdan } from '../src/method/mdan/mdan';
import { createNodeDecoderCatalog, defaultServicesOptions } from '../src/platform/node/services';
import { argValue, benchBackend, benchVgg19Service, emit, syntheticPhoto, timeIt } from './lib';
import { DECODER_FORMAT } from '../src/formats/decoder-meta';

const PAPER_MDAN_ITERATIONS = 125;

const rssMB = () => Math.round(process.memoryUsage().rss / 2 ** 20);

export default async function bench(args: string[]): Promise<void> {
  const backend = await benchBackend(args);
  const repeats = Number(argValue(args, 'repeats', '2'));
  const sizes = argValue(args, 'sizes', '256,512,1024').split(',').map(Number);
  const tile = Number(argValue(args, 'tile', '256'));
  const mdanIterations = Number(argValue(args, 'mdan-iterations', '4'));
  const skipDeconv = args.includes('--skip-deconv');
  const skipTrain = args.includes('--skip-train');

  const servicesOptions = defaultServicesOptions();
  const service = benchVgg19Service(args);
  const vgg = await service.load('relu5_1');
  const loadVgg = (d: Parameters<typeof service.load>[0]) => service.load(d);
  const store = createNodeDecoderCatalog(servicesOptions, loadVgg);
  const name = argValue(args, 'decoder', 'starry_night');
  let decoder: MganDecoder;
  let trained = true;
  try {
    decoder = await store.load(name);
  } catch {
    trained = false;
    decoder = createMganDecoder(MganGenerator.create(1), { format: DECODER_FORMAT, formatVersion: 1, name: 'untrained', vggConvention: vgg.convention, createdAt: '', training: {} }, loadVgg);
  }

  // Fused deconv vs tf.conv2dTranspose at the decoder's 512x512-output shapes.
  for (const [h, cin, cout] of skipDeconv ? [] : ([[64, 512, 256], [128, 256, 128], [256, 128, 3]] as const)) {
    const x = tf.randomNormal([1, h, h, cin]) as tf.Tensor4D;
    const f = tf.randomNormal([4, 4, cout, cin]) as tf.Tensor4D;
    for (const plain of [false, true]) {
      const t = await timeIt(() => tf.tidy(() => deconv4x4s2(x, f, { plain }).dataSync()), { warmup: 1, repeats });
      emit({ bench: 'decode', case: `deconv/${h}x${h}x${cin}to${cout}-${plain ? 'conv2dTranspose' : 'fused'}`, backend, ...t });
    }
    tf.dispose([x, f]);
  }

  // MDAN on the same image, for the ratio: setup (the example's 18 variants through VGG) + 125 iterations,
  // the per-iteration time taken between the first and the last timed iteration.
  const mdanMs = new Map<number, number>();
  // Default 256 only: MDAN at 512 crashes the WASM backend here ('memory access out of bounds').
  const mdanSizes = argValue(args, 'mdan-sizes', '256').split(',').map(Number);
  for (const size of mdanSizes) {
    const img = syntheticPhoto(size, size);
    const start = performance.now();
    const stamps: number[] = [];
    const r = await runMdan(vgg, img, { size, iterations: Math.max(2, mdanIterations), exampleSize: 256, discriminator: { channels: 64 } }, {
      content: img,
      onIteration: () => void stamps.push(performance.now()),
    });
    r.image.dispose();
    r.discriminator.dispose();
    img.dispose();
    const perIteration = (stamps[stamps.length - 1] - stamps[0]) / (stamps.length - 1);
    const setup = stamps[0] - start - perIteration;
    const total = setup + perIteration * PAPER_MDAN_ITERATIONS;
    mdanMs.set(size, total);
    emit({ bench: 'decode', case: `mdan/${size}`, backend, ms: total, setupMs: Math.round(setup), msPerIteration: Math.round(perIteration), iterationsTimed: stamps.length, extrapolatedTo: PAPER_MDAN_ITERATIONS });
  }

  let warmedUp = false;
  for (const size of sizes) {
    const img = syntheticPhoto(size, size);
    for (const tiled of [false, true]) {
      if (tiled && size <= tile) continue;
      const options = { tile: tiled ? tile : (false as const), normalization: 'fixed' as const };
      // One warm-up decode of the smallest size; then each case is one decode, timed, inside tf.profile (peak bytes).
      if (!warmedUp) {
        const small = syntheticPhoto(64, 64);
        (await decoder.decode(small, { normalization: 'fixed' })).dispose();
        small.dispose();
        warmedUp = true;
      }
      const times: number[] = [];
      let peakBytes = 0;
      for (let r = 0; r < (size >= 1024 ? 1 : repeats); r++) {
        const start = performance.now();
        const profile = await tf.profile(async () => (await decoder.decode(img, options)).dispose());
        times.push(performance.now() - start);
        peakBytes = Math.max(peakBytes, profile.peakBytes);
      }
      const t = { ms: times.sort((a, b) => a - b)[times.length >> 1], min: times[0], max: times[times.length - 1], repeats: times.length };
      const mdan = mdanMs.get(size);
      emit({
        bench: 'decode',
        case: `${tiled ? 'decode-tiled' : 'decode'}/${size}`,
        backend,
        ...t,
        msPerMegapixel: Math.round(t.ms / ((size * size) / 1e6)),
        peakTensorMB: Math.round(peakBytes / 2 ** 20),
        rssMB: rssMB(),
        tile: tiled ? tile : 0,
        trainedDecoder: trained,
        ...(mdan ? { mdanRatio: Math.round(mdan / t.ms) } : {}),
      });
    }
    img.dispose();
  }
  decoder.dispose();

  if (skipTrain) return;
  // Training speed: steps per second on a small paired set (targets = a colour change of the photos).
  const photos = [syntheticPhoto(128, 128), syntheticPhoto(96, 128)];
  const targets = photos.map((p) => tf.tidy(() => tf.reverse(p, 2) as tf.Tensor3D));
  const data = MganDataset.build(photos, targets, { cropSize: 64, stride: 32, angles: [0], scales: [1], flips: [false] });
  for (const loss of ['pixel', 'mgan'] as const) {
    const batchSize = 4;
    const steps: number[] = [];
    let last = performance.now();
    await trainMgan(vgg, data, { epochs: 1, batchSize, loss }, {
      onStep: () => {
        const now = performance.now();
        steps.push(now - last);
        last = now;
      },
    }).then((r) => {
      r.generator.dispose();
      r.discriminator.dispose();
    });
    const ms = steps.slice(1).reduce((a, b) => a + b, 0) / Math.max(1, steps.length - 1);
    emit({ bench: 'decode', case: `train/${loss}-b${batchSize}-c64`, backend, ms, stepsPerSecond: Math.round((1000 / ms) * 100) / 100, stepsTimed: steps.length - 1 });
  }
  data.dispose();
  tf.dispose([...photos, ...targets]);
}
