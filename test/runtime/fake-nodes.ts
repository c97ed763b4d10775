/** Tiny node types for runtime tests: counters prove what ran, a long node loops on checkpoints. */
import * as tf from '@tensorflow/tfjs';
import type { GraphDocument, GraphEdge, GraphNode, ParamValue } from '../../src/graph/types';
import { NodeRegistry } from '../../src/nodes/registry';
import { outputWanted, type NodeDefinition, type NodeEnv } from '../../src/nodes/types';

export interface Counters {
  runs: Record<string, number>;
  /** (tag, iteration) for every iteration the long node did, in order. */
  iterations: Array<{ tag: number; i: number; gain?: number }>;
  /** The wired outputs each run of a `report` node was told about, in order. */
  wired: string[][];
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function fakeRegistry(): { registry: NodeRegistry; counters: Counters } {
  const counters: Counters = { runs: {}, iterations: [], wired: [] };
  const count = (nodeId: string) => {
    counters.runs[nodeId] = (counters.runs[nodeId] ?? 0) + 1;
  };
  // The runtime passes params, not the node id; tests give every node a unique `tag` to count by.
  const tagOf = (params: Record<string, ParamValue>) => String(params.tag);
  const base = { version: 1, category: 'test', doc: 'test node' };
  const tagParam = { name: 'tag', type: 'string' as const, default: '', description: 'counter key' };

  const fill: NodeDefinition = {
    ...base,
    type: 'fill',
    title: 'Fill',
    inputs: [],
    outputs: [{ name: 'image', type: 'Image' }],
    params: [tagParam, { name: 'value', type: 'number', default: 0.5, min: 0, max: 1, description: 'grey level' }],
    async run({ params }) {
      count(tagOf(params));
      return { image: tf.fill([4, 4, 3], params.value as number) };
    },
  };
  const scale: NodeDefinition = {
    ...base,
    type: 'scale',
    title: 'Scale',
    inputs: [{ name: 'image', type: 'Image' }],
    outputs: [{ name: 'image', type: 'Image' }],
    params: [tagParam, { name: 'factor', type: 'number', default: 1, description: 'multiplier' }],
    async run({ inputs, params, warn }) {
      count(tagOf(params));
      if ((params.factor as number) > 1) warn('values above 1 are clipped');
      const image = inputs.image as tf.Tensor3D;
      return { image: tf.tidy(() => image.mul(params.factor as number).clipByValue(0, 1)) };
    },
  };
  const fail: NodeDefinition = {
    ...base,
    type: 'fail',
    title: 'Fail',
    inputs: [{ name: 'image', type: 'Image' }],
    outputs: [{ name: 'image', type: 'Image' }],
    params: [tagParam],
    async run({ params }) {
      count(tagOf(params));
      throw new Error('boom: this node always fails');
    },
  };
  const loop: NodeDefinition = {
    ...base,
    type: 'loop',
    title: 'Loop',
    long: true,
    inputs: [{ name: 'image', type: 'Image' }],
    outputs: [{ name: 'image', type: 'Image' }],
    params: [
      tagParam,
      { name: 'iterations', type: 'number', default: 5, integer: true, min: 1, description: 'how many' },
      { name: 'run', type: 'number', default: 0, description: 'which request (tests tell runs apart)' },
      { name: 'gain', type: 'number', default: 1, midRun: true, description: 'the output is multiplied by it; taken mid-run' },
    ],
    async run({ inputs, params, control, progress, preview, tuned }) {
      count(tagOf(params));
      const total = params.iterations as number;
      const image = inputs.image as tf.Tensor3D;
      let gain = params.gain as number;
      for (let i = 0; i < total; i++) {
        await control.checkpoint();
        gain = (tuned?.() ?? params).gain as number;
        counters.iterations.push({ tag: params.run as number, i, gain });
        progress((i + 1) / total, { iteration: i + 1, total, losses: { l: 1 / (i + 1) } });
        preview(image);
        await sleep(5);
      }
      return { image: gain === 1 ? tf.clone(image) : tf.mul(image, gain) };
    },
  };
  // Reads something outside the graph by name (as the decoder node does).
  const named: NodeDefinition = {
    ...base,
    type: 'named',
    title: 'Named',
    inputs: [],
    outputs: [{ name: 'image', type: 'Image' }],
    params: [tagParam, { name: 'source', type: 'string', default: 'x', resource: 'store-or-path', description: 'a stored thing' }],
    async run({ params }) {
      count(tagOf(params));
      return { image: tf.fill([4, 4, 3], 0.25) };
    },
  };
  // A long node with an output worth computing only for a consumer (as the trainer's snapshot strip).
  const report: NodeDefinition = {
    ...base,
    type: 'report',
    title: 'Report',
    long: true,
    inputs: [{ name: 'image', type: 'Image' }],
    outputs: [
      { name: 'image', type: 'Image' },
      { name: 'report', type: 'Image', onDemand: true },
    ],
    params: [tagParam, { name: 'skipReport', type: 'boolean', default: false, description: 'leave the report out even when wired' }],
    async run(ctx) {
      count(tagOf(ctx.params));
      counters.wired.push([...(ctx.wiredOutputs ?? [])].sort());
      const image = ctx.inputs.image as tf.Tensor3D;
      const report = outputWanted(ctx, 'report') && !ctx.params.skipReport;
      return { image: tf.clone(image), ...(report ? { report: tf.mul(image, 0.5) } : {}) };
    },
  };
  return { registry: new NodeRegistry([fill, scale, fail, loop, named, report]), counters };
}

export const testEnv: NodeEnv = {
  platform: 'node',
  loadImage: () => Promise.reject(new Error('no images in runtime tests')),
  sampleNames: () => [],
  readBytes: () => Promise.reject(new Error('no files in runtime tests')),
  services: {},
};

export function node(id: string, type: string, params: Record<string, ParamValue> = {}, extra: Partial<GraphNode> = {}): GraphNode {
  return { id, type, version: 1, params: { tag: id, ...params }, position: { x: 0, y: 0 }, ...extra };
}

export function edge(from: string, to: string, toPort = 'image', fromPort = 'image'): GraphEdge {
  return { from: { node: from, port: fromPort }, to: { node: to, port: toPort } };
}

export function doc(nodes: GraphNode[], edges: GraphEdge[]): GraphDocument {
  return { schemaVersion: 1, nodes, edges, meta: {} };
}

export async function until(cond: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}
