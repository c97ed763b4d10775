/**
 * Graph document speed: `npm run bench -- graph [--nodes N]`. Pure TypeScript (backend column "ts"):
 * validating a layered graph of real node types, the edits the editor makes, and both share codecs.
 */
import { PNG } from 'pngjs';
import {
  addNode,
  connect,
  decodeGraphFragment,
  embedGraphInPng,
  emptyDocument,
  encodeGraphFragment,
  extractGraphFromPng,
  parseDocument,
  serializeDocument,
  setParam,
  type GraphDocument,
} from '../src/graph';
import { nodeRegistry } from '../src/nodes/registry';
import { argValue, emit, timeIt } from './lib';

/** Noise sources feeding a chain of blends, every blend also fed by the previous one: N nodes, ~N edges. */
function layeredGraph(nodes: number): GraphDocument {
  const perlin = nodeRegistry.get('perlin-noise')!;
  const blend = nodeRegistry.get('blend')!;
  let doc = emptyDocument({ title: `bench ${nodes} nodes — 星月夜` });
  let previous: string | undefined;
  for (let i = 0; doc.nodes.length < nodes; i++) {
    const source = addNode(doc, perlin, { x: 0, y: i * 120 }, { seed: i });
    doc = source.doc;
    if (!previous) {
      previous = source.id;
      continue;
    }
    const mix = addNode(doc, blend, { x: 300, y: i * 120 });
    doc = connect(mix.doc, { node: previous, port: 'image' }, { node: mix.id, port: 'a' }, nodeRegistry);
    doc = connect(doc, { node: source.id, port: 'image' }, { node: mix.id, port: 'b' }, nodeRegistry);
    previous = mix.id;
  }
  return doc;
}

/** Two warm-ups and nine timed runs: the machine is shared, medians of five were noisy. */
const REPEATS = { warmup: 2, repeats: 9 };

function tinyPng(): Uint8Array {
  const png = new PNG({ width: 256, height: 256 });
  png.data.fill(128);
  return new Uint8Array(PNG.sync.write(png));
}

export default async function bench(args: string[]): Promise<void> {
  const sizes = argValue(args, 'nodes', '20,200,1000').split(',').map(Number);
  const png = tinyPng();
  for (const nodes of sizes) {
    const doc = layeredGraph(nodes);
    const text = serializeDocument(doc);
    const size = { nodes: doc.nodes.length, edges: doc.edges.length, jsonBytes: text.length };
    // Past the default node limit when asked for more nodes: this measures validation, not the refusal.
    const limits = { maxNodes: Math.max(nodes + 1, 1000), maxEdges: Math.max(2 * nodes, 4000) };
    const parse = await timeIt(() => parseDocument(text, nodeRegistry, { limits }), REPEATS);
    emit({ bench: 'graph', case: `parse+validate ${nodes} nodes`, backend: 'ts', ...parse, ...size });
    const lastNoise = doc.nodes.find((n) => n.type === 'perlin-noise')!.id;
    const edit = await timeIt(() => setParam(doc, lastNoise, 'octaves', 3, nodeRegistry), { repeats: 20 });
    emit({ bench: 'graph', case: `setParam ${nodes} nodes`, backend: 'ts', ...edit, ...size });
    const link = encodeGraphFragment(doc);
    const encode = await timeIt(() => encodeGraphFragment(doc), REPEATS);
    emit({ bench: 'graph', case: `link encode ${nodes} nodes`, backend: 'ts', ...encode, ...size, linkChars: link.length });
    const decode = await timeIt(() => decodeGraphFragment(link), REPEATS);
    emit({ bench: 'graph', case: `link decode ${nodes} nodes`, backend: 'ts', ...decode, ...size, linkChars: link.length });
    const withGraph = embedGraphInPng(png, doc);
    const embed = await timeIt(() => embedGraphInPng(png, doc), REPEATS);
    emit({ bench: 'graph', case: `png embed ${nodes} nodes`, backend: 'ts', ...embed, ...size, pngBytes: png.length, pngWithGraphBytes: withGraph.length });
    const extract = await timeIt(() => extractGraphFromPng(withGraph), REPEATS);
    emit({ bench: 'graph', case: `png extract ${nodes} nodes`, backend: 'ts', ...extract, ...size });
  }
}
