/**
 * Looking closer (Chromium): double-click a preview for the full-size viewer; the wheel zooms about
 * the pointer and a pixel grid appears from 8x; every drawn pixel is the result's; compare with a
 * second result on a split slider; Download gives the PNG at the result's size. Screenshots go to
 * test/e2e/out/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { GraphDocument } from '../../src/graph/types';
import { launch, loadDoc, openEditor, waitDone, type Session } from './browser';

const url = inject('baseUrl');
const SHOTS = 'test/e2e/out';
let s: Session;

const noise = (id: string, seed: number, x: number) => ({
  id,
  type: 'perlin-noise',
  version: 1,
  params: { width: 24, height: 16, scale: 4, octaves: 1, seed, color: true },
  position: { x, y: 0 },
});
const DOC: GraphDocument = { schemaVersion: 1, nodes: [noise('a', 1, 0), noise('b', 2, 320)], edges: [], meta: {} };

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  s = await launch();
  await openEditor(s.page, url);
  await loadDoc(s.page, DOC, 'viewer');
  await waitDone(s.page, ['a', 'b']);
});
afterAll(async () => {
  await s?.close();
});

/** The result's pixel (RGBA) at image coordinates. */
const resultPixel = (id: string, x: number, y: number) =>
  s.page.evaluate(([n, px, py]) => {
    const p = (window as any).mgan.editor.bridge.preview(n);
    const i = (py * p.width + px) * 4;
    return [...p.data.slice(i, i + 4)];
  }, [id, x, y] as const);

/** The viewer's zoom and where the image's corner is on the stage. */
const viewOf = () =>
  s.page.getByTestId('viewer-zoom').evaluate((e) => ({ zoom: Number((e as HTMLElement).dataset.zoom), x: Number((e as HTMLElement).dataset.x), y: Number((e as HTMLElement).dataset.y) }));

/** What the viewer drew at stage point (sx, sy), and which image pixel that is. */
async function drawnAt(sx: number, sy: number) {
  return s.page.evaluate(([x, y]) => {
    const info = document.querySelector('[data-testid="viewer-zoom"]') as HTMLElement;
    const zoom = Number(info.dataset.zoom);
    const ox = Number(info.dataset.x);
    const oy = Number(info.dataset.y);
    const c = document.querySelector('[data-testid="viewer-canvas"]') as HTMLCanvasElement;
    const rgba = [...c.getContext('2d')!.getImageData(x, y, 1, 1).data];
    return { rgba, px: Math.floor((x - ox) / zoom), py: Math.floor((y - oy) / zoom), zoom, width: c.width, height: c.height };
  }, [sx, sy] as const);
}

describe('full-size viewer', () => {
  it('opens on double-click, zooms about the pointer with a pixel grid, and draws the result\'s pixels', async () => {
    const { page } = s;
    await page.getByTestId('preview-canvas-a').dblclick();
    await page.getByTestId('viewer').waitFor();
    const stage = (await page.getByTestId('viewer-stage').boundingBox())!;
    await page.mouse.move(stage.x + stage.width / 2, stage.y + stage.height / 2);
    for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -100);
    await expect.poll(() => page.getByTestId('viewer-zoom').getAttribute('data-grid')).toBe('on');
    const zoom = Number(await page.getByTestId('viewer-zoom').getAttribute('data-zoom'));
    expect(zoom).toBeGreaterThanOrEqual(8);
    // At the middle of each image pixel under these points (clear of the grid lines) the drawn colour is the result's.
    let checked = 0;
    for (const [fx, fy] of [[0.5, 0.5], [0.3, 0.6], [0.7, 0.4]]) {
      const probe = await drawnAt(Math.round(stage.width * fx), Math.round(stage.height * fy));
      if (probe.px < 0 || probe.py < 0 || probe.px >= 24 || probe.py >= 16) continue;
      const info = await viewOf();
      const mid = await drawnAt(Math.round(info.x + (probe.px + 0.5) * info.zoom), Math.round(info.y + (probe.py + 0.5) * info.zoom));
      expect(mid.rgba, `pixel ${probe.px},${probe.py}`).toEqual(await resultPixel('a', mid.px, mid.py));
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
    await page.screenshot({ path: `${SHOTS}/viewer-zoomed.png` });
  });

  it('compares two results on a split slider', async () => {
    const { page } = s;
    await page.getByTestId('viewer-fit').click();
    await page.getByTestId('viewer-compare').selectOption('b');
    await page.getByTestId('viewer-split').fill('50');
    const info = await viewOf();
    const stage = (await page.getByTestId('viewer-stage').boundingBox())!;
    const py = 8;
    // A column left of the split shows a's pixel, one right of it b's.
    const leftPx = Math.floor((stage.width * 0.5 - 3 * info.zoom - info.x) / info.zoom);
    const rightPx = Math.floor((stage.width * 0.5 + 3 * info.zoom - info.x) / info.zoom);
    const left = await drawnAt(Math.round(info.x + (leftPx + 0.5) * info.zoom), Math.round(info.y + (py + 0.5) * info.zoom));
    const right = await drawnAt(Math.round(info.x + (rightPx + 0.5) * info.zoom), Math.round(info.y + (py + 0.5) * info.zoom));
    expect(left.rgba).toEqual(await resultPixel('a', leftPx, py));
    expect(right.rgba).toEqual(await resultPixel('b', rightPx, py));
    expect(await resultPixel('a', rightPx, py)).not.toEqual(await resultPixel('b', rightPx, py));
    await page.screenshot({ path: `${SHOTS}/viewer-compare.png` });
  });

  it('downloads the result as a PNG at its own size, and Esc closes the viewer', async () => {
    const { page } = s;
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('viewer-download').click()]);
    const png = PNG.sync.read(readFileSync(await download.path()));
    expect([png.width, png.height]).toEqual([24, 16]);
    expect([...png.data.slice(0, 4)]).toEqual(await resultPixel('a', 0, 0));
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('viewer').count()).toBe(0);
  });
});
