/**
 * Huge graphs: more nodes or edges than allowed (current and schema 0 documents), files larger than
 * the document limit (refused unread), limits raised and badly set through their environment
 * variables, and graphs at the limit whose every node is wrong (the messages are capped, not 4000).
 * Refusals must come at once: each case is bounded to a few seconds.
 */
import { DEFAULT_GRAPH_LIMITS, LIMIT_ENV } from '../../../src/formats/limits';
import type { CorpusCase } from '../case';
import { edge, graph, node, noiseGraph, text } from '../build';

const KIND = 'huge-graph';
const { maxNodes, maxEdges, maxBytes } = DEFAULT_GRAPH_LIMITS;
const FAST = 8000;

const noiseNodes = (count: number, params: Record<string, unknown> = { width: 1, height: 1 }) =>
  Array.from({ length: count }, (_, i) => node(`n${i}`, 'perlin-noise', params));

const cases: CorpusCase[] = [];
const add = (c: Omit<CorpusCase, 'kind'>) => cases.push({ kind: KIND, timeoutMs: FAST, ...c });

for (const count of [maxNodes + 1, 4000, 20_000]) {
  for (const command of ['validate', 'run'] as const) {
    add({
      name: `${count} unconnected noise nodes (${command})`,
      files: { 'g.json': text(graph(noiseNodes(count))) },
      args: [command, 'g.json'],
      expect: { exitCode: 2, message: new RegExp(`the graph has ${count} nodes, more than the ${maxNodes} allowed \\(limit ${maxNodes}; raise it with ${LIMIT_ENV.maxNodes}=N on the command line\\)`) },
    });
  }
}
// Edges past the limit, between two nodes (each edge a duplicate input): refused before any is checked.
for (const count of [maxEdges + 1, 30_000]) {
  add({
    name: `${count} edges`,
    files: { 'g.json': text({ ...noiseGraph(), edges: Array.from({ length: count }, () => edge('noise', 'image', 'result', 'image')) }) },
    args: ['validate', 'g.json'],
    expect: { exitCode: 2, message: new RegExp(`the graph has ${count} edges, more than the ${maxEdges} allowed`) },
  });
}
add({
  name: 'schema 0 document with too many links',
  files: { 'g.json': text({ nodes: [{ id: 'a', type: 'perlin-noise' }], links: Array.from({ length: maxEdges + 5 }, () => ({ source: 'a', sourcePort: 'image', target: 'a', targetPort: 'x' })) }) },
  args: ['validate', 'g.json'],
  expect: { exitCode: 2, message: new RegExp(`the graph has ${maxEdges + 5} links, more than the ${maxEdges} allowed`) },
});
add({
  name: 'schema 0 document with too many nodes',
  files: { 'g.json': text({ nodes: Array.from({ length: maxNodes + 1 }, (_, i) => ({ id: `n${i}`, type: 'perlin-noise', x: i, y: 0 })) }) },
  args: ['run', 'g.json'],
  expect: { exitCode: 2, message: /the graph has 1001 nodes/ },
});

// Size: refused from the file's size, before reading or parsing.
const bigMeta = (bytes: number) => text({ ...noiseGraph(), meta: { description: 'x'.repeat(bytes) } });
add({ name: 'a 5 MB description in meta', files: { 'g.json': bigMeta(5 * 1024 * 1024) }, args: ['validate', 'g.json'], expect: { exitCode: 2, message: /cannot read graph file 'g\.json': the document is 5\.0 MiB, more than the 4\.0 MiB allowed \(limit 4194304; raise it with MGAN_STUDIO_MAX_DOCUMENT_BYTES=N/ } });
add({ name: 'a document just over the limit', files: { 'g.json': bigMeta(maxBytes) }, args: ['run', 'g.json'], expect: { exitCode: 2, message: /the document is 4\.0 MiB, more than the 4\.0 MiB allowed/ } });
add({ name: 'whitespace past the limit', files: { 'g.json': `${text(noiseGraph())}${' '.repeat(maxBytes)}` }, args: ['validate', 'g.json'], expect: { exitCode: 2, message: /more than the 4\.0 MiB allowed/ } });
add({ name: 'a 3 MB description (under the limit)', files: { 'g.json': bigMeta(3 * 1024 * 1024) }, args: ['validate', 'g.json'], expect: { exitCode: 0, message: /ok \(2 nodes/ } });

// Raising and lowering the limits; bad settings are usage errors.
add({ name: `${maxNodes + 1} nodes with ${LIMIT_ENV.maxNodes}=2000`, files: { 'g.json': text(graph(noiseNodes(maxNodes + 1))) }, args: ['validate', 'g.json'], env: { [LIMIT_ENV.maxNodes]: '2000' }, expect: { exitCode: 0, message: /ok \(1001 nodes, 0 edges\)/ } });
add({ name: `3 nodes with ${LIMIT_ENV.maxNodes}=2`, files: { 'g.json': text(graph(noiseNodes(3))) }, args: ['validate', 'g.json'], env: { [LIMIT_ENV.maxNodes]: '2' }, expect: { exitCode: 2, message: /the graph has 3 nodes, more than the 2 allowed/ } });
add({ name: `1 edge with ${LIMIT_ENV.maxEdges}=0 is a bad setting`, files: { 'g.json': text(noiseGraph()) }, args: ['validate', 'g.json'], env: { [LIMIT_ENV.maxEdges]: '0' }, expect: { exitCode: 2, message: /MGAN_STUDIO_MAX_EDGES=0: expected a positive whole number \(default 4000\)/ } });
add({ name: `a 2 kB document with ${LIMIT_ENV.maxBytes}=1000`, files: { 'g.json': bigMeta(2000) }, args: ['run', 'g.json'], env: { [LIMIT_ENV.maxBytes]: '1000' }, expect: { exitCode: 2, message: /the document is 2\.\d kB, more than the 1000 bytes allowed/ } });
for (const [variable, value] of [
  [LIMIT_ENV.maxNodes, 'lots'],
  [LIMIT_ENV.maxNodes, '-5'],
  [LIMIT_ENV.maxNodes, '1.5'],
  [LIMIT_ENV.maxBytes, '1e400'],
  [LIMIT_ENV.maxEdges, '0x10g'],
  [LIMIT_ENV.maxPixels, 'many'],
] as const) {
  add({ name: `${variable}=${value}`, files: { 'g.json': text(noiseGraph()) }, args: ['run', 'g.json'], env: { [variable]: value }, expect: { exitCode: 2, message: new RegExp(`${variable}=.*: expected a positive whole number`) } });
}

// At the limit, every node wrong: the messages stop at 50 and say how many more there are.
add({
  name: `${maxNodes} nodes each with two bad params`,
  files: { 'g.json': text(graph(noiseNodes(maxNodes, { width: -1, height: 'tall' }))) },
  args: ['validate', 'g.json'],
  expect: { exitCode: 2, message: /g\.json: error: \.\.\. and 1950 more errors/ },
});
add({
  name: `${maxNodes} nodes of an unknown type`,
  files: { 'g.json': text(graph(Array.from({ length: maxNodes }, (_, i) => node(`n${i}`, 'no-such-type')))) },
  args: ['run', 'g.json'],
  expect: { exitCode: 2, message: /unknown node type 'no-such-type' \(node 'n0' kept, it will not run\)/ },
});
add({
  name: `${maxNodes} nodes all named alike`,
  files: { 'g.json': text(graph(Array.from({ length: maxNodes }, () => node('same', 'perlin-noise')))) },
  args: ['validate', 'g.json'],
  expect: { exitCode: 2, message: /node id 'same' is used twice \(nodes\[1\]\)/ },
});
// A chain and a cycle through the whole limit: no recursion, and the cycle message stays short.
const chain = (cyclic: boolean) => {
  const nodes = [node('n0', 'perlin-noise', { width: 1, height: 1 }), ...Array.from({ length: maxNodes - 1 }, (_, i) => node(`n${i + 1}`, 'resize', { scale: 1 }))];
  const edges = Array.from({ length: maxNodes - 1 }, (_, i) => edge(`n${i}`, 'image', `n${i + 1}`, 'image'));
  if (cyclic) {
    nodes[0] = node('n0', 'resize', { scale: 1 });
    edges.push(edge(`n${maxNodes - 1}`, 'image', 'n0', 'image'));
  }
  return text(graph(nodes, edges));
};
add({ name: `a chain of ${maxNodes} nodes`, files: { 'g.json': chain(false) }, args: ['validate', 'g.json'], expect: { exitCode: 0, message: /ok \(1000 nodes, 999 edges\)/ } });
add({ name: `a cycle through ${maxNodes} nodes`, files: { 'g.json': chain(true) }, args: ['validate', 'g.json'], expect: { exitCode: 2, message: /^g\.json: error: the graph has a cycle: n0 → n1 → .{0,400}\(a node cannot depend on its own output\)$/ } });
// Many nodes that do run: the run finishes and prints a bounded number of lines.
add({
  name: '300 unconnected 1x1 noise nodes run',
  files: { 'g.json': text(graph(noiseNodes(300))) },
  args: ['run', 'g.json', '--out', 'out'],
  expect: { exitCode: 0, message: /note: the graph has no image-out node, so no PNG was written/, noOutput: false },
  timeoutMs: 30_000,
});

export { cases };
