/**
 * Canvas interactions with a real mouse and keyboard: type-checked wiring, a wire dropped in empty
 * space opening the filtered search, `/` search, copy/paste between tabs, doc cards.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { GraphDocument } from '../../src/graph/types';
import { emptyDocument } from '../../src/graph/document';
import { currentDoc, launch, loadDoc, openEditor, type Session } from './browser';

const url = inject('baseUrl');
let s: Session;

const DOC: GraphDocument = {
  schemaVersion: 1,
  nodes: [
    { id: 'noise', type: 'perlin-noise', version: 1, params: { width: 32, height: 32, scale: 8, octaves: 2, seed: 3, color: false }, position: { x: 0, y: 0 } },
    { id: 'tap', type: 'vgg19-tap', version: 1, params: {}, position: { x: 0, y: 420 } },
    { id: 'out', type: 'image-out', version: 1, params: {}, position: { x: 420, y: 60 } },
  ],
  edges: [],
  meta: {},
};

beforeAll(async () => {
  s = await launch();
  await openEditor(s.page, url);
  await loadDoc(s.page, DOC, 'wiring');
  await s.page.getByTestId('node-tap').waitFor();
});
afterAll(async () => {
  await s?.close();
});

async function centre(page: Page, testId: string) {
  const box = (await page.getByTestId(testId).boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags a wire from one handle to a point, checking what is greyed out on the way. */
async function dragWire(page: Page, fromTestId: string, to: { x: number; y: number }, whileDragging?: () => Promise<void>) {
  const from = await centre(page, fromTestId);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
  await page.mouse.move(to.x, to.y, { steps: 5 });
  await whileDragging?.();
  await page.mouse.up();
}

const incompatible = (page: Page, handleTestId: string) =>
  page.getByTestId(handleTestId).evaluate((h) => h.closest('.port')!.classList.contains('incompatible'));

describe('canvas in Chromium', () => {
  it('refuses a wire between incompatible ports and greys them out while dragging', async () => {
    await dragWire(s.page, 'handle-tap-output-features', await centre(s.page, 'handle-out-input-image'), async () => {
      expect(await incompatible(s.page, 'handle-out-input-image')).toBe(true);
    });
    expect((await currentDoc(s.page)).edges).toHaveLength(0);
  });

  it('connects compatible ports by dragging', async () => {
    await dragWire(s.page, 'handle-noise-output-image', await centre(s.page, 'handle-out-input-image'), async () => {
      expect(await incompatible(s.page, 'handle-out-input-image')).toBe(false);
      expect(await incompatible(s.page, 'handle-tap-input-image')).toBe(false);
    });
    await expect.poll(async () => (await currentDoc(s.page)).edges).toEqual([{ from: { node: 'noise', port: 'image' }, to: { node: 'out', port: 'image' } }]);
  });

  it('opens node search filtered to compatible types when a wire is dropped in empty space', async () => {
    const canvas = (await s.page.getByTestId('canvas').boundingBox())!;
    await dragWire(s.page, 'handle-tap-output-features', { x: canvas.x + canvas.width - 120, y: canvas.y + canvas.height - 200 });
    await s.page.getByTestId('node-search').waitFor();
    const offered = await s.page.locator('[data-testid^="search-item-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    // Nothing that only takes images is offered for a Features wire.
    expect(offered).not.toContain('search-item-image-out');
    expect(offered).not.toContain('search-item-blend');
    await s.page.keyboard.press('Escape');
    await expect.poll(() => s.page.getByTestId('node-search').count()).toBe(0);

    // From an Image output: image consumers are offered, and picking one wires it up.
    await dragWire(s.page, 'handle-noise-output-image', { x: canvas.x + canvas.width - 120, y: canvas.y + canvas.height - 200 });
    await s.page.getByTestId('node-search').waitFor();
    const forImage = await s.page.locator('[data-testid^="search-item-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(forImage).toContain('search-item-image-out');
    expect(forImage).toContain('search-item-vgg19-tap');
    expect(forImage).not.toContain('search-item-perlin-noise');
    await s.page.getByTestId('search-item-vgg19-tap').click();
    await expect.poll(async () => (await currentDoc(s.page)).edges.filter((e) => e.from.node === 'noise').map((e) => e.to)).toContainEqual({ node: 'vgg19-tap-1', port: 'image' });
    await s.page.keyboard.press('Control+z');
    await expect.poll(async () => (await currentDoc(s.page)).nodes.length).toBe(3);
  });

  it('adds a node with "/" and fuzzy search', async () => {
    const before = (await currentDoc(s.page)).nodes.length;
    await s.page.getByTestId('canvas').click({ position: { x: 10, y: 10 } });
    await s.page.keyboard.press('/');
    await s.page.getByTestId('node-search-input').fill('blnd');
    await s.page.keyboard.press('Enter');
    await expect.poll(async () => (await currentDoc(s.page)).nodes.length).toBe(before + 1);
    expect((await currentDoc(s.page)).nodes.at(-1)!.type).toBe('blend');
  });

  it('copies nodes to the system clipboard and pastes them in another tab', async () => {
    await s.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
    await s.page.getByTestId('node-noise').click({ position: { x: 60, y: 8 } });
    await s.page.getByTestId('node-out').click({ position: { x: 60, y: 8 }, modifiers: ['Control'] });
    await expect.poll(() => s.page.evaluate(() => (window as any).mgan.editor.store.getSnapshot().selection.length)).toBe(2);
    await s.page.keyboard.press('Control+c');
    const copied = await s.page.evaluate(() => navigator.clipboard.readText());
    expect(JSON.parse(copied).kind).toBe('mgan-studio/fragment');

    const other = await s.context.newPage();
    await openEditor(other, url);
    await loadDoc(other, emptyDocument(), 'paste target');
    await other.getByTestId('canvas').click({ position: { x: 10, y: 10 } });
    await other.keyboard.press('Control+v');
    await expect.poll(async () => (await currentDoc(other)).nodes.map((n) => n.type).sort()).toEqual(['image-out', 'perlin-noise']);
    expect((await currentDoc(other)).edges).toHaveLength(1);
    await other.close();
  });

  it('opens a node type\'s doc card from the card and from the palette', async () => {
    await s.page.getByTestId('doc-button-noise').click();
    const card = s.page.getByTestId('doc-card');
    await card.waitFor();
    expect(await card.textContent()).toContain('octaves');
    await s.page.keyboard.press('Escape');
    await s.page.getByTestId('palette-doc-vgg19-tap').click();
    expect(await s.page.getByTestId('doc-card').textContent()).toContain('layer');
    await s.page.keyboard.press('Escape');
  });
});
