/**
 * `run --sweep NODE.PARAM=a,b,c`: one contact sheet per image-out downstream of the swept node, each
 * tile the very pixels a separate `--set` run gives, labelled with its value; bad specs are one-line
 * errors (exit 2) and nothing is written.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractGraphFromPng } from '../../src/graph/share-png';
import { MAX_SWEEP_VALUES } from '../../src/graph/sweep';
import type { GraphDocument } from '../../src/graph/types';
import { contactSheetLayout } from '../../src/formats/contact-sheet';
import { runCli as cli } from './run-cli';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mgan-sweep-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const n = (id: string, type: string, params: Record<string, unknown> = {}) => ({ id, type, version: 1, params, position: { x: 0, y: 0 } });
const e = (from: string, to: string) => ({ from: { node: from, port: 'image' }, to: { node: to, port: 'image' } });

/** Tiny perlin noise into image-out 'result'; `extra` nodes and edges are added. */
function graph(meta: Record<string, unknown> = {}, extra: { nodes?: unknown[]; edges?: unknown[] } = {}): string {
  const doc = {
    schemaVersion: 2,
    nodes: [n('noise', 'perlin-noise', { width: 20, height: 14, scale: 8, octaves: 2, seed: 3, color: true }), n('result', 'image-out'), ...(extra.nodes ?? [])],
    edges: [e('noise', 'result'), ...(extra.edges ?? [])],
    meta: { title: 'sweep test', ...meta },
  };
  const path = join(dir, `graph-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(doc));
  return path;
}

function readPng(path: string) {
  return PNG.sync.read(readFileSync(path));
}

/** RGB of a w×h window at (x, y). */
function crop(png: PNG, x: number, y: number, w: number, h: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < h; j++) for (let i = 0; i < w; i++) for (let c = 0; c < 3; c++) out.push(png.data[((y + j) * png.width + x + i) * 4 + c]);
  return out;
}

describe('run --sweep', () => {
  it('writes one labelled sheet whose tiles are the images separate --set runs give', async () => {
    const file = graph();
    const out = join(dir, 'out-sweep');
    const before = tf.memory().numTensors;
    const r = await cli('run', file, '--out', out, '--sweep', 'noise.scale=4, 8,16');
    expect(r.err).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(readdirSync(out)).toEqual(['result-sweep.png']);
    expect(r.out).toMatch(/wrote .*result-sweep\.png/);
    expect(tf.memory().numTensors).toBe(before);

    const sheet = readPng(join(out, 'result-sweep.png'));
    const values = ['4', '8', '16'];
    const layout = contactSheetLayout(values.map(() => ({ width: 20, height: 14 })), values, 'noise.scale');
    expect([sheet.width, sheet.height]).toEqual([layout.width, layout.height]);
    expect(layout.tiles).toHaveLength(3);
    const tiles: number[][] = [];
    for (const [i, value] of values.entries()) {
      const single = join(dir, `out-single-${value}`);
      expect((await cli('run', file, '--out', single, '--set', `noise.scale=${value}`)).code).toBe(0);
      const alone = readPng(join(single, 'result.png'));
      const t = layout.tiles[i];
      tiles.push(crop(sheet, t.x, t.y, t.width, t.height));
      expect(tiles[i]).toEqual(crop(alone, 0, 0, 20, 14));
      // The value is written under its tile: bright font pixels on the dark sheet.
      const label = crop(sheet, t.label.x, t.label.y, t.label.text.length * 6 - 1, 7);
      expect(label.filter((v) => v > 200).length).toBeGreaterThan(10);
    }
    // Three different values, three different tiles.
    expect(tiles[0]).not.toEqual(tiles[1]);
    expect(tiles[1]).not.toEqual(tiles[2]);

    // The sheet holds the graph with the sweep it shows.
    const embedded = extractGraphFromPng(new Uint8Array(readFileSync(join(out, 'result-sweep.png')))) as GraphDocument;
    expect(embedded.meta.sweep).toEqual({ node: 'noise', param: 'scale', values: [4, 8, 16] });
    expect(embedded.nodes.find((x) => x.id === 'noise')!.params.scale).toBe(8);
  });

  it("runs the sweep a document names in meta.sweep, and --sweep off runs the graph once", async () => {
    const file = graph({ sweep: { node: 'noise', param: 'seed', values: [1, 2] } }, { nodes: [n('other', 'perlin-noise', { width: 8, height: 8 }), n('plain', 'image-out')], edges: [e('other', 'plain')] });
    const out = join(dir, 'out-meta');
    const r = await cli('run', file, '--out', out, '--json');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/sweep from the document: noise\.seed=1,2/);
    const summary = JSON.parse(r.out);
    expect(summary.sweep).toBe('noise.seed=1,2');
    // The output the sweep does not touch is written once, as in a plain run.
    expect(readdirSync(out).sort()).toEqual(['plain.png', 'result-sweep.png']);
    expect(summary.nodes.filter((x: { id: string }) => x.id === 'noise').map((x: { value: number }) => x.value)).toEqual([0, 1]);
    const sheet = readPng(join(out, 'result-sweep.png'));
    expect(sheet.width).toBeGreaterThan(40);

    const once = join(dir, 'out-once');
    const plain = await cli('run', file, '--out', once, '--sweep', 'off');
    expect(plain.code).toBe(0);
    expect(readdirSync(once).sort()).toEqual(['plain.png', 'result.png']);
  });

  const bad: Array<[string, string[], Record<string, unknown>, RegExp]> = [
    ['no =', ['--sweep', 'noise.scale'], {}, /--sweep noise\.scale: expected NODE_ID\.PARAM=VALUE,VALUE,\.\.\./],
    ['an unknown node', ['--sweep', 'nope.scale=1,2'], {}, /--sweep nope\.scale=1,2: no node 'nope' \(nodes: noise, result\)/],
    ['an unknown param', ['--sweep', 'noise.size=1,2'], {}, /node 'noise' \(perlin-noise\) has no param 'size' \(its params: /],
    ['a value of the wrong type', ['--sweep', 'noise.octaves=2,many'], {}, /node 'noise': param 'octaves': "many" is not an integer/],
    ['a value out of range', ['--sweep', 'noise.octaves=2,40'], {}, /node 'noise': param 'octaves' = 40 is above its maximum 12/],
    ['an empty value', ['--sweep', 'noise.octaves=2,,3'], {}, /value 2 is empty/],
    ['no values', ['--sweep', 'noise.octaves='], {}, /no values to sweep over/],
    ['a repeated value', ['--sweep', 'noise.octaves=2,3,2'], {}, /the value 2 is given twice/],
    ['too many values', ['--sweep', `noise.seed=${Array.from({ length: MAX_SWEEP_VALUES + 1 }, (_, i) => i).join(',')}`], {}, /17 values, more than the 16 a sweep may have/],
    ['--set of the swept param', ['--sweep', 'noise.seed=1,2', '--set', 'noise.seed=5'], {}, /--set noise\.seed and a sweep of the same param/],
    ['a malformed meta.sweep', [], { sweep: { node: 'noise', values: [1] } }, /meta\.sweep must be an object \{"node": "ID", "param": "NAME", "values": \[\.\.\.\]\}/],
    ['a meta.sweep value out of range', [], { sweep: { node: 'noise', param: 'octaves', values: [1, 99] } }, /meta\.sweep: node 'noise': param 'octaves' = 99 is above its maximum 12/],
  ];
  it.each(bad)('exits 2 with one line and writes nothing for %s', async (_what, args, meta, message) => {
    const out = join(dir, 'out-bad');
    const r = await cli('run', graph(meta), '--out', out, ...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    const errors = r.err.split('\n').filter((line) => /error/.test(line));
    expect(errors).toHaveLength(1);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  it('exits 2 when no image-out depends on the swept node', async () => {
    const file = graph({}, { nodes: [n('loose', 'perlin-noise', { width: 8, height: 8 })] });
    const r = await cli('run', file, '--out', join(dir, 'out-loose'), '--sweep', 'loose.seed=1,2');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no image-out node depends on 'loose', so there is nothing to compare/);
  });

  it('checks every swept path against the access rules before anything runs', async () => {
    const image = join(dir, 'tiny.png');
    const png = new PNG({ width: 4, height: 4 });
    png.data.fill(200);
    writeFileSync(image, PNG.sync.write(png));
    const file = graph({}, { nodes: [n('src', 'image-source', { path: image }), n('photo', 'image-out')], edges: [e('src', 'photo')] });
    const out = join(dir, 'out-access');
    const r = await cli('run', file, '--out', out, '--sweep', `src.path=${image},/etc/hostname`);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/node 'src' \(image-source\): param 'path': .*\/etc\/hostname/);
    expect(r.err).toMatch(/nothing was run or written/);
    expect(existsSync(out)).toBe(false);
  });

  it('writes nothing when one value fails while running (exit 1, the value named); earlier outputs stay', async () => {
    const file = graph({}, { nodes: [n('src', 'image-source', { path: join(dir, 'tiny.png') }), n('photo', 'image-out')], edges: [e('src', 'photo')] });
    const out = join(dir, 'out-fail');
    expect((await cli('run', file, '--out', out, '--sweep', `src.path=${join(dir, 'tiny.png')}`)).code).toBe(0);
    const earlier = readFileSync(join(out, 'photo-sweep.png'));
    const r = await cli('run', file, '--out', out, '--sweep', `src.path=${join(dir, 'tiny.png')},${join(dir, 'missing.png')}`);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/src\.path = .*missing\.png: error: node 'src'/);
    expect(readdirSync(out).sort()).toEqual(['photo-sweep.png', 'result.png']);
    expect(Buffer.compare(readFileSync(join(out, 'photo-sweep.png')), earlier)).toBe(0);
  });

  it('validate checks the sweep a document names', async () => {
    const good = await cli('validate', graph({ sweep: { node: 'noise', param: 'seed', values: [1, 2] } }));
    expect(good.code).toBe(0);
    const bad = await cli('validate', graph({ sweep: { node: 'noise', param: 'seed', values: [1, 1] } }));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/meta\.sweep: the value 1 is given twice/);
  });
});
