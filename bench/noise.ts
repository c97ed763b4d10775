/**
 * Noise and image IO speed: `npm run bench -- noise [--repeat N]`. Noise is plain TypeScript (no
 * tfjs), so the backend column says "ts"; image decoding is pngjs / jpeg-js in Node.
 */
import { brownNoise, perlinNoise } from '../src/method/noise/noise';
import { readImageFile, encodePng } from '../src/platform/node/image-io';
import { samplePath } from '../src/platform/node/env';

async function median(repeat: number, fn: () => unknown | Promise<unknown>): Promise<number> {
  await fn(); // warm-up (JIT, FFT plans)
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const line = (obj: Record<string, unknown>) => console.log(JSON.stringify(obj));

export default async function bench(args: string[]): Promise<void> {
  const r = args.indexOf('--repeat');
  const repeat = r >= 0 ? Number(args[r + 1]) : 5;
  const sizes: Array<[number, number]> = [
    [256, 256],
    [512, 512],
    [600, 400],
  ];
  for (const [width, height] of sizes) {
    const perlin = await median(repeat, () => perlinNoise({ width, height, scale: 64, octaves: 5, seed: 1, color: true }));
    line({ bench: 'noise', case: `perlin ${width}x${height} colour 5 octaves`, backend: 'ts', ms: +perlin.toFixed(2) });
    const brown = await median(repeat, () => brownNoise({ width, height, beta: 2, seed: 1, color: true }));
    line({ bench: 'noise', case: `brown ${width}x${height} colour`, backend: 'ts', ms: +brown.toFixed(2) });
  }
  const tf = await import('@tensorflow/tfjs');
  const { initBackend } = await import('../src/runtime/backend');
  const backend = (await initBackend()).name;
  for (const name of ['coffee', 'starry_night']) {
    const path = samplePath(name);
    const ms = await median(repeat, async () => (await readImageFile(path)).dispose());
    line({ bench: 'noise', case: `decode ${name} (${path.split('.').pop()})`, backend, ms: +ms.toFixed(2) });
  }
  const img = tf.randomUniform([512, 512, 3]) as import('@tensorflow/tfjs').Tensor3D;
  const enc = await median(repeat, () => encodePng(img));
  line({ bench: 'noise', case: 'encodePng 512x512', backend, ms: +enc.toFixed(2) });
  img.dispose();
}
