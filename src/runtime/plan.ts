/**
 * Compiling a document into an execution plan: each node's definition, resolved params, where its
 * inputs come from, and its cache key. Keys need only upstream keys, never values, so the whole
 * plan is computed up front and a changed param changes exactly the keys downstream of it.
 */
import type { GraphDocument, GraphNode, ParamResource, ParamValue, PortRef } from '../graph/types';
import { resolveParams } from '../graph/params';
import { GraphCycleError, topologicalOrder } from '../graph/topo';
import type { NodeRegistry } from '../nodes/registry';
import type { NodeDefinition } from '../nodes/types';
import { nodeCacheKey } from './cache-key';

export interface PlannedNode {
  node: GraphNode;
  /** Undefined for an unknown node type (kept in the document, shown as an error). */
  def?: NodeDefinition;
  params: Record<string, ParamValue>;
  /** Why the node cannot run before it starts (unknown type, bad param). */
  problem?: { message: string; name: string };
  /** input port -> the output it is connected to */
  inputs: Map<string, PortRef>;
  /** The node's output ports an edge takes (RunContext.wiredOutputs). */
  wiredOutputs: ReadonlySet<string>;
  key: string;
  /**
   * A long node with `midRun` params: its key without them. Two plans with the same tuneKey differ
   * only in values a running run can take at its next step.
   */
  tuneKey?: string;
}

export interface Plan {
  doc: GraphDocument;
  /** Topological order (inputs before the nodes that use them). */
  order: string[];
  nodes: Map<string, PlannedNode>;
}

/** How often the outside things each kind of resource param names have changed (see GraphRuntimeApi.resourcesChanged). */
export type ResourceRevisions = ReadonlyMap<ParamResource, number>;

function planNode(node: GraphNode, registry: NodeRegistry, doc: GraphDocument, keys: Map<string, string>, revisions: ResourceRevisions): PlannedNode {
  const inputs = new Map<string, PortRef>();
  const wiredOutputs = new Set<string>();
  for (const edge of doc.edges) {
    if (edge.to.node === node.id) inputs.set(edge.to.port, edge.from);
    if (edge.from.node === node.id) wiredOutputs.add(edge.from.port);
  }
  const def = registry.get(node.type);
  let params: Record<string, ParamValue> = node.params;
  let problem: PlannedNode['problem'];
  if (!def) {
    problem = { message: `unknown node type '${node.type}'`, name: 'UnknownNodeType' };
  } else {
    const resolved = resolveParams(def, node.params, node.id);
    params = resolved.params;
    const error = resolved.issues.find((i) => i.severity === 'error');
    if (error) problem = { message: error.message, name: 'ParamError' };
  }
  const inputKeys: Record<string, string> = {};
  for (const [port, from] of inputs) inputKeys[port] = `${keys.get(from.node) ?? 'missing'}:${from.port}`;
  const resources: Record<string, number> = {};
  for (const spec of def?.params ?? []) {
    const kind = spec.type === 'string' ? spec.resource : undefined;
    const revision = kind && revisions.get(kind);
    if (kind && revision) resources[kind] = revision;
  }
  const key = nodeCacheKey({
    type: node.type,
    version: def?.version ?? node.version,
    params,
    bypass: !!node.bypass,
    inputs: inputKeys,
    resources,
  });
  const tunable = def?.long ? def.params.filter((p) => p.midRun).map((p) => p.name) : [];
  const tuneKey = tunable.length
    ? nodeCacheKey({ type: node.type, version: def?.version ?? node.version, params: Object.fromEntries(Object.entries(params).filter(([name]) => !tunable.includes(name))), bypass: !!node.bypass, inputs: inputKeys, resources })
    : undefined;
  return { node, def, params, problem, inputs, wiredOutputs, key, ...(tuneKey ? { tuneKey } : {}) };
}

/**
 * Whether a result computed earlier serves this plan: it holds every on-demand output the plan wires
 * (one computed while the output was unwired left it out). The cache key leaves wiring out, so
 * unwiring an output never throws a long result away.
 */
export function servesPlan(planned: PlannedNode, outputs: Record<string, unknown>): boolean {
  if (planned.node.bypass) return true;
  return (planned.def?.outputs ?? []).every((p) => !p.onDemand || !planned.wiredOutputs.has(p.name) || outputs[p.name] !== undefined);
}

/** A cyclic document cannot run at all: every node carries the cycle as its problem. */
function cyclicPlan(doc: GraphDocument, registry: NodeRegistry, cycle: GraphCycleError): Plan {
  const nodes = new Map<string, PlannedNode>();
  for (const node of doc.nodes) {
    const planned = planNode({ ...node }, registry, { ...doc, edges: [] }, new Map(), new Map());
    nodes.set(node.id, { ...planned, node, inputs: new Map(), wiredOutputs: new Set(), problem: { message: cycle.message, name: cycle.name } });
  }
  return { doc, order: doc.nodes.map((n) => n.id), nodes };
}

export function compilePlan(doc: GraphDocument, registry: NodeRegistry, revisions: ResourceRevisions = new Map()): Plan {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  let order: string[];
  try {
    order = topologicalOrder(doc).filter((id) => byId.has(id));
  } catch (e) {
    if (e instanceof GraphCycleError) return cyclicPlan(doc, registry, e);
    throw e;
  }
  const keys = new Map<string, string>();
  const nodes = new Map<string, PlannedNode>();
  for (const id of order) {
    const planned = planNode(byId.get(id)!, registry, doc, keys, revisions);
    keys.set(id, planned.key);
    nodes.set(id, planned);
  }
  return { doc, order, nodes };
}

/** Nodes no edge leaves from: what a run without targets aims at. */
export function sinkIds(plan: Plan): string[] {
  const hasConsumer = new Set(plan.doc.edges.map((e) => e.from.node));
  return plan.order.filter((id) => !hasConsumer.has(id));
}

/**
 * What a live run aims at: every cheap node (long ones wait for an explicit run, even as outputs)
 * whose required inputs are all connected; a node still missing one is being built, not broken, so it
 * stays idle. Cached nodes answer at once, so only what a change touched really runs.
 */
export function liveTargetIds(plan: Plan): string[] {
  const wired = new Set(plan.doc.edges.map((e) => `${e.to.node}\u0000${e.to.port}`));
  return plan.order.filter((id) => {
    const def = plan.nodes.get(id)?.def;
    return !!def && !def.long && def.inputs.every((p) => p.optional || wired.has(`${id}\u0000${p.name}`));
  });
}
