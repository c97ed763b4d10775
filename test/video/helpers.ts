/** Test helpers for the video nodes: a RunContext around a real Node env, and temp folders. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { ParamValue } from '../../src/graph/types';
import type { NodeDefinition, NodeEnv, RunContext, Frames } from '../../src/nodes/types';
import { createNodeEnv } from '../../src/platform/node/env';

export const SAMPLE_VIDEO = 'public/samples/video/coffee_pan.webm';

export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `mgan-video-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function nodeEnv(outDir: string): NodeEnv {
  return createNodeEnv({ outDir });
}

export interface TestRun {
  ctx: RunContext;
  previews: number;
  warnings: string[];
}

/** A RunContext as the runtime builds it (defaults filled from the node's param specs). */
export function makeContext(
  def: NodeDefinition,
  params: Record<string, ParamValue>,
  env: NodeEnv,
  inputs: Record<string, unknown> = {},
  signal: AbortSignal = new AbortController().signal,
): TestRun {
  const filled: Record<string, ParamValue> = {};
  for (const p of def.params) filled[p.name] = p.name in params ? params[p.name] : p.default;
  const run: TestRun = { previews: 0, warnings: [], ctx: undefined as unknown as RunContext };
  run.ctx = {
    nodeId: def.type,
    inputs,
    params: filled,
    signal,
    control: { checkpoint: async () => signal.throwIfAborted(), paused: false },
    env,
    progress: () => undefined,
    preview: () => void run.previews++,
    warn: (m) => void run.warnings.push(m),
    note: () => undefined,
  };
  return run;
}

/** Reads every frame of `frames` as plain arrays, disposing each tensor. */
export async function collectFrames(frames: Frames, limit = Infinity): Promise<Array<{ shape: number[]; data: Float32Array }>> {
  const out: Array<{ shape: number[]; data: Float32Array }> = [];
  for await (const frame of frames.open()) {
    out.push({ shape: frame.shape, data: (await frame.data()) as Float32Array });
    (frame as tf.Tensor).dispose();
    if (out.length >= limit) break;
  }
  return out;
}
