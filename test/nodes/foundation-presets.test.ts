import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { validateDocument } from '../../src/graph/validate';
import { nodeRegistry } from '../../src/nodes/registry';
import { createNodeEnv } from '../../src/platform/node/env';
import { GraphRuntime } from '../../src/runtime/runtime';

const PRESETS = ['perlin-noise', 'brown-noise'];
const load = (name: string) => JSON.parse(readFileSync(join(__dirname, '../../presets', `${name}.json`), 'utf8'));

describe.each(PRESETS)('preset %s', (name) => {
  it('is a valid document with the preset meta and nodes laid out left to right', () => {
    const raw = load(name);
    const result = validateDocument(raw, nodeRegistry);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(typeof raw.meta.title).toBe('string');
    expect(typeof raw.meta.description).toBe('string');
    expect(typeof raw.meta.figure).toBe('string');
    expect(existsSync(join(__dirname, '../..', raw.meta.thumbnail))).toBe(true);
    const x = new Map(raw.nodes.map((n: { id: string; position: { x: number } }) => [n.id, n.position.x]));
    for (const e of raw.edges) expect(x.get(e.to.node)).toBeGreaterThan(x.get(e.from.node) as number);
  });

  it('runs: every image-out gives an image in [0, 1], same pixels twice, memory back at baseline', async () => {
    const doc = validateDocument(load(name), nodeRegistry).document!;
    const before = tf.memory().numTensors;
    const outs = doc.nodes.filter((n) => n.type === 'image-out').map((n) => n.id);
    const pixels: number[][][] = [];
    for (let round = 0; round < 2; round++) {
      const runtime = new GraphRuntime({ registry: nodeRegistry, env: createNodeEnv() });
      runtime.setDocument(doc);
      const status = await runtime.run();
      const got: number[][] = [];
      for (const id of outs) {
        expect(status.get(id)?.state, `${id}: ${status.get(id)?.error}`).toBe('done');
        const img = runtime.getOutput(id, 'image') as tf.Tensor3D;
        expect(img.shape[2]).toBe(3);
        const data = Array.from(await img.data());
        expect(data.every((v) => v >= 0 && v <= 1)).toBe(true);
        got.push(data);
      }
      pixels.push(got);
      runtime.dispose();
    }
    expect(pixels[1]).toEqual(pixels[0]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
