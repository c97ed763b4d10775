/** Where new and pasted nodes land: never on top of a card. */
import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../src/graph/types';
import { hasOverlaps, PLACE_GAP, placeClear, type Size } from '../../src/ui/layout';

const SIZE: Size = { width: 200, height: 150 };

function doc(positions: Record<string, [number, number]>): GraphDocument {
  return {
    schemaVersion: 1,
    nodes: Object.entries(positions).map(([id, [x, y]]) => ({ id, type: 'blend', version: 1, params: {}, position: { x, y } })),
    edges: [],
    meta: {},
  };
}
const sizes = (d: GraphDocument) => new Map(d.nodes.map((n) => [n.id, SIZE]));

function place(d: GraphDocument, ids: string[]): GraphDocument {
  const moves = placeClear(d, ids, sizes(d));
  return { ...d, nodes: d.nodes.map((n) => (moves[n.id] ? { ...n, position: moves[n.id]! } : n)) };
}

describe('placeClear', () => {
  it('leaves a node that covers nothing where it was put', () => {
    const d = doc({ a: [0, 0], b: [600, 0] });
    expect(placeClear(d, ['b'], sizes(d))).toEqual({});
  });

  it('moves a node dropped on a card to the nearest free spot beside it', () => {
    const d = doc({ a: [0, 0], b: [20, 10] });
    const placed = place(d, ['b']);
    expect(hasOverlaps(placed, sizes(placed))).toBe(false);
    const b = placed.nodes.find((n) => n.id === 'b')!.position;
    // Nearest: straight below a (a gap away), keeping its x.
    expect(b).toEqual({ x: 20, y: 150 + PLACE_GAP });
  });

  it('finds the free spot in a crowded row, not a far corner', () => {
    const d = doc({ a: [0, 0], b: [224, 0], c: [448, 0], d: [672, 0], x: [300, 40] });
    const placed = place(d, ['x']);
    expect(hasOverlaps(placed, sizes(placed))).toBe(false);
    const x = placed.nodes.find((n) => n.id === 'x')!.position;
    expect(Math.hypot(x.x - 300, x.y - 40)).toBeLessThanOrEqual(150 + PLACE_GAP);
  });

  it('moves a pasted group as one, keeping its layout', () => {
    const d = doc({ a: [0, 0], b: [250, 0], p: [10, 10], q: [260, 10] });
    const placed = place(d, ['p', 'q']);
    expect(hasOverlaps(placed, sizes(placed))).toBe(false);
    const p = placed.nodes.find((n) => n.id === 'p')!.position;
    const q = placed.nodes.find((n) => n.id === 'q')!.position;
    expect(q.x - p.x).toBe(250);
    expect(q.y - p.y).toBe(0);
    // Only the new nodes move.
    expect(placed.nodes.find((n) => n.id === 'a')!.position).toEqual({ x: 0, y: 0 });
  });

  it('keeps every card clear when nodes are added one after another at the same point', () => {
    let d = doc({});
    for (let i = 0; i < 12; i++) {
      d = { ...d, nodes: [...d.nodes, { id: `n${i}`, type: 'blend', version: 1, params: {}, position: { x: 100, y: 100 } }] };
      d = place(d, [`n${i}`]);
      expect(hasOverlaps(d, sizes(d)), `after ${i + 1} nodes`).toBe(false);
    }
  });
});
