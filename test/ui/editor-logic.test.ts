/** The editor's pure logic (no browser): fuzzy search, tidy layout, patch overlays, the graph store. */
import { describe, expect, it } from 'vitest';
import { emptyDocument } from '../../src/graph/document';
import { nodeRegistry } from '../../src/nodes/registry';
import { fuzzyFilter, fuzzyScore } from '../../src/ui/fuzzy';
import { estimateSizes, hasOverlaps, tidyPositions } from '../../src/ui/layout';
import { gridFractions, readPatchScores } from '../../src/ui/components/PatchOverlay';
import { addNode, connect, setParam } from '../../src/ui/store/graph-ops';
import { GraphStore } from '../../src/ui/store/graph-store';

const EMPTY = emptyDocument();

describe('fuzzy search', () => {
  it('needs every query character in order and ranks word starts and runs first', () => {
    expect(fuzzyScore('mdo', 'image-out')).toBe(0);
    expect(fuzzyScore('mdo', 'MDAN optimiser')).toBeGreaterThan(0);
    const titles = ['Image out', 'MDAN optimiser', 'Blend', 'Brown noise'];
    expect(fuzzyFilter('bln', titles, (t) => t)[0]).toBe('Blend');
    expect(fuzzyFilter('opt', titles, (t) => t)).toEqual(['MDAN optimiser']);
    expect(fuzzyFilter('', titles, (t) => t)).toHaveLength(4);
  });
});

describe('tidy layout', () => {
  it('puts sources left of their consumers and removes overlaps', () => {
    let doc = EMPTY;
    const ids: string[] = [];
    for (const type of ['perlin-noise', 'perlin-noise', 'blend', 'image-out']) {
      const r = addNode(doc, type, { x: 0, y: 0 });
      doc = r.doc;
      ids.push(r.id);
    }
    const [a, b, mix, out] = ids as [string, string, string, string];
    doc = connect(doc, { node: a, port: 'image' }, { node: mix, port: 'a' });
    doc = connect(doc, { node: b, port: 'image' }, { node: mix, port: 'b' });
    doc = connect(doc, { node: mix, port: 'image' }, { node: out, port: 'image' });
    const sizes = estimateSizes(doc, nodeRegistry);
    expect(hasOverlaps(doc, sizes)).toBe(true);
    const pos = tidyPositions(doc, sizes);
    expect(pos[a]!.x).toBe(pos[b]!.x);
    expect(pos[mix]!.x).toBeGreaterThan(pos[a]!.x);
    expect(pos[out]!.x).toBeGreaterThan(pos[mix]!.x);
    const tidied = { ...doc, nodes: doc.nodes.map((n) => ({ ...n, position: pos[n.id]! })) };
    expect(hasOverlaps(tidied, sizes)).toBe(false);
  });
});

describe('patch overlays', () => {
  it('turns a sampler grid (cells, last window flush) into fractions of the map', () => {
    const g = gridFractions({ rows: 2, cols: 3, rowStarts: [0, 4], colStarts: [0, 4, 6], size: 8 })!;
    expect(g.xs).toEqual([0, 4 / 14, 6 / 14]);
    expect(g.ys).toEqual([0, 4 / 12]);
    expect(g.w).toBeCloseTo(8 / 14);
    expect(g.h).toBeCloseTo(8 / 12);
    expect(gridFractions({ rows: 1 })).toBeUndefined();
  });
  it('accepts patch scores only when values fill rows x cols', () => {
    expect(readPatchScores({ patchScores: { rows: 2, cols: 2, values: [1, 2, 3, 4] } })?.values).toEqual([1, 2, 3, 4]);
    expect(readPatchScores({ patchScores: { rows: 2, cols: 2, values: [1, 2, 3] } })).toBeUndefined();
    expect(readPatchScores(undefined)).toBeUndefined();
  });
});

describe('graph store', () => {
  it('records edits for undo/redo, coalesces a slider drag, and keeps selection valid', () => {
    const store = new GraphStore(EMPTY);
    const seen: string[] = [];
    store.onDocumentChange((_d, reason) => seen.push(reason));
    let id = '';
    store.edit((d) => {
      const r = addNode(d, 'blend', { x: 0, y: 0 });
      id = r.id;
      return r.doc;
    });
    for (const v of [0.1, 0.2, 0.3]) store.edit((d) => setParam(d, id, 'amount', v), `param:${id}:amount`);
    store.setSelection([id]);
    expect(store.getSnapshot().canUndo).toBe(true);
    store.undo();
    expect(store.doc.nodes[0]!.params.amount).toBe(0.5);
    store.undo();
    expect(store.doc.nodes).toHaveLength(0);
    expect(store.getSnapshot().selection).toEqual([]);
    store.redo();
    store.redo();
    expect(store.doc.nodes[0]!.params.amount).toBe(0.3);
    expect(seen).toEqual(['edit', 'edit', 'edit', 'edit', 'undo', 'undo', 'redo', 'redo']);
    // An edit that changes nothing records nothing.
    const before = store.getSnapshot();
    store.edit((d) => d);
    expect(store.getSnapshot()).toBe(before);
  });
});
