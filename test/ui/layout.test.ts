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
  const moves = placeClear(d, { nodes: ids }, sizes(d)).nodes ?? {};
  return { ...d, nodes: d.nodes.map((n) => (moves[n.id] ? { ...n, position: moves[n.id]! } : n)) };
}

describe('placeClear', () => {
  it('leaves a node that covers nothing where it was put', () => {
    const d = doc({ a: [0, 0], b: [600, 0] });
    expect(placeClear(d, { nodes: ['b'] }, sizes(d))).toEqual({});
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

  it('moves a pasted frame with its members and notes clear of other frames; a lone card may land inside a frame', () => {
    const frame = (id: string, x: number, nodes: string[], notes: string[] = []) => ({ id, title: id, color: '#4c7bd9', position: { x, y: 0 }, size: { width: 300, height: 400 }, nodes, notes });
    const base = doc({ a: [20, 40], p: [40, 60] });
    const d: GraphDocument = {
      ...base,
      schemaVersion: 2,
      annotations: { notes: [{ id: 'n2', text: '', position: { x: 30, y: 250 }, width: 200 }], frames: [frame('f1', 0, ['a']), frame('f2', 10, ['p'], ['n2'])] },
    };
    const moves = placeClear(d, { nodes: ['p'], notes: ['n2'], frames: ['f2'] }, sizes(d));
    const f2 = moves.frames!.f2!;
    // Clear of f1 (300 wide at x 0) by the gap, all three moved by the same offset.
    expect(f2.x >= 300 + PLACE_GAP || f2.y >= 400 + PLACE_GAP || f2.y + 400 + PLACE_GAP <= 0 || f2.x + 300 + PLACE_GAP <= 0).toBe(true);
    const dx = f2.x - 10;
    const dy = f2.y;
    expect(moves.nodes).toEqual({ p: { x: 40 + dx, y: 60 + dy } });
    expect(moves.notes).toEqual({ n2: { x: 30 + dx, y: 250 + dy } });
    // A lone node inside f1's empty lower half covers no card: it stays.
    const lone = { ...d, nodes: [...d.nodes, { id: 'z', type: 'blend', version: 1, params: {}, position: { x: 20, y: 1000 } }] };
    lone.annotations = { ...d.annotations!, frames: [{ ...frame('f1', 0, ['a']), size: { width: 300, height: 1400 } }] };
    expect(placeClear(lone, { nodes: ['z'] }, sizes(lone))).toEqual({});
  });
});
