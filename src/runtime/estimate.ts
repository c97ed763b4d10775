/**
 * How long a long node will take, before it runs: the node type counts its work from its params and
 * the nodes feeding it (`estimateWork` on its definition), each kind of work has a measured cost on a
 * reference setup, and the current backend has a speed factor relative to that reference, either
 * measured in this browser on earlier runs or, before any, taken from the table below.
 * Pure arithmetic on the graph document; nothing here touches TensorFlow.js.
 */
import type { GraphDocument } from '../graph/types';
import type { NodeDefinition, UpstreamNode, WorkKind, WorkPart } from '../nodes/types';
import type { BackendName } from './types';

export type { WorkKind, WorkPart };

/**
 * Seconds one unit of each kind of work took on the reference setup: Node 20, tfjs WASM backend
 * (1 thread), the 2-core AMD EPYC development machine, from the benchmarks in docs/benchmarks.md
 * (`npm run bench -- mdan`, `npm run bench -- decode`) and the timed preset runs.
 */
export const REFERENCE_SECONDS: Record<WorkKind, { seconds: number; unit: string; source: string }> = {
  'mdan-setup': {
    seconds: 17,
    unit: 'MDAN setup (the example’s 18 variants through VGG19)',
    source: 'npm run bench -- mdan, unguided/128 setup',
  },
  'mdan-iteration': {
    seconds: 2.5,
    unit: 'MDAN iteration at 128×128 px',
    source: 'npm run bench -- mdan, unguided/128: 2.5 s per iteration (2.8 guided at 128×80)',
  },
  'mgan-step': {
    seconds: 1.2,
    unit: 'MGAN training step, batch 2 of 64×64 crops',
    source: 'presets/mgan-train.json, 432 steps of batch 2 alone on the machine: ≈ 1.2 s per step',
  },
  'decode-megapixel': {
    seconds: 48,
    unit: 'decoded megapixel (VGG19 to relu4_1 + G)',
    source: 'npm run bench -- decode, 512² in one piece: 48 s per megapixel',
  },
};

/**
 * Backend speed relative to the reference (2 = twice as slow), used until this browser has timed
 * a run of its own. WebGPU and WebGL have no entry: their speed depends entirely on the GPU, and
 * the only one measured here is SwiftShader (a software GPU: 40 s per MDAN iteration at 64 px, about
 * 25× the browser's WASM per pixel), which would promise a real GPU hours. They get an estimate after their first timed run.
 */
export const BACKEND_FACTORS: Partial<Record<BackendName, { factor: number; source: string }>> = {
  wasm: { factor: 1, source: 'the reference itself (Node WASM on a 2-core machine)' },
  cpu: { factor: 65, source: 'npm run bench -- video: decoding 480×320 took 311 s per frame on cpu vs 4.8 s on wasm' },
};

function upstream(doc: GraphDocument, nodeId: string, port: string): UpstreamNode | undefined {
  const edge = doc.edges.find((e) => e.to.node === nodeId && e.to.port === port);
  const node = edge && doc.nodes.find((n) => n.id === edge.from.node);
  if (!node) return undefined;
  return { type: node.type, params: node.params, input: (p) => upstream(doc, node.id, p) };
}

/** The work of node `nodeId`, or undefined when its type does not estimate. */
export function workOf(doc: GraphDocument, nodeId: string, types: { get(type: string): NodeDefinition | undefined }): WorkPart[] | undefined {
  const node = doc.nodes.find((n) => n.id === nodeId);
  const def = node && types.get(node.type);
  if (!node || !def?.estimateWork) return undefined;
  return def.estimateWork(node.params, (port) => upstream(doc, nodeId, port));
}

export interface Estimate {
  /** Total seconds, or undefined when some part's count is unknown until it runs. */
  seconds: number | undefined;
  /** Seconds per reported iteration of the counted part (a video's frame), for "≈ 5 s per frame". */
  secondsPerIteration: number | undefined;
  /** What one such iteration is ("frame"). */
  each: string | undefined;
  /** Each part with its seconds at this factor (undefined: count unknown). */
  parts: Array<{ label: string; seconds: number | undefined }>;
}

/** The parts' time at the reference setup times `factor`. */
export function estimateSeconds(parts: WorkPart[], factor: number): Estimate {
  const each = parts.map((p) => {
    const perIteration = REFERENCE_SECONDS[p.kind].seconds * p.perIteration * factor;
    return { label: p.label, perIteration, seconds: p.iterations === undefined ? undefined : perIteration * p.iterations, counted: p.counted, each: p.each };
  });
  const known = each.every((p) => p.seconds !== undefined);
  return {
    seconds: known ? each.reduce((sum, p) => sum + p.seconds!, 0) : undefined,
    secondsPerIteration: each.find((p) => p.counted)?.perIteration,
    each: each.find((p) => p.counted)?.each,
    parts: each.map(({ label, seconds }) => ({ label, seconds })),
  };
}

/**
 * The backend factor one timed run shows: its measured milliseconds per iteration over what an
 * iteration of its counted part costs at the reference. Undefined when nothing was counted.
 */
export function measuredFactor(parts: WorkPart[], msPerIteration: number): number | undefined {
  const counted = parts.find((p) => p.counted);
  if (!counted || !(msPerIteration > 0)) return undefined;
  const reference = REFERENCE_SECONDS[counted.kind].seconds * counted.perIteration * 1000;
  return reference > 0 ? msPerIteration / reference : undefined;
}

/** A running mean over the last few runs (older runs weigh as much as 4 at most), so one odd run moves it only part way. */
export function updateFactor(previous: { factor: number; runs: number } | undefined, measured: number): { factor: number; runs: number } {
  if (!previous) return { factor: measured, runs: 1 };
  const weight = Math.min(previous.runs, 4);
  return { factor: (previous.factor * weight + measured) / (weight + 1), runs: previous.runs + 1 };
}
