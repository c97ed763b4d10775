/**
 * The editor as a new user meets it (Chromium; SwiftShader's WebGPU is passed over for WASM): typing into number fields,
 * the first open, time estimates, D's heatmap legend, charts, where new nodes land.
 * Screenshots go to test/e2e/out/ (ignored by git) for a person to look at.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { encodeGraphFragment } from '../../src/graph/share-url';
import type { GraphDocument } from '../../src/graph/types';
import { currentDoc, graphName, launch, loadDoc, openEditor, waitDone, type Session } from './browser';
import { tinyMdan } from './fixtures';

const url = inject('baseUrl');
const SHOTS = 'test/e2e/out';
let s: Session;
const pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  s = await launch();
  s.page.on('pageerror', (e) => pageErrors.push(e.message));
  await openEditor(s.page, url);
});
afterAll(async () => {
  await s?.close();
});

async function param(node: string, name: string) {
  return (await currentDoc(s.page)).nodes.find((n) => n.id === node)?.params[name];
}

/** Selects the field's text and types `text` key by key, as a person does; no Enter yet. */
async function typeInto(testId: string, text: string) {
  const field = s.page.getByTestId(testId);
  await field.click();
  await s.page.keyboard.press('Control+a');
  await s.page.keyboard.type(text, { delay: 20 });
}

const NUMBERS_DOC: GraphDocument = {
  schemaVersion: 1,
  nodes: [
    { id: 'mdan', type: 'mdan-optimiser', version: 1, params: { size: 128, iterations: 100, lr: 0.02 }, position: { x: 0, y: 0 } },
    { id: 'video', type: 'video-out', version: 1, params: { maxFrames: 10 }, position: { x: 420, y: 0 } },
  ],
  edges: [],
  meta: {},
};

describe('number fields', () => {
  it('commit on Enter or leaving the field, show a refused value with the allowed range, and never throw', async () => {
    await loadDoc(s.page, NUMBERS_DOC, 'numbers');
    // Integer with a range: "4" on the way to "48" is below the minimum 16 and must not be stored.
    await typeInto('param-mdan-size', '4');
    await expect.poll(() => s.page.getByTestId('param-mdan-size-problem').textContent()).toBe('4 is below its minimum 16 · allowed: 16 to 2048, whole numbers');
    expect(await param('mdan', 'size')).toBe(128);
    await s.page.keyboard.type('8');
    await expect.poll(() => s.page.getByTestId('param-mdan-size-problem').count()).toBe(0);
    expect(await param('mdan', 'size')).toBe(128); // not yet: only Enter or blur commits
    await s.page.keyboard.press('Enter');
    await expect.poll(() => param('mdan', 'size')).toBe(48);
    // Above the maximum: shown, not stored, still not stored after Enter and after leaving the field.
    await typeInto('param-mdan-size', '12800');
    await s.page.keyboard.press('Enter');
    await expect.poll(() => s.page.getByTestId('param-mdan-size-problem').textContent()).toContain('12800 is above its maximum 2048');
    await s.page.getByTestId('param-mdan-lr').click();
    expect(await param('mdan', 'size')).toBe(48);
    expect(await s.page.getByTestId('param-mdan-size').inputValue()).toBe('12800');
    await s.page.screenshot({ path: `${SHOTS}/number-field-refused.png`, clip: await cardClip('mdan') });
    // Escape brings back the stored value.
    await s.page.getByTestId('param-mdan-size').click();
    await s.page.keyboard.press('Escape');
    expect(await s.page.getByTestId('param-mdan-size').inputValue()).toBe('48');

    // Negative iterations: "-" and "-3" are refused; leaving the field keeps the stored 100.
    await typeInto('param-mdan-iterations', '-3');
    await expect.poll(() => s.page.getByTestId('param-mdan-iterations-problem').textContent()).toBe('-3 is below its minimum 1 · allowed: 1 to 10000, whole numbers');
    await s.page.getByTestId('canvas').click({ position: { x: 5, y: 5 } });
    expect(await param('mdan', 'iterations')).toBe(100);

    // A float whose prefixes ("0", "0.00") are below the minimum 0.0001.
    await typeInto('param-mdan-lr', '0.005');
    await s.page.keyboard.press('Tab');
    await expect.poll(() => param('mdan', 'lr')).toBe(0.005);
    await expect.poll(() => s.page.getByTestId('param-mdan-lr-problem').count()).toBe(0);

    // The slider stays live: each move is stored at once.
    await s.page.getByTestId('param-mdan-size-slider').focus();
    await s.page.keyboard.press('ArrowRight');
    await expect.poll(() => param('mdan', 'size')).toBe(56);
    expect(await s.page.getByTestId('param-mdan-size').inputValue()).toBe('56');

    // Seed (in the inspector): above 2^32 - 1 is refused; a valid seed is stored.
    await s.page.getByTestId('node-mdan').click({ position: { x: 60, y: 8 } });
    await typeInto('param-inspector-mdan-seed', '99999999999');
    await s.page.keyboard.press('Enter');
    await expect.poll(() => s.page.getByTestId('param-inspector-mdan-seed-problem').textContent()).toContain('above its maximum 4294967295');
    await typeInto('param-inspector-mdan-seed', '77');
    await s.page.keyboard.press('Enter');
    await expect.poll(() => param('mdan', 'seed')).toBe(77);

    // An integer with only a minimum (no slider): -1 refused, 12 stored.
    await typeInto('param-video-maxFrames', '-1');
    await s.page.keyboard.press('Enter');
    await expect.poll(() => s.page.getByTestId('param-video-maxFrames-problem').textContent()).toBe('-1 is below its minimum 0 · allowed: whole numbers from 0');
    await typeInto('param-video-maxFrames', '12');
    await s.page.keyboard.press('Enter');
    await expect.poll(() => param('video', 'maxFrames')).toBe(12);

    // Arrow keys step from the stored value and commit.
    await s.page.getByTestId('param-mdan-iterations').click();
    await s.page.keyboard.press('ArrowUp');
    await expect.poll(() => param('mdan', 'iterations')).toBe(101);

    expect(pageErrors).toEqual([]);
    const errorToasts = await s.page.locator('.toast.error').count();
    expect(errorToasts).toBe(0);
  });
});

describe('first open', () => {
  it('shows a starter graph that has run, with the presets as a welcome over it', async () => {
    const fresh = await launch();
    try {
      const errors: string[] = [];
      fresh.page.on('pageerror', (e) => errors.push(e.message));
      const t0 = Date.now();
      await openEditor(fresh.page, url, { keepWelcome: true });
      await fresh.page.getByTestId('welcome').waitFor();
      expect(await graphName(fresh.page)).toBe('Start here: Perlin noise');
      await waitDone(fresh.page, ['noise', 'out'], 60_000);
      console.log(`starter graph done ${((Date.now() - t0) / 1000).toFixed(1)} s after opening (${await fresh.page.getByTestId('backend').textContent()})`);
      expect(await fresh.page.getByTestId('gallery').locator('[data-testid^="preset-"]').count()).toBeGreaterThan(3);
      await fresh.page.screenshot({ path: `${SHOTS}/first-open-welcome.png` });

      await fresh.page.getByTestId('welcome-start').click();
      expect(await fresh.page.getByTestId('gallery').count()).toBe(0);
      const canvas = fresh.page.getByTestId('preview-canvas-out');
      expect(await canvas.evaluate((c: HTMLCanvasElement) => `${c.width}x${c.height}`)).toBe('128x128');
      const spread = await canvas.evaluate((c: HTMLCanvasElement) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let min = 255;
        let max = 0;
        for (let i = 0; i < d.length; i += 4) (min = Math.min(min, d[i]!)), (max = Math.max(max, d[i]!));
        return max - min;
      });
      expect(spread).toBeGreaterThan(40);
      await fresh.page.screenshot({ path: `${SHOTS}/first-open-starter.png` });

      // The presets stay one click away, without the welcome text.
      await fresh.page.getByTestId('open-gallery').click();
      await fresh.page.getByTestId('preset-perlin-noise').waitFor();
      expect(await fresh.page.getByTestId('welcome').count()).toBe(0);
      await fresh.page.keyboard.press('Escape');
      // Esc closes the welcome as its button does: the gallery opened after it is the plain one.
      await fresh.page.evaluate(() => (window as any).mgan.editor.panels.set({ gallery: true, welcome: true }));
      await fresh.page.getByTestId('welcome').waitFor();
      await fresh.page.keyboard.press('Escape');
      expect(await fresh.page.getByTestId('gallery').count()).toBe(0);
      await fresh.page.getByTestId('open-gallery').click();
      await fresh.page.getByTestId('gallery').waitFor();
      expect(await fresh.page.getByTestId('welcome').count()).toBe(0);
      await fresh.page.keyboard.press('Escape');

      // Only the first open welcomes: a reload goes back to the graph as it was.
      await fresh.page.evaluate(() => (window as any).mgan.editor.flush());
      await fresh.page.reload();
      await fresh.page.waitForSelector('body[data-ready="true"]');
      expect(await fresh.page.getByTestId('gallery').count()).toBe(0);
      expect(await graphName(fresh.page)).toBe('Start here: Perlin noise');
      expect(errors).toEqual([]);
    } finally {
      await fresh.close();
    }
  });
});

// 64 px: relu3_1 is 16×16 there, so D scores a 3×3 grid of 8×8 patches.
const TINY_MDAN = tinyMdan({ iterations: 16, previewEvery: 4 });
TINY_MDAN.nodes[1]!.params.size = 64;

describe('on the WASM backend', () => {
  let w: Session;
  beforeAll(async () => {
    w = await launch();
    w.page.on('pageerror', (e) => pageErrors.push(e.message));
    await openEditor(w.page, `${url}?backend=wasm`);
    // The minimap sits over the cards' right edge in the screenshots.
    await w.page.addStyleTag({ content: '.react-flow__minimap { display: none; }' });
  });
  afterAll(async () => {
    await w?.close();
  });

  it('says how long a long node will take before it runs, how long is left while it runs, and learns the backend speed', async () => {
    const estimate = w.page.getByTestId('estimate-mdan');
    // The preset at its defaults: 4 s setup (the example at the result's 128 px) + 100 iterations × 2.5 s at 128 px on the reference WASM.
    await loadDoc(w.page, JSON.parse(readFileSync('presets/unguided-texture.json', 'utf8')), 'estimate');
    await expect.poll(() => estimate.textContent()).toBe('takes ≈ 4m14s on WASM');
    expect(await estimate.getAttribute('title')).toContain('100 iterations at 128 px: 4m10s');
    await w.page.getByTestId('param-mdan-iterations').fill('200');
    await w.page.getByTestId('param-mdan-iterations').press('Enter');
    await expect.poll(() => estimate.textContent()).toBe('takes ≈ 8m24s on WASM');
    await w.page.screenshot({ path: `${SHOTS}/estimate-card.png`, clip: await cardClip('mdan', w) });

    await loadDoc(w.page, TINY_MDAN, 'tiny mdan');
    await waitDone(w.page, ['texture']);
    const before = await estimate.textContent();
    await w.page.getByTestId('run-mdan').click();
    // While it runs: the time left, from the pace of its iterations.
    await expect.poll(() => w.page.getByTestId('time-left-mdan').textContent().catch(() => ''), { timeout: 120_000, interval: 50 }).toMatch(/^≈ \d+s left$/);
    await w.page.screenshot({ path: `${SHOTS}/time-left-card.png`, clip: await cardClip('mdan', w) });
    await waitDone(w.page, ['mdan'], 180_000);
    // That run measured this browser's WASM speed; the estimate now uses it.
    const speed = await w.page.evaluate(() => (window as any).mgan.editor.speed.speed('wasm'));
    expect(speed.source).toBe('measured');
    expect(speed.factor).toBeGreaterThan(0);
    await expect.poll(() => estimate.getAttribute('title')).toContain('measured here over 1 run');
    console.log(`tiny MDAN estimate before: ${before}; after: ${await estimate.textContent()}; measured factor ${speed.factor.toFixed(3)}`);
  });

  it("draws D's scores on a fixed scale around 0 when chosen, with one legend and a colour bar with numbers", async () => {
    // The tiny MDAN of the test before has run; its last scores are on the card.
    const card = w.page.getByTestId('node-mdan');
    const heatmap = card.getByTestId('patch-heatmap');
    await heatmap.waitFor();
    const bar = card.getByTestId('d-score-bar');
    // The colours follow the scores until the fixed scale is chosen (test/e2e/d-view.test.ts covers that mode).
    await card.getByTestId('d-score-scale-toggle').click();
    expect(await bar.getAttribute('data-mode')).toBe('fixed');
    expect(await bar.getByTestId('d-score-legend').locator('span').allTextContents()).toEqual(['red: D says fake', 'blue: D says real']);
    expect(await bar.locator('.score-bar-ticks span').allTextContents()).toEqual(['-2', '-1', '0', '+1', '+2']);
    expect(await bar.getAttribute('title')).toMatch(/^blue: D judges the patch real/);
    const scores = await w.page.evaluate(() => (window as any).mgan.editor.bridge.extra('mdan').patchScores);
    const values = Array.from(scores.values as number[]);
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    expect(await card.getByTestId('d-score-range').textContent()).toBe(`D's scores now: ${(lo > 0 ? '+' : '') + lo.toFixed(1)} … ${(hi > 0 ? '+' : '') + hi.toFixed(1)}`);
    // Every cell is drawn in the colour of its own score on the fixed scale (not rescaled to this iteration's range).
    const drawn = await heatmap.evaluate((c: HTMLCanvasElement, g: { rows: number; cols: number }) => {
      const ctx = c.getContext('2d')!;
      const out: number[][] = [];
      for (let r = 0; r < g.rows; r++) {
        for (let col = 0; col < g.cols; col++) {
          const x = Math.floor(((col + 0.5) * c.width) / g.cols);
          const y = Math.floor(((r + 0.5) * c.height) / g.rows);
          out.push(Array.from(ctx.getImageData(x, y, 1, 1).data));
        }
      }
      return out;
    }, { rows: scores.rows, cols: scores.cols });
    const { dScoreColour } = await import('../../src/ui/heatmap');
    drawn.forEach((px, i) => {
      const [r, g, b, a] = dScoreColour(values[i]!);
      expect(Math.abs(px[3]! / 255 - a), `alpha of cell ${i}`).toBeLessThan(0.01);
      // Canvas stores premultiplied colour: allow the rounding that brings back.
      for (const [got, want] of [[px[0]!, r], [px[1]!, g], [px[2]!, b]]) expect(Math.abs(got - want), `cell ${i}`).toBeLessThan(12);
    });
    await w.page.screenshot({ path: `${SHOTS}/d-score-heatmap.png`, clip: await cardClip('mdan', w) });
    // The doc card says the same.
    await card.getByTestId('doc-button-mdan').click();
    expect(await w.page.getByTestId('doc-card').textContent()).toContain('blue: D judges the patch real, like the example (score > 0: D is fooled); red: D judges it fake');
    await w.page.keyboard.press('Escape');
  });

  it('charts the losses in the inspector with axes, hover values, a log scale and a common scale; the card keeps its sparkline', async () => {
    const card = w.page.getByTestId('node-mdan');
    expect(await card.getByTestId('loss-chart-mdan').locator('polyline').count()).toBe(4);
    await card.click({ position: { x: 60, y: 8 } });
    const plot = w.page.getByTestId('inspector').getByTestId('loss-plot-mdan');
    await plot.locator('.uplot canvas').waitFor();
    // uPlot draws the axes on its canvas (looked at in the screenshots); the legend is DOM.
    expect(await plot.getAttribute('data-log')).toBe('true');
    expect(await plot.getAttribute('data-common')).toBe('true');
    expect(await plot.locator('.u-legend .u-series th').allTextContents()).toEqual(['iteration', 'd', 'image', 'content', 'tv']);
    // Unguided: content is 0 throughout, which a log axis cannot show; the chart says so (and names any
    // other loss that touched 0: D's hinge losses can).
    const losses = await w.page.evaluate(() => (window as any).mgan.editor.bridge.losses('mdan'));
    const notPositive = ['d', 'image', 'content', 'tv'].filter((k) => losses.some((p: { losses: Record<string, number> }) => p.losses[k]! <= 0));
    expect(notPositive).toContain('content');
    expect(await plot.getByTestId('loss-plot-not-on-log-mdan').textContent()).toBe(`Not on the log scale where ≤ 0: ${notPositive.join(', ')}.`);

    // Hovering shows the values of the iteration under the pointer.
    await plot.scrollIntoViewIfNeeded();
    const over = (await plot.locator('.u-over').boundingBox())!;
    await w.page.mouse.move(over.x + over.width * 0.6, over.y + over.height / 2, { steps: 4 });
    const cells = () => plot.locator('.u-legend .u-series td.u-value').allTextContents();
    await expect.poll(async () => (await cells())[0]).toMatch(/^\d+$/);
    const [iteration, ...shown] = await cells();
    const history = await w.page.evaluate(() => (window as any).mgan.editor.bridge.losses('mdan'));
    const point = history.find((p: { iteration: number }) => p.iteration === Number(iteration));
    const { formatLoss } = await import('../../src/ui/chart-data');
    expect(shown).toEqual(['d', 'image', 'content', 'tv'].map((k) => formatLoss(point.losses[k])));
    await w.page.screenshot({ path: `${SHOTS}/loss-plot-log-common.png`, clip: (await w.page.getByTestId('inspector').boundingBox())! });

    await plot.getByTestId('loss-plot-log-mdan').uncheck();
    await expect.poll(() => plot.getAttribute('data-log')).toBe('false');
    expect(await plot.getByTestId('loss-plot-not-on-log-mdan').count()).toBe(0);
    await plot.getByTestId('loss-plot-common-mdan').uncheck();
    await expect.poll(() => plot.getAttribute('data-common')).toBe('false');
    expect(await plot.locator('.note').textContent()).toContain('own scale');
    await plot.locator('.uplot canvas').waitFor();
    await plot.scrollIntoViewIfNeeded();
    await w.page.screenshot({ path: `${SHOTS}/loss-plot-linear-own.png`, clip: (await w.page.getByTestId('inspector').boundingBox())! });
  });

  it('says which setting to change when a guided MDAN is too small for one patch', async () => {
    await loadDoc(w.page, {
      schemaVersion: 1,
      nodes: [
        { id: 'texture', type: 'image-source', version: 1, params: { sample: 'starry_night', maxSide: 64 }, position: { x: 0, y: 0 } },
        { id: 'photo', type: 'image-source', version: 1, params: { sample: 'chelsea', maxSide: 96 }, position: { x: 0, y: 320 } },
        { id: 'guided', type: 'mdan-optimiser', version: 1, params: { size: 40, iterations: 5, exampleSize: 64, dChannels: 8 }, position: { x: 300, y: 0 } },
      ],
      edges: [
        { from: { node: 'texture', port: 'image' }, to: { node: 'guided', port: 'texture' } },
        { from: { node: 'photo', port: 'image' }, to: { node: 'guided', port: 'content' } },
      ],
      meta: {},
    }, 'too small');
    await waitDone(w.page, ['texture', 'photo']);
    await w.page.getByTestId('run-guided').click();
    const error = w.page.getByTestId('error-guided');
    await error.waitFor({ timeout: 120_000 });
    expect(await error.textContent()).toBe(
      'mdan-optimiser: size 40 gives a 32×16 px result (the aspect ratio of init, else content), too small for one 8×8 patch on relu3_1 (32×32 px): raise size to at least 48, or lower patchSize',
    );
    await w.page.screenshot({ path: `${SHOTS}/too-small-error.png`, clip: await cardClip('guided', w) });
    // Following the advice runs.
    await w.page.getByTestId('param-guided-size').fill('48');
    await w.page.getByTestId('param-guided-size').press('Enter');
    await w.page.getByTestId('run-guided').click();
    await waitDone(w.page, ['guided'], 180_000);
  });
});

describe('where new nodes land', () => {
  /** The cards' rectangles on screen, and whether any two overlap. */
  async function overlapping(): Promise<string[]> {
    const boxes = await s.page.$$eval('.react-flow__node', (els) =>
      els.map((el) => {
        const r = el.getBoundingClientRect();
        return { id: el.getAttribute('data-id')!, x: r.x, y: r.y, w: r.width, h: r.height };
      }),
    );
    const hits: string[] = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) hits.push(`${a.id}/${b.id}`);
      }
    }
    return hits;
  }
  const count = async () => (await currentDoc(s.page)).nodes.length;

  it('puts added, pasted and duplicated nodes beside the cards, never on them', async () => {
    await s.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
    await loadDoc(s.page, {
      schemaVersion: 1,
      nodes: [
        { id: 'noise', type: 'perlin-noise', version: 1, params: { width: 32, height: 32 }, position: { x: 0, y: 0 } },
        { id: 'out', type: 'image-out', version: 1, params: {}, position: { x: 300, y: 0 } },
      ],
      edges: [{ from: { node: 'noise', port: 'image' }, to: { node: 'out', port: 'image' } }],
      meta: {},
    }, 'placement');
    // The palette adds at the canvas centre, which the two cards fill: three times in a row.
    for (let i = 1; i <= 3; i++) {
      await s.page.getByTestId('palette-blend').click();
      await expect.poll(count).toBe(2 + i);
      await expect.poll(overlapping).toEqual([]);
    }
    // Node search (/) adds at the canvas centre too.
    await s.page.getByTestId('canvas').click({ position: { x: 5, y: 5 } });
    await s.page.keyboard.press('/');
    await s.page.getByTestId('node-search-input').fill('resize');
    await s.page.keyboard.press('Enter');
    await expect.poll(count).toBe(6);
    await expect.poll(overlapping).toEqual([]);
    // Copy + paste, and duplicate, of two wired cards: they land clear, wired as before.
    await s.page.getByTestId('node-noise').click({ position: { x: 60, y: 8 } });
    await s.page.getByTestId('node-out').click({ position: { x: 60, y: 8 }, modifiers: ['Control'] });
    await s.page.keyboard.press('Control+c');
    await s.page.keyboard.press('Control+v');
    await expect.poll(count).toBe(8);
    await expect.poll(overlapping).toEqual([]);
    await s.page.keyboard.press('Control+d');
    await expect.poll(count).toBe(10);
    await expect.poll(overlapping).toEqual([]);
    expect((await currentDoc(s.page)).edges).toHaveLength(3);
    await s.page.keyboard.press('f');
    await s.page.waitForTimeout(400);
    await s.page.screenshot({ path: `${SHOTS}/placement.png` });
  });
});

describe('share links in an open tab', () => {
  const TAB_GRAPH: GraphDocument = {
    schemaVersion: 1,
    nodes: [{ id: 'noise', type: 'perlin-noise', version: 1, params: { width: 32, height: 32 }, position: { x: 0, y: 0 } }],
    edges: [],
    meta: {},
  };
  const LINKED: GraphDocument = {
    schemaVersion: 1,
    nodes: [
      { id: 'brown', type: 'brown-noise', version: 1, params: { width: 32, height: 32 }, position: { x: 0, y: 0 } },
      { id: 'out', type: 'image-out', version: 1, params: {}, position: { x: 320, y: 0 } },
    ],
    edges: [{ from: { node: 'brown', port: 'image' }, to: { node: 'out', port: 'image' } }],
    meta: {},
  };
  const ids = async () => (await currentDoc(s.page)).nodes.map((n) => n.id).sort();

  it('opens a link pasted into the tab, keeping the graph the tab had (Versions leads back to it)', async () => {
    await loadDoc(s.page, TAB_GRAPH, 'tab graph');
    await s.page.evaluate(() => ((window as any).sameDocument = true));
    await s.page.evaluate((hash) => (location.hash = hash), encodeGraphFragment(LINKED));
    await expect.poll(ids).toEqual(['brown', 'out']);
    expect(await graphName(s.page)).toMatch(/^Shared graph /);
    // The same page (no reload), and the hash is gone so a reload does not open the link again.
    expect(await s.page.evaluate(() => (window as any).sameDocument)).toBe(true);
    expect(await s.page.evaluate(() => location.hash)).toBe('');
    expect(await s.page.getByTestId('toast-info').last().textContent()).toContain("'tab graph' is kept");
    // A graph from a link opened this way is paused like one opened on start: nothing ran.
    await s.page.getByTestId('paused-banner').waitFor();
    expect(await s.page.evaluate(() => (window as any).mgan.runCounts.get('brown') ?? 0)).toBe(0);

    await s.page.getByTestId('open-versions').click();
    const before = s.page.getByTestId('version-before-link');
    expect(await before.textContent()).toContain('“tab graph”');
    await s.page.screenshot({ path: `${SHOTS}/versions-before-link.png` });
    await s.page.getByTestId('open-before-link').click();
    await expect.poll(() => graphName(s.page)).toBe('tab graph');
    expect(await ids()).toEqual(['noise']);

    // A damaged link pasted into the tab says why and changes nothing.
    await s.page.evaluate((hash) => (location.hash = hash), `${encodeGraphFragment(LINKED).slice(0, 40)}`);
    await s.page.getByTestId('toast-error').last().waitFor();
    expect(await s.page.getByTestId('toast-error').last().textContent()).toContain('damaged');
    expect(await graphName(s.page)).toBe('tab graph');
    expect(await ids()).toEqual(['noise']);
  });
});

async function cardClip(id: string, session: Session = s) {
  const box = (await session.page.getByTestId(`node-${id}`).boundingBox())!;
  return { x: Math.max(0, box.x - 10), y: Math.max(0, box.y - 10), width: box.width + 20, height: box.height + 20 };
}

describe('time estimates on WebGPU', () => {
  it('gives no guess on WebGPU before a run has measured it', async () => {
    // SwiftShader is passed over for WASM unless the URL asks for WebGPU.
    const g = await launch();
    try {
      await openEditor(g.page, `${url}?backend=webgpu`);
      expect(await g.page.getByTestId('backend').getAttribute('data-backend')).toBe('webgpu');
      await loadDoc(g.page, JSON.parse(readFileSync('presets/unguided-texture.json', 'utf8')), 'estimate webgpu');
      await expect.poll(() => g.page.getByTestId('estimate-mdan').textContent()).toBe('time: known after a first run on WebGPU');
    } finally {
      await g.close();
    }
  });
});
