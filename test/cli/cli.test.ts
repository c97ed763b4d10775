import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractGraphFromPng } from '../../src/graph/share-png';
import type { GraphDocument } from '../../src/graph/types';
import { runCli as cli } from './run-cli';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mgan-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const n = (id: string, type: string, params: Record<string, unknown> = {}) => ({ id, type, version: 1, params, position: { x: 0, y: 0 } });
const e = (from: string, fromPort: string, to: string, toPort: string) => ({ from: { node: from, port: fromPort }, to: { node: to, port: toPort } });

/** perlin-noise (tiny) -> image-out 'result' */
function noiseGraph(overrides: { nodes?: unknown[]; edges?: unknown[]; noiseParams?: Record<string, unknown> } = {}): unknown {
  return {
    schemaVersion: 1,
    nodes: overrides.nodes ?? [n('noise', 'perlin-noise', { width: 24, height: 16, scale: 8, octaves: 2, seed: 3, ...overrides.noiseParams }), n('result', 'image-out')],
    edges: overrides.edges ?? [e('noise', 'image', 'result', 'image')],
    meta: { title: 'cli test' },
  };
}

function writeGraph(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('mgan-studio run', () => {
  it('writes each image-out as DIR/<nodeId>.png with the document (after --set) embedded; exit 0', async () => {
    const graph = writeGraph('ok.json', noiseGraph());
    const out = join(dir, 'out-ok');
    const before = tf.memory().numTensors;
    const r = await cli('run', graph, '--out', out, '--set', 'noise.seed=7', '--set', 'noise.color=true');
    expect(r.err).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^backend: wasm/m);
    expect(r.out).toMatch(/^noise\s+perlin-noise\s+[\d.]+ ms/m);
    expect(r.out).toMatch(/^result\s+image-out\s+[\d.]+ ms/m);
    expect(readdirSync(out)).toEqual(['result.png']);
    const bytes = readFileSync(join(out, 'result.png'));
    const png = PNG.sync.read(bytes);
    expect([png.width, png.height]).toEqual([24, 16]);
    const embedded = extractGraphFromPng(new Uint8Array(bytes)) as GraphDocument;
    const noise = embedded.nodes.find((x) => x.id === 'noise')!;
    expect(noise.params.seed).toBe(7);
    expect(noise.params.color).toBe(true);
    expect(embedded.meta.title).toBe('cli test');
    // The CLI disposed its runtime: no tensors left behind.
    expect(tf.memory().numTensors).toBe(before);

    const extracted = await cli('extract', join(out, 'result.png'));
    expect(extracted.code).toBe(0);
    expect(JSON.parse(extracted.out).nodes.find((x: { id: string }) => x.id === 'noise').params.seed).toBe(7);
  });

  it('--json prints one JSON summary on stdout', async () => {
    const graph = writeGraph('json.json', noiseGraph());
    const out = join(dir, 'out-json');
    const r = await cli('run', graph, '--out', out, '--json');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out);
    expect(summary).toMatchObject({ backend: 'wasm', exitCode: 0, written: [{ node: 'result', path: join(out, 'result.png'), width: 24, height: 16 }] });
    expect(summary.nodes.map((x: { id: string; state: string }) => `${x.id}:${x.state}`)).toEqual(['noise:done', 'result:done']);
    const failing = await cli('run', writeGraph('json-bad.json', noiseGraph({ nodes: [n('src', 'image-source', { path: join(dir, 'nope.png') }), n('result', 'image-out')], edges: [e('src', 'image', 'result', 'image')] })), '--out', out, '--json');
    expect(failing.code).toBe(1);
    expect(JSON.parse(failing.out)).toMatchObject({ exitCode: 1, written: [] });
  });

  it('gives identical pixels for the same seed and different pixels for another', async () => {
    const graph = writeGraph('seed.json', noiseGraph());
    const pixelsOf = async (name: string, seed: string) => {
      const out = join(dir, name);
      expect((await cli('run', graph, '--out', out, '--set', `noise.seed=${seed}`)).code).toBe(0);
      return PNG.sync.read(readFileSync(join(out, 'result.png'))).data;
    };
    const a = await pixelsOf('seed-a', '11');
    const b = await pixelsOf('seed-b', '11');
    const c = await pixelsOf('seed-c', '12');
    expect(Buffer.compare(a, b)).toBe(0);
    expect(Buffer.compare(a, c)).not.toBe(0);
  });

  const invalid: Array<[string, unknown, string[], RegExp]> = [
    ['malformed JSON', '{"schemaVersion": 1, "nodes": [', [], /invalid JSON at line 1/],
    ['an unknown node type', noiseGraph({ nodes: [n('noise', 'perlin-noise'), n('result', 'no-such-node')] }), [], /unknown node type 'no-such-node'/],
    [
      'a wrong port type',
      noiseGraph({ nodes: [n('noise', 'perlin-noise'), n('tap', 'vgg19-tap'), n('result', 'image-out')], edges: [e('noise', 'image', 'tap', 'image'), e('tap', 'features', 'result', 'image')] }),
      [],
      /features.*Features|Features.*Image/,
    ],
    [
      'a cycle',
      noiseGraph({ nodes: [n('x', 'blend'), n('y', 'blend'), n('noise', 'perlin-noise'), n('result', 'image-out')], edges: [e('noise', 'image', 'x', 'a'), e('y', 'image', 'x', 'b'), e('x', 'image', 'y', 'a'), e('noise', 'image', 'y', 'b'), e('y', 'image', 'result', 'image')] }),
      [],
      /cycle/,
    ],
    ['an out-of-range param', noiseGraph({ noiseParams: { width: 0 } }), [], /noise.*width/],
    ['a param of the wrong type', noiseGraph({ noiseParams: { octaves: 'many' } }), [], /noise.*octaves/],
    ['a missing required input', noiseGraph({ edges: [] }), [], /result.*image.*not connected/],
    ['--set of an unknown node', noiseGraph(), ['--set', 'nope.seed=1'], /no node 'nope'/],
    ['--set of an unknown param', noiseGraph(), ['--set', 'noise.colour=true'], /has no param 'colour'/],
    ['--set of a non-number', noiseGraph(), ['--set', 'noise.width=wide'], /noise\.width=wide.*not/],
    ['--set out of range', noiseGraph(), ['--set', 'noise.width=100000'], /noise\.width=100000.*maximum 4096/],
    ['--set without =', noiseGraph(), ['--set', 'noise.width'], /expected NODE_ID\.PARAM=VALUE/],
    ['an unknown backend', noiseGraph(), ['--backend', 'tpu'], /--backend tpu/],
    [
      "a node's ParamError while running",
      noiseGraph({ nodes: [n('src', 'image-source', { sample: '' }), n('result', 'image-out')], edges: [e('src', 'image', 'result', 'image')] }),
      [],
      /node 'src'.*no image chosen/,
    ],
    [
      'a url that is not http(s)',
      noiseGraph({ nodes: [n('src', 'image-source', { url: 'ftp://example.org/x.png' }), n('result', 'image-out')], edges: [e('src', 'image', 'result', 'image')] }),
      [],
      /node 'src' \(image-source\): param 'url': 'ftp:\/\/example\.org\/x\.png' uses ftp:, but only http:\/\/ and https:\/\/ URLs are fetched/,
    ],
  ];
  it.each(invalid)('exits 2 naming the problem and writes nothing on %s', async (_what, content, extra, message) => {
    const graph = writeGraph('bad.json', content);
    const out = join(dir, 'out-bad');
    const r = await cli('run', graph, '--out', out, ...extra);
    expect(r.err).toMatch(message);
    expect(r.code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  it('exits 2 for a graph file that does not exist', async () => {
    const r = await cli('run', join(dir, 'missing.json'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot read graph file .*missing\.json.*no such file/);
  });

  it('exits 1 when a node fails while running, names it, and writes nothing', async () => {
    const graph = writeGraph(
      'fails.json',
      noiseGraph({ nodes: [n('src', 'image-source', { path: join(dir, 'no-such-image.png') }), n('result', 'image-out')], edges: [e('src', 'image', 'result', 'image')] }),
    );
    const out = join(dir, 'out-fail');
    const r = await cli('run', graph, '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error: node 'src'.*no-such-image\.png/);
    expect(r.err).toMatch(/not run: node 'result': input 'image' from 'src' failed/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('mgan-studio validate, nodes, extract, help', () => {
  it('validate: exit 0 for a good document, 2 with messages for a bad one', async () => {
    const good = await cli('validate', writeGraph('v-ok.json', noiseGraph()));
    expect(good.code).toBe(0);
    expect(good.out).toMatch(/ok \(2 nodes, 1 edges\)/);
    const bad = await cli('validate', writeGraph('v-bad.json', noiseGraph({ noiseParams: { scale: -5 } })));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/noise.*scale/);
  });

  it('nodes --json lists the catalogue with ports and params', async () => {
    const r = await cli('nodes', '--json');
    expect(r.code).toBe(0);
    const types = JSON.parse(r.out) as Array<{ type: string; outputs: Array<{ name: string }>; params: Array<{ name: string }> }>;
    const perlin = types.find((t) => t.type === 'perlin-noise')!;
    expect(perlin.outputs.map((p) => p.name)).toEqual(['image']);
    expect(perlin.params.map((p) => p.name)).toContain('seed');
    const text = await cli('nodes', 'perlin-noise');
    expect(text.out).toMatch(/perlin-noise v1/);
    expect((await cli('nodes', 'nope')).code).toBe(2);
  });

  it('extract: exit 2 for a PNG without a graph or a file that is not a PNG', async () => {
    const plain = new PNG({ width: 2, height: 2 });
    const plainPath = join(dir, 'plain.png');
    writeFileSync(plainPath, PNG.sync.write(plain));
    const none = await cli('extract', plainPath);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/holds no MGAN Studio graph/);
    const notPng = await cli('extract', writeGraph('not-a.png', 'hello'));
    expect(notPng.code).toBe(2);
  });

  it('help lists the commands; an unknown command exits 2', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    for (const name of ['run', 'validate', 'nodes', 'extract']) expect(help.out).toMatch(new RegExp(`^  ${name} `, 'm'));
    const unknown = await cli('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown command 'frobnicate'/);
  });
});

describe('bin/mgan-studio.js', () => {
  it('runs a graph as a real process: exit code, stdout, PNG', () => {
    const graph = writeGraph('bin.json', noiseGraph());
    const out = join(dir, 'out-bin');
    const r = spawnSync(process.execPath, ['bin/mgan-studio.js', 'run', graph, '--out', out], { encoding: 'utf8', timeout: 90_000 });
    expect(r.stderr).toMatch(/running noise \(perlin-noise\)/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/wrote .*result\.png \(24x16\)/);
    expect(existsSync(join(out, 'result.png'))).toBe(true);
  });
});
