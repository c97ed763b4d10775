/**
 * Graph structure queries: order, cycles, reachability, edges at a port. Edges that point at nodes
 * missing from the document are ignored here (validation reports them).
 */
import type { GraphDocument, GraphEdge } from './types';

/** Successor (or predecessor) lists by node id, in document order. */
function adjacency(doc: GraphDocument, direction: 'down' | 'up'): Map<string, string[]> {
  const next = new Map<string, string[]>();
  for (const node of doc.nodes) next.set(node.id, []);
  for (const edge of doc.edges) {
    const [a, b] = direction === 'down' ? [edge.from.node, edge.to.node] : [edge.to.node, edge.from.node];
    if (next.has(a) && next.has(b)) next.get(a)!.push(b);
  }
  return next;
}

/**
 * A cycle as the ids of the nodes on it, in edge order starting from its first node in document order
 * (`['a', 'b']` for a → b → a, `['a']` for a self-loop), or undefined when the graph has none.
 */
export function findCycle(doc: GraphDocument): string[] | undefined {
  const next = adjacency(doc, 'down');
  const state = new Map<string, 'open' | 'done'>();
  // Iterative DFS so deep chains cannot overflow the call stack.
  for (const root of next.keys()) {
    if (state.has(root)) continue;
    const frames: { id: string; i: number }[] = [{ id: root, i: 0 }];
    state.set(root, 'open');
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      const succ = next.get(frame.id)!;
      if (frame.i < succ.length) {
        const to = succ[frame.i++];
        const s = state.get(to);
        if (s === 'open') {
          const path = frames.map((f) => f.id);
          const cycle = path.slice(path.indexOf(to));
          const first = cycle.reduce((best, id) => (order(doc, id) < order(doc, best) ? id : best));
          const k = cycle.indexOf(first);
          return [...cycle.slice(k), ...cycle.slice(0, k)];
        }
        if (s === undefined) {
          state.set(to, 'open');
          frames.push({ id: to, i: 0 });
        }
      } else {
        state.set(frame.id, 'done');
        frames.pop();
      }
    }
  }
  return undefined;
}

function order(doc: GraphDocument, id: string): number {
  return doc.nodes.findIndex((n) => n.id === id);
}

/** Thrown by topologicalOrder for a cyclic graph; `cycle` lists the nodes on one cycle. */
export class GraphCycleError extends Error {
  constructor(public readonly cycle: string[]) {
    super(`the graph has a cycle: ${[...cycle, cycle[0]].join(' → ')}`);
    this.name = 'GraphCycleError';
  }
}

/**
 * Node ids with every node after all of its inputs; among nodes that are ready together, document
 * order wins (so the order is stable). Throws GraphCycleError for a cyclic graph.
 */
export function topologicalOrder(doc: GraphDocument): string[] {
  const next = adjacency(doc, 'down');
  const indegree = new Map<string, number>();
  for (const id of next.keys()) indegree.set(id, 0);
  for (const succ of next.values()) for (const to of succ) indegree.set(to, indegree.get(to)! + 1);
  const position = new Map(doc.nodes.map((n, i) => [n.id, i] as const));
  const ready = [...indegree].filter(([, d]) => d === 0).map(([id]) => id);
  const out: string[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => position.get(a)! - position.get(b)!);
    const id = ready.shift()!;
    out.push(id);
    for (const to of next.get(id)!) {
      const d = indegree.get(to)! - 1;
      indegree.set(to, d);
      if (d === 0) ready.push(to);
    }
  }
  if (out.length < next.size) throw new GraphCycleError(findCycle(doc) ?? []);
  return out;
}

function reachable(doc: GraphDocument, ids: Iterable<string>, direction: 'down' | 'up'): Set<string> {
  const next = adjacency(doc, direction);
  const seen = new Set<string>();
  const todo = [...ids];
  while (todo.length > 0) {
    for (const to of next.get(todo.pop()!) ?? []) {
      if (!seen.has(to)) {
        seen.add(to);
        todo.push(to);
      }
    }
  }
  return seen;
}

/** Every node the given nodes depend on, directly or not (the given ids themselves only via a cycle). */
export function upstreamOf(doc: GraphDocument, ids: Iterable<string>): Set<string> {
  return reachable(doc, ids, 'up');
}

/** Every node that depends on the given nodes, directly or not (the given ids themselves only via a cycle). */
export function downstreamOf(doc: GraphDocument, ids: Iterable<string>): Set<string> {
  return reachable(doc, ids, 'down');
}

/** The edge into an input port (an input takes at most one). */
export function incomingEdge(doc: GraphDocument, nodeId: string, port: string): GraphEdge | undefined {
  return doc.edges.find((e) => e.to.node === nodeId && e.to.port === port);
}

/** Edges leaving a node (optionally one output port of it). */
export function outgoingEdges(doc: GraphDocument, nodeId: string, port?: string): GraphEdge[] {
  return doc.edges.filter((e) => e.from.node === nodeId && (port === undefined || e.from.port === port));
}
