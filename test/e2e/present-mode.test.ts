/**
 * Present mode in Chromium: the guided-synthesis preset's frames as slides. The camera goes to each
 * frame, its notes show large beside the canvas, keys and buttons step, editing keys do nothing, Esc
 * leaves with the graph as it was. Screenshots of each slide go to test/e2e/out/ for a person to look at.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { GraphDocument } from '../../src/graph/types';
import { currentDoc, launch, loadDoc, openEditor, quiet, type Session } from './browser';

const url = inject('baseUrl');
const SHOTS = 'test/e2e/out';
const guided = JSON.parse(readFileSync('presets/guided-synthesis.json', 'utf8')) as GraphDocument;
const frames = guided.annotations!.frames;
/** Slides: the overview, then one per frame. */
const N = frames.length + 1;
let s: Session;
const pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  s = await launch({ viewport: { width: 1600, height: 900 } });
  s.page.on('pageerror', (e) => pageErrors.push(e.message));
  await openEditor(s.page, url);
  await s.page.addStyleTag({ content: '.react-flow__minimap { display: none; }' });
});
afterAll(async () => {
  await s?.close();
});

/** Waits until the camera has stopped moving (the frame's box on screen is the same twice in a row). */
async function settled(testId: string) {
  let last = '';
  for (let i = 0; i < 40; i++) {
    const box = await s.page.getByTestId(testId).boundingBox();
    const now = JSON.stringify(box && [box.x, box.y, box.width, box.height].map(Math.round));
    if (now === last) return box!;
    last = now;
    await s.page.waitForTimeout(150);
  }
  throw new Error(`${testId} kept moving`);
}

describe('present mode', () => {
  it("steps through the preset's frames as slides, the camera on each frame and its notes large", async () => {
    await loadDoc(s.page, guided, 'guided for class');
    await quiet(s.page);
    const before = await currentDoc(s.page);
    expect(await s.page.getByTestId('present').getAttribute('title')).toBe(`present the graph's ${frames.length} frames as slides (arrows step, Esc leaves)`);
    await s.page.screenshot({ path: `${SHOTS}/present-button.png`, clip: (await s.page.getByTestId('toolbar').boundingBox())! });
    await s.page.getByTestId('present').click();
    await s.page.getByTestId('presenter').waitFor();
    // The editor's chrome gives way to the canvas and the notes.
    expect(await s.page.getByTestId('toolbar').count()).toBe(0);
    expect(await s.page.getByTestId('inspector').count()).toBe(0);
    expect(await s.page.getByTestId('present-count').textContent()).toBe(`1 / ${N}`);
    expect(await s.page.getByTestId('present-title').textContent()).toBe(guided.meta.title);
    expect(await s.page.getByTestId('present-notes').textContent()).toContain((guided.meta.description as string).slice(0, 60));
    expect(await s.page.getByTestId('present-previous').isDisabled()).toBe(true);
    await settled('frame-mdan');
    await s.page.screenshot({ path: `${SHOTS}/present-0-overview.png` });

    const canvas = (await s.page.getByTestId('canvas').boundingBox())!;
    const keys = ['ArrowRight', ' ', 'PageDown'];
    for (let i = 0; i < frames.length; i++) {
      const frame = frames[i]!;
      await s.page.keyboard.press(keys[i % keys.length]!);
      await expect.poll(() => s.page.getByTestId('present-count').textContent()).toBe(`${i + 2} / ${N}`);
      expect(await s.page.getByTestId('presenter').getAttribute('data-slide-id')).toBe(frame.id);
      expect(await s.page.getByTestId('present-title').textContent()).toBe(frame.title);
      // Every note of the frame, in full, as text (markdown rendered).
      const notes = await s.page.getByTestId('present-notes').textContent();
      for (const id of frame.notes) {
        const note = guided.annotations!.notes.find((n) => n.id === id)!;
        expect(notes).toContain(note.text.split('\n')[0]!.replace(/\*\*/g, ''));
      }
      expect(parseFloat(await s.page.getByTestId('present-notes').evaluate((el) => getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(20);
      // The camera is on the frame: all of it in view, filling the canvas's height or width.
      const box = await settled(`frame-${frame.id}`);
      expect(box.x).toBeGreaterThanOrEqual(canvas.x - 1);
      expect(box.y).toBeGreaterThanOrEqual(canvas.y - 1);
      expect(box.x + box.width).toBeLessThanOrEqual(canvas.x + canvas.width + 1);
      expect(box.y + box.height).toBeLessThanOrEqual(canvas.y + canvas.height + 1);
      expect(Math.max(box.width / canvas.width, box.height / canvas.height)).toBeGreaterThan(0.8);
      await s.page.screenshot({ path: `${SHOTS}/present-${i + 1}-${frame.id}.png` });
    }
    // The last slide: next stays there.
    expect(await s.page.getByTestId('present-next').isDisabled()).toBe(true);
    await s.page.keyboard.press('ArrowRight');
    expect(await s.page.getByTestId('present-count').textContent()).toBe(`${N} / ${N}`);

    // Backward with a key that edits outside present mode: it steps back and deletes nothing.
    await s.page.keyboard.press('Backspace');
    await expect.poll(() => s.page.getByTestId('present-count').textContent()).toBe(`${N - 1} / ${N}`);
    await s.page.keyboard.press('Delete');
    await s.page.getByTestId('present-previous').click();
    expect(await s.page.getByTestId('present-count').textContent()).toBe(`${N - 2} / ${N}`);
    await s.page.getByTestId('present-next').click();
    expect(await s.page.getByTestId('present-title').textContent()).toBe(frames[N - 3]!.title);
    await s.page.keyboard.press('Home');
    expect(await s.page.getByTestId('present-count').textContent()).toBe(`1 / ${N}`);
    await s.page.keyboard.press('End');
    expect(await s.page.getByTestId('present-count').textContent()).toBe(`${N} / ${N}`);

    // Esc leaves: the editor is back, the graph as it was.
    await s.page.keyboard.press('Escape');
    await s.page.getByTestId('toolbar').waitFor();
    expect(await s.page.getByTestId('presenter').count()).toBe(0);
    const after = await currentDoc(s.page);
    expect(after.nodes).toEqual(before.nodes);
    expect(after.annotations).toEqual(before.annotations);
    // The ✕ button leaves too.
    await s.page.getByTestId('present').click();
    await s.page.getByTestId('present-leave').click();
    await s.page.getByTestId('toolbar').waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('is off for a graph without frames, saying why', async () => {
    const noFrames: GraphDocument = { ...guided, annotations: undefined };
    await loadDoc(s.page, noFrames, 'no frames');
    const button = s.page.getByTestId('present');
    expect(await button.isDisabled()).toBe(true);
    expect(await button.getAttribute('title')).toContain('draw frames around its steps first');
  });
});
