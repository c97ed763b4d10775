/**
 * A long node (MDAN optimiser) driven from its card: run, pause, step, resume, stop; the loss
 * chart and D's patch heatmap appear. Uses the browser's WASM backend (`?backend=wasm`): MDAN on
 * SwiftShader WebGPU takes tens of seconds per iteration, on WASM a fraction of a second.
 * Needs the VGG19 weights in .cache/weights/vgg19 (served by the vite plugin).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, loadDoc, nodeState, openEditor, waitDone, type Session } from './browser';
import { tinyMdan } from './fixtures';

const url = inject('baseUrl');
let s: Session;

const MDAN = tinyMdan({ iterations: 400, previewEvery: 1 });

const iteration = () => s.page.evaluate(() => (window as any).mgan.editor.bridge.status('mdan')?.info?.iteration ?? 0) as Promise<number>;

beforeAll(async () => {
  s = await launch();
  await openEditor(s.page, `${url}?backend=wasm`);
  await loadDoc(s.page, MDAN, 'mdan controls');
  await waitDone(s.page, ['texture']);
});
afterAll(async () => {
  await s?.close();
});

describe('long nodes in Chromium (WASM backend)', () => {
  it('uses the backend asked for in the URL', async () => {
    expect(await s.page.getByTestId('backend').getAttribute('data-backend')).toBe('wasm');
  });

  it('waits for an explicit run, then runs, pauses, steps, resumes and stops', async () => {
    // Long nodes never start by themselves.
    expect(['idle', undefined]).toContain(await nodeState(s.page, 'mdan'));
    await s.page.getByTestId('run-mdan').click();
    await expect.poll(iteration, { timeout: 120_000 }).toBeGreaterThanOrEqual(2);

    await s.page.getByTestId('pause-mdan').click();
    await expect.poll(() => nodeState(s.page, 'mdan'), { timeout: 60_000 }).toBe('paused');
    const pausedAt = await iteration();
    await new Promise((r) => setTimeout(r, 1000));
    expect(await iteration()).toBe(pausedAt);

    await s.page.getByTestId('step-mdan').click();
    await expect.poll(iteration, { timeout: 60_000 }).toBe(pausedAt + 1);
    expect(await nodeState(s.page, 'mdan')).toBe('paused');

    // ▶ on a paused node resumes it.
    await s.page.getByTestId('run-mdan').click();
    await expect.poll(iteration, { timeout: 60_000 }).toBeGreaterThan(pausedAt + 2);

    await s.page.getByTestId('stop-mdan').click();
    await expect.poll(() => nodeState(s.page, 'mdan'), { timeout: 60_000 }).toBe('cancelled');
  });

  it('updates the cheap nodes after a long node once it finishes', async () => {
    await s.page.evaluate(() => {
      const { store } = (window as any).mgan.editor;
      store.edit((d: any) => ({
        ...d,
        nodes: [
          ...d.nodes.map((n: any) => (n.id === 'mdan' ? { ...n, params: { ...n.params, iterations: 3 } } : n)),
          { id: 'out', type: 'image-out', version: 1, params: {}, position: { x: 620, y: 0 } },
        ],
        edges: [...d.edges, { from: { node: 'mdan', port: 'image' }, to: { node: 'out', port: 'image' } }],
      }));
    });
    await s.page.getByTestId('run-mdan').click();
    await waitDone(s.page, ['mdan', 'out']);
    const canvas = s.page.getByTestId('node-out').getByTestId('preview-canvas-out');
    expect(await canvas.evaluate((c: HTMLCanvasElement) => `${c.width}x${c.height}`)).toBe('32x32');
  });

  it('charts the losses and shows D\'s per-patch scores over the preview', async () => {
    const card = s.page.getByTestId('node-mdan');
    const chart = card.getByTestId('loss-chart-mdan');
    await chart.waitFor();
    expect(await chart.locator('polyline').count()).toBeGreaterThan(1);
    const heatmap = card.getByTestId('preview-mdan').getByTestId('patch-heatmap');
    await heatmap.waitFor();
    const painted = await heatmap.evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let alpha = 0;
      for (let i = 3; i < d.length; i += 4) alpha += d[i]! > 0 ? 1 : 0;
      return alpha / (d.length / 4);
    });
    expect(painted).toBeGreaterThan(0.9);
  });
});
