import { describe, expect, it } from 'vitest';
import { downstreamOf, findCycle, GraphCycleError, incomingEdge, outgoingEdges, topologicalOrder, upstreamOf } from '../../src/graph/topo';
import type { GraphDocument } from '../../src/graph/types';
import { sampleDocument } from './fixtures';

function chain(ids: string[], edges: [string, string][]): GraphDocument {
  return {
    schemaVersion: 1,
    meta: {},
    nodes: ids.map((id) => ({ id, type: 't', version: 1, params: {}, position: { x: 0, y: 0 } })),
    edges: edges.map(([a, b], i) => ({ from: { node: a, port: 'out' }, to: { node: b, port: `in${i}` } })),
  };
}

describe('topology', () => {
  it('orders every node after its inputs, ties in document order', () => {
    const doc = sampleDocument();
    // put the sink first in the document: order must still follow edges
    doc.nodes.reverse();
    expect(topologicalOrder(doc)).toEqual(['noise2', 'noise1', 'blend1', 'out1']);
  });

  it('finds cycles, including self-loops, naming the nodes in edge order', () => {
    expect(findCycle(sampleDocument())).toBeUndefined();
    expect(findCycle(chain(['a', 'b', 'c', 'd'], [['a', 'b'], ['b', 'c'], ['c', 'd'], ['d', 'b']]))).toEqual(['b', 'c', 'd']);
    expect(findCycle(chain(['x', 'a'], [['a', 'a']]))).toEqual(['a']);
    const cyclic = chain(['a', 'b'], [['a', 'b'], ['b', 'a']]);
    expect(() => topologicalOrder(cyclic)).toThrow(GraphCycleError);
    expect(() => topologicalOrder(cyclic)).toThrow('the graph has a cycle: a → b → a');
  });

  it('handles a long chain without recursion limits', () => {
    const ids = Array.from({ length: 20000 }, (_, i) => `n${i}`);
    const doc = chain(ids, ids.slice(1).map((id, i) => [ids[i], id] as [string, string]));
    expect(findCycle(doc)).toBeUndefined();
    expect(topologicalOrder(doc)[19999]).toBe('n19999');
  });

  it('finds what lies up- and downstream', () => {
    const doc = sampleDocument();
    expect([...upstreamOf(doc, ['out1'])].sort()).toEqual(['blend1', 'noise1', 'noise2']);
    expect([...upstreamOf(doc, ['noise1'])]).toEqual([]);
    expect([...downstreamOf(doc, ['noise2'])].sort()).toEqual(['blend1', 'out1']);
    expect([...downstreamOf(doc, ['noise1', 'noise2'])].sort()).toEqual(['blend1', 'out1']);
  });

  it('looks up edges at ports and ignores edges to missing nodes', () => {
    const doc = sampleDocument();
    expect(incomingEdge(doc, 'blend1', 'b')?.from).toEqual({ node: 'noise2', port: 'image' });
    expect(incomingEdge(doc, 'blend1', 'mask')).toBeUndefined();
    expect(outgoingEdges(doc, 'noise1').map((e) => e.to)).toEqual([{ node: 'blend1', port: 'a' }]);
    expect(outgoingEdges(doc, 'noise1', 'other')).toEqual([]);
    doc.edges.push({ from: { node: 'ghost', port: 'image' }, to: { node: 'noise1', port: 'x' } });
    expect(topologicalOrder(doc)).toHaveLength(4);
    expect([...upstreamOf(doc, ['noise1'])]).toEqual([]);
  });
});
