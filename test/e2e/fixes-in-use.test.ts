/**
 * What a day of use found, fixed (Chromium, WASM backend): Tidy keeps notes with their frames and off
 * the cards; Ctrl+Enter on a focused card runs it; Esc closes the sweep panel; Ctrl+A selects notes
 * and frames; "done (cached)" only for a result the cache gave back. Screenshots go to test/e2e/out/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { GraphDocument } from '../../src/graph/types';
import { PNG } from 'pngjs';
import { dropFile, launch, loadDoc, openEditor, quiet, waitDone, type Session } from './browser';
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

/** A 500x400 PNG (aspect 1.25) with a gradient. */
function photoPng(): Buffer {
  const png = new PNG({ width: 500, height: 400 });
  for (let i = 0; i < png.data.length; i += 4) png.data.set([(i / 4) % 500 / 2, 120, 60, 255], i);
  return PNG.sync.write(png);
}

const selection = () => s.page.evaluate(() => (window as any).mgan.editor.store.getSnapshot().selection as string[]);
const stateText = (id: string) => s.page.getByTestId(`state-${id}`).textContent();

describe('fixes found in use', () => {
  it('Tidy moves notes with their frames and never under a card', async () => {
    const { page } = s;
    const preset = JSON.parse(readFileSync('presets/guided-synthesis.json', 'utf8')) as GraphDocument;
    await loadDoc(page, preset, 'tidy');
    // Tidy lays out the cards as they are measured: let the live nodes draw their previews first.
    await waitDone(page, ['texture', 'photo', 'tap', 'sampler', 'd'], 180_000);
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

  it('says "done (cached)" once an edit elsewhere has the cache answer for a node', async () => {
    const { page } = s;
    await page.evaluate(() => (window as any).mgan.editor.setParam('texture', 'maxSide', 48));
    await page.waitForFunction(() => (window as any).mgan.editor.bridge.status('texture')?.state === 'done' && (window as any).mgan.editor.bridge.status('texture')?.cached === false);
    expect(await stateText('texture')).toBe('done');
    // An edit that does not touch the texture: the live run serves it from the cache, and says so.
    await page.evaluate(() => (window as any).mgan.editor.setParam('mdan', 'iterations', 4));
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
    await page.screenshot({ path: `${SHOTS}/sweep-panel-before-esc.png` });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('sweep-panel').count()).toBe(0);
  });

  it('a dropped photo keeps its file name on the card and in warnings, and an aspect change is said', async () => {
    const { page } = s;
    await loadDoc(page, { schemaVersion: 1, nodes: [], edges: [], meta: {} }, 'photo name');
    await dropFile(page, 'holiday-beach.png', 'image/png', photoPng());
    await page.locator('[data-node-type="image-source"]').waitFor();
    const id = await page.evaluate(() => (window as any).mgan.editor.store.doc.nodes[0].id as string);
    await page.evaluate(([n]) => {
      const e = (window as any).mgan.editor;
      e.setParam(n, 'maxSide', 100);
      e.setParam(n, 'multipleOf', 32);
    }, [id]);
    await page.waitForFunction((n) => ((window as any).mgan.editor.bridge.status(n)?.warnings ?? []).some((w: string) => w.includes('holiday-beach.png')), id, { timeout: 60_000 });
    const warning = await page.evaluate((n) => (window as any).mgan.editor.bridge.status(n).warnings[0] as string, id);
    expect(warning).toBe(
      "'holiday-beach.png' resized from 500x400 to 96x64 (maxSide 100, multipleOf 32); its aspect ratio changes from 1.25 to 1.50 (each side floored to a multiple of 32): the picture is widened by 20%",
    );
    await expect.poll(() => page.getByTestId(`param-${id}-asset`).textContent()).toBe('holiday-beach.png');
    await quiet(page);
    await page.getByTestId(`node-${id}`).screenshot({ path: `${SHOTS}/photo-name-aspect.png` });
  });

  it('keeps the toolbar on one row and the inspector labels whole', async () => {
    const { page } = s;
    await page.setViewportSize({ width: 1100, height: 800 });
    await loadDoc(page, tinyMdan({ iterations: 3, previewEvery: 1 }), 'narrow window');
    // One row: every item's middle at the same height (a wrapped item sits a row lower).
    const middles = await page.getByTestId('toolbar').evaluate((bar) =>
      [...bar.children].filter((c) => (c as HTMLElement).offsetParent).map((c) => { const r = c.getBoundingClientRect(); return r.top + r.height / 2; }),
    );
    expect(Math.max(...middles) - Math.min(...middles)).toBeLessThan(6);
    expect(await page.getByTestId('toolbar').evaluate((bar) => bar.getBoundingClientRect().height)).toBeLessThan(50);
    await page.getByTestId('node-mdan').click({ position: { x: 60, y: 8 } });
    const cut = await page.locator('.inspector .param-label').evaluateAll((labels) =>
      labels.filter((l) => l.scrollWidth > l.clientWidth + 1).map((l) => l.textContent),
    );
    expect(cut).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/narrow-toolbar-inspector.png` });
    await page.setViewportSize({ width: 1400, height: 900 });
  });

  it('Versions entries tell themselves apart: what changed, when, and a sketch', async () => {
    const { page } = s;
    await page.evaluate(() => (window as any).mgan.editor.setParam('mdan', 'iterations', 7));
    await page.evaluate(() => (window as any).mgan.editor.flush());
    await page.getByTestId('open-versions').click();
    await expect.poll(() => page.getByTestId('version-title-0').textContent()).toBe('mdan.iterations 3 → 7');
    expect(await page.getByTestId('version-0').locator('svg.thumb').count()).toBe(1);
    await page.getByTestId('versions').screenshot({ path: `${SHOTS}/versions-titles.png` });
    await page.keyboard.press('Escape');
  });
});
