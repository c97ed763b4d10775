/**
 * What a day of use found, fixed (Chromium, WASM backend): Tidy keeps notes with their frames and off
 * the cards; Ctrl+Enter on a focused card runs it; Esc closes the sweep panel; Ctrl+A selects notes
 * and frames; "done (cached)" only for a result the cache gave back. Screenshots go to test/e2e/out/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { GraphDocument } from '../../src/graph/types';
import { launch, loadDoc, openEditor, quiet, waitDone, type Session } from './browser';
import { tinyMdan } from './fixtures';

const url = inject('baseUrl');
const SHOTS = 'test/e2e/out';
let s: Session;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  s = await launch();
  await openEditor(s.page, `${url}?backend=wasm`);
});
afterAll(async () => {
  await s?.close();
});

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (a: Box, b: Box) => a.x >= b.x - 1 && a.y >= b.y - 1 && a.x + a.width <= b.x + b.width + 1 && a.y + a.height <= b.y + b.height + 1;

/** Every card, note and frame as drawn on the canvas (screen pixels), by canvas id. */
function drawnBoxes(page: Page): Promise<Record<string, Box>> {
  return page.evaluate(() => {
    const out: Record<string, { x: number; y: number; width: number; height: number }> = {};
    for (const el of document.querySelectorAll('.react-flow__node')) {
      const r = el.getBoundingClientRect();
      out[el.getAttribute('data-id')!] = { x: r.x, y: r.y, width: r.width, height: r.height };
    }
    return out;
  });
}

const selection = () => s.page.evaluate(() => (window as any).mgan.editor.store.getSnapshot().selection as string[]);
const stateText = (id: string) => s.page.getByTestId(`state-${id}`).textContent();

describe('fixes found in use', () => {
  it('Tidy moves notes with their frames and never under a card', async () => {
    const { page } = s;
    const preset = JSON.parse(readFileSync('presets/guided-synthesis.json', 'utf8')) as GraphDocument;
    await loadDoc(page, preset, 'tidy');
    await page.getByTestId('tidy').click();
    await page.keyboard.press('f');
    await page.waitForTimeout(400);
    const boxes = await drawnBoxes(page);
    const doc = (await page.evaluate(() => (window as any).mgan.editor.store.doc)) as GraphDocument;
    const cards = doc.nodes.map((n) => boxes[n.id]!);
    for (const note of doc.annotations!.notes) {
      const box = boxes[`note:${note.id}`]!;
      expect(box, note.id).toBeDefined();
      for (const [i, card] of cards.entries()) expect(overlaps(box, card), `note ${note.id} over card ${doc.nodes[i]!.id}`).toBe(false);
    }
    for (const frame of doc.annotations!.frames) {
      const box = boxes[`frame:${frame.id}`]!;
      for (const id of [...frame.nodes, ...frame.notes.map((n) => `note:${n}`)]) expect(inside(boxes[id]!, box), `${id} inside frame ${frame.id}`).toBe(true);
    }
    await quiet(page);
    await page.screenshot({ path: `${SHOTS}/tidy-notes-frames.png` });
  });

  it('Ctrl+A selects nodes, notes and frames', async () => {
    await s.page.getByTestId('canvas').click({ position: { x: 5, y: 300 } });
    await s.page.keyboard.press('Control+a');
    const doc = (await s.page.evaluate(() => (window as any).mgan.editor.store.doc)) as GraphDocument;
    expect([...(await selection())].sort()).toEqual(
      [...doc.nodes.map((n) => n.id), ...doc.annotations!.notes.map((n) => `note:${n.id}`), ...doc.annotations!.frames.map((f) => `frame:${f.id}`)].sort(),
    );
  });

  it('Ctrl+Enter on a focused card runs it, and a result it just computed never reads "cached"', async () => {
    const { page } = s;
    await loadDoc(page, tinyMdan({ iterations: 3, previewEvery: 1 }), 'ctrl enter');
    await waitDone(page, ['texture']);
    // Focus the card the way a keyboard user does: tab onto it.
    await page.getByTestId('node-mdan').evaluate((el) => (el.closest('.react-flow__node') as HTMLElement).focus());
    await page.keyboard.press('Control+Enter');
    await waitDone(page, ['mdan'], 120_000);
    expect(await selection()).toEqual(['mdan']);
    // The live run after a long node serves its result from the cache: still the one it computed.
    await page.waitForTimeout(500);
    expect(await stateText('mdan')).toBe('done');
    await quiet(page);
    await page.getByTestId('node-mdan').screenshot({ path: `${SHOTS}/ctrl-enter-done.png` });
  });

  it('says "done (cached)" when an undo brings back a result from the cache', async () => {
    const { page } = s;
    await page.evaluate(() => (window as any).mgan.editor.setParam('texture', 'maxSide', 48));
    await waitDone(page, ['texture']);
    await page.waitForFunction(() => (window as any).mgan.editor.bridge.status('texture')?.cached === false);
    expect(await stateText('texture')).toBe('done');
    await page.evaluate(() => (window as any).mgan.editor.store.undo());
    await page.waitForFunction(() => (window as any).mgan.editor.bridge.status('texture')?.cached === true);
    expect(await stateText('texture')).toBe('done (cached)');
  });

  it('Esc closes the sweep panel', async () => {
    const { page } = s;
    await page.evaluate(() => (window as any).mgan.editor.setParam('texture', 'maxSide', 64));
    await page.getByTestId('node-texture').click({ position: { x: 60, y: 8 } });
    await page.getByTestId('sweep-form').locator('summary').click();
    await page.getByTestId('sweep-param').selectOption('maxSide');
    await page.getByTestId('sweep-values').fill('32, 48');
    await page.getByTestId('sweep-run').click();
    await page.getByTestId('sweep-panel').waitFor();
    await page.getByTestId('canvas').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('sweep-panel').count()).toBe(0);
  });
});
