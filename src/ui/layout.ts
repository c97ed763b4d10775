/**
 * Card layout: "Tidy" places nodes in columns by their depth in the graph (sources left, sinks
 * right) and stacks each column using the cards' measured sizes, keeping the user's top-to-bottom
 * order; new and pasted cards (nodes, notes, frames) are moved off the cards they would cover.
 */
import { annotationsOf, fitFramesToNodes, moveCanvasItems } from '../graph/annotations';
import type { GraphDocument, NodeTypeLookup, NodeTypeSpec, Position } from '../graph/types';
import { portTypes } from './port-colors';

export interface Size {
  width: number;
  height: number;
}

/**
 * How "fit the graph in view" pads the canvas: the minimap (200 px wide, bottom right) takes the
 * right edge, so fitted cards stay clear of it.
 */
export const FIT_VIEW_PADDING = { top: '24px', left: '32px', bottom: '24px', right: '240px' } as const;

/** Inline params beyond this many live in the inspector only, to keep cards small. */
export const MAX_INLINE_PARAMS = 4;

/**
 * Whether a card keeps a results area of fixed height (its state, preview and, for long nodes, D's
 * view and the loss chart, scrolling inside): the nodes that show a picture. The area is there
 * before the first run, so a run never makes the card grow over its neighbours. The video-out card
 * lays out its player itself.
 */
export function hasResultsArea(spec: NodeTypeSpec): boolean {
  if (spec.type === 'video-out') return false;
  return !!spec.long || spec.type === 'patch-sampler' || spec.type === 'video-source' || spec.outputs.some((p) => portTypes(p.type).includes('Image'));
}
const COLUMN_GAP = 80;
const ROW_GAP = 40;
const DEFAULT_SIZE: Size = { width: 230, height: 200 };

export function tidyPositions(doc: GraphDocument, sizes: Map<string, Size>): Record<string, Position> {
  const inputs = new Map<string, string[]>();
  for (const e of doc.edges) inputs.set(e.to.node, [...(inputs.get(e.to.node) ?? []), e.from.node]);
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0; // a cycle (only in a broken document): cut it here
    visiting.add(id);
    const d = Math.max(-1, ...(inputs.get(id) ?? []).map(depthOf)) + 1;
    visiting.delete(id);
    depth.set(id, d);
    return d;
  };
  const columns: string[][] = [];
  for (const n of doc.nodes) (columns[depthOf(n.id)] ??= []).push(n.id);

  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const left = Math.min(0, ...doc.nodes.map((n) => n.position.x));
  const top = Math.min(0, ...doc.nodes.map((n) => n.position.y));
  const positions: Record<string, Position> = {};
  let x = left;
  for (const column of columns) {
    if (!column) continue;
    column.sort((a, b) => byId.get(a)!.position.y - byId.get(b)!.position.y);
    let y = top;
    let width = 0;
    for (const id of column) {
      const size = sizes.get(id) ?? DEFAULT_SIZE;
      positions[id] = { x: Math.round(x), y: Math.round(y) };
      y += size.height + ROW_GAP;
      width = Math.max(width, size.width);
    }
    x += width + COLUMN_GAP;
  }
  return positions;
}

/**
 * Tidy for a whole document: nodes in columns (tidyPositions), then each frame's notes stacked under
 * its nodes, every note moved off the cards it would cover, and each frame fitted around its nodes
 * and notes. `sizes` holds measured sizes by canvas id (node id, `note:ID`).
 */
export function tidyLayout(doc: GraphDocument, sizes: Map<string, Size>): GraphDocument {
  let out = moveCanvasItems(doc, { nodes: tidyPositions(doc, sizes) });
  const a = annotationsOf(out);
  const noteSize = (id: string) => {
    const note = a.notes.find((n) => n.id === id);
    return sizes.get(`note:${id}`) ?? { width: note?.width ?? 260, height: NOTE_HEIGHT };
  };
  const byId = new Map(out.nodes.map((n) => [n.id, n]));
  for (const frame of a.frames) {
    const members = frame.nodes.flatMap((id) => {
      const node = byId.get(id);
      return node ? [{ ...node.position, ...(sizes.get(id) ?? DEFAULT_SIZE) }] : [];
    });
    if (!members.length || !frame.notes.length) continue;
    const x = Math.min(...members.map((b) => b.x));
    let y = Math.max(...members.map((b) => b.y + b.height)) + PLACE_GAP;
    const notes: Record<string, Position> = {};
    for (const id of frame.notes) {
      notes[id] = { x, y };
      y += noteSize(id).height + PLACE_GAP;
    }
    out = moveCanvasItems(out, { notes });
    // Stacked under the frame's cards they may still cover a card of another column: clear of it, together.
    const clear = placeClear(out, { notes: frame.notes }, sizes);
    if (clear.notes) out = moveCanvasItems(out, { notes: clear.notes });
  }
  const framed = new Set(a.frames.flatMap((f) => f.notes));
  for (const note of a.notes) {
    if (framed.has(note.id)) continue;
    const clear = placeClear(out, { notes: [note.id] }, sizes);
    if (clear.notes) out = moveCanvasItems(out, { notes: clear.notes });
  }
  const noteSizes = new Map(a.notes.map((n) => [n.id, noteSize(n.id)]));
  return fitFramesToNodes(out, sizes, DEFAULT_SIZE, noteSizes);
}

/** Space kept between a placed card and the cards around it. */
export const PLACE_GAP = 24;

/** The items of a paste or a new card: node ids, and note and frame ids. */
export interface PlacedGroup {
  nodes?: readonly string[];
  notes?: readonly string[];
  frames?: readonly string[];
}

/** New positions by kind (absent kinds did not move). */
export interface GroupMoves {
  nodes?: Record<string, Position>;
  notes?: Record<string, Position>;
  frames?: Record<string, Position>;
}

type Kind = 'nodes' | 'notes' | 'frames';
interface Box extends Size {
  kind: Kind;
  id: string;
  x: number;
  y: number;
}

/** A note's height before it is measured: a few lines of text. */
const NOTE_HEIGHT = 120;

/**
 * Every card's box on the canvas. `sizes` holds measured sizes by canvas id (node id, `note:ID`);
 * frames carry their own size.
 */
function canvasBoxes(doc: GraphDocument, sizes: Map<string, Size>): Box[] {
  const a = doc.annotations ?? { notes: [], frames: [] };
  return [
    ...doc.nodes.map((n) => ({ kind: 'nodes' as const, id: n.id, ...n.position, ...(sizes.get(n.id) ?? DEFAULT_SIZE) })),
    ...a.notes.map((n) => ({ kind: 'notes' as const, id: n.id, ...n.position, ...(sizes.get(`note:${n.id}`) ?? { width: n.width ?? 260, height: NOTE_HEIGHT }) })),
    ...a.frames.map((f) => ({ kind: 'frames' as const, id: f.id, ...f.position, ...f.size })),
  ];
}

/**
 * Where a just-added group goes so that it covers no other card: moved as one (a pasted selection
 * keeps its own layout) to the free spot nearest to where it was put. Frames are obstacles only to
 * a group that holds a frame: a single card may land inside a frame, two frames never overlap. A
 * spot is free when the group's bounding box, grown by `gap`, touches no obstacle. Candidates are
 * where the group would sit flush beside some obstacle, so the search is exact and always ends
 * (right of every card is free). Returns the moves, or {} when the group is already clear.
 */
export function placeClear(doc: GraphDocument, group: PlacedGroup, sizes: Map<string, Size>, gap = PLACE_GAP): GroupMoves {
  const chosen = { nodes: new Set(group.nodes), notes: new Set(group.notes), frames: new Set(group.frames) };
  const boxes = canvasBoxes(doc, sizes);
  const own = boxes.filter((b) => chosen[b.kind].has(b.id));
  if (!own.length) return {};
  const framed = own.some((b) => b.kind === 'frames');
  const others = boxes.filter((b) => !chosen[b.kind].has(b.id) && (framed || b.kind !== 'frames'));
  const gx = Math.min(...own.map((b) => b.x));
  const gy = Math.min(...own.map((b) => b.y));
  const gw = Math.max(...own.map((b) => b.x + b.width)) - gx;
  const gh = Math.max(...own.map((b) => b.y + b.height)) - gy;
  const free = (x: number, y: number) =>
    others.every((b) => x + gw + gap <= b.x || b.x + b.width + gap <= x || y + gh + gap <= b.y || b.y + b.height + gap <= y);
  if (free(gx, gy)) return {};
  const xs = new Set([gx]);
  const ys = new Set([gy]);
  for (const b of others) {
    xs.add(b.x + b.width + gap);
    xs.add(b.x - gw - gap);
    ys.add(b.y + b.height + gap);
    ys.add(b.y - gh - gap);
  }
  let best = { x: Math.max(...others.map((b) => b.x + b.width)) + gap, y: gy };
  let bestDistance = (best.x - gx) ** 2;
  for (const x of xs) {
    for (const y of ys) {
      const distance = (x - gx) ** 2 + (y - gy) ** 2;
      if (distance < bestDistance && free(x, y)) {
        best = { x, y };
        bestDistance = distance;
      }
    }
  }
  const dx = best.x - gx;
  const dy = best.y - gy;
  const moves: GroupMoves = {};
  for (const b of own) (moves[b.kind] ??= {})[b.id] = { x: Math.round(b.x + dx), y: Math.round(b.y + dy) };
  return moves;
}

/** True when any two cards overlap. */
export function hasOverlaps(doc: GraphDocument, sizes: Map<string, Size>): boolean {
  const boxes = doc.nodes.map((n) => ({ ...n.position, ...(sizes.get(n.id) ?? DEFAULT_SIZE) }));
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) return true;
    }
  }
  return false;
}

/**
 * A card's size before it is on screen, from its type: header, port rows, inline params, run
 * controls, status line and (for image-producing nodes) the preview. Matches styles.css.
 */
export function estimateCardSize(type: string, types: NodeTypeLookup, inlineParams: number): Size {
  const spec = types.get(type);
  if (!spec) return DEFAULT_SIZE;
  const ports = Math.max(spec.inputs.length, spec.outputs.length) * 19 + 8;
  const shown = Math.min(spec.params.length, inlineParams);
  const params = shown ? shown * 24 + (spec.params.length > shown ? 16 : 0) + 8 : 0;
  const hasPreview = spec.outputs.some((p) => p.type === 'Image') || type === 'patch-sampler';
  return { width: 230, height: 26 + ports + params + 30 + 22 + (hasPreview ? 135 : 0) + (spec.long ? 86 : 0) };
}

export function estimateSizes(doc: GraphDocument, types: NodeTypeLookup, inlineParams = MAX_INLINE_PARAMS): Map<string, Size> {
  return new Map(doc.nodes.map((n) => [n.id, estimateCardSize(n.type, types, inlineParams)]));
}
