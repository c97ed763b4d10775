/**
 * Fragments: part of a graph as copied to the clipboard (plain JSON), so copy and paste work
 * between tabs and windows. A fragment holds nodes with the edges among them, and the notes and
 * frames that were selected with them; a copied frame brings the nodes and notes inside it, as a
 * group does in other node editors. Clipboard text may come from anywhere, so it is read like a
 * document: bounded, checked field by field, and never allowed to bring in a cycle.
 */
import { annotationsOf, AnnotationEditError, MAX_FRAMES, MAX_NOTES, readAnnotations, withAnnotations } from './annotations';
import { GraphEditError, uniqueNodeId } from './edit';
import { DEFAULT_GRAPH_LIMITS, nestsDeeperThan, tooDeepMessage } from '../formats/limits';
import { findCycle } from './topo';
import type { GraphDocument, GraphEdge, GraphFrame, GraphNode, GraphNote, PortRef, Position } from './types';
import { isRecord } from '../util/is-record';

export interface GraphFragment {
  kind: 'mgan-studio/fragment';
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Absent in fragments without notes (and in those copied before notes existed). */
  notes?: GraphNote[];
  frames?: GraphFrame[];
}

/** What to copy: node ids, and note and frame ids. */
export interface FragmentSelection {
  nodes?: Iterable<string>;
  notes?: Iterable<string>;
  frames?: Iterable<string>;
}

/** The ids a paste or duplicate added, in fragment order. */
export interface PastedIds {
  /** Node ids. */
  ids: string[];
  notes: string[];
  frames: string[];
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * The chosen items deep-copied, in document order: nodes with the edges among them, notes, and
 * frames with their members (a frame's members come along even when not chosen themselves).
 */
export function copyFragment(doc: GraphDocument, selection: FragmentSelection): GraphFragment {
  const a = annotationsOf(doc);
  const frameIds = new Set(selection.frames ?? []);
  const frames = a.frames.filter((f) => frameIds.has(f.id));
  const nodeIds = new Set([...(selection.nodes ?? []), ...frames.flatMap((f) => f.nodes)]);
  const noteIds = new Set([...(selection.notes ?? []), ...frames.flatMap((f) => f.notes)]);
  const fragment: GraphFragment = {
    kind: 'mgan-studio/fragment',
    nodes: clone(doc.nodes.filter((n) => nodeIds.has(n.id))),
    edges: clone(doc.edges.filter((e) => nodeIds.has(e.from.node) && nodeIds.has(e.to.node))),
  };
  const notes = a.notes.filter((n) => noteIds.has(n.id));
  if (notes.length) fragment.notes = clone(notes);
  if (frames.length) fragment.frames = clone(frames);
  return fragment;
}

function isPortRef(value: unknown): value is PortRef {
  return isRecord(value) && typeof value.node === 'string' && typeof value.port === 'string';
}

function isNode(n: unknown): boolean {
  return (
    isRecord(n) &&
    typeof n.id === 'string' &&
    n.id !== '' &&
    typeof n.type === 'string' &&
    n.type !== '' &&
    typeof n.version === 'number' &&
    isRecord(n.params) &&
    isRecord(n.position) &&
    Number.isFinite(n.position.x) &&
    Number.isFinite(n.position.y)
  );
}

/**
 * Checks clipboard data is a fragment. Throws GraphEditError saying what is wrong; notes and frames
 * are read with the document's own rules (their JSON path in the message).
 */
export function parseFragment(raw: unknown): GraphFragment {
  if (!isRecord(raw) || raw.kind !== 'mgan-studio/fragment') throw new GraphEditError('the clipboard does not hold MGAN Studio nodes');
  if (!Array.isArray(raw.nodes) || !Array.isArray(raw.edges)) throw new GraphEditError('the copied nodes are damaged (nodes or edges missing)');
  if (nestsDeeperThan(raw)) throw new GraphEditError(`the copied nodes are damaged (${tooDeepMessage()})`);
  if (raw.nodes.length > DEFAULT_GRAPH_LIMITS.maxNodes) {
    throw new GraphEditError(`the clipboard holds ${raw.nodes.length} nodes, more than the ${DEFAULT_GRAPH_LIMITS.maxNodes} a graph may hold`);
  }
  raw.nodes.forEach((n, i) => {
    if (!isNode(n)) throw new GraphEditError(`the copied nodes are damaged (node ${i} is not a valid node)`);
  });
  raw.edges.forEach((e, i) => {
    if (!isRecord(e) || !isPortRef(e.from) || !isPortRef(e.to)) throw new GraphEditError(`the copied nodes are damaged (edge ${i} is not a valid edge)`);
  });
  const fragment: GraphFragment = { kind: 'mgan-studio/fragment', nodes: clone(raw.nodes as GraphNode[]), edges: clone(raw.edges as GraphEdge[]) };
  if (raw.notes !== undefined || raw.frames !== undefined) {
    const nodeIds = new Set(fragment.nodes.map((n) => n.id));
    const { annotations, issues } = readAnnotations({ notes: raw.notes ?? [], frames: raw.frames ?? [] }, nodeIds);
    const error = issues.find((i) => i.severity === 'error');
    if (error) throw new GraphEditError(`the copied notes are damaged (${error.message})`);
    if (annotations?.notes.length) fragment.notes = annotations.notes;
    if (annotations?.frames.length) fragment.frames = annotations.frames;
  }
  return fragment;
}

function freshId(taken: Set<string>, base: string): string {
  for (let n = 1; ; n++) {
    const id = `${base}-${n}`;
    if (!taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
}

/**
 * Adds a fragment with fresh ids (nodes named after their types), shifted by `offset`: nodes and
 * their internal edges, notes, and frames holding the pasted copies of their members.
 */
export function pasteFragment(doc: GraphDocument, fragment: GraphFragment, offset: Position): { doc: GraphDocument } & PastedIds {
  const shift = (p: Position) => ({ x: p.x + offset.x, y: p.y + offset.y });
  const taken = new Set(doc.nodes.map((n) => n.id));
  const rename = new Map<string, string>();
  const nodes = clone(fragment.nodes).map((node) => {
    const id = uniqueNodeId(taken, node.type);
    taken.add(id);
    rename.set(node.id, id);
    return { ...node, id, position: shift(node.position) };
  });
  const edges: GraphEdge[] = [];
  const filled = new Set<string>();
  for (const edge of fragment.edges) {
    const from = rename.get(edge.from.node);
    const to = rename.get(edge.to.node);
    const key = `${to}\u0000${edge.to.port}`;
    // An edge to a node outside the fragment, or a second edge into one input, cannot be pasted.
    if (from === undefined || to === undefined || filled.has(key)) continue;
    filled.add(key);
    edges.push({ from: { node: from, port: edge.from.port }, to: { node: to, port: edge.to.port } });
  }
  const pasted = { ...doc, nodes: [...doc.nodes, ...nodes], edges: [...doc.edges, ...edges] };
  // Fragments from the clipboard may be hand-made; never let one bring a cycle in.
  const cycle = findCycle(pasted);
  if (cycle) throw new GraphEditError(`the copied nodes form a cycle (${cycle.join(' → ')}) and cannot be pasted`);

  const a = annotationsOf(doc);
  const fragmentNotes = fragment.notes ?? [];
  const fragmentFrames = fragment.frames ?? [];
  if (a.notes.length + fragmentNotes.length > MAX_NOTES) throw new AnnotationEditError(`a graph holds at most ${MAX_NOTES} notes; this paste would make ${a.notes.length + fragmentNotes.length}`);
  if (a.frames.length + fragmentFrames.length > MAX_FRAMES) throw new AnnotationEditError(`a graph holds at most ${MAX_FRAMES} frames; this paste would make ${a.frames.length + fragmentFrames.length}`);
  const takenAnnotations = new Set([...a.notes.map((n) => n.id), ...a.frames.map((f) => f.id)]);
  const renameNote = new Map<string, string>();
  const notes = fragmentNotes.map((note) => {
    const id = freshId(takenAnnotations, 'note');
    renameNote.set(note.id, id);
    return { ...clone(note), id, position: shift(note.position) };
  });
  const frames = fragmentFrames.map((frame) => ({
    ...clone(frame),
    id: freshId(takenAnnotations, 'frame'),
    position: shift(frame.position),
    nodes: frame.nodes.flatMap((id) => rename.get(id) ?? []),
    notes: frame.notes.flatMap((id) => renameNote.get(id) ?? []),
  }));
  const withNotes = notes.length || frames.length ? withAnnotations(pasted, { notes: [...a.notes, ...notes], frames: [...a.frames, ...frames] }) : pasted;
  return { doc: withNotes, ids: nodes.map((n) => n.id), notes: notes.map((n) => n.id), frames: frames.map((f) => f.id) };
}

/** Copies the chosen items (as copyFragment does) next to the originals; returns the copies' ids. */
export function duplicateItems(doc: GraphDocument, selection: FragmentSelection, offset: Position): { doc: GraphDocument } & PastedIds {
  const a = annotationsOf(doc);
  for (const id of selection.nodes ?? []) if (!doc.nodes.some((n) => n.id === id)) throw new GraphEditError(`there is no node '${id}'`);
  for (const id of selection.notes ?? []) if (!a.notes.some((n) => n.id === id)) throw new GraphEditError(`there is no note '${id}'`);
  for (const id of selection.frames ?? []) if (!a.frames.some((f) => f.id === id)) throw new GraphEditError(`there is no frame '${id}'`);
  return pasteFragment(doc, copyFragment(doc, selection), offset);
}

/** Where a fragment's items start (its top-left corner), so a paste can place it as a group. */
export function fragmentOrigin(fragment: GraphFragment): Position {
  const points = [...fragment.nodes, ...(fragment.notes ?? []), ...(fragment.frames ?? [])].map((item) => item.position);
  if (!points.length) return { x: 0, y: 0 };
  return { x: Math.min(...points.map((p) => p.x)), y: Math.min(...points.map((p) => p.y)) };
}
