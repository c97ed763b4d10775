/**
 * Every preset: a valid current document; the sweep it names (if any) can run; the teaching presets
 * carry notes and frames that hold every node.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sweepOfDocument, sweepOutputs } from '../../src/graph/sweep';
import type { GraphDocument } from '../../src/graph/types';
import { validateDocument } from '../../src/graph/validate';
import { nodeRegistry } from '../../src/nodes/registry';
import { estimateSizes, hasOverlaps } from '../../src/ui/layout';

const DIR = join(__dirname, '../../presets');
const NAMES = readdirSync(DIR).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
const load = (name: string) => JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8'));

describe.each(NAMES)('preset %s', (name) => {
  it('is a valid schema 2 document with a title, a description and a figure', () => {
    const raw = load(name);
    const result = validateDocument(raw, nodeRegistry);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.migrations).toEqual([]);
    expect(raw.schemaVersion).toBe(2);
    for (const field of ['title', 'description', 'figure']) expect(typeof raw.meta[field], field).toBe('string');
  });

  it('names a sweep only if it can run: a param of a node, checked values, an image-out depending on it', () => {
    const doc = validateDocument(load(name), nodeRegistry).document!;
    const sweep = sweepOfDocument(doc, nodeRegistry);
    if (doc.meta.sweep === undefined) {
      expect(sweep).toBeUndefined();
      return;
    }
    expect(sweep!.values.length).toBeGreaterThan(1);
    expect(sweepOutputs(doc, sweep!, 'image-out').length).toBeGreaterThan(0);
    expect(existsSync(join(DIR, '..', doc.meta.thumbnail as string))).toBe(true);
  });
});

describe('presets that teach Fig. 2', () => {
  it.each(['guided-synthesis', 'unguided-texture', 'mgan-train'])('%s says what a winning D means, in a note inside a frame', (name) => {
    const { notes, frames } = (load(name) as GraphDocument).annotations!;
    const note = notes.find((n) => n.id === 'reading-d')!;
    expect(note.text).toMatch(/^\*\*Reading D/);
    expect(note.text).toMatch(/wins/);
    expect(frames.some((f) => f.notes.includes('reading-d'))).toBe(true);
  });

  it.each(['guided-synthesis', 'unguided-texture', 'mgan-train'])('%s has notes, and frames that hold every node', (name) => {
    const doc = validateDocument(load(name), nodeRegistry).document!;
    const { notes, frames } = doc.annotations!;
    expect(notes.length).toBeGreaterThanOrEqual(3);
    for (const n of notes) expect(n.text.length).toBeGreaterThan(60);
    // Cards that would overlap make the gallery tidy the preset, moving nodes out of their frames.
    expect(hasOverlaps(doc, estimateSizes(doc, nodeRegistry))).toBe(false);
    const framed = frames.flatMap((f) => f.nodes).sort();
    expect(framed).toEqual(doc.nodes.map((n) => n.id).sort());
    // Each frame's rectangle contains its nodes' top-left corners.
    for (const f of frames) {
      for (const id of f.nodes) {
        const p = doc.nodes.find((n) => n.id === id)!.position;
        expect(p.x >= f.position.x && p.x <= f.position.x + f.size.width && p.y >= f.position.y && p.y <= f.position.y + f.size.height, `${name}: ${id} in ${f.id}`).toBe(true);
      }
    }
  });
});
