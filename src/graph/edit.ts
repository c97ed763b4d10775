/**
 * Pure edits: each takes a document and returns a new one (the input is never mutated), so the
 * editor can keep every version in its undo history. Invalid edits throw GraphEditError with a
 * message meant for the user.
 */
import { dropFrameNodes } from './annotations';
import { describeNode } from './issues';
import { coerceParam, paramProblem, ParamValueError, resolveParams } from './params';
import { acceptedTypes, edgeProblem, outputType } from './ports';
import { downstreamOf } from './topo';
import type {
  GraphDocument,
  GraphEdge,
  GraphNode,
  NodeTypeLookup,
  NodeTypeSpec,
  ParamValue,
  PortRef,
  PortSpec,
  PortType,
  Position,
} from './types';

export class GraphEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GraphEditError';
  }
}

function nodeById(doc: GraphDocument, id: string): GraphNode {
  const node = doc.nodes.find((n) => n.id === id);
  if (!node) throw new GraphEditError(`there is no node '${id}'`);
  return node;
}

function replaceNode(doc: GraphDocument, id: string, change: (node: GraphNode) => GraphNode): GraphDocument {
  nodeById(doc, id);
  return { ...doc, nodes: doc.nodes.map((n) => (n.id === id ? change(n) : n)) };
}

function samePort(a: PortRef, b: PortRef): boolean {
  return a.node === b.node && a.port === b.port;
}

/**
 * `base-N` with the smallest N ≥ 1 not in `taken` ("perlin-noise-2"): readable and unique. Characters
 * a node id may not hold (see NODE_ID_PATTERN) become '-'.
 */
export function uniqueNodeId(taken: ReadonlySet<string>, base: string): string {
  const safe = base.replace(/[^\p{L}\p{N}_-]+/gu, '-').replace(/^-+/, '') || 'node';
  for (let n = 1; ; n++) {
    const id = `${safe}-${n}`;
    if (!taken.has(id)) return id;
  }
}

/** Adds a node of `spec` with defaults filled; `params` override them (checked). */
export function addNode(
  doc: GraphDocument,
  spec: NodeTypeSpec,
  position: Position,
  params: Record<string, ParamValue> = {},
): { doc: GraphDocument; id: string } {
  const id = uniqueNodeId(new Set(doc.nodes.map((n) => n.id)), spec.type);
  const resolved = resolveParams(spec, params, id);
  if (resolved.issues.length > 0) throw new GraphEditError(resolved.issues[0].message);
  const node: GraphNode = { id, type: spec.type, version: spec.version, params: resolved.params, position: { ...position } };
  return { doc: { ...doc, nodes: [...doc.nodes, node] }, id };
}

/** Removes nodes, every edge touching them and their places in frames; unknown ids are ignored (already gone). */
export function removeNodes(doc: GraphDocument, ids: Iterable<string>): GraphDocument {
  const gone = new Set(ids);
  return dropFrameNodes(
    {
      ...doc,
      nodes: doc.nodes.filter((n) => !gone.has(n.id)),
      edges: doc.edges.filter((e) => !gone.has(e.from.node) && !gone.has(e.to.node)),
    },
    gone,
  );
}

/** Sets absolute positions (what the canvas reports after a drag). */
export function moveNodes(doc: GraphDocument, positions: Record<string, Position>): GraphDocument {
  for (const id of Object.keys(positions)) nodeById(doc, id);
  return {
    ...doc,
    nodes: doc.nodes.map((n) => (positions[n.id] ? { ...n, position: { x: positions[n.id].x, y: positions[n.id].y } } : n)),
  };
}

/** Sets one param after checking it against the node type's spec. */
export function setParam(doc: GraphDocument, id: string, name: string, value: ParamValue, types: NodeTypeLookup): GraphDocument {
  const node = nodeById(doc, id);
  const spec = types.get(node.type);
  if (!spec) throw new GraphEditError(`node '${id}' has the unknown type '${node.type}'; its params cannot be checked or edited`);
  const paramSpec = spec.params.find((p) => p.name === name);
  if (!paramSpec) {
    const names = spec.params.map((p) => p.name).join(', ') || 'none';
    throw new GraphEditError(`${describeNode(id, node.type)} has no param '${name}' (params: ${names})`);
  }
  const problem = paramProblem(paramSpec, value);
  if (problem) throw new GraphEditError(`${describeNode(id, node.type)}: param '${name}' ${problem.text}`);
  return replaceNode(doc, id, (n) => ({ ...n, params: { ...n.params, [name]: value } }));
}

/**
 * Sets one param from text (the CLI's `--set NODE.PARAM=VALUE`): the text is converted to the
 * param's type and checked; errors name the node, its type and the param.
 */
export function setParamFromText(doc: GraphDocument, id: string, name: string, text: string, types: NodeTypeLookup): GraphDocument {
  const node = nodeById(doc, id);
  const paramSpec = types.get(node.type)?.params.find((p) => p.name === name);
  if (!paramSpec) return setParam(doc, id, name, text, types); // throws the right "unknown type / no such param" error
  try {
    return setParam(doc, id, name, coerceParam(paramSpec, text), types);
  } catch (e) {
    if (e instanceof ParamValueError) throw new GraphEditError(`${describeNode(id, node.type)}: ${e.message}`);
    throw e;
  }
}

export function setBypass(doc: GraphDocument, id: string, bypass: boolean): GraphDocument {
  return replaceNode(doc, id, (n) => {
    const { bypass: _old, ...rest } = n;
    return bypass ? { ...rest, bypass: true } : rest;
  });
}

/** Sets (or with undefined/empty text, clears) the label shown instead of the type's title. */
export function setLabel(doc: GraphDocument, id: string, label: string | undefined): GraphDocument {
  return replaceNode(doc, id, (n) => {
    const { label: _old, ...rest } = n;
    return label ? { ...rest, label } : rest;
  });
}

export type ConnectCheck = { ok: true } | { ok: false; reason: string };

/**
 * Whether an edge from an output to an input may be added. An existing edge into `to` does not
 * count against it: connect replaces it.
 */
export function canConnect(doc: GraphDocument, from: PortRef, to: PortRef, types: NodeTypeLookup): ConnectCheck {
  if (from.node === to.node) return { ok: false, reason: `cannot connect node '${from.node}' to itself` };
  const problem = edgeProblem(doc, from, to, types);
  if (problem) return { ok: false, reason: problem.message };
  if (downstreamOf(doc, [to.node]).has(from.node)) {
    return { ok: false, reason: `cannot connect '${from.node}.${from.port}' to '${to.node}.${to.port}': '${to.node}' already feeds '${from.node}', so this would make a cycle` };
  }
  return { ok: true };
}

/** Adds the edge from → to, replacing any edge already into `to`. Throws GraphEditError when not allowed. */
export function connect(doc: GraphDocument, from: PortRef, to: PortRef, types: NodeTypeLookup): GraphDocument {
  const check = canConnect(doc, from, to, types);
  if (!check.ok) throw new GraphEditError(check.reason);
  const edges = doc.edges.filter((e) => !samePort(e.to, to));
  return { ...doc, edges: [...edges, { from: { ...from }, to: { ...to } }] };
}

/** Removes the edge into input `to` (if any). */
export function disconnect(doc: GraphDocument, to: PortRef): GraphDocument {
  return { ...doc, edges: doc.edges.filter((e) => !samePort(e.to, to)) };
}

export interface PortMatch {
  spec: NodeTypeSpec;
  port: PortSpec;
}

/** Node types with an input that accepts `type` (a wire dragged from an output into empty space). */
export function compatibleInputs(specs: Iterable<NodeTypeSpec>, type: PortType): PortMatch[] {
  const out: PortMatch[] = [];
  for (const spec of specs) for (const port of spec.inputs) if (acceptedTypes(port).includes(type)) out.push({ spec, port });
  return out;
}

/** Node types with an output an input accepting `accepted` can take (a wire dragged from an input). */
export function compatibleOutputs(specs: Iterable<NodeTypeSpec>, accepted: PortType | readonly PortType[]): PortMatch[] {
  const wanted: readonly PortType[] = typeof accepted === 'string' ? [accepted] : accepted;
  const out: PortMatch[] = [];
  for (const spec of specs) for (const port of spec.outputs) if (wanted.includes(outputType(port))) out.push({ spec, port });
  return out;
}

