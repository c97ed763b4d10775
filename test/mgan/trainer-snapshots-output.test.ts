// The trainer's snapshot strip is made only for a consumer: with `snapshots` unwired no snapshot is
// decoded (neither at the snapshotAt counts nor at the end); wired, the strip comes as before. Run
// through the runtime, which tells the node what is wired.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';
import type { GraphDocument, GraphNode, ParamValue } from '../../src/graph/types';
import { nodeRegistry } from '../../src/nodes/registry';
import { GraphRuntime } from '../../src/runtime/runtime';
import type { PreviewImage } from '../../src/runtime/types';
import { testEnv } from '../nodes/run-node';

// Counts the trainer node's own snapshot decodes (the end of the strip); the per-batch ones inside
// trainMgan reach the runtime as previews and are counted there.
const finalSnapshots = vi.hoisted(() => ({ calls: 0 }));
vi.mock('../../src/method/mgan/trainer', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/method/mgan/trainer')>();
  return {
    ...original,
    snapshot: (...args: Parameters<typeof original.snapshot>) => {
      finalSnapshots.calls++;
      return original.snapshot(...args);
    },
  };
});

const TRAINER: Record<string, ParamValue> = {
  epochs: 1,
  // One batch (all crops of the one photo): the strip is "1 batch" and the end.
  batchSize: 128,
  cropSize: 16,
  stride: 512,
  mdanIterations: 1,
  mdanSize: 64,
  snapshotEvery: 0,
  snapshotAt: '1, 500',
  emaDecay: 0,
  checkpointEvery: 0,
  startFromInverter: false,
  seed: 3,
};

function graph(wireSnapshots: boolean): GraphDocument {
  const node = (id: string, type: string, params: Record<string, ParamValue> = {}): GraphNode => ({ id, type, version: nodeRegistry.get(type)!.version, params, position: { x: 0, y: 0 } });
  const edge = (from: string, fromPort: string, to: string, toPort: string) => ({ from: { node: from, port: fromPort }, to: { node: to, port: toPort } });
  return {
    schemaVersion: 2,
    nodes: [
      node('texture', 'image-source', { sample: 'starry_night', maxSide: 48 }),
      node('photos', 'image-set', { samples: 'chelsea', maxSide: 32 }),
      node('unseen', 'image-source', { sample: 'coffee', maxSide: 32, multipleOf: 8 }),
      node('trainer', 'mgan-trainer', TRAINER),
      node('decode', 'mgan-decoder', { decoder: '' }),
      node('out', 'image-out'),
      ...(wireSnapshots ? [node('strip', 'image-out')] : []),
    ],
    edges: [
      edge('texture', 'image', 'trainer', 'texture'),
      edge('photos', 'images', 'trainer', 'photos'),
      edge('unseen', 'image', 'trainer', 'snapshotPhoto'),
      edge('trainer', 'decoder', 'decode', 'decoder'),
      edge('unseen', 'image', 'decode', 'image'),
      edge('decode', 'image', 'out', 'image'),
      ...(wireSnapshots ? [edge('trainer', 'snapshots', 'strip', 'image')] : []),
    ],
    meta: {},
  };
}

async function runGraph(wireSnapshots: boolean) {
  const runtime = new GraphRuntime({ registry: nodeRegistry, env: testEnv(), previewIntervalMs: 0 });
  const previews: PreviewImage[] = [];
  const subscription = runtime.preview$.subscribe((p) => p.nodeId === 'trainer' && previews.push(p));
  finalSnapshots.calls = 0;
  runtime.setDocument(graph(wireSnapshots));
  const statuses = await runtime.run({ includeLong: true });
  // Previews are read back asynchronously: let the last ones arrive.
  await new Promise((r) => setTimeout(r, 50));
  subscription.unsubscribe();
  const read = async (id: string, port: string) => {
    const t = runtime.getOutput(id, port) as tf.Tensor3D | undefined;
    return t && { shape: t.shape, data: Array.from(await t.data()) };
  };
  const result = {
    statuses,
    previews: previews.length,
    finalSnapshots: finalSnapshots.calls,
    decoded: await read('out', 'image'),
    strip: await read('trainer', 'snapshots'),
  };
  runtime.dispose();
  return result;
}

describe('mgan-trainer snapshots output', () => {
  it('unwired: no snapshot is decoded and no strip made; wired: the strip, and the same decoder', { timeout: 900_000 }, async () => {
    const unwired = await runGraph(false);
    // Measured from here: the first run loaded VGG19, which the environment keeps.
    const before = tf.memory().numTensors;
    expect(unwired.statuses.get('trainer')?.state, unwired.statuses.get('trainer')?.error).toBe('done');
    expect(unwired.statuses.get('out')?.state).toBe('done');
    expect(unwired.finalSnapshots).toBe(0);
    expect(unwired.previews).toBe(0);
    expect(unwired.strip).toBeUndefined();
    // Nothing to warn about: no strip was asked for, so none misses a count.
    expect(unwired.statuses.get('trainer')?.warnings ?? []).not.toContainEqual(expect.stringMatching(/snapshots strip/));

    const wired = await runGraph(true);
    expect(wired.statuses.get('strip')?.state, wired.statuses.get('strip')?.error).toBe('done');
    // Batch 1 decoded during training (a preview), the end decoded once more for the strip.
    expect(wired.finalSnapshots).toBe(1);
    expect(wired.previews).toBeGreaterThanOrEqual(2);
    expect(wired.statuses.get('trainer')?.warnings).toContainEqual(expect.stringMatching(/snapshots strip has no 500/));
    // Two 32 px tiles side by side with their labels under them.
    const [height, width] = wired.strip!.shape;
    expect(width).toBeGreaterThan(2 * 32);
    expect(height).toBeGreaterThan(32);
    // The strip only looks at G: the decoder trained is the same either way.
    expect(wired.decoded!.shape).toEqual(unwired.decoded!.shape);
    expect(wired.decoded!.data).toEqual(unwired.decoded!.data);
    expect(tf.memory().numTensors).toBe(before);
  });
});
