/** The Versions list's titles: what changed since the version before. */
import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../src/graph/types';
import { describeChange } from '../../src/ui/store/version-titles';

const base: GraphDocument = {
  schemaVersion: 1,
  nodes: [
    { id: 'noise', type: 'perlin-noise', version: 1, params: { width: 32 }, position: { x: 0, y: 0 } },
    { id: 'out', type: 'image-out', version: 1, params: {}, position: { x: 300, y: 0 } },
  ],
  edges: [],
  meta: {},
};

describe('describeChange', () => {
  it('names params, added and removed nodes, wires and moves', () => {
    expect(describeChange(undefined, base)).toBe('first saved version');
    const edited = { ...base, nodes: base.nodes.map((n) => (n.id === 'noise' ? { ...n, params: { width: 64 } } : n)) };
    expect(describeChange(base, edited)).toBe('noise.width 32 → 64');
    const grown = { ...base, nodes: [...base.nodes, { id: 'blur', type: 'resize', version: 1, params: {}, position: { x: 0, y: 300 } }] };
    expect(describeChange(base, grown)).toBe('added blur (resize)');
    const wired = { ...base, edges: [{ from: { node: 'noise', port: 'image' }, to: { node: 'out', port: 'image' } }] };
    expect(describeChange(base, wired)).toBe('1 wire added');
    expect(describeChange(wired, base)).toBe('1 wire removed');
    const moved = { ...base, nodes: base.nodes.map((n) => ({ ...n, position: { x: n.position.x + 10, y: 0 } })) };
    expect(describeChange(base, moved)).toBe('moved 2 cards');
    expect(describeChange(base, base)).toBe('no change to the graph (view or selection)');
  });
});
