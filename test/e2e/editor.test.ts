/**
 * The editor in a real browser (Chromium with SwiftShader, a software GPU): backend choice (WASM on
 * every core rather than the software GPU), presets, live previews, partial re-runs, undo/redo and
 * reload from IndexedDB.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { GraphDocument } from '../../src/graph/types';
import { currentDoc, flushSaves, launch, openEditor, runCounts, waitDone, type Session } from './browser';

const url = inject('baseUrl');
let s: Session;

beforeAll(async () => {
  s = await launch();
  await openEditor(s.page, url);
});
afterAll(async () => {
  await s?.close();
});

function param(doc: GraphDocument, node: string, name: string) {
  return doc.nodes.find((n) => n.id === node)?.params[name];
}

/** Sets a number param through its number field, as a user typing would: the value, then Enter. */
async function typeParam(node: string, name: string, value: number) {
  await s.page.fill(`[data-testid="param-${node}-${name}"]`, String(value));
  await s.page.press(`[data-testid="param-${node}-${name}"]`, 'Enter');
}

describe('editor in Chromium', () => {
  it('prefers WASM on the cores the page can spare to SwiftShader\'s software WebGPU, and says why beside the label', async () => {
    const backend = s.page.getByTestId('backend');
    await expect.poll(() => backend.getAttribute('data-backend')).toBe('wasm');
    const text = (await backend.textContent()) ?? '';
    expect(text).toMatch(/^WASM · \d+ threads? /);
    expect(text).toMatch(/\(fallback: webgpu: SwiftShader is a software GPU, slower here than WASM on the CPU \(\?backend=webgpu forces it\)/);
    // Served with COOP/COEP (vite preview): shared memory, so one thread per core (but the one the page keeps from 4 cores up; at most 8).
    expect(await s.page.evaluate(() => crossOriginIsolated)).toBe(true);
    const cores = await s.page.evaluate(() => navigator.hardwareConcurrency);
    expect(Number(await backend.getAttribute('data-threads'))).toBe(Math.max(1, Math.min(8, cores >= 4 ? cores - 1 : cores)));
  });

  it('still runs on the software WebGPU when the URL asks for it (?backend=webgpu)', async () => {
    const page = await s.context.newPage();
    try {
      await openEditor(page, `${url}?backend=webgpu`);
      const backend = page.getByTestId('backend');
      expect(await backend.getAttribute('data-backend')).toBe('webgpu');
      expect(await backend.textContent()).toBe('WebGPU');
    } finally {
      await page.close();
    }
  });

  it('opens the perlin-noise preset from the gallery and shows a preview with real pixels', async () => {
    await s.page.getByTestId('open-gallery').click();
    await s.page.getByTestId('preset-perlin-noise').click();
    await expect.poll(() => s.page.evaluate(() => (window as any).mgan.editor.getMeta().graphName)).toBe('Perlin noise');
    // Tiny sizes: SwiftShader is slow.
    await typeParam('noise', 'width', 32);
    await typeParam('noise', 'height', 32);
    await typeParam('low_noise', 'width', 48);
    await typeParam('low_noise', 'height', 32);
    // maxSide is not inline on the card: it is in the inspector of the selected node.
    await s.page.getByTestId('node-photo').click({ position: { x: 60, y: 8 } });
    await typeParam('inspector-photo', 'maxSide', 48);
    await expect.poll(async () => param(await currentDoc(s.page), 'noise', 'width')).toBe(32);
    await waitDone(s.page, ['noise', 'out_noise', 'photo', 'low_noise', 'mix', 'out_photo']);
    const canvas = s.page.getByTestId('preview-canvas-out_noise');
    await expect.poll(() => canvas.evaluate((c: HTMLCanvasElement) => `${c.width}x${c.height}`)).toBe('32x32');
    const stats = await canvas.evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let min = 255;
      let max = 0;
      for (let i = 0; i < d.length; i += 4) {
        min = Math.min(min, d[i]!);
        max = Math.max(max, d[i]!);
      }
      return { min, max, alpha: d[3] };
    });
    expect(stats.max - stats.min).toBeGreaterThan(40);
    expect(stats.alpha).toBe(255);
    // The card drew exactly the pixels that came from the worker.
    const differ = await canvas.evaluate((c: HTMLCanvasElement) => {
      const p = (window as any).mgan.editor.bridge.preview('out_noise');
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i++) if (d[i] !== p.data[i]) n++;
      return n;
    });
    expect(differ).toBe(0);
  });

  it('re-runs only the nodes downstream of a changed parameter', async () => {
    const before = await runCounts(s.page);
    await typeParam('mix', 'amount', 0.6);
    await expect.poll(async () => (await runCounts(s.page)).out_photo ?? 0).toBe((before.out_photo ?? 0) + 1);
    await waitDone(s.page, ['mix', 'out_photo']);
    const after = await runCounts(s.page);
    expect(after.mix).toBe((before.mix ?? 0) + 1);
    for (const id of ['noise', 'out_noise', 'photo', 'low_noise']) expect(after[id], id).toBe(before[id]);
    expect(await s.page.getByTestId('node-noise').getAttribute('data-state')).toBe('done');
  });

  it('undoes and redoes edits with the keyboard', async () => {
    expect(param(await currentDoc(s.page), 'mix', 'amount')).toBe(0.6);
    await s.page.getByTestId('canvas').click({ position: { x: 5, y: 5 } });
    await s.page.keyboard.press('Control+z');
    await expect.poll(async () => param(await currentDoc(s.page), 'mix', 'amount')).toBe(0.25);
    await s.page.keyboard.press('Control+Shift+z');
    await expect.poll(async () => param(await currentDoc(s.page), 'mix', 'amount')).toBe(0.6);
    // The toolbar buttons do the same.
    await s.page.getByTestId('undo').click();
    await expect.poll(async () => param(await currentDoc(s.page), 'mix', 'amount')).toBe(0.25);
    await s.page.getByTestId('redo').click();
    await expect.poll(async () => param(await currentDoc(s.page), 'mix', 'amount')).toBe(0.6);
  });

  it('deletes, duplicates and bypasses nodes, each undoable', async () => {
    const start = await currentDoc(s.page);
    await s.page.getByTestId('node-mix').click({ position: { x: 60, y: 8 } });
    await expect.poll(() => s.page.evaluate(() => (window as any).mgan.editor.store.getSnapshot().selection)).toEqual(['mix']);
    await s.page.keyboard.press('Control+d');
    await expect.poll(async () => (await currentDoc(s.page)).nodes.length).toBe(start.nodes.length + 1);
    await s.page.keyboard.press('Delete');
    await expect.poll(async () => (await currentDoc(s.page)).nodes.length).toBe(start.nodes.length);
    await s.page.getByTestId('node-mix').click({ position: { x: 60, y: 8 } });
    await s.page.keyboard.press('b');
    await expect.poll(async () => (await currentDoc(s.page)).nodes.find((n) => n.id === 'mix')?.bypass).toBe(true);
    await s.page.keyboard.press('Control+z');
    await expect.poll(async () => (await currentDoc(s.page)).nodes.find((n) => n.id === 'mix')?.bypass ?? false).toBe(false);
    expect((await currentDoc(s.page)).nodes.map((n) => n.id).sort()).toEqual(start.nodes.map((n) => n.id).sort());
  });

  it('comes back from IndexedDB after a reload: graph, selection and viewport', async () => {
    await s.page.getByTestId('node-low_noise').click({ position: { x: 60, y: 8 } });
    const before = await currentDoc(s.page);
    const view = await s.page.evaluate(() => (window as any).mgan.editor.store.getSnapshot());
    await flushSaves(s.page);
    await s.page.reload();
    await s.page.waitForSelector('body[data-ready="true"]');
    expect(await currentDoc(s.page)).toEqual(before);
    const after = await s.page.evaluate(() => (window as any).mgan.editor.store.getSnapshot());
    expect(after.selection).toEqual(['low_noise']);
    expect(after.viewport.zoom).toBeCloseTo(view.viewport.zoom, 5);
    expect(await s.page.evaluate(() => (window as any).mgan.editor.getMeta().graphName)).toBe('Perlin noise');
  });

  it('keeps rolling snapshots and restores an earlier version', async () => {
    for (const v of [0.1, 0.2, 0.3]) {
      await typeParam('mix', 'amount', v);
      await flushSaves(s.page);
    }
    await s.page.getByTestId('open-versions').click();
    await s.page.getByTestId('restore-2').click();
    await expect.poll(async () => param(await currentDoc(s.page), 'mix', 'amount')).toBe(0.1);
  });
});
