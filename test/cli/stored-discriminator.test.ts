/**
 * Stored discriminators through the CLI: the D the pretrained-discriminator preset stores (Fig. 10),
 * loaded by name in another graph run by another command, starts its MDAN run to the very pixels the
 * preset's wired D gave.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../src/graph/types';
import { useTemporaryCliCache } from '../support/cli-cache';
import { TINY } from '../support/tiny-presets';
import { runCli } from './run-cli';

const PRESET = join(__dirname, '../../presets/pretrained-discriminator.json');
const STORED = 'fig10-earlier';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mgan-cli-dstore-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
useTemporaryCliCache('mgan-cli-dstore-cache-');

/** The RGBA pixels of a PNG the CLI wrote (its bytes also carry the graph, which differs between graphs). */
function pixels(path: string): number[] {
  return Array.from(PNG.sync.read(readFileSync(path)).data);
}

/** The preset's tiny overrides for the nodes `ids` holds. */
function tinyFor(ids: Set<string>): string[] {
  const all = TINY['pretrained-discriminator'];
  const kept: string[] = [];
  for (let i = 0; i < all.length; i += 2) if (ids.has(all[i + 1].split('.')[0])) kept.push(all[i], all[i + 1]);
  return kept;
}

/** The preset's last step alone: its D node loads `load` (empty: a fresh D) and feeds mdan_pretrained. */
function loadingGraph(load: string): { file: string; overrides: string[] } {
  const preset = JSON.parse(readFileSync(PRESET, 'utf8')) as GraphDocument;
  const ids = new Set(['texture', 'photo', 'd', 'mdan_pretrained', 'out_pretrained']);
  const doc: GraphDocument = {
    schemaVersion: preset.schemaVersion,
    nodes: preset.nodes.filter((n) => ids.has(n.id)).map((n) => (n.id === 'd' ? { ...n, params: { ...n.params, load } } : n)),
    edges: [
      ...preset.edges.filter((e) => ids.has(e.from.node) && ids.has(e.to.node)),
      { from: { node: 'd', port: 'discriminator' }, to: { node: 'mdan_pretrained', port: 'discriminator' } },
    ],
  } as GraphDocument;
  const file = join(dir, `load-${load || 'fresh'}.json`);
  writeFileSync(file, JSON.stringify(doc));
  return { file, overrides: tinyFor(ids) };
}

async function run(graph: string, out: string, overrides: string[]): Promise<void> {
  const { code, err } = await runCli('run', graph, '--out', out, '--sweep', 'off', '--threads', '1', ...overrides);
  expect(code, err).toBe(0);
}

describe('a discriminator stored by one CLI run and loaded by the next', () => {
  it("gives the pixels of the preset's wired D (and a fresh D gives others)", { timeout: 600_000 }, async () => {
    const presetOut = join(dir, 'preset');
    await run(PRESET, presetOut, TINY['pretrained-discriminator']);

    const loaded = loadingGraph(STORED);
    await run(loaded.file, join(dir, 'loaded'), loaded.overrides);
    expect(pixels(join(dir, 'loaded', 'out_pretrained.png'))).toEqual(pixels(join(presetOut, 'out_pretrained.png')));

    // The stored weights are what made them equal: the same graph with a fresh D differs.
    const fresh = loadingGraph('');
    await run(fresh.file, join(dir, 'fresh'), fresh.overrides);
    expect(pixels(join(dir, 'fresh', 'out_pretrained.png'))).not.toEqual(pixels(join(presetOut, 'out_pretrained.png')));
  });
});
