// The runtime with the real image nodes: caching, bypass and tensor counts end to end.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { GraphDocument, ParamValue } from '../../src/graph/types';
import { nodeRegistry } from '../../src/nodes/registry';
import { GraphRuntime } from '../../src/runtime/runtime';
import { testEnv } from './fake-nodes';

function graph(amount: number, bypassBlend = false): GraphDocument {
  const node = (id: string, type: string, params: Record<string, ParamValue>, bypass = false) => ({ id, type, version: 1, params, position: { x: 0, y: 0 }, bypass });
  const edge = (from: string, to: string, port: string) => ({ from: { node: from, port: 'image' }, to: { node: to, port } });
  return {
    schemaVersion: 1,
    nodes: [
      node('perlin', 'perlin-noise', { width: 32, height: 32, scale: 8, octaves: 2, seed: 5 }),
      node('brown', 'brown-noise', { width: 32, height: 32, beta: 2, seed: 6 }),
      node('mix', 'blend', { amount, mode: 'normal' }, bypassBlend),
      node('out', 'image-out', {}),
    ],
    edges: [edge('perlin', 'mix', 'a'), edge('brown', 'mix', 'b'), edge('mix', 'out', 'image')],
    meta: {},
  };
}

describe('GraphRuntime with the foundation nodes', () => {
  it('re-runs only blend and image-out after a blend change; frees everything on clearCache', async () => {
    const baseline = tf.memory().numTensors;
    const runtime = new GraphRuntime({ registry: nodeRegistry, env: testEnv });
    runtime.setDocument(graph(0.5));
    const first = await runtime.run();
    expect([...first.values()].map((s) => s.state)).toEqual(['done', 'done', 'done', 'done']);
    const perlinBefore = runtime.getOutput('perlin', 'image');

    runtime.setDocument(graph(0.25));
    const second = await runtime.run();
    expect(second.get('perlin')?.cached).toBe(true);
    expect(second.get('brown')?.cached).toBe(true);
    expect(second.get('mix')?.cached).toBe(false);
    expect(second.get('out')?.cached).toBe(false);
    expect(runtime.getOutput('perlin', 'image')).toBe(perlinBefore);

    // Bypassing the blend passes perlin (its first input) straight to image-out.
    runtime.setDocument(graph(0.25, true));
    await runtime.run();
    const perlin = await (runtime.getOutput('perlin', 'image') as tf.Tensor).data();
    const out = await (runtime.getOutput('out', 'image') as tf.Tensor).data();
    expect(Array.from(out)).toEqual(Array.from(perlin));

    runtime.clearCache();
    expect(tf.memory().numTensors).toBe(baseline);
    runtime.dispose();
  });
});
