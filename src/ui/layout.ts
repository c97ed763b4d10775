/**
 * Card layout: "Tidy" places nodes in columns by their depth in the graph (sources left, sinks
 * right) and stacks each column using the cards' measured sizes, keeping the user's top-to-bottom
 * order; new and pasted nodes are moved off the cards they would cover.
 */
import type { GraphDocument, NodeTypeLookup, Position } from '../graph/types';

export interface Size {
  width: number;
  height: number;
}

/** Inline params beyond this many live in the inspector only, to keep cards small. */
export const MAX_INLINE_PARAMS = 4;
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

/** Space kept between a placed card and the cards around it. */
export const PLACE_GAP = 24;

/**
 * Where the just-added nodes `ids` go so that they cover no other card: as one group (a pasted
 * selection keeps its own layout), at the free spot nearest to where they were put. A spot is free
 * when the group's bounding box, grown by `gap`, touches no other card. Candidates are where the
 * group would sit flush beside some card, so the search is exact and always ends (right of every
 * card is free). Returns the new positions, or {} when the nodes are already clear.
 */
export function placeClear(doc: GraphDocument, ids: string[], sizes: Map<string, Size>, gap = PLACE_GAP): Record<string, Position> {
  const moving = new Set(ids);
  const group = doc.nodes.filter((n) => moving.has(n.id));
  if (!group.length) return {};
  const box = (n: { id: string; position: Position }) => ({ ...n.position, ...(sizes.get(n.id) ?? DEFAULT_SIZE) });
  const others = doc.nodes.filter((n) => !moving.has(n.id)).map(box);
  const own = group.map(box);
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
  return Object.fromEntries(group.map((n) => [n.id, { x: Math.round(n.position.x + dx), y: Math.round(n.position.y + dy) }]));
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
