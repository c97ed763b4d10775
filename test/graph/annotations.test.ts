import { describe, expect, it } from 'vitest';
import {
  addFrame,
  addNote,
  AnnotationEditError,
  fitFramesToNodes,
  MAX_FRAMES,
  MAX_NOTE_TEXT,
  MAX_NOTES,
  moveCanvasItems,
  placeInFrames,
  removeAnnotations,
  resizeFrame,
  setFrameColor,
  setNoteText,
} from '../../src/graph/annotations';
import { serializeDocument } from '../../src/graph/document';
import { removeNodes } from '../../src/graph/edit';
import { embedGraphInPng, extractGraphFromPng } from '../../src/graph/share-png';
import { decodeGraphFragment, encodeGraphFragment } from '../../src/graph/share-url';
import type { GraphDocument } from '../../src/graph/types';
import { parseDocument, validateDocument } from '../../src/graph/validate';
import { PNG } from 'pngjs';
import { sampleDocument, types } from './fixtures';

function base(): GraphDocument {
  return validateDocument(sampleDocument(), types).document!;
}

/** The sample graph with a note and a frame around noise1, noise2 and the note. */
function annotated(): GraphDocument {
  const withNote = addNote(base(), { x: -20, y: -150 }, '## Why\nD judges **patches**, not pixels. [paper](https://example.org)');
  return addFrame(withNote.doc, { x: -40, y: -180, width: 300, height: 480 }, { title: 'Inputs', nodes: ['noise1', 'noise2'], notes: [withNote.id] }).doc;
}

function raw(annotations: unknown): unknown {
  return { ...sampleDocument(), schemaVersion: 2, annotations };
}

function errorsOf(annotations: unknown): string[] {
  return validateDocument(raw(annotations), types).errors.map((e) => e.message);
}

function warningsOf(annotations: unknown): string[] {
  return validateDocument(raw(annotations), types).warnings.map((w) => w.message);
}

const note = (id: string, extra: Record<string, unknown> = {}) => ({ id, text: 'x', position: { x: 0, y: 0 }, ...extra });
const frame = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  title: 'F',
  color: '#112233',
  position: { x: 0, y: 0 },
  size: { width: 200, height: 200 },
  nodes: [],
  notes: [],
  ...extra,
});

describe('notes and frames in documents', () => {
  it('travel through the file format, share links and PNGs unchanged', () => {
    const doc = annotated();
    const text = serializeDocument(doc);
    expect(serializeDocument(parseDocument(text, types).document!)).toBe(text);
    expect(validateDocument(decodeGraphFragment(encodeGraphFragment(doc)), types).document!.annotations).toEqual(doc.annotations);
    const png = new PNG({ width: 2, height: 2 });
    const withGraph = embedGraphInPng(new Uint8Array(PNG.sync.write(png)), doc);
    expect(validateDocument(extractGraphFromPng(withGraph), types).document!.annotations).toEqual(doc.annotations);
  });

  it('leave a document without them byte for byte as it was', () => {
    const doc = base();
    expect(serializeDocument(doc)).not.toContain('annotations');
    const emptied = removeAnnotations(annotated(), { notes: ['note-1'], frames: ['frame-1'] });
    expect(emptied.annotations).toBeUndefined();
    expect(serializeDocument(emptied)).toBe(serializeDocument(doc));
  });

  it('bound counts and text lengths like the rest of the document', () => {
    expect(errorsOf({ notes: Array.from({ length: MAX_NOTES + 1 }, (_, i) => note(`n${i}`)) })).toEqual([
      `the graph has ${MAX_NOTES + 1} notes, more than the ${MAX_NOTES} allowed`,
    ]);
    expect(errorsOf({ frames: Array.from({ length: MAX_FRAMES + 1 }, (_, i) => frame(`f${i}`)) })).toEqual([
      `the graph has ${MAX_FRAMES + 1} frames, more than the ${MAX_FRAMES} allowed`,
    ]);
    expect(errorsOf({ notes: [note('n', { text: 'a'.repeat(MAX_NOTE_TEXT + 1) })] })).toEqual([
      `annotations.notes[0].text is ${MAX_NOTE_TEXT + 1} characters long, more than the ${MAX_NOTE_TEXT} allowed; shorten it`,
    ]);
    expect(errorsOf({ frames: [frame('f', { title: 't'.repeat(500) })] })[0]).toMatch(/^annotations\.frames\[0\]\.title is 500 characters long/);
  });

  it('name the path of each bad field', () => {
    expect(errorsOf([])).toEqual(['annotations must be an object {"notes", "frames"}, got an array']);
    expect(errorsOf({ notes: 'hi' })).toEqual(['annotations.notes must be an array, got the string "hi"']);
    expect(errorsOf({ notes: [note('a b')] })).toEqual([`annotations.notes[0].id must be an id of 1 to 64 letters, digits, '_' or '-', got the string "a b"`]);
    expect(errorsOf({ notes: [note('n'), note('n')] })).toEqual(["annotations.notes[1].id 'n' is used twice; note and frame ids must be unique"]);
    expect(errorsOf({ notes: [note('n', { position: { x: 'left', y: 0 } })] })[0]).toMatch(/^annotations\.notes\[0\]\.position must be/);
    expect(errorsOf({ notes: [note('n', { width: 5 })] })).toEqual(['annotations.notes[0].width must be a number from 120 to 1200, got number 5']);
    expect(errorsOf({ frames: [frame('f', { color: 'red; background: url(x)' })] })[0]).toMatch(/^annotations\.frames\[0\]\.color must be a colour "#rrggbb"/);
    expect(errorsOf({ frames: [frame('f', { size: { width: 1e9, height: 10 } })] })[0]).toMatch(/^annotations\.frames\[0\]\.size must be/);
    expect(errorsOf({ frames: [frame('f', { nodes: [1, 2] })] })[0]).toMatch(/^annotations\.frames\[0\]\.nodes must be an array of at most 4 node ids/);
  });

  it('warn about and drop members that name nothing or sit in an earlier frame', () => {
    const a = { notes: [note('n')], frames: [frame('f1', { nodes: ['noise1', 'ghost'], notes: ['n'] }), frame('f2', { nodes: ['noise1', 'noise2'] })] };
    expect(warningsOf(a)).toEqual([
      "annotations.frames[0].nodes: there is no node 'ghost'; dropped from the frame",
      "annotations.frames[1].nodes: 'noise1' is already in an earlier frame; dropped from this one",
    ]);
    const doc = validateDocument(raw(a), types).document!;
    expect(doc.annotations!.frames.map((f) => f.nodes)).toEqual([['noise1'], ['noise2']]);
  });
});

describe('note and frame edits', () => {
  it('moving a frame moves its nodes and notes by the same offset, and nothing else', () => {
    const doc = annotated();
    const moved = moveCanvasItems(doc, { frames: { 'frame-1': { x: 60, y: -130 } } });
    const pos = (d: GraphDocument, id: string) => d.nodes.find((n) => n.id === id)!.position;
    expect(pos(moved, 'noise1')).toEqual({ x: 100, y: 50 });
    expect(pos(moved, 'noise2')).toEqual({ x: 100, y: 250 });
    expect(pos(moved, 'blend1')).toEqual(pos(doc, 'blend1'));
    expect(moved.annotations!.notes[0].position).toEqual({ x: 80, y: -100 });
    expect(moved.annotations!.frames[0].position).toEqual({ x: 60, y: -130 });
    // A member dragged along with its frame keeps the position the canvas gives it.
    const both = moveCanvasItems(doc, { frames: { 'frame-1': { x: 60, y: -130 } }, nodes: { noise1: { x: 110, y: 55 } } });
    expect(pos(both, 'noise1')).toEqual({ x: 110, y: 55 });
    expect(pos(both, 'noise2')).toEqual({ x: 100, y: 250 });
    expect(() => moveCanvasItems(doc, { frames: { nope: { x: 0, y: 0 } } })).toThrow(AnnotationEditError);
  });

  it('a node dropped inside a frame joins it; dropped outside every frame it leaves', () => {
    const doc = annotated();
    const joined = placeInFrames(doc, [{ kind: 'node', id: 'blend1', centre: { x: 100, y: 100 } }]);
    expect(joined.annotations!.frames[0].nodes).toEqual(['noise1', 'noise2', 'blend1']);
    const left = placeInFrames(joined, [{ kind: 'node', id: 'noise1', centre: { x: 900, y: 900 } }]);
    expect(left.annotations!.frames[0].nodes).toEqual(['noise2', 'blend1']);
    // Dropping where it already is changes nothing (no undo step).
    expect(placeInFrames(doc, [{ kind: 'node', id: 'noise1', centre: { x: 0, y: 0 } }])).toBe(doc);
  });

  it('a resized frame holds exactly what lies inside it', () => {
    const doc = annotated();
    const items = doc.nodes.map((n) => ({ kind: 'node' as const, id: n.id, centre: { x: n.position.x + 50, y: n.position.y + 50 } }));
    const resized = resizeFrame(doc, 'frame-1', { x: -40, y: -180, width: 300, height: 250 }, items);
    expect(resized.annotations!.frames[0].nodes).toEqual(['noise1']);
    expect(resized.annotations!.frames[0].notes).toEqual([]);
    expect(resized.annotations!.frames[0].size).toEqual({ width: 300, height: 250 });
  });

  it('removing nodes takes them out of their frames; a new frame takes its members from others', () => {
    const doc = annotated();
    expect(removeNodes(doc, ['noise1']).annotations!.frames[0].nodes).toEqual(['noise2']);
    const second = addFrame(doc, { x: 0, y: 0, width: 100, height: 100 }, { nodes: ['noise2'], color: '#AABBCC' });
    expect(second.id).toBe('frame-2');
    expect(second.doc.annotations!.frames.map((f) => [f.id, f.nodes, f.color])).toEqual([
      ['frame-1', ['noise1'], '#4c7bd9'],
      ['frame-2', ['noise2'], '#aabbcc'],
    ]);
    expect(validateDocument(second.doc, types).errors).toEqual([]);
  });

  it('Tidy: a frame is refitted around its nodes and its notes keep their place in it', () => {
    const doc = annotated();
    const sizes = new Map([['noise1', { width: 200, height: 100 }], ['noise2', { width: 200, height: 100 }]]);
    const fitted = fitFramesToNodes(doc, sizes);
    const frame = fitted.annotations!.frames[0];
    // noise1 at (0, 0), noise2 at (0, 200): box (0, 0)-(200, 300), padded 24, 28 more for the title.
    expect(frame.position).toEqual({ x: -24, y: -52 });
    expect(frame.size).toEqual({ width: 248, height: 376 });
    const before = doc.annotations!;
    const dx = frame.position.x - before.frames[0].position.x;
    const dy = frame.position.y - before.frames[0].position.y;
    expect(fitted.annotations!.notes[0].position).toEqual({ x: before.notes[0].position.x + dx, y: before.notes[0].position.y + dy });
  });

  it('refuses text, colours and counts a document could not hold', () => {
    const doc = annotated();
    expect(() => setNoteText(doc, 'note-1', 'x'.repeat(MAX_NOTE_TEXT + 1))).toThrow(/at most 4000 fit/);
    expect(() => setFrameColor(doc, 'frame-1', 'url(javascript:alert(1))')).toThrow(/not a colour/);
    expect(() => setNoteText(doc, 'missing', 'x')).toThrow("there is no note 'missing'");
    let many = base();
    for (let i = 0; i < MAX_NOTES; i++) many = addNote(many, { x: i, y: 0 }).doc;
    expect(() => addNote(many, { x: 0, y: 0 })).toThrow(`a graph holds at most ${MAX_NOTES} notes`);
  });
});
