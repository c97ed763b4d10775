/**
 * Sweeps in a real browser: from the inspector, a node's param run over three values shows three
 * labelled tiles (the images separate runs give), the graph is left as it was, the sheet saves as a
 * PNG holding the graph and its sweep; a document's own sweep runs from the toolbar.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { extractGraphFromPng } from '../../src/graph/share-png';
import type { GraphDocument } from '../../src/graph/types';
import { contactSheetLayout } from '../../src/formats/contact-sheet';
import { currentDoc, launch, loadDoc, openEditor, waitDone, type Session } from './browser';

const url = inject('baseUrl');
const SHOTS = 'test/e2e/out';
let s: Session;

const graph = (meta: Record<string, unknown> = {}): GraphDocument => ({
  schemaVersion: 2,
  nodes: [
    { id: 'noise', type: 'perlin-noise', version: 1, params: { width: 32, height: 32, scale: 8, octaves: 2, seed: 7, color: true }, position: { x: 0, y: 0 } },
    { id: 'out', type: 'image-out', version: 1, params: {}, position: { x: 320, y: 0 } },
  ],
  edges: [{ from: { node: 'noise', port: 'image' }, to: { node: 'out', port: 'image' } }],
  meta,
});

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  s = await launch();
  await openEditor(s.page, url);
});
afterAll(async () => {
  await s?.close();
});

/** The pixels of the canvas in a tile (RGBA). */
function tilePixels(page: Page, index: number): Promise<{ width: number; height: number; data: number[] }> {
  return page.getByTestId(`sweep-tile-${index}`).locator('canvas').evaluate((c: HTMLCanvasElement) => ({
    width: c.width,
    height: c.height,
    data: [...c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data],
  }));
}

function previewPixels(page: Page, nodeId: string): Promise<number[]> {
  return page.getByTestId(`preview-canvas-${nodeId}`).evaluate((c: HTMLCanvasElement) => [...c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data]);
}

describe('sweeps in Chromium', () => {
  it('sweeps a param from the inspector and shows one labelled tile per value', async () => {
    const { page } = s;
    await loadDoc(page, graph(), 'sweep');
    await waitDone(page, ['noise', 'out']);
    const shownBefore = await previewPixels(page, 'out');
    await page.getByTestId('node-noise').click({ position: { x: 60, y: 8 } });
    await page.getByTestId('sweep-form').locator('summary').click();
    await page.getByTestId('sweep-param').selectOption('scale');
    await page.getByTestId('sweep-values').fill('4, 8, 16');
    await page.getByTestId('sweep-run').click();
    await page.getByTestId('sweep-sheet-out').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('sweep-panel').locator('figure').count()).toBe(3);
    const labels = await Promise.all([0, 1, 2].map((i) => page.getByTestId(`sweep-label-${i}`).textContent()));
    expect(labels).toEqual(['4', '8', '16']);
    const tiles = await Promise.all([0, 1, 2].map((i) => tilePixels(page, i)));
    for (const t of tiles) expect([t.width, t.height]).toEqual([32, 32]);
    expect(tiles[0].data).not.toEqual(tiles[1].data);
    expect(tiles[1].data).not.toEqual(tiles[2].data);
    // scale 8 is the graph's own value: its tile is the picture the card showed before the sweep.
    expect(tiles[1].data).toEqual(shownBefore);
    await page.screenshot({ path: `${SHOTS}/sweep-panel.png` });

    // The sheet as a PNG: the CLI's layout, the graph inside with the sweep it shows.
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('sweep-save-out').click()]);
    const bytes = readFileSync((await dl.path())!);
    const png = PNG.sync.read(bytes);
    const layout = contactSheetLayout([0, 1, 2].map(() => ({ width: 32, height: 32 })), labels as string[], 'noise.scale');
    expect([png.width, png.height]).toEqual([layout.width, layout.height]);
    const embedded = extractGraphFromPng(new Uint8Array(bytes)) as GraphDocument;
    expect(embedded.meta.sweep).toEqual({ node: 'noise', param: 'scale', values: [4, 8, 16] });

    // The graph is as it was, and so are the cards.
    await page.getByTestId('sweep-close').click();
    expect((await currentDoc(page)).nodes.find((n) => n.id === 'noise')!.params.scale).toBe(8);
    await expect.poll(() => previewPixels(page, 'out')).toEqual(shownBefore);
  });

  it("refuses a bad list in the form with the reason, and runs the document's own sweep from the toolbar", async () => {
    const { page } = s;
    await loadDoc(page, graph({ sweep: { node: 'noise', param: 'octaves', values: [1, 3] } }), 'named sweep');
    await page.evaluate(() => (window as any).mgan.editor.allowRun());
    await waitDone(page, ['noise', 'out']);
    await page.getByTestId('node-noise').click({ position: { x: 60, y: 8 } });
    // The form opens filled with the document's sweep of this node.
    expect(await page.getByTestId('sweep-values').inputValue()).toBe('1, 3');
    await page.getByTestId('sweep-values').fill('1, 99');
    await page.getByTestId('sweep-run').click();
    expect(await page.getByTestId('sweep-problem').textContent()).toBe("sweep of noise.octaves: node 'noise': param 'octaves' = 99 is above its maximum 12");
    await page.getByTestId('run-document-sweep').click();
    await page.getByTestId('sweep-sheet-out').waitFor({ timeout: 120_000 });
    expect(await Promise.all([0, 1].map((i) => page.getByTestId(`sweep-label-${i}`).textContent()))).toEqual(['1', '3']);
  });
});
