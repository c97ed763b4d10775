import { describe, expect, it } from 'vitest';
import { parseDocument, validateDocument } from '../../src/graph/validate';
import { serializeDocument } from '../../src/graph/document';
import { sampleDocument, types } from './fixtures';

function errorsOf(raw: unknown) {
  return validateDocument(raw, types).errors;
}

describe('validateDocument', () => {
  it('accepts a good document and fills param defaults', () => {
    const result = validateDocument(sampleDocument(), types);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    const noise1 = result.document!.nodes.find((n) => n.id === 'noise1')!;
    expect(noise1.params).toEqual({ width: 64, octaves: 6, scale: 0.5, seed: 1, color: false });
    expect(result.document!.nodes.find((n) => n.id === 'out1')!.params).toEqual({ name: 'result' });
  });

  it('reports malformed JSON with line and column', () => {
    const text = '{\n  "schemaVersion": 1,\n  "nodes": [\n    { "id": "a", }\n  ]\n}';
    const result = parseDocument(text, types);
    expect(result.document).toBeUndefined();
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0].code).toBe('json-syntax');
    expect(result.errors[0].message).toMatch(/line 4, column 18/);
    expect(result.errors[0].message).toMatch(/expected a property name/);
  });

  it('parses the text serializeDocument writes back to the same document', () => {
    const first = validateDocument(sampleDocument(), types).document!;
    const again = parseDocument(serializeDocument(first), types);
    expect(again.errors).toEqual([]);
    expect(again.document).toEqual(first);
  });

  it('keeps a node of an unknown type with a warning, and its edges unchecked', () => {
    const doc = sampleDocument();
    doc.nodes.push({ id: 'n3', type: 'x-future', version: 2, params: { anything: [1] as never }, position: { x: 0, y: 0 } });
    doc.nodes[3] = { ...doc.nodes[3], params: {} };
    doc.edges.push({ from: { node: 'blend1', port: 'image' }, to: { node: 'n3', port: 'whatever' } });
    const bad = validateDocument(doc, types);
    // params must still be JSON scalars even on an unknown type
    expect(bad.errors.map((e) => e.path)).toEqual(['nodes[4].params.anything']);
    doc.nodes[4].params = { anything: 3 };
    const result = validateDocument(doc, types);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0].message).toBe("unknown node type 'x-future' (node 'n3' kept, it will not run)");
    expect(result.document!.nodes.map((n) => n.id)).toContain('n3');
    expect(result.document!.nodes.find((n) => n.id === 'n3')!.params).toEqual({ anything: 3 });
    expect(result.document!.edges).toHaveLength(4);
  });

  it('rejects an edge between incompatible port types, naming both ports', () => {
    const doc = sampleDocument();
    doc.nodes.push({ id: 'tap1', type: 'tap', version: 1, params: {}, position: { x: 0, y: 0 } });
    doc.edges[0] = { from: { node: 'tap1', port: 'features' }, to: { node: 'blend1', port: 'a' } };
    doc.edges.push({ from: { node: 'noise1', port: 'image' }, to: { node: 'tap1', port: 'image' } });
    const errors = errorsOf(doc);
    expect(errors).toHaveLength(1);
    expect(errors[0].code).toBe('port-type');
    expect(errors[0].message).toBe("edges[0]: cannot connect Features output 'tap1.features' to Image input 'blend1.a'");
    expect(errors[0]).toMatchObject({ nodeId: 'blend1', port: 'a' });
  });

  it('rejects edges to missing nodes and ports', () => {
    const doc = sampleDocument();
    doc.edges.push({ from: { node: 'ghost', port: 'image' }, to: { node: 'blend1', port: 'mask' } });
    doc.edges[2] = { from: { node: 'blend1', port: 'img' }, to: { node: 'out1', port: 'image' } };
    const messages = errorsOf(doc).map((e) => e.message);
    expect(messages).toContain("edges[2]: node 'blend1' (blend) has no output 'img' (outputs: image)");
    expect(messages).toContain("edges[3]: there is no node 'ghost' (output 'ghost.image')");
  });

  it('reports a cycle naming its nodes', () => {
    const doc = sampleDocument();
    doc.nodes.push({ id: 'legacy1', type: 'legacy', version: 3, params: {}, position: { x: 0, y: 0 } });
    doc.edges.push({ from: { node: 'blend1', port: 'image' }, to: { node: 'legacy1', port: 'image' } });
    doc.edges.push({ from: { node: 'legacy1', port: 'image' }, to: { node: 'blend1', port: 'mask' } });
    const errors = errorsOf(doc);
    expect(errors).toHaveLength(1);
    expect(errors[0].code).toBe('cycle');
    expect(errors[0].message).toContain('blend1 → legacy1 → blend1');
  });

  it('reports out-of-range, non-integer, wrong-type and unknown-option params by node, type and param', () => {
    const doc = sampleDocument();
    doc.nodes[0].params = { octaves: 40, width: 10.5, seed: -1 };
    doc.nodes[1].params = { color: 'yes', scale: null };
    doc.nodes[2].params = { mode: 'overlay' };
    const result = validateDocument(doc, types);
    expect(result.document).toBeUndefined();
    const messages = result.errors.map((e) => e.message);
    expect(messages).toEqual([
      "node 'noise1' (noise): param 'width' = 10.5 is not an integer",
      "node 'noise1' (noise): param 'octaves' = 40 is above its maximum 8",
      "node 'noise1' (noise): param 'seed' = -1 is below its minimum 0",
      "node 'noise2' (noise): param 'scale' = null is not a number",
      "node 'noise2' (noise): param 'color' = \"yes\" is not true or false",
      'node \'blend1\' (blend): param \'mode\' = "overlay" is not one of "mix", "multiply", "screen"',
    ]);
    expect(result.errors[1]).toMatchObject({ code: 'param-range', nodeId: 'noise1', param: 'octaves', path: 'nodes[0].params.octaves' });
  });

  it('fills a missing param with its default and drops unknown params with a warning', () => {
    const doc = sampleDocument();
    doc.nodes[2].params = { amont: 0.3 };
    const result = validateDocument(doc, types);
    expect(result.errors).toEqual([]);
    expect(result.document!.nodes[2].params).toEqual({ mode: 'mix', amount: 0.5 });
    expect(result.warnings.map((w) => w.message)).toEqual(["node 'blend1' (blend): unknown param 'amont' ignored (its params: mode, amount)"]);
  });

  it('rejects duplicate node ids', () => {
    const doc = sampleDocument();
    doc.nodes[1].id = 'noise1';
    doc.edges[1].from.node = 'noise1';
    const errors = errorsOf(doc);
    expect(errors.map((e) => e.code)).toEqual(['duplicate-id']);
    expect(errors[0].message).toBe("node id 'noise1' is used twice (nodes[1]); node ids must be unique");
  });

  it('reports an unconnected required input (error, or warning for a partial graph)', () => {
    const doc = sampleDocument();
    doc.edges.splice(1, 1);
    const strict = validateDocument(doc, types);
    expect(strict.errors).toHaveLength(1);
    expect(strict.errors[0]).toMatchObject({ code: 'missing-input', nodeId: 'blend1', port: 'b' });
    expect(strict.errors[0].message).toBe("node 'blend1' (blend): required input 'b' (Image) is not connected");
    const partial = validateDocument(doc, types, { partial: true });
    expect(partial.errors).toEqual([]);
    expect(partial.warnings.map((w) => w.code)).toEqual(['missing-input']);
    expect(partial.document).toBeDefined();
  });

  it('rejects two edges into one input', () => {
    const doc = sampleDocument();
    doc.edges.push({ from: { node: 'noise2', port: 'image' }, to: { node: 'blend1', port: 'a' } });
    const errors = errorsOf(doc);
    expect(errors.map((e) => e.message)).toEqual(["input 'blend1.a' has 2 edges; an input takes one"]);
  });

  it('accepts an input with several accepted types and names them all on a mismatch', () => {
    const doc = sampleDocument();
    doc.nodes.push({ id: 'tap1', type: 'tap', version: 1, params: {}, position: { x: 0, y: 0 } });
    doc.nodes.push({ id: 'sampler1', type: 'sampler', version: 1, params: {}, position: { x: 0, y: 0 } });
    doc.edges.push({ from: { node: 'noise1', port: 'image' }, to: { node: 'tap1', port: 'image' } });
    doc.edges.push({ from: { node: 'tap1', port: 'features' }, to: { node: 'sampler1', port: 'features' } });
    expect(errorsOf(doc)).toEqual([]);
    doc.edges.push({ from: { node: 'sampler1', port: 'patches' }, to: { node: 'tap1', port: 'image' } });
    doc.edges.splice(3, 1);
    expect(errorsOf(doc).map((e) => e.message)).toContain(
      "edges[4]: cannot connect Patches output 'sampler1.patches' to Image or Frames input 'tap1.image'",
    );
  });

  it('names the JSON path of every malformed field', () => {
    const raw = {
      schemaVersion: 1,
      nodes: [
        { id: 'noise1', type: 'noise', version: 1, params: {}, position: { x: 0, y: 'top' } },
        { id: '', type: 'noise' },
        'not a node',
        { id: 'n', type: 'noise', version: 1.5, params: [], position: { x: 0, y: 0 }, bypass: 'no' },
      ],
      edges: [{ from: { node: 'noise1' }, to: 'n.image' }],
      meta: 'title',
    };
    const messages = errorsOf(raw).map((e) => e.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        "nodes[0].position.y must be a finite number, got the string \"top\"",
        'nodes[1].id must be a non-empty string, got the string ""',
        'nodes[2] must be an object, got the string "not a node"',
        'nodes[3].version must be a non-negative integer, got number 1.5',
        'nodes[3].params must be an object, got an array',
        'nodes[3].bypass must be true or false, got the string "no"',
        'edges[0].from.port is missing (it must be a non-empty string)',
        'edges[0].to must be an object {"node", "port"}, got the string "n.image"',
        'meta must be an object, got the string "title"',
      ]),
    );
    expect(errorsOf({ schemaVersion: 1 })[0].message).toBe('nodes is missing (it must be an array)');
    expect(errorsOf([1, 2])[0].message).toBe('the document must be a JSON object, got an array');
    expect(errorsOf({ schemaVersion: '1', nodes: [] })[0].message).toMatch(/^schemaVersion must be a non-negative integer/);
  });

  it('rejects node ids that could not be file names or --set targets', () => {
    const doc = sampleDocument();
    doc.nodes[3].id = '../../out';
    doc.edges[2].to.node = '../../out';
    const errors = errorsOf(doc);
    expect(errors.map((e) => e.code)).toEqual(['bad-id']);
    expect(errors[0].message).toBe("nodes[3].id '../../out' may only hold letters, digits, '_' and '-' (node ids name output files and --set targets)");
    doc.nodes[3].id = 'sortie_finale-2';
    doc.edges[2].to.node = 'sortie_finale-2';
    expect(errorsOf(doc)).toEqual([]);
    doc.nodes[3].id = 'out.png';
    expect(errorsOf(doc).map((e) => e.code)).toContain('bad-id');
  });

  it('refuses a document from a newer MGAN Studio', () => {
    const doc = { ...sampleDocument(), schemaVersion: 7 };
    const errors = errorsOf(doc);
    expect(errors).toHaveLength(1);
    expect(errors[0].code).toBe('schema-too-new');
    expect(errors[0].message).toMatch(/schemaVersion 7, newer .*update MGAN Studio/);
  });

  it('does not modify its input', () => {
    const doc = sampleDocument();
    const before = JSON.stringify(doc);
    validateDocument(doc, types);
    expect(JSON.stringify(doc)).toBe(before);
  });
});
