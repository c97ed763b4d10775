/** Creating, copying and writing graph documents. */
import { CURRENT_SCHEMA_VERSION, type Annotations, type GraphDocument, type GraphEdge, type GraphNode } from './types';
import { sortKeys } from '../util/canonical-json';

export function emptyDocument(meta: Record<string, unknown> = {}): GraphDocument {
  return { schemaVersion: CURRENT_SCHEMA_VERSION, nodes: [], edges: [], meta: { ...meta } };
}

function canonicalNode(node: GraphNode): Record<string, unknown> {
  const out: Record<string, unknown> = { id: node.id, type: node.type, version: node.version };
  if (node.label !== undefined) out.label = node.label;
  if (node.bypass) out.bypass = true;
  out.position = { x: node.position.x, y: node.position.y };
  out.params = sortKeys(node.params);
  return out;
}

function canonicalEdge(edge: GraphEdge): Record<string, unknown> {
  return { from: { node: edge.from.node, port: edge.from.port }, to: { node: edge.to.node, port: edge.to.port } };
}

function canonicalAnnotations(a: Annotations): Record<string, unknown> {
  return {
    notes: a.notes.map((n) => {
      const out: Record<string, unknown> = { id: n.id, position: { x: n.position.x, y: n.position.y } };
      if (n.width !== undefined) out.width = n.width;
      if (n.color !== undefined) out.color = n.color;
      out.text = n.text;
      return out;
    }),
    frames: a.frames.map((f) => ({
      id: f.id,
      title: f.title,
      color: f.color,
      position: { x: f.position.x, y: f.position.y },
      size: { width: f.size.width, height: f.size.height },
      nodes: [...f.nodes],
      notes: [...f.notes],
    })),
  };
}

/**
 * Stable pretty JSON: fixed key order for the known structure, sorted keys inside params and meta,
 * node and edge order kept (it is meaningful to the user), trailing newline. Saving the same graph twice
 * gives byte-identical files, so saved graphs diff well.
 */
export function serializeDocument(doc: GraphDocument): string {
  const canonical = {
    schemaVersion: doc.schemaVersion,
    meta: sortKeys(doc.meta),
    nodes: doc.nodes.map(canonicalNode),
    edges: doc.edges.map(canonicalEdge),
    // Written only when there are notes or frames, so graphs without them keep their bytes.
    ...(doc.annotations && (doc.annotations.notes.length || doc.annotations.frames.length) ? { annotations: canonicalAnnotations(doc.annotations) } : {}),
  };
  return `${JSON.stringify(canonical, null, 2)}\n`;
}

/** Compact JSON (share links, PNG chunks): same key order as serializeDocument, no whitespace. */
export function serializeDocumentCompact(doc: GraphDocument): string {
  return JSON.stringify(JSON.parse(serializeDocument(doc)));
}
