import { describe, expect, it } from 'vitest';
import {
  addNode,
  canConnect,
  compatibleInputs,
  compatibleOutputs,
  connect,
  disconnect,
  GraphEditError,
  moveNodes,
  removeNodes,
  setBypass,
  setLabel,
  setParam,
  setParamFromText,
} from '../../src/graph/edit';
import { emptyDocument } from '../../src/graph/document';
import { validateDocument } from '../../src/graph/validate';
import { ALL_SPECS, blendSpec, noiseSpec, outSpec, sampleDocument, tapSpec, types } from './fixtures';

describe('graph edits', () => {
  it('adds nodes with readable unique ids, defaults and checked params', () => {
    let doc = emptyDocument();
    const a = addNode(doc, noiseSpec, { x: 1, y: 2 });
    expect(a.id).toBe('noise-1');
    const b = addNode(a.doc, noiseSpec, { x: 0, y: 0 }, { octaves: 2 });
    expect(b.id).toBe('noise-2');
    doc = b.doc;
    expect(doc.nodes[1]).toEqual({ id: 'noise-2', type: 'noise', version: 1, position: { x: 0, y: 0 }, params: { width: 64, octaves: 2, scale: 0.5, seed: 1, color: false } });
    expect(() => addNode(doc, noiseSpec, { x: 0, y: 0 }, { octaves: 9 })).toThrow("node 'noise-3' (noise): param 'octaves' = 9 is above its maximum 8");
    // the freed id is reused, the original is untouched
    const removed = removeNodes(doc, ['noise-1']);
    expect(addNode(removed, noiseSpec, { x: 0, y: 0 }).id).toBe('noise-1');
    expect(doc.nodes).toHaveLength(2);
  });

  it('removes nodes with their edges', () => {
    const doc = removeNodes(sampleDocument(), ['blend1']);
    expect(doc.nodes.map((n) => n.id)).toEqual(['noise1', 'noise2', 'out1']);
    expect(doc.edges).toEqual([]);
  });

  it('moves, bypasses and labels nodes without mutating the input', () => {
    const original = sampleDocument();
    const before = JSON.stringify(original);
    let doc = moveNodes(original, { noise1: { x: 5, y: 6 } });
    doc = setBypass(doc, 'blend1', true);
    doc = setLabel(doc, 'out1', 'Final');
    expect(doc.nodes[0].position).toEqual({ x: 5, y: 6 });
    expect(doc.nodes[2].bypass).toBe(true);
    expect(doc.nodes[3].label).toBe('Final');
    expect('bypass' in setBypass(doc, 'blend1', false).nodes[2]).toBe(false);
    expect(JSON.stringify(original)).toBe(before);
    expect(() => moveNodes(original, { nope: { x: 0, y: 0 } })).toThrow("there is no node 'nope'");
  });

  it('sets params after checking them', () => {
    const doc = setParam(sampleDocument(), 'noise1', 'octaves', 8, types);
    expect(doc.nodes[0].params.octaves).toBe(8);
    expect(() => setParam(doc, 'noise1', 'octaves', 40, types)).toThrow("node 'noise1' (noise): param 'octaves' = 40 is above its maximum 8");
    expect(() => setParam(doc, 'noise1', 'octave', 4, types)).toThrow("node 'noise1' (noise) has no param 'octave' (params: width, octaves, scale, seed, color)");
    expect(() => setParam(doc, 'blend1', 'mode', 'overlay', types)).toThrow(GraphEditError);
  });

  it('sets params from CLI text, naming node, type and param on errors', () => {
    const doc = setParamFromText(sampleDocument(), 'noise1', 'color', 'yes', types);
    expect(doc.nodes[0].params.color).toBe(true);
    expect(setParamFromText(doc, 'noise1', 'octaves', '7', types).nodes[0].params.octaves).toBe(7);
    expect(() => setParamFromText(doc, 'noise1', 'octaves', 'many', types)).toThrow("node 'noise1' (noise): param 'octaves': \"many\" is not an integer");
    expect(() => setParamFromText(doc, 'noise1', 'octaves', '40', types)).toThrow("node 'noise1' (noise): param 'octaves' = 40 is above its maximum 8");
    expect(() => setParamFromText(doc, 'noise1', 'depth', '1', types)).toThrow("node 'noise1' (noise) has no param 'depth'");
    expect(() => setParamFromText(doc, 'noise9', 'octaves', '1', types)).toThrow("there is no node 'noise9'");
  });

  it('checks connections: types, self-loops, cycles, missing ports', () => {
    let doc = sampleDocument();
    doc = addNode(doc, tapSpec, { x: 0, y: 0 }).doc;
    expect(canConnect(doc, { node: 'tap-1', port: 'features' }, { node: 'out1', port: 'image' }, types)).toEqual({
      ok: false,
      reason: "cannot connect Features output 'tap-1.features' to Image input 'out1.image'",
    });
    expect(canConnect(doc, { node: 'blend1', port: 'image' }, { node: 'blend1', port: 'mask' }, types)).toEqual({ ok: false, reason: "cannot connect node 'blend1' to itself" });
    const cycle = canConnect(doc, { node: 'blend1', port: 'image' }, { node: 'noise1', port: 'image' }, types);
    expect(cycle.ok).toBe(false);
    expect(canConnect(doc, { node: 'out1', port: 'x' }, { node: 'noise1', port: 'image' }, types)).toEqual({ ok: false, reason: "node 'out1' (out) has no output 'x' (outputs: none)" });
    expect(canConnect(doc, { node: 'noise1', port: 'image' }, { node: 'out1', port: 'picture' }, types)).toEqual({ ok: false, reason: "node 'out1' (out) has no input 'picture' (inputs: image)" });
    expect(canConnect(doc, { node: 'noise1', port: 'image' }, { node: 'tap-1', port: 'image' }, types)).toEqual({ ok: true });
  });

  it('rejects an edge that would close a cycle through other nodes', () => {
    let doc = sampleDocument();
    const legacy = addNode(doc, ALL_SPECS.find((s) => s.type === 'legacy')!, { x: 0, y: 0 });
    doc = connect(legacy.doc, { node: 'blend1', port: 'image' }, { node: legacy.id, port: 'image' }, types);
    const check = canConnect(doc, { node: legacy.id, port: 'image' }, { node: 'noise1', port: 'image' }, types);
    expect(check.ok).toBe(false);
    const back = canConnect(doc, { node: legacy.id, port: 'image' }, { node: 'blend1', port: 'mask' }, types);
    expect(back).toEqual({ ok: false, reason: "cannot connect 'legacy-1.image' to 'blend1.mask': 'blend1' already feeds 'legacy-1', so this would make a cycle" });
    expect(() => connect(doc, { node: legacy.id, port: 'image' }, { node: 'blend1', port: 'mask' }, types)).toThrow(GraphEditError);
  });

  it('connect replaces the edge already into an input; disconnect removes it', () => {
    let doc = connect(sampleDocument(), { node: 'noise2', port: 'image' }, { node: 'blend1', port: 'a' }, types);
    expect(doc.edges.filter((e) => e.to.node === 'blend1' && e.to.port === 'a').map((e) => e.from.node)).toEqual(['noise2']);
    expect(validateDocument(doc, types).errors).toEqual([]);
    doc = disconnect(doc, { node: 'blend1', port: 'a' });
    expect(doc.edges.some((e) => e.to.node === 'blend1' && e.to.port === 'a')).toBe(false);
  });

  it('lists node types a dragged wire can connect to', () => {
    const inputs = compatibleInputs(ALL_SPECS, 'Image').map((m) => `${m.spec.type}.${m.port.name}`);
    expect(inputs).toEqual(['blend.a', 'blend.b', 'blend.mask', 'tap.image', 'out.image', 'legacy.image']);
    expect(compatibleInputs(ALL_SPECS, 'Frames').map((m) => m.spec.type)).toEqual(['tap']);
    expect(compatibleOutputs(ALL_SPECS, ['Image', 'Frames']).map((m) => m.spec.type)).toEqual(['noise', 'blend', 'legacy']);
    expect(compatibleOutputs(ALL_SPECS, 'Features').map((m) => `${m.spec.type}.${m.port.name}`)).toEqual(['tap.features']);
    expect(compatibleOutputs([outSpec, blendSpec], 'Patches')).toEqual([]);
  });


});
