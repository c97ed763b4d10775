/**
 * Stored discriminators through the CLI: the D the pretrained-discriminator preset stores (Fig. 10),
 * loaded by name in another graph run by another command, starts its MDAN run to the very pixels the
 * preset's wired D gave; `discriminators list` shows it and `discriminators remove` deletes it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  it('is listed with its size, architecture and saving time, and removed by name', async () => {
    const folder = join(process.env.MGAN_STUDIO_CACHE!, 'discriminators');
    const list = await runCli('discriminators', 'list');
    expect(list.code, list.err).toBe(0);
    expect(list.out).toMatch(/^fig10-earlier\t\d+ kB\t4 channels, depth 1, 4×4 patches on 256-channel features\tsaved 20\d\d-\d\d-\d\dT[\d:.]+Z$/);
    const json = JSON.parse((await runCli('discriminators', 'list', '--json')).out);
    expect(json.folder).toBe(folder);
    expect(json.discriminators).toMatchObject([{ name: STORED, config: { channels: 4, depth: 1, patchSize: 4 }, inputChannels: 256 }]);

    // Names are untrusted: a path is refused in one line and nothing outside the folder goes.
    const outside = join(process.env.MGAN_STUDIO_CACHE!, 'outside.json');
    writeFileSync(outside, '{}');
    const escape = await runCli('discriminators', 'remove', '../outside');
    expect(escape).toMatchObject({ code: 1, err: "error: discriminator name '../outside' holds a folder separator; give a plain file name" });
    expect(existsSync(outside)).toBe(true);
    const unknown = await runCli('discriminators', 'remove', 'fig10');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toBe(`error: no saved discriminator named 'fig10' in ${folder} (saved: ${STORED}; save one with the mdan-optimiser node's saveDiscriminatorAs)`);

    expect(await runCli('discriminators', 'remove', STORED)).toMatchObject({ code: 0, out: `removed discriminator '${STORED}'` });
    expect(existsSync(join(folder, `${STORED}.json`))).toBe(false);
    expect((await runCli('discriminators', 'list')).out).toBe(`no discriminators saved in ${folder} (the mdan-optimiser node's saveDiscriminatorAs stores one)`);
    // A graph that loads it now says it is gone, naming the param.
    const loaded = loadingGraph(STORED);
    const run = await runCli('run', loaded.file, '--out', join(dir, 'after-remove'), '--threads', '1', ...loaded.overrides);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/node 'd': discriminator: no saved discriminator named 'fig10-earlier'/);
  });

  it('refuses a missing NAME or action as usage errors', async () => {
    expect(await runCli('discriminators', 'remove')).toMatchObject({ code: 2, err: expect.stringMatching(/^error: discriminators remove: missing NAME/) });
    expect(await runCli('discriminators', 'lst')).toMatchObject({ code: 2, err: expect.stringMatching(/^error: discriminators: expected list or remove, got 'lst' \(did you mean 'list'\?\)/) });
  });
});
