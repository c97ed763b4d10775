/**
 * What a day of use found, fixed (Chromium, WASM backend): Tidy keeps notes with their frames and off
 * the cards; Ctrl+Enter on a focused card runs it; Esc closes every panel; Ctrl+A selects notes
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

  it('Esc closes every other panel too, with the focus on the button that opened it or inside the panel', async () => {
    const { page } = s;
    const closesOnEsc = async (testId: string, open: () => Promise<unknown>, focusInside = false) => {
      await open();
      const panel = page.getByTestId(testId);
      await panel.waitFor();
      // A click on the panel's own text, not on a field: the focus leaves the canvas for the panel.
      if (focusInside) await panel.click({ position: { x: 4, y: 4 } });
      await page.keyboard.press('Escape');
      await expect.poll(() => panel.count(), { message: `${testId} open after Esc` }).toBe(0);
    };
    await closesOnEsc('gallery', () => page.getByTestId('open-gallery').click());
    await closesOnEsc('gallery', () => page.getByTestId('open-gallery').click(), true);
    await closesOnEsc('versions', () => page.getByTestId('open-versions').click());
    await closesOnEsc('versions', () => page.getByTestId('open-versions').click(), true);
    await closesOnEsc('decoders-panel', () => page.getByTestId('open-decoders').click(), true);
    await closesOnEsc('share-dialog', () => page.evaluate(() => (window as any).mgan.editor.panels.set({ share: true })), true);
    await closesOnEsc('doc-card', () => page.getByTestId('doc-button-texture').click(), true);
    await closesOnEsc('node-search', async () => {
      await page.getByTestId('canvas').click({ position: { x: 5, y: 300 } });
      await page.keyboard.press('/');
    });
    await closesOnEsc('viewer', () => page.getByTestId('preview-texture').locator('.preview-stack').dblclick(), true);
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

  it('Run all and sweeps give a total time (estimates added up, then time left in all); a measured speed reads in words', async () => {
    const { page } = s;
    const seconds = (text: string) => {
      const m = /(?:(\d+)m)?(\d+)s/.exec(text);
      expect(m, text).not.toBeNull();
      return Number(m![1] ?? 0) * 60 + Number(m![2]);
    };
    // Two MDANs on one texture, each into an output: Run all runs both.
    const doc = tinyMdan({ iterations: 25, previewEvery: 1 });
    const first = doc.nodes.find((n) => n.id === 'mdan')!;
    doc.nodes.push({ ...first, id: 'mdan2', params: { ...first.params, seed: 2 }, position: { x: 300, y: 460 } });
    doc.nodes.push({ id: 'out', type: 'image-out', version: 1, params: {}, position: { x: 640, y: 0 } });
    doc.edges.push({ from: { node: 'texture', port: 'image' }, to: { node: 'mdan2', port: 'texture' } });
    doc.edges.push({ from: { node: 'mdan', port: 'image' }, to: { node: 'out', port: 'image' } });
    await loadDoc(page, doc, 'two mdans');
    await waitDone(page, ['texture']);
    const eta = page.getByTestId('run-all-eta');
    await expect.poll(() => eta.textContent()).toMatch(/^all ≈ (\d+m)?\d+s$/);
    const cards = await Promise.all(['mdan', 'mdan2'].map(async (id) => seconds((await page.getByTestId(`estimate-${id}`).textContent())!)));
    // Each figure is rounded to the second on its own.
    expect(Math.abs(seconds((await eta.textContent())!) - (cards[0]! + cards[1]!))).toBeLessThanOrEqual(1);

    await page.getByTestId('run-all').click();
    await expect.poll(() => eta.textContent(), { timeout: 120_000, interval: 50 }).toMatch(/^≈ (\d+m)?\d+s left in all$/);
    await page.getByTestId('toolbar').screenshot({ path: `${SHOTS}/run-all-eta.png` });
    await waitDone(page, ['mdan', 'mdan2', 'out'], 240_000);
    // The runs measured this browser: the estimate says in words how it compares with the reference.
    await expect
      .poll(() => page.getByTestId('estimate-mdan').getAttribute('title'))
      .toMatch(/WASM here: (\d+(\.\d+)?x (slower|faster) than the reference machine|about as fast as the reference machine) \(measured here/);

    // A sweep of the first MDAN's seed: after its first value, the time left for all of them.
    await page.getByTestId('node-mdan').click({ position: { x: 60, y: 8 } });
    await page.getByTestId('sweep-form').locator('summary').click();
    await page.getByTestId('sweep-param').selectOption('seed');
    await page.getByTestId('sweep-values').fill('3, 4, 5');
    await page.getByTestId('sweep-run').click();
    const sweepEta = page.getByTestId('sweep-eta');
    await expect.poll(() => sweepEta.textContent().catch(() => ''), { timeout: 60_000, interval: 50 }).toBe('time left: known after the first value');
    await expect.poll(() => sweepEta.textContent().catch(() => ''), { timeout: 240_000, interval: 50 }).toMatch(/^≈ (\d+m)?\d+s left in all$/);
    await page.getByTestId('sweep-panel').screenshot({ path: `${SHOTS}/sweep-eta.png` });
    await page.getByTestId('sweep-sheet-out').waitFor({ timeout: 240_000 });
    await page.keyboard.press('Escape');
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
