import { describe, expect, it } from 'vitest';
import { addFrame, addNote, annotationsOf, MAX_NOTES } from '../../src/graph/annotations';
import { emptyDocument, serializeDocument } from '../../src/graph/document';
import { CURRENT_SCHEMA_VERSION } from '../../src/graph/types';
import { copyFragment, duplicateItems, fragmentOrigin, parseFragment, pasteFragment } from '../../src/graph/fragment';
import { parseDocument, validateDocument } from '../../src/graph/validate';
import { sampleDocument, types } from './fixtures';

describe('fragments (copy, paste, duplicate)', () => {
  it('copies and pastes fragments with fresh ids and internal edges only', () => {
    const doc = sampleDocument();
    const fragment = copyFragment(doc, { nodes: ['noise1', 'blend1'] });
    expect(fragment.nodes.map((n) => n.id)).toEqual(['noise1', 'blend1']);
    expect(fragment.edges).toEqual([{ from: { node: 'noise1', port: 'image' }, to: { node: 'blend1', port: 'a' } }]);
    const roundTrip = parseFragment(JSON.parse(JSON.stringify(fragment)));
    const pasted = pasteFragment(doc, roundTrip, { x: 50, y: 10 });
    expect(pasted.ids).toEqual(['noise-1', 'blend-1']);
    expect(pasted.doc.nodes.find((n) => n.id === 'noise-1')!.position).toEqual({ x: 50, y: 10 });
    expect(pasted.doc.edges.at(-1)).toEqual({ from: { node: 'noise-1', port: 'image' }, to: { node: 'blend-1', port: 'a' } });
    expect(pasted.doc.nodes.find((n) => n.id === 'noise-1')!.params).toEqual(doc.nodes[0].params);
    const again = pasteFragment(pasted.doc, roundTrip, { x: 0, y: 0 });
    expect(again.ids).toEqual(['noise-2', 'blend-2']);
  });

  it('refuses clipboard data that is not a fragment or that holds a cycle', () => {
    expect(() => parseFragment({ nodes: [] })).toThrow('the clipboard does not hold MGAN Studio nodes');
    expect(() => parseFragment({ kind: 'mgan-studio/fragment', nodes: [{ id: 'a' }], edges: [] })).toThrow('node 0 is not a valid node');
    // A hostile clipboard: nesting that would overflow the copy, and more nodes than a graph may hold.
    let deep: unknown = 1;
    for (let i = 0; i < 50_000; i++) deep = [deep];
    const deepNode = { id: 'a', type: 'perlin-noise', version: 1, params: { x: deep }, position: { x: 0, y: 0 } };
    expect(() => parseFragment({ kind: 'mgan-studio/fragment', nodes: [deepNode], edges: [] })).toThrow(/the copied nodes are damaged \(the JSON nests deeper than 64 levels/);
    const many = Array.from({ length: 1001 }, (_, i) => ({ ...deepNode, id: `n${i}`, params: {} }));
    expect(() => parseFragment({ kind: 'mgan-studio/fragment', nodes: many, edges: [] })).toThrow(/the clipboard holds 1001 nodes, more than the 1000 a graph may hold/);
    const node = (id: string) => ({ id, type: 'legacy', version: 3, params: {}, position: { x: 0, y: 0 } });
    const loop = parseFragment({
      kind: 'mgan-studio/fragment',
      nodes: [node('a'), node('b')],
      edges: [
        { from: { node: 'a', port: 'image' }, to: { node: 'b', port: 'image' } },
        { from: { node: 'b', port: 'image' }, to: { node: 'a', port: 'image' } },
      ],
    });
    expect(() => pasteFragment(emptyDocument(), loop, { x: 0, y: 0 })).toThrow(/form a cycle/);
    // a hand-made fragment's odd type name still gives a safe id
    const odd = parseFragment({ kind: 'mgan-studio/fragment', nodes: [{ ...node('a'), type: '../evil type' }], edges: [] });
    const pasted = pasteFragment(emptyDocument(), odd, { x: 0, y: 0 });
    expect(pasted.ids).toEqual(['evil-type-1']);
    expect(validateDocument(pasted.doc, types).errors).toEqual([]);
  });

  it('duplicates nodes beside the originals', () => {
    const doc = sampleDocument();
    const dup = duplicateItems(doc, { nodes: ['noise2', 'blend1'] }, { x: 20, y: 20 });
    expect(dup.ids).toEqual(['noise-1', 'blend-1']);
    expect(dup.doc.nodes).toHaveLength(6);
    expect(dup.doc.edges).toHaveLength(4);
    const result = validateDocument(dup.doc, types, { partial: true });
    expect(result.errors).toEqual([]);
    // blend-1's input a came from outside the selection, so it is open now
    expect(result.warnings.map((w) => w.message)).toEqual(["node 'blend-1' (blend): required input 'a' (Image) is not connected"]);
    expect(() => duplicateItems(doc, { nodes: ['nope'] }, { x: 0, y: 0 })).toThrow("there is no node 'nope'");
  });
  it('copies notes and frames with the nodes; a copied frame brings its members', () => {
    let doc = { ...sampleDocument(), schemaVersion: CURRENT_SCHEMA_VERSION };
    const note = addNote(doc, { x: 5, y: 5 }, '**why** noise');
    doc = note.doc;
    const other = addNote(doc, { x: 900, y: 900 }, 'elsewhere');
    doc = other.doc;
    const frame = addFrame(doc, { x: 0, y: 0, width: 400, height: 300 }, { title: 'Step 1', color: '#3fa66b', nodes: ['noise1', 'blend1'], notes: [note.id] });
    doc = frame.doc;

    const fragment = parseFragment(JSON.parse(JSON.stringify(copyFragment(doc, { frames: [frame.id], notes: [other.id] }))));
    expect(fragment.nodes.map((n) => n.id)).toEqual(['noise1', 'blend1']);
    expect(fragment.notes!.map((n) => n.text)).toEqual(['**why** noise', 'elsewhere']);
    expect(fragment.frames!.map((f) => f.title)).toEqual(['Step 1']);

    const pasted = pasteFragment(doc, fragment, { x: 1000, y: 0 });
    expect(pasted.ids).toEqual(['noise-1', 'blend-1']);
    expect(pasted.notes).toEqual(['note-3', 'note-4']);
    expect(pasted.frames).toEqual(['frame-2']);
    const a = annotationsOf(pasted.doc);
    const copy = a.frames.find((f) => f.id === 'frame-2')!;
    // The copy holds the copies, not the originals, and sits where the paste put it.
    expect(copy).toMatchObject({ title: 'Step 1', color: '#3fa66b', position: { x: 1000, y: 0 }, nodes: ['noise-1', 'blend-1'], notes: ['note-3'] });
    expect(a.frames.find((f) => f.id === frame.id)!.nodes).toEqual(['noise1', 'blend1']);
    expect(a.notes.find((n) => n.id === 'note-3')!.position).toEqual({ x: 1005, y: 5 });
    // The pasted document reads back with no issue (ids unique, members known).
    // (blend-1's input b came from outside the copy, so the graph is partial.)
    const round = parseDocument(serializeDocument(pasted.doc), types, { partial: true });
    expect(round.errors).toEqual([]);
    expect(round.warnings.map((w) => w.code)).toEqual(['missing-input']);
    expect(annotationsOf(round.document!)).toEqual(a);

    // Duplicating a note alone copies just the note.
    const dup = duplicateItems(doc, { notes: [other.id] }, { x: 10, y: 10 });
    expect(dup.ids).toEqual([]);
    expect(annotationsOf(dup.doc).notes.at(-1)).toMatchObject({ text: 'elsewhere', position: { x: 910, y: 910 } });
  });

  it('refuses clipboard notes and frames that break the document rules, naming what is wrong', () => {
    const base = { kind: 'mgan-studio/fragment', nodes: [], edges: [] };
    expect(() => parseFragment({ ...base, notes: [{ id: 'n 1', text: 'x', position: { x: 0, y: 0 } }] })).toThrow(/the copied notes are damaged \(annotations\.notes\[0\]\.id/);
    expect(() => parseFragment({ ...base, notes: [{ id: 'n1', text: 'x'.repeat(5000), position: { x: 0, y: 0 } }] })).toThrow(/the copied notes are damaged/);
    expect(() => parseFragment({ ...base, frames: 'all' })).toThrow(/the copied notes are damaged/);
    // Members naming nodes outside the fragment are dropped, not pasted as dangling ids.
    const fragment = parseFragment({
      ...base,
      nodes: [{ id: 'a', type: 'noise', version: 1, params: {}, position: { x: 0, y: 0 } }],
      frames: [{ id: 'f', title: 'T', color: '#4c7bd9', position: { x: 0, y: 0 }, size: { width: 200, height: 200 }, nodes: ['ghost'], notes: [] }],
    });
    expect(fragment.frames![0].nodes).toEqual([]);
    // A paste past the graph's limit on notes fails whole.
    let doc = emptyDocument();
    for (let i = 0; i < MAX_NOTES; i++) doc = addNote(doc, { x: i, y: 0 }, '').doc;
    const one = parseFragment({ ...base, notes: [{ id: 'n1', text: 'x', position: { x: 0, y: 0 } }] });
    expect(() => pasteFragment(doc, one, { x: 0, y: 0 })).toThrow(`a graph holds at most ${MAX_NOTES} notes; this paste would make ${MAX_NOTES + 1}`);
  });

  it('fragmentOrigin is the top-left of nodes, notes and frames', () => {
    const fragment = parseFragment({
      kind: 'mgan-studio/fragment',
      nodes: [{ id: 'a', type: 'noise', version: 1, params: {}, position: { x: 50, y: 40 } }],
      edges: [],
      notes: [{ id: 'n', text: '', position: { x: 70, y: -10 } }],
    });
    expect(fragmentOrigin(fragment)).toEqual({ x: 50, y: -10 });
  });
});
