/**
 * A node's pixels depend on its inputs and params only, never on what else the graph holds: the runtime
 * runs independent long nodes at once and interleaves their iterations, and they share the backend,
 * its memory and the VGG19 model. An MDAN optimiser gives the same PNG pixels alone and beside other
 * optimisers (other layers, seeds, widths and sizes, so their memory use differs).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTemporaryCliCache } from '../support/cli-cache';
import { runCli } from './run-cli';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mgan-independence-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
useTemporaryCliCache('mgan-independence-cache-');

const node = (id: string, type: string, params: Record<string, unknown>) => ({ id, type, version: type === 'mdan-optimiser' ? 2 : 1, params, position: { x: 0, y: 0 } });
const edge = (from: string, fromPort: string, to: string, toPort: string) => ({ from: { node: from, port: fromPort }, to: { node: to, port: toPort } });
const tinyMdan = (extra: Record<string, unknown>) => ({ size: 32, iterations: 2, patchSize: 4, patchStride: 2, dChannels: 4, previewEvery: 1, seed: 1, ...extra });

/** The optimiser under test, guided: texture + photo -> mdan -> out. */
const SUBJECT = {
  nodes: [
    node('texture', 'image-source', { sample: 'starry_night', maxSide: 48 }),
    node('photo', 'image-source', { sample: 'chelsea', maxSide: 32 }),
    node('mdan', 'mdan-optimiser', tinyMdan({})),
    node('out', 'image-out', {}),
  ],
  edges: [edge('texture', 'image', 'mdan', 'texture'), edge('photo', 'image', 'mdan', 'content'), edge('mdan', 'image', 'out', 'image')],
};

/** Other optimisers on the same inputs, run at the same time as the subject. */
const NEIGHBOURS = {
  nodes: [
    node('unguided', 'mdan-optimiser', tinyMdan({ layer: 'relu2_1', seed: 7, dChannels: 8, size: 40 })),
    node('deep', 'mdan-optimiser', tinyMdan({ layer: 'relu4_1', patchSize: 2, patchStride: 1, seed: 3 })),
    node('gram', 'gram-optimiser', { size: 32, iterations: 2, previewEvery: 1 }),
    node('out_unguided', 'image-out', {}),
    node('out_deep', 'image-out', {}),
    node('out_gram', 'image-out', {}),
  ],
  edges: [
    edge('texture', 'image', 'unguided', 'texture'),
    edge('texture', 'image', 'deep', 'texture'),
    edge('photo', 'image', 'deep', 'content'),
    edge('texture', 'image', 'gram', 'texture'),
    edge('photo', 'image', 'gram', 'content'),
    edge('unguided', 'image', 'out_unguided', 'image'),
    edge('deep', 'image', 'out_deep', 'image'),
    edge('gram', 'image', 'out_gram', 'image'),
  ],
};

/** Runs a graph of these parts; the subject's output pixels. */
async function subjectPixels(name: string, parts: Array<{ nodes: unknown[]; edges: unknown[] }>): Promise<number[]> {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ schemaVersion: 2, nodes: parts.flatMap((p) => p.nodes), edges: parts.flatMap((p) => p.edges) }));
  const out = join(dir, name);
  const { code, err } = await runCli('run', file, '--out', out, '--sweep', 'off', '--threads', '1');
  expect(code, err).toBe(0);
  return Array.from(PNG.sync.read(readFileSync(join(out, 'out.png'))).data);
}

describe("a node's result does not depend on the rest of the graph", () => {
  it('an MDAN optimiser gives the same pixels alone and beside other optimisers', { timeout: 600_000 }, async () => {
    const alone = await subjectPixels('alone', [SUBJECT]);
    const beside = await subjectPixels('beside', [SUBJECT, NEIGHBOURS]);
    expect(beside).toEqual(alone);
  });
});
