/**
 * Saves the screenshots README.md and docs/editor.md show, to docs/: canvas with a preset, inspector,
 * doc card, gallery, an annotated preset, a sweep, and the MDAN teaching views (loss chart, D's patch
 * heatmap, patch grid).
 * Run: `npx tsx test/e2e/screenshots.ts` (builds the editor; needs the VGG19 weights in .cache);
 * `--only=notes,sweep` takes just those (names: basics, notes, sweep, mdan).
 */
import { build } from 'vite';
import { serveBuiltSite } from './serve';
import type { GraphDocument } from '../../src/graph/types';
import { launch, openEditor, waitDone } from './browser';

const OUT = 'docs';

/** Tiny unguided MDAN plus a tapped, gridded example: every teaching view in one graph. */
const MDAN_DEMO: GraphDocument = {
  schemaVersion: 1,
  nodes: [
    { id: 'texture', type: 'image-source', version: 1, params: { sample: 'starry_night', maxSide: 128 }, position: { x: 0, y: 0 } },
    { id: 'tap', type: 'vgg19-tap', version: 1, params: { layer: 'relu3_1' }, position: { x: 600, y: 300 } },
    { id: 'sampler', type: 'patch-sampler', version: 1, params: { size: 8, stride: 4 }, position: { x: 880, y: 300 } },
    {
      id: 'mdan',
      type: 'mdan-optimiser',
      version: 1,
      params: { size: 96, iterations: 120, exampleSize: 128, dChannels: 16, previewEvery: 4, seed: 1 },
      position: { x: 300, y: 0 },
    },
    { id: 'out', type: 'image-out', version: 1, params: {}, position: { x: 640, y: 0 } },
  ],
  edges: [
    { from: { node: 'texture', port: 'image' }, to: { node: 'mdan', port: 'texture' } },
    { from: { node: 'texture', port: 'image' }, to: { node: 'tap', port: 'image' } },
    { from: { node: 'tap', port: 'features' }, to: { node: 'sampler', port: 'features' } },
    { from: { node: 'mdan', port: 'image' }, to: { node: 'out', port: 'image' } },
  ],
  meta: {},
};

/** `--only=notes,sweep`: just those screenshots (default: all). */
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const wanted = (name: string) => !only || only.includes(name);

async function main(): Promise<void> {
  if (!process.argv.includes('--no-build')) await build({ logLevel: 'warn' });
  const { server, url } = await serveBuiltSite();
  const s = await launch({ viewport: { width: 1440, height: 900 } });
  const { page } = s;
  // Toasts ("Opened ...") would cover the views.
  const quiet = () => page.evaluate('(() => { const t = window.mgan.editor.toasts; for (const x of t.getSnapshot()) t.dismiss(x.id); })()');
  page.on('console', (m) => m.type() === 'error' && console.error('[console]', m.text()));
  try {
    await openEditor(page, url);
    if (wanted('basics')) await basics();
    if (wanted('notes')) {
      // The guided-synthesis preset is drawn as Fig. 2, its notes and frames in the paper's colours.
      await page.getByTestId('open-gallery').click();
      await page.getByTestId('preset-guided-synthesis').click();
      await waitDone(page, ['texture', 'photo', 'tap', 'sampler', 'd'], 300_000);
      await quiet();
      await page.keyboard.press('f');
      await page.waitForTimeout(800);
      await page.screenshot({ path: `${OUT}/editor-notes.png` });
    }
    if (wanted('sweep')) {
      await page.getByTestId('open-gallery').click();
      await page.getByTestId('preset-perlin-noise').click();
      await waitDone(page, ['noise', 'out_noise']);
      await page.getByTestId('node-noise').click({ position: { x: 60, y: 8 } });
      await page.getByTestId('sweep-form').locator('summary').click();
      await page.getByTestId('sweep-param').selectOption('scale');
      await page.getByTestId('sweep-values').fill('16, 32, 64, 128');
      await page.getByTestId('sweep-run').click();
      await page.getByTestId('sweep-sheet-out_noise').waitFor({ timeout: 300_000 });
      await quiet();
      await page.screenshot({ path: `${OUT}/editor-sweep.png` });
      await page.getByTestId('sweep-close').click();
    }
    if (wanted('mdan')) await mdan();
  } finally {
    await s.close();
    await server.close();
  }

  async function basics(): Promise<void> {
    await page.getByTestId('open-gallery').click();
    await page.getByTestId('gallery').waitFor();
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${OUT}/editor-gallery.png` });

    await page.getByTestId('preset-perlin-noise').click();
    await waitDone(page, ['noise', 'out_noise', 'photo', 'low_noise', 'mix', 'out_photo']);
    await page.keyboard.press('f');
    await page.waitForTimeout(800);
    await quiet();
    await page.screenshot({ path: `${OUT}/editor-canvas.png` });

    await page.getByTestId('node-mix').click({ position: { x: 60, y: 8 } });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${OUT}/editor-inspector.png` });

    await page.getByTestId('doc-button-noise').click();
    await page.getByTestId('doc-card').waitFor();
    await page.screenshot({ path: `${OUT}/editor-doc-card.png` });
    await page.keyboard.press('Escape');
  }

  async function mdan(): Promise<void> {
    // MDAN on SwiftShader WebGPU takes ~40 s per iteration; the browser's WASM backend is far faster.
    await openEditor(page, `${url}?backend=wasm`);
    await page.evaluate((d) => (window as any).mgan.editor.openAsNew(d, 'MDAN teaching views'), MDAN_DEMO);
    await waitDone(page, ['texture', 'tap', 'sampler'], 300_000);
    await page.getByTestId('run-mdan').click();
    await waitDone(page, ['mdan', 'out'], 590_000);
    await page.getByTestId('node-mdan').click({ position: { x: 60, y: 8 } });
    await page.keyboard.press('f');
    await page.waitForTimeout(800);
    await quiet();
    await page.screenshot({ path: `${OUT}/editor-mdan.png` });
    const status = await page.evaluate(() => (window as any).mgan.editor.bridge.status('mdan'));
    console.log(JSON.stringify({ mdanMs: status?.ms, losses: status?.info?.losses }));
  }
}

await main();
