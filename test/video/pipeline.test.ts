import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { GraphDocument } from '../../src/graph/types';
import { nodeRegistry } from '../../src/nodes/registry';
import { GraphRuntime } from '../../src/runtime/runtime';
import { nodeEnv, tempDir } from './helpers';
import { requireFfmpeg } from '../support/requirements';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir('pipeline')));
afterAll(() => cleanup());

function videoDoc(sourceParams: Record<string, number | string | boolean>): GraphDocument {
  return {
    schemaVersion: 1,
    meta: {},
    nodes: [
      { id: 'clip', type: 'video-source', version: 1, params: sourceParams, position: { x: 0, y: 0 } },
      { id: 'player', type: 'video-out', version: 1, params: { name: 'player' }, position: { x: 300, y: 0 } },
      { id: 'still', type: 'perlin-noise', version: 1, params: { width: 16, height: 16 }, position: { x: 0, y: 200 } },
      { id: 'still_out', type: 'image-out', version: 1, params: {}, position: { x: 300, y: 200 } },
    ],
    edges: [
      { from: { node: 'clip', port: 'frames' }, to: { node: 'player', port: 'frames' } },
      { from: { node: 'still', port: 'image' }, to: { node: 'still_out', port: 'image' } },
    ],
  };
}

describe('video graph in the runtime', () => {
  beforeAll(requireFfmpeg);
  it('runs video-source -> video-out, writes the frames and a WebM, and frees everything', async () => {
    const before = tf.memory().numTensors;
    const runtime = new GraphRuntime({ registry: nodeRegistry, env: nodeEnv(dir) });
    runtime.setDocument(videoDoc({ sample: 'coffee_pan', maxSide: 40, fps: 5, duration: 1 }));
    const statuses = await runtime.run({ includeLong: true });
    expect(statuses.get('player')?.state).toBe('done');
    expect((await readdir(join(dir, 'player'))).length).toBe(5);
    expect((await stat(join(dir, 'player.webm'))).size).toBeGreaterThan(500);
    runtime.clearCache();
    runtime.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a broken video fails at its source node; the rest of the graph still runs', async () => {
    const runtime = new GraphRuntime({ registry: nodeRegistry, env: nodeEnv(dir) });
    runtime.setDocument(videoDoc({ path: join(dir, 'missing.webm') }));
    const statuses = await runtime.run({ includeLong: true });
    expect(statuses.get('clip')?.state).toBe('error');
    expect(statuses.get('clip')?.error).toMatch(/video not found: .*missing\.webm/);
    expect(statuses.get('player')?.state).not.toBe('done');
    expect(statuses.get('still_out')?.state).toBe('done');
    runtime.dispose();
  });
});
