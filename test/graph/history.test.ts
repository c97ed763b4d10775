import { describe, expect, it } from 'vitest';
import { History } from '../../src/graph/history';
import { setParam } from '../../src/graph/edit';
import { emptyDocument } from '../../src/graph/document';
import { sampleDocument, types } from './fixtures';

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('History', () => {
  it('undoes and redoes pushed documents; a new push clears redo', () => {
    const d0 = sampleDocument();
    const d1 = setParam(d0, 'noise1', 'octaves', 1, types);
    const d2 = setParam(d1, 'noise1', 'octaves', 2, types);
    const h = new History(d0);
    expect(h.canUndo).toBe(false);
    h.push(d1);
    h.push(d2);
    expect(h.current).toBe(d2);
    expect(h.undo()).toBe(d1);
    expect(h.undo()).toBe(d0);
    expect(h.undo()).toBeUndefined();
    expect(h.canRedo).toBe(true);
    expect(h.redo()).toBe(d1);
    const d3 = setParam(d1, 'noise1', 'octaves', 3, types);
    h.push(d3);
    expect(h.canRedo).toBe(false);
    expect(h.redo()).toBeUndefined();
    expect(h.undo()).toBe(d1);
    expect(h.current).toBe(d1);
  });

  it('coalesces a slider drag into one step, but not after a pause, another key or an undo', () => {
    const c = clock();
    const h = new History(sampleDocument(), { now: c.now, coalesceMs: 500 });
    let doc = h.current;
    for (let octaves = 1; octaves <= 8; octaves++) {
      doc = setParam(doc, 'noise1', 'octaves', octaves, types);
      h.push(doc, 'noise1.octaves');
      c.advance(100);
    }
    expect(h.size).toBe(2);
    expect(h.current.nodes[0].params.octaves).toBe(8);
    expect(h.undo()!.nodes[0].params.octaves).toBe(6); // sampleDocument's value
    h.redo();
    c.advance(1000); // a pause ends the gesture
    h.push(setParam(h.current, 'noise1', 'octaves', 5, types), 'noise1.octaves');
    expect(h.size).toBe(3);
    c.advance(10);
    h.push(setParam(h.current, 'noise1', 'scale', 0.1, types), 'noise1.scale'); // another key
    expect(h.size).toBe(4);
    h.undo();
    c.advance(10);
    h.push(setParam(h.current, 'noise1', 'scale', 0.2, types), 'noise1.scale'); // after an undo: a new step
    expect(h.size).toBe(4);
    expect(h.undo()!.nodes[0].params.octaves).toBe(5);
  });

  it('keeps at most `limit` versions, dropping the oldest', () => {
    const h = new History(emptyDocument({ n: 0 }));
    for (let n = 1; n <= 250; n++) h.push(emptyDocument({ n }));
    expect(h.size).toBe(200);
    let steps = 0;
    while (h.undo()) steps++;
    expect(steps).toBe(199);
    expect(h.current.meta.n).toBe(51);
  });

  it('ignores pushing the current document and starts over on reset', () => {
    const d0 = sampleDocument();
    const h = new History(d0);
    h.push(d0);
    expect(h.canUndo).toBe(false);
    h.push(emptyDocument());
    h.reset(d0);
    expect(h.canUndo).toBe(false);
    expect(h.current).toBe(d0);
  });
});
