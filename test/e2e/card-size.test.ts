/**
 * Cards keep their size (Chromium, WASM backend): a card's size is fixed before its first run, so a
 * run's preview, D's heatmap, colour bar, numbers and loss chart land inside it and it never grows
 * over its neighbours (the layer-ablation preset, run at a tiny size); no preset opens with a card
 * over another. Screenshots go to test/e2e/out/.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { GraphDocument } from '../../src/graph/types';
import { launch, loadDoc, openEditor, quiet, waitDone, type Session } from './browser';

const url = inject('baseUrl');
const SHOTS = 'test/e2e/out';
let s: Session;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  s = await launch({ viewport: { width: 1400, height: 1000 } });
  await openEditor(s.page, `${url}?backend=wasm`);
});
afterAll(async () => {
  await s?.close();
});

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width - 1 && b.x < a.x + a.width - 1 && a.y < b.y + b.height - 1 && b.y < a.y + a.height - 1;

/** Every card's size in graph units (the canvas's zoom taken out), and what it draws outside itself. */
function cardBoxes(page: Page): Promise<Record<string, Box & { spills: string[] }>> {
  return page.evaluate(() => {
    const zoom = (window as any).mgan.editor.store.getSnapshot().viewport.zoom as number;
    const out: Record<string, { x: number; y: number; width: number; height: number; spills: string[] }> = {};
    for (const el of document.querySelectorAll('.react-flow__node-card')) {
      const r = el.getBoundingClientRect();
      const spills: string[] = [];
      // Whatever a run draws (previews, heatmap, charts) must be within the card as drawn.
      for (const inner of el.querySelectorAll('canvas, svg, .preview-info, .d-stats, .score-bar')) {
        const b = inner.getBoundingClientRect();
        if (b.width === 0 || b.height === 0) continue;
        // A part scrolled out of the card's results area is clipped by it, not drawn outside.
        const area = inner.closest('.card-results');
        const clip = area ? area.getBoundingClientRect() : r;
        const top = Math.max(b.top, clip.top);
        const bottom = Math.min(b.bottom, clip.bottom);
        if (bottom <= top) continue;
        if (b.left < r.left - 1 || b.right > r.right + 1 || top < r.top - 1 || bottom > r.bottom + 1) spills.push(inner.className.toString() || inner.tagName);
      }
      out[el.getAttribute('data-id')!] = { x: r.x / zoom, y: r.y / zoom, width: r.width / zoom, height: r.height / zoom, spills };
    }
    return out;
  });
}

/** The layer-ablation preset at a size the browser's WASM backend runs in seconds, its layout as shipped. */
function tinyAblation(): GraphDocument {
  const doc = JSON.parse(readFileSync('presets/layer-ablation.json', 'utf8')) as GraphDocument;
  for (const n of doc.nodes) {
    if (n.type === 'image-source') n.params.maxSide = 64;
    if (n.type === 'mdan-optimiser') Object.assign(n.params, { size: 32, iterations: 4, exampleSize: 64, dChannels: 8, previewEvery: 1 });
  }
  return doc;
}

describe('cards keep their size', () => {
  it('MDAN cards of the layer-ablation preset stay the size they had before the run, with everything inside', async () => {
    const { page } = s;
    const doc = tinyAblation();
    await loadDoc(page, doc, 'ablation');
    await page.keyboard.press('f');
    await page.waitForTimeout(400);
    const before = await cardBoxes(page);
    await page.getByTestId('run-all').click();
    const mdans = doc.nodes.filter((n) => n.type === 'mdan-optimiser').map((n) => n.id);
    await waitDone(page, mdans, 170_000);
    await page.waitForTimeout(500);
    const after = await cardBoxes(page);
    await quiet(page);
    await page.screenshot({ path: `${SHOTS}/card-size-ablation.png` });
    await page.getByTestId(`node-${doc.nodes[1]!.id}`).screenshot({ path: `${SHOTS}/card-size-mdan-card.png` });
    // The run drew its results on the cards.
    for (const id of mdans) expect(await page.getByTestId(`node-${id}`).getByTestId(`preview-canvas-${id}`).count(), `${id} preview`).toBe(1);
    expect(await page.getByTestId(`node-${mdans[0]}`).getByTestId(`loss-chart-${mdans[0]}`).count()).toBe(1);
    for (const id of mdans) expect(after[id]!.height, `${id} fits its 500 px row`).toBeLessThan(480);
    for (const id of Object.keys(before)) {
      expect(after[id]!.height, `${id} height`).toBeCloseTo(before[id]!.height, 0);
      expect(after[id]!.width, `${id} width`).toBeCloseTo(before[id]!.width, 0);
      expect(after[id]!.spills, `${id} draws outside itself`).toEqual([]);
    }
    const ids = Object.keys(after);
    for (const a of ids) for (const b of ids) if (a < b) expect(overlaps(after[a]!, after[b]!), `${a} over ${b}`).toBe(false);
  });

  it('no preset opens with a card over another', async () => {
    const { page } = s;
    for (const file of readdirSync('presets').filter((f) => f.endsWith('.json'))) {
      const doc = JSON.parse(readFileSync(`presets/${file}`, 'utf8')) as GraphDocument;
      await loadDoc(page, doc, file);
      // Cheap nodes run on open; their previews land on cards that must not grow.
      await page.waitForTimeout(1500);
      const boxes = await cardBoxes(page);
      const ids = Object.keys(boxes);
      for (const a of ids) for (const b of ids) if (a < b) expect(overlaps(boxes[a]!, boxes[b]!), `${file}: ${a} over ${b}`).toBe(false);
    }
  });
});
