/** Present mode's slides: the overview, then one slide per frame with its notes in reading order. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emptyDocument } from '../../src/graph/document';
import type { GraphDocument } from '../../src/graph/types';
import { presentationSlides, presentKeyAction, slideAfter } from '../../src/ui/slides';

const guided = JSON.parse(readFileSync('presets/guided-synthesis.json', 'utf8')) as GraphDocument;

describe('presentationSlides', () => {
  it("makes the guided preset an overview and its frames (Fig. 2, left to right), each with its notes", () => {
    const slides = presentationSlides(guided, 'my copy');
    expect(slides.map((s) => s.id)).toEqual(['overview', 'inputs', 'neural-patches', 'discriminator', 'mdan', 'output']);
    expect(slides[0]!.title).toBe(guided.meta.title);
    expect(slides[0]!.notes).toEqual([guided.meta.description]);
    expect(slides[0]!.bounds).toBeUndefined();
    const mdan = slides[4]!;
    expect(mdan.title).toBe('MDAN: D drives the pixels');
    const frame = guided.annotations!.frames.find((f) => f.id === 'mdan')!;
    expect(mdan.bounds).toEqual({ ...frame.position, ...frame.size });
    // Top to bottom: note 5, then the note on reading D.
    expect(mdan.notes.map((t) => t.slice(0, 5))).toEqual(['**5 ·', '**Rea']);
    expect(slides[1]!.notes.map((t) => t.slice(0, 5))).toEqual(['**1 ·', '**2 ·']);
  });

  it('has nothing to present without frames; loose notes go to the overview; untitled graphs use their name', () => {
    expect(presentationSlides(emptyDocument(), 'x')).toEqual([]);
    const doc: GraphDocument = {
      ...emptyDocument(),
      annotations: {
        notes: [
          { id: 'b', text: 'inside, lower', position: { x: 10, y: 50 } },
          { id: 'a', text: 'inside, upper', position: { x: 90, y: 20 } },
          { id: 'loose', text: 'outside every frame', position: { x: 900, y: 0 } },
          { id: 'blank', text: '  ', position: { x: 20, y: 30 } },
        ],
        frames: [{ id: 'f', title: '', color: '#4c7bd9', position: { x: 0, y: 0 }, size: { width: 300, height: 200 }, nodes: [], notes: ['b', 'a', 'blank'] }],
      },
    };
    const slides = presentationSlides(doc, 'Untitled graph');
    expect(slides[0]).toEqual({ id: 'overview', title: 'Untitled graph', notes: ['outside every frame'] });
    expect(slides[1]).toMatchObject({ title: 'Frame', notes: ['inside, upper', 'inside, lower'], colour: '#4c7bd9' });
  });
});

describe('keys and steps', () => {
  it('maps the usual slide keys and Esc', () => {
    expect(['ArrowRight', 'PageDown', ' '].map(presentKeyAction)).toEqual(['next', 'next', 'next']);
    expect(['ArrowLeft', 'PageUp', 'Backspace'].map(presentKeyAction)).toEqual(['previous', 'previous', 'previous']);
    expect([presentKeyAction('Home'), presentKeyAction('End'), presentKeyAction('Escape'), presentKeyAction('x')]).toEqual(['first', 'last', 'leave', undefined]);
  });

  it('stays on the first and the last slide, and leaves on Esc', () => {
    expect(slideAfter(0, 4, 'previous')).toBe(0);
    expect(slideAfter(2, 4, 'next')).toBe(3);
    expect(slideAfter(3, 4, 'next')).toBe(3);
    expect(slideAfter(1, 4, 'last')).toBe(3);
    expect(slideAfter(3, 4, 'first')).toBe(0);
    expect(slideAfter(2, 4, 'leave')).toBeUndefined();
  });
});
