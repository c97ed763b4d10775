/**
 * Runtime overhead on a small noise graph: a cold run, a fully cached run, a run after one param
 * change downstream (only the blend and image-out re-run), one preview readback (what the editor
 * pays per throttled preview), and the CLI end to end in-process.
 * `npm run bench -- runtime [--backend wasm|cpu] [--size 256] [--repeats 5]`
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import type { GraphDocument } from '../src/graph/types';
import { nodeRegistry } from '../src/nodes/registry';
import { createNodeEnv } from '../src/platform/node/env';
import * as tf from '@tensorflow/tfjs';
import { startPreviewReadback } from '../src/runtime/preview';
import { GraphRuntime } from '../src/runtime/runtime';
import { main } from '../src/cli/main';
import { argValue, benchBackend, emit, timeIt } from './lib';

function noiseGraph(size: number, amount: number): GraphDocument {
  const node = (id: string, type: string, params: Record<string, number | string | boolean>) => ({ id, type, version: 1, params, position: { x: 0, y: 0 } });
  const edge = (from: string, to: string, port: string) => ({ from: { node: from, port: 'image' }, to: { node: to, port } });
  return {
    schemaVersion: 1,
    nodes: [
      node('perlin', 'perlin-noise', { width: size, height: size, scale: size / 4, octaves: 4, seed: 1 }),
      node('brown', 'brown-noise', { width: size, height: size, beta: 2, seed: 2 }),
      node('mix', 'blend', { amount, mode: 'normal' }),
      node('out', 'image-out', {}),
    ],
    edges: [edge('perlin', 'mix', 'a'), edge('brown', 'mix', 'b'), edge('mix', 'out', 'image')],
    meta: {},
  };
}

export default async function runtimeBench(args: string[]): Promise<void> {
  const backend = await benchBackend(args);
  const size = Number(argValue(args, 'size', '256'));
  const repeats = Number(argValue(args, 'repeats', '5'));
  const env = createNodeEnv();
  const common = { bench: 'runtime', backend, size };

  const cold = await timeIt(
    async () => {
      const runtime = new GraphRuntime({ registry: nodeRegistry, env });
      runtime.setDocument(noiseGraph(size, 0.5));
      await runtime.run();
      runtime.dispose();
    },
    { warmup: 1, repeats },
  );
  emit({ ...common, case: 'cold run (4 nodes)', ...cold });

  const runtime = new GraphRuntime({ registry: nodeRegistry, env });
  runtime.setDocument(noiseGraph(size, 0.5));
  await runtime.run();
  const cached = await timeIt(() => runtime.run(), { warmup: 1, repeats });
  emit({ ...common, case: 'fully cached run', ...cached });

  let amount = 0.5;
  const changed = await timeIt(
    async () => {
      amount = amount === 0.5 ? 0.25 : 0.5;
      runtime.setDocument(noiseGraph(size, amount));
      await runtime.run();
    },
    { warmup: 1, repeats },
  );
  emit({ ...common, case: 'one param changed (2 of 4 nodes re-run)', ...changed });
  runtime.dispose();

  const image = tf.randomUniform([size, size, 3]) as tf.Tensor3D;
  const preview = await timeIt(() => startPreviewReadback('bench', image), { warmup: 1, repeats });
  emit({ ...common, case: 'preview readback to RGBA', ...preview });
  image.dispose();

  const dir = mkdtempSync(join(tmpdir(), 'bench-runtime-'));
  try {
    const graph = join(dir, 'graph.json');
    writeFileSync(graph, JSON.stringify(noiseGraph(size, 0.5)));
    const quiet = { out: () => undefined, err: () => undefined };
    const cli = await timeIt(
      async () => {
        const code = await main(['run', graph, '--out', join(dir, 'out'), '--backend', backend], quiet);
        if (code !== 0) throw new Error(`cli exited ${code}`);
      },
      { warmup: 1, repeats },
    );
    emit({ ...common, case: 'cli run incl. PNG write', ...cli });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
