/**
 * Fig. 2 as wires: a VGG19 tap's layer, a patch sampler's size and stride and a discriminator's
 * settings decide what the MDAN optimiser runs with, and give exactly what the same settings give
 * as the optimiser's own params; documents saved before the wiring existed run as they did. The
 * editor's view of it (which params a wire sets, from which node) is `traceWiring`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import type { GraphDocument, GraphNode } from '../../src/graph/types';
import { validateDocument } from '../../src/graph/validate';
import { MdanDiscriminator } from '../../src/method/mdan/discriminator';
import { mdanTargetPatches } from '../../src/nodes/mgan-trainer';
import { describeWiredSetting, traceWiring } from '../../src/nodes/patch-wiring';
import { nodeRegistry } from '../../src/nodes/registry';
import { hashBytes } from '../../src/util/hash';
import { runCli } from '../cli/run-cli';
import { useTemporaryCliCache } from '../support/cli-cache';

const node = (id: string, type: string, params: GraphNode['params'] = {}): GraphNode => ({ id, type, version: nodeRegistry.get(type)!.version, params, position: { x: 0, y: 0 } });
const edge = (from: string, fromPort: string, to: string, toPort: string) => ({ from: { node: from, port: fromPort }, to: { node: to, port: toPort } });
const doc = (nodes: GraphNode[], edges: GraphDocument['edges']): GraphDocument => ({ schemaVersion: 2, nodes, edges, meta: {} });

const TEXTURE = node('texture', 'image-source', { sample: 'starry_night', maxSide: 48 });
const MDAN_RUN = { size: 32, iterations: 2, previewEvery: 1, seed: 3 };

/** The optimiser with its own settings: relu2_1, 6×6 patches every 3 cells, a fresh D of 4 channels. */
const UNWIRED = doc(
  [TEXTURE, node('mdan', 'mdan-optimiser', { ...MDAN_RUN, layer: 'relu2_1', patchSize: 6, patchStride: 3, dChannels: 4 }), node('out', 'image-out')],
  [edge('texture', 'image', 'mdan', 'texture'), edge('mdan', 'image', 'out', 'image')],
);

/** The same settings from the wires; the optimiser's own params say otherwise and must not count. */
function wired(stride = 3): GraphDocument {
  return doc(
    [
      TEXTURE,
      node('tap', 'vgg19-tap', { layer: 'relu2_1' }),
      node('sampler', 'patch-sampler', { size: 6, stride }),
      // A fresh D in the optimiser is seeded with the optimiser's seed; this one says so itself.
      node('d', 'discriminator', { channels: 4, depth: 1, slope: 0.2, patchSize: 2, seed: MDAN_RUN.seed }),
      node('mdan', 'mdan-optimiser', { ...MDAN_RUN, layer: 'relu4_1', patchSize: 8, patchStride: 4, dChannels: 64 }),
      node('out', 'image-out'),
    ],
    [
      edge('texture', 'image', 'tap', 'image'),
      edge('tap', 'features', 'sampler', 'features'),
      edge('sampler', 'sampling', 'd', 'sampling'),
      edge('d', 'discriminator', 'mdan', 'discriminator'),
      edge('texture', 'image', 'mdan', 'texture'),
      edge('mdan', 'image', 'out', 'image'),
    ],
  );
}

describe('what the editor shows: traceWiring', () => {
  it('names each optimiser setting a wire decides and the node it comes from', () => {
    const settings = traceWiring(wired(), 'mdan', nodeRegistry);
    expect(settings.map(describeWiredSetting)).toEqual([
      "layer relu2_1 from VGG19 features 'tap'",
      "patchSize 6 from Patch sampler 'sampler'",
      "patchStride 3 from Patch sampler 'sampler'",
      "dChannels 4 from Discriminator 'd'",
    ]);
    expect(traceWiring(wired(), 'd', nodeRegistry).map(describeWiredSetting)).toEqual(["patchSize 6 from Patch sampler 'sampler'"]);
    expect(traceWiring(UNWIRED, 'mdan', nodeRegistry)).toEqual([]);
    expect(traceWiring(wired(), 'sampler', nodeRegistry)).toEqual([]);
  });

  it('follows a trained D out of one optimiser into the next, and a D without a sampler sets only its own', () => {
    const chain = wired();
    chain.nodes.push(node('mdan2', 'mdan-optimiser', MDAN_RUN));
    chain.edges.push(edge('mdan', 'discriminator', 'mdan2', 'discriminator'), edge('texture', 'image', 'mdan2', 'texture'));
    expect(traceWiring(chain, 'mdan2', nodeRegistry).map((s) => [s.name, s.value, s.from.node])).toEqual([
      ['layer', 'relu2_1', 'tap'],
      ['patchSize', 6, 'sampler'],
      ['patchStride', 3, 'sampler'],
      ['dChannels', 4, 'd'],
    ]);
    const bare = doc([TEXTURE, node('d', 'discriminator', { patchSize: 4, channels: 8 }), node('trainer', 'mgan-trainer'), node('mdan', 'mdan-optimiser')], [
      edge('d', 'discriminator', 'trainer', 'discriminator'),
      edge('d', 'discriminator', 'mdan', 'discriminator'),
    ]);
    expect(traceWiring(bare, 'mdan', nodeRegistry).map(describeWiredSetting)).toEqual(["patchSize 4 from Discriminator 'd'", "dChannels 8 from Discriminator 'd'"]);
    // The trainer's MDAN targets take D's patches; G's adversary in training is the MGAN D.
    expect(traceWiring(bare, 'trainer', nodeRegistry).map(describeWiredSetting)).toEqual(["patchSize 4 from Discriminator 'd'"]);
  });

  it('says a layer comes from the wire when only running can tell which', () => {
    const other = wired();
    other.nodes = other.nodes.map((n) => (n.id === 'tap' ? { ...n, type: 'some-package-features' } : n));
    const layer = traceWiring(other, 'mdan', nodeRegistry).find((s) => s.name === 'layer')!;
    expect(layer.value).toBeUndefined();
    expect(describeWiredSetting(layer)).toBe("layer from some-package-features 'tap'");
  });
});

describe("the MGAN trainer's MDAN targets", () => {
  const d = (patchSize: number, sampling?: { layer: string; patchStride: number }) => new MdanDiscriminator({ channels: 4, depth: 1, slope: 0.2, patchSize, seed: 1 }, sampling);

  it("take the wired D's patches, and keep the keys of the default ones", () => {
    expect(mdanTargetPatches(d(6, { layer: 'relu2_1', patchStride: 3 }))).toEqual({ layer: 'relu2_1', patchSize: 6, patchStride: 3 });
    expect(mdanTargetPatches(d(4))).toEqual({ patchSize: 4 });
    // The paper's patches (the MDAN defaults) add nothing: cached targets and checkpoints stay valid.
    expect(mdanTargetPatches(d(8, { layer: 'relu3_1', patchStride: 4 }))).toEqual({});
    expect(mdanTargetPatches(undefined)).toEqual({});
  });
});

describe('running it', () => {
  useTemporaryCliCache('mgan-fig2-');

  /** The run's out.png as `WxH:hash` of its RGBA pixels. */
  async function result(graph: unknown, ...args: string[]): Promise<string> {
    return (await run(graph, ...args)).hash;
  }

  async function run(graph: unknown, ...args: string[]): Promise<{ hash: string; err: string }> {
    const dir = mkdtempSync(join(tmpdir(), 'mgan-fig2-run-'));
    try {
      const file = join(dir, 'graph.json');
      writeFileSync(file, JSON.stringify(graph));
      const { code, err } = await runCli('run', file, '--out', join(dir, 'out'), '--threads', '1', ...args);
      expect(code, err).toBe(0);
      const png = PNG.sync.read(readFileSync(join(dir, 'out', 'out.png')));
      return { hash: `${png.width}x${png.height}:${hashBytes(png.data)}`, err };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('gives the same pixels wired (tap → sampler → D → optimiser) as with the same settings as params', { timeout: 300_000 }, async () => {
    const plain = await result(UNWIRED);
    // A --set of a wired param changes nothing, and says where to set it instead.
    const withSet = await run(wired(), '--set', 'mdan.patchStride=2');
    expect(withSet.hash).toBe(plain);
    expect(withSet.err).toContain("warning: --set mdan.patchStride changes nothing: the wire from Patch sampler 'sampler' sets it; set it on that node");
    // The wire is what counts: another stride on the sampler is another result.
    expect(await result(wired(2))).not.toBe(plain);
  });

  it('runs a document saved before the wiring existed as it ran then: the Fig. 2 preset gives the same pixels', { timeout: 300_000 }, async () => {
    const old = JSON.parse(readFileSync(join(__dirname, 'guided-before-fig2.json'), 'utf8'));
    const loaded = validateDocument(old, nodeRegistry);
    expect(loaded.errors).toEqual([]);
    expect(loaded.migrations).toEqual(['schema 1 → 2: documents may hold notes and frames (annotations); this one has none yet']);
    expect(loaded.document!.nodes.map((n) => n.type)).not.toContain('patch-sampler');
    const tiny = (patches: string) => ['--set', 'texture.maxSide=48', '--set', 'photo.maxSide=32', ...['size=32', 'iterations=2', 'previewEvery=1'].flatMap((a) => ['--set', `mdan.${a}`]), ...patches.split(' ').flatMap((a) => ['--set', a])];
    const before = await result(old, ...tiny('mdan.patchSize=4 mdan.patchStride=2'));
    const preset = JSON.parse(readFileSync(join(__dirname, '../../presets/guided-synthesis.json'), 'utf8'));
    expect(await result(preset, ...tiny('sampler.size=4 sampler.stride=2'))).toBe(before);
    // And the hash every preset is held to (preset-results.test.ts) is this one.
    const recorded = JSON.parse(readFileSync(join(__dirname, 'preset-results.json'), 'utf8'))['guided-synthesis']['out.png'];
    expect(before).toBe(recorded);
  });
});
