/**
 * D's view in Chromium (the browser's WASM backend): after a tiny MDAN run, the card shows the share
 * of patches D calls real, its margin and the scores' range, now and over the run in three charts on
 * scales fitted to the run; the heatmap's colours follow the scores with a colour bar that says so,
 * or keep the fixed scale when chosen on the card or in the inspector. Screenshots go to test/e2e/out/.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dScoreStats, dStatsScales, type DStatsPoint } from '../../src/nodes/d-score-stats';
import { colourBarTicks, dScoreColour, FIXED_SCALE, followScale, formatTickScore, type DColourScale } from '../../src/ui/heatmap';
import { launch, loadDoc, openEditor, waitDone, type Session } from './browser';
import { tinyMdan } from './fixtures';

const url = inject('baseUrl');
const SHOTS = 'test/e2e/out';
const ITERATIONS = 12;
/** 64 px: 3×3 patches for D to score (32 px gives one). */
const SIZE = 64;
let s: Session;
const pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  // Tall enough for the whole MDAN card (preview, colour bar, D's numbers and charts).
  s = await launch({ viewport: { width: 1400, height: 1300 } });
  s.page.on('pageerror', (e) => pageErrors.push(e.message));
  await openEditor(s.page, `${url}?backend=wasm`);
  await s.page.addStyleTag({ content: '.react-flow__minimap { display: none; }' });
});
afterAll(async () => {
  await s?.close();
});

async function clip(testId: string) {
  const box = (await s.page.getByTestId(testId).boundingBox())!;
  return { x: Math.max(0, box.x - 10), y: Math.max(0, box.y - 10), width: box.width + 20, height: box.height + 20 };
}

/** The colour drawn at the centre of every heatmap cell. */
function drawnCells(rows: number, cols: number) {
  return s.page.getByTestId('node-mdan').getByTestId('patch-heatmap').evaluate((c: HTMLCanvasElement, g: { rows: number; cols: number }) => {
    const ctx = c.getContext('2d')!;
    const out: number[][] = [];
    for (let r = 0; r < g.rows; r++) {
      for (let col = 0; col < g.cols; col++) {
        out.push(Array.from(ctx.getImageData(Math.floor(((col + 0.5) * c.width) / g.cols), Math.floor(((r + 0.5) * c.height) / g.rows), 1, 1).data));
      }
    }
    return out;
  }, { rows, cols });
}

function expectCells(drawn: number[][], values: number[], scale: DColourScale) {
  drawn.forEach((px, i) => {
    const [r, g, b, a] = dScoreColour(values[i]!, scale);
    expect(Math.abs(px[3]! / 255 - a), `alpha of cell ${i}`).toBeLessThan(0.01);
    for (const [got, want] of [[px[0]!, r], [px[1]!, g], [px[2]!, b]]) expect(Math.abs(got - want), `cell ${i}`).toBeLessThan(12);
  });
}

const percent = (v: number) => `${Number((v * 100).toFixed(v < 0.1 ? 1 : 0))}%`;
const signed = formatTickScore;

describe("D's view", () => {
  it('shows the share called real, the margin and the range, now and over the run, on scales fitted to the run', async () => {
    await loadDoc(s.page, { ...tinyMdan({ iterations: ITERATIONS, previewEvery: 4 }), nodes: tinyMdan({ iterations: ITERATIONS, previewEvery: 4 }).nodes.map((n) => (n.id === 'mdan' ? { ...n, params: { ...n.params, size: SIZE } } : n)) }, 'd view');
    await waitDone(s.page, ['texture']);
    await s.page.getByTestId('run-mdan').click();
    await waitDone(s.page, ['mdan'], 180_000);
    const card = s.page.getByTestId('node-mdan');
    await card.getByTestId('d-stats-mdan').waitFor();

    // One point per iteration, each computed from that iteration's patch scores.
    const history = (await s.page.evaluate(() => (window as any).mgan.editor.bridge.dStats('mdan'))) as DStatsPoint[];
    expect(history.map((p) => p.iteration)).toEqual(Array.from({ length: ITERATIONS }, (_, i) => i + 1));
    const scores = await s.page.evaluate(() => (window as any).mgan.editor.bridge.extra('mdan').patchScores);
    const values = Array.from(scores.values as number[]);
    const now = dScoreStats(values);
    expect(history.at(-1)!.stats).toEqual(now);
    console.log(`D after ${ITERATIONS} iterations at ${SIZE} px: ${now.count} patches, called real ${percent(now.realShare)}, margin ${now.margin.toFixed(2)}, scores ${now.min.toFixed(2)} … ${now.max.toFixed(2)}`);
    console.log(`margin per iteration: ${history.map((p) => p.stats.margin.toFixed(2)).join(' ')}`);

    // The numbers now, as the card prints them.
    expect(await card.getByTestId('d-stat-share').textContent()).toBe(percent(now.realShare));
    expect(await card.getByTestId('d-stat-margin').textContent()).toBe(signed(now.margin));
    expect(await card.getByTestId('d-stat-range').textContent()).toBe(`${signed(now.min)} … ${signed(now.max)}`);
    expect(await card.getByTestId('d-stats-reading').textContent()).toMatch(/^(D is winning|D is ahead|D and the image are even|most patches fool D)/);

    // Three charts, each drawn (uPlot canvases), each on the scale fitted to this run.
    const scales = dStatsScales(history);
    for (const [id, range] of [['share', scales.realShare], ['margin', scales.margin], ['range', scales.scores]] as const) {
      const chart = card.getByTestId(`d-chart-${id}-mdan`);
      expect(Number(await chart.getAttribute('data-low')), id).toBe(range[0]);
      expect(Number(await chart.getAttribute('data-high')), id).toBe(range[1]);
      expect(await chart.locator('canvas').count(), id).toBeGreaterThan(0);
    }
    // The score chart holds every score the run reported, and the hinge margins.
    expect(scales.scores[0]).toBeLessThanOrEqual(Math.min(-2, ...history.map((p) => p.stats.min)));
    expect(scales.scores[1]).toBeGreaterThanOrEqual(Math.max(2, ...history.map((p) => p.stats.max)));
    await s.page.screenshot({ path: `${SHOTS}/d-view-card.png`, clip: await clip('node-mdan') });
  });

  it("colours the heatmap on a scale that follows the scores by default, and on the fixed scale when chosen", async () => {
    const card = s.page.getByTestId('node-mdan');
    const bar = card.getByTestId('d-score-bar');
    const scores = await s.page.evaluate(() => (window as any).mgan.editor.bridge.extra('mdan').patchScores);
    const values = Array.from(scores.values as number[]);
    const follow = followScale(values);
    expect(await bar.getAttribute('data-mode')).toBe('run');
    expect(await card.getByTestId('d-score-scale').textContent()).toBe('follows the scores');
    expect(await bar.locator('.score-bar-ticks span').allTextContents()).toEqual(colourBarTicks(follow).map(formatTickScore));
    expectCells(await drawnCells(scores.rows, scores.cols), values, follow);
    // The ends of the run's range are in full colour: the lowest score full red (or the −1 hinge, if nearer 0).
    expect(follow.fake).toBe(Math.max(1, -Math.min(...values)));

    // Fixed, chosen on the card.
    await card.getByTestId('d-score-scale-toggle').click();
    expect(await bar.getAttribute('data-mode')).toBe('fixed');
    expect(await bar.locator('.score-bar-ticks span').allTextContents()).toEqual(['-2', '-1', '0', '+1', '+2']);
    expectCells(await drawnCells(scores.rows, scores.cols), values, FIXED_SCALE);
    await s.page.screenshot({ path: `${SHOTS}/d-view-card-fixed.png`, clip: await clip('node-mdan') });

    // The inspector shows the same choice and changes it for the card too; it is kept for the next visit.
    await card.locator('.node-header, header').first().click();
    const select = s.page.getByTestId('inspector-heatmap-scale');
    await select.waitFor();
    expect(await select.inputValue()).toBe('fixed');
    await select.selectOption('run');
    await expect.poll(() => bar.getAttribute('data-mode')).toBe('run');
    expectCells(await drawnCells(scores.rows, scores.cols), values, follow);
    expect(await s.page.evaluate(() => localStorage.getItem('mgan-studio:heatmap-scale'))).toBe('run');
    await s.page.getByTestId('inspector-mdan').getByTestId('d-stats-mdan').waitFor();
    await s.page.screenshot({ path: `${SHOTS}/d-view-inspector.png`, clip: await clip('inspector') });
    expect(pageErrors).toEqual([]);
  });
});
