/**
 * Node packages from the command line (`--nodes PKG|DIR`, docs/custom-nodes.md), with the example
 * package in examples/nodes-image-filter: loaded only when named, run like a built-in node, and a
 * graph that needs a package nobody loaded says which one.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { extractGraphFromPng } from '../../src/graph/share-png';
import { runCli } from './run-cli';

const EXAMPLE = resolve(__dirname, '../../examples/nodes-image-filter');
const GRAPH = join(EXAMPLE, 'posterize-photo.json');
const work = mkdtempSync(join(tmpdir(), 'mgan-node-packages-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A folder holding a node package with these files. */
function packageFolder(name: string, files: Record<string, string>): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

describe('--nodes', () => {
  it('runs a graph with a node of the example package, loaded from its folder', async () => {
    const out = join(work, 'run');
    const { code, err } = await runCli('run', GRAPH, '--out', out, '--nodes', EXAMPLE);
    expect(code, err).toBe(0);
    const bytes = readFileSync(join(out, 'out.png'));
    const png = PNG.sync.read(bytes);
    expect(png.width).toBe(64);
    // levels 3: every channel of every pixel is 0, 127.5 or 255 (rounded by the PNG encoder).
    const values = new Set<number>();
    for (let i = 0; i < png.data.length; i += 4) for (let c = 0; c < 3; c++) values.add(png.data[i + c]);
    expect([...values].every((v) => [0, 127, 128, 255].includes(v))).toBe(true);
    expect(values.size).toBeGreaterThanOrEqual(3);
    // The PNG carries the graph and the package its posterize node came from, not the package's code.
    expect(extractGraphFromPng(new Uint8Array(bytes))).toMatchObject({ meta: { nodePackages: { posterize: 'mgan-studio-nodes-image-filter' } } });
  });

  it("lists and documents the package's node types with the built-in ones", async () => {
    const { code, out } = await runCli('nodes', '--nodes', EXAMPLE, '--json', 'posterize');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject([{ type: 'posterize', version: 2, params: [{ name: 'levels', default: 4 }, { name: 'amount', default: 1 }] }]);
    expect((await runCli('nodes', '--markdown', '--nodes', EXAMPLE)).out).toContain('## posterize');
  });

  it('without --nodes, keeps the node but refuses to run it, naming the package that provides it', async () => {
    const { code, err } = await runCli('run', GRAPH, '--out', join(work, 'none'));
    expect(code).toBe(2);
    expect(err).toContain(
      "unknown node type 'posterize' (node 'bands' kept, it will not run): it comes from the node package 'mgan-studio-nodes-image-filter', which is not installed (docs/custom-nodes.md); load a node package with --nodes PKG|DIR",
    );
  });

  it('migrates an older node of the package like a built-in one', async () => {
    const graph = JSON.parse(readFileSync(GRAPH, 'utf8'));
    graph.nodes[1].version = 1;
    const file = join(work, 'old.json');
    writeFileSync(file, JSON.stringify(graph));
    const { code, err } = await runCli('validate', file, '--nodes', EXAMPLE);
    expect(code, err).toBe(0);
    expect(err).toContain("node 'bands' (posterize): version 1 → 2");
  });

  it.each([
    ['a folder that does not exist', () => join(work, 'missing'), /node package folder '.*missing' does not exist/],
    ['a package name nobody installed', () => 'mgan-studio-nodes-nowhere', /node package 'mgan-studio-nodes-nowhere' is not installed here \(npm install mgan-studio-nodes-nowhere\)/],
    ['a module that exports no node types', () => packageFolder('empty', { 'index.ts': 'export const other = 1;\n' }), /node package 'empty' exports no node types: its entry module needs export const nodes/],
    [
      'a module that fails to load',
      () => packageFolder('broken', { 'package.json': '{"name": "broken-nodes", "exports": "./main.ts"}', 'main.ts': "throw new Error('no GPU here');\n" }),
      /node package folder '.*broken' could not be loaded: no GPU here/,
    ],
    [
      'a node type that a built-in has',
      () =>
        packageFolder('clash', {
          'index.ts':
            "import { defineNode } from 'mgan-studio/nodes';\nexport const nodes = [defineNode({ type: 'blend', version: 1, title: 'B', category: 'X', doc: 'd', inputs: [], outputs: [], params: {}, run: async () => ({}) })];\n",
        }),
      /node package 'clash': node type 'blend' is a built-in type; give yours another name/,
    ],
  ])('refuses %s with one line (exit 2)', async (_, spec, message) => {
    const { code, err } = await runCli('validate', GRAPH, '--nodes', spec());
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err).not.toMatch(/\n\s+at /);
  });
});
