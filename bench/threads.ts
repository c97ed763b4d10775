/**
 * What a second WASM thread buys: `npm run bench -- threads --threads N [--repeats 3]`. Times XNNPACK's
 * two big kernels (a 3x3 conv 128²×256→256, 9.7 GFLOP, and a 2048² matmul, 17.2 GFLOP) and reports the
 * wall time and the CPU time of all threads. Run it with 1 and with N threads: equal CPU time means no
 * cost for the threads, so on free cores the wall time divides by N (on a busy machine the wall time
 * mostly shows what the other jobs left).
 */
import * as tf from '@tensorflow/tfjs';
import { argValue, benchBackend, benchBackendInfo, emit, median } from './lib';

export default async function bench(args: string[]): Promise<void> {
  const backend = await benchBackend(args);
  const threads = benchBackendInfo()?.threads ?? 1;
  const repeats = Number(argValue(args, 'repeats', '3'));
  const x = tf.randomNormal([1, 128, 128, 256], 0, 1, 'float32', 1) as tf.Tensor4D;
  const w = tf.randomNormal([3, 3, 256, 256], 0, 1, 'float32', 2) as tf.Tensor4D;
  const a = tf.randomNormal([2048, 2048], 0, 1, 'float32', 3);
  const cases: Array<[string, () => tf.Tensor, number]> = [
    ['conv3x3-128x128x256to256', () => tf.conv2d(x, w, 1, 'same'), 2 * 128 * 128 * 256 * 256 * 9],
    ['matmul-2048', () => tf.matMul(a, a), 2 * 2048 ** 3],
  ];
  for (const [name, op, flop] of cases) {
    tf.tidy(() => void op().dataSync()); // warm-up
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const start = performance.now();
      const startCpu = process.cpuUsage();
      tf.tidy(() => void op().dataSync());
      const used = process.cpuUsage(startCpu);
      wall.push(performance.now() - start);
      cpu.push((used.user + used.system) / 1000);
    }
    const ms = median(wall);
    const cpuMs = median(cpu);
    emit({ bench: 'threads', case: name, backend, threads, ms, min: Math.min(...wall), max: Math.max(...wall), repeats, cpuMs: Math.round(cpuMs), gflopsPerCpuSecond: Math.round(flop / 1e6 / cpuMs) });
  }
  tf.dispose([x, w, a]);
}
