/**
 * Canvas ids: React Flow shows nodes, notes and frames side by side, so notes and frames get a
 * prefix ('note:', 'frame:') that node ids can never hold (node ids have no ':'). The selection
 * holds these ids.
 */
import type { PlacedItem } from '../graph/annotations';
import type { FragmentSelection } from '../graph/fragment';
import type { GraphDocument } from '../graph/types';

export type CanvasItem = { kind: 'node' | 'note' | 'frame'; id: string };

export const noteItemId = (id: string) => `note:${id}`;
export const frameItemId = (id: string) => `frame:${id}`;

export function parseItemId(itemId: string): CanvasItem {
  if (itemId.startsWith('note:')) return { kind: 'note', id: itemId.slice(5) };
  if (itemId.startsWith('frame:')) return { kind: 'frame', id: itemId.slice(6) };
  return { kind: 'node', id: itemId };
}

/** The graph nodes among selected canvas ids (what run, copy, bypass and duplicate act on). */
export function graphNodeIds(itemIds: readonly string[]): string[] {
  return itemIds.filter((id) => parseItemId(id).kind === 'node');
}

/** Selected canvas ids as the graph layer names them: node, note and frame ids apart. */
export function selectionOf(itemIds: readonly string[]): { nodes: string[]; notes: string[]; frames: string[] } & FragmentSelection {
  const out = { nodes: [] as string[], notes: [] as string[], frames: [] as string[] };
  for (const itemId of itemIds) {
    const { kind, id } = parseItemId(itemId);
    out[`${kind}s`].push(id);
  }
  return out;
}

/** Canvas ids of what a paste or duplicate added (to select it). */
export function pastedItemIds(pasted: { ids: string[]; notes: string[]; frames: string[] }): string[] {
  return [...pasted.ids, ...pasted.notes.map(noteItemId), ...pasted.frames.map(frameItemId)];
}

/** Every canvas id the document has. */
export function canvasItemIds(doc: GraphDocument): Set<string> {
  return new Set([
    ...doc.nodes.map((n) => n.id),
    ...(doc.annotations?.notes ?? []).map((n) => noteItemId(n.id)),
    ...(doc.annotations?.frames ?? []).map((f) => frameItemId(f.id)),
  ]);
}

/** What React Flow knows of a canvas item: where it is and how big it was drawn. */
export interface DrawnItem {
  id: string;
  position: { x: number; y: number };
  measured?: { width?: number; height?: number };
}

/** Nodes and notes with their centres (frames excluded), for frame membership. */
export function placedItems(items: readonly DrawnItem[]): PlacedItem[] {
  const out: PlacedItem[] = [];
  for (const item of items) {
    const { kind, id } = parseItemId(item.id);
    if (kind === 'frame') continue;
    out.push({ kind, id, centre: { x: item.position.x + (item.measured?.width ?? 0) / 2, y: item.position.y + (item.measured?.height ?? 0) / 2 } });
  }
  return out;
}
