/**
 * A long node (MDAN optimiser) driven from its card: run, pause, step, resume, stop (pause and stop
 * landing at the next iteration); the loss chart and D's patch heatmap appear. Uses the browser's
 * WASM backend (`?backend=wasm`): MDAN on SwiftShader WebGPU takes tens of seconds per iteration, on
 * WASM a fraction of a second.
 * Needs the VGG19 weights in .cache/weights/vgg19 (served by the vite plugin).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, loadDoc, nodeState, openEditor, waitDone, type Session } from './browser';
import { tinyMdan } from './fixtures';

const url = inject('baseUrl');
let s: Session;

const MDAN = tinyMdan({ iterations: 400, previewEvery: 1 });

const iteration = () => s.page.evaluate(() => (window as any).mgan.editor.bridge.status('mdan')?.info?.iteration ?? 0) as Promise<number>;

/**
 * Clicks the card's button `testId` in the same task that reads the iteration the card shows, and
 * from then on records every iteration the node reports; answers the iteration shown at the click.
 */
const clickAtIteration = (testId: string) =>
  s.page.evaluate((id) => {
    const w = window as any;
    const bridge = w.mgan.editor.bridge;
    w.__reported = [];
    w.__unsubscribe?.();
    w.__unsubscribe = bridge.subscribeNode('mdan', () => {
      const i = bridge.status('mdan')?.info?.iteration;
      if (i !== undefined) w.__reported.push(i);
    });
    const shown = bridge.status('mdan')?.info?.iteration ?? 0;
    (document.querySelector(`[data-testid="${id}"]`) as HTMLElement).click();
    return shown;
  }, testId) as Promise<number>;
const lastReported = () => s.page.evaluate(() => Math.max(0, ...(window as any).__reported)) as Promise<number>;

/**
 * How far past the iteration shown at a click a pause or stop may land: the iteration running when
 * the click reaches the worker finishes (+1), and the card may show one iteration behind the worker
 * (its reports apply at the next frame: +1). Before the runtime moved off the page, a click waited
 * behind ~10 iterations.
 */
const NEXT_ITERATION = 2;

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

    const shownAtPause = await clickAtIteration('pause-mdan');
    await expect.poll(() => nodeState(s.page, 'mdan'), { timeout: 60_000 }).toBe('paused');
    const pausedAt = await iteration();
    // Pause lands at the next iteration.
    console.log(`pause clicked with iteration ${shownAtPause} shown; paused at ${pausedAt}`);
    expect(pausedAt).toBeLessThanOrEqual(shownAtPause + NEXT_ITERATION);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await iteration()).toBe(pausedAt);

    await s.page.getByTestId('step-mdan').click();
    await expect.poll(iteration, { timeout: 60_000 }).toBe(pausedAt + 1);
    expect(await nodeState(s.page, 'mdan')).toBe('paused');

    // ▶ on a paused node resumes it.
    await s.page.getByTestId('run-mdan').click();
    await expect.poll(iteration, { timeout: 60_000 }).toBeGreaterThan(pausedAt + 2);

    const shownAtStop = await clickAtIteration('stop-mdan');
    await expect.poll(() => nodeState(s.page, 'mdan'), { timeout: 60_000 }).toBe('cancelled');
    // Stop lands at the next iteration too: no iteration reported past it.
    console.log(`stop clicked with iteration ${shownAtStop} shown; last reported ${await lastReported()}`);
    expect(await lastReported()).toBeLessThanOrEqual(shownAtStop + NEXT_ITERATION);
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
