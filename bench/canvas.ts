/**
 * Canvas smoothness: ms per frame while panning and zooming a 100-node graph in headless Chromium
 * (SwiftShader WebGPU, so this is a CPU-rendered lower bound). Builds the editor, serves it with
 * `vite preview`, opens a 100-node graph (50 noise nodes with 16 px previews feeding 50 outputs),
 * waits for every preview, then measures requestAnimationFrame intervals during mouse-drag pans
 * and wheel zooms. Args: `--nodes N` (default 100), `--no-build` (reuse dist/).
 */
import { build } from 'vite';
import { serveBuiltSite } from '../test/e2e/serve';
import type { GraphDocument } from '../src/graph/types';
import { emptyDocument } from '../src/graph/document';
import { launch, openEditor, waitDone } from '../test/e2e/browser';
import { emit } from './lib';

function bigGraph(count: number): GraphDocument {
  const pairs = Math.floor(count / 2);
  const doc = emptyDocument();
  for (let i = 0; i < pairs; i++) {
    const x = (i % 5) * 620;
    const y = Math.floor(i / 5) * 420;
    doc.nodes.push({ id: `n${i}`, type: 'perlin-noise', version: 1, params: { width: 16, height: 16, scale: 4, octaves: 1, seed: i, color: true }, position: { x, y } });
    doc.nodes.push({ id: `o${i}`, type: 'image-out', version: 1, params: {}, position: { x: x + 290, y } });
    doc.edges.push({ from: { node: `n${i}`, port: 'image' }, to: { node: `o${i}`, port: 'image' } });
  }
  return doc;
}

function stats(frames: number[]) {
  const sorted = [...frames].sort((a, b) => a - b);
  const mean = frames.reduce((a, b) => a + b, 0) / frames.length;
  return { ms: mean, p50: sorted[Math.floor(sorted.length / 2)]!, p95: sorted[Math.floor(sorted.length * 0.95)]!, max: sorted.at(-1)!, frames: frames.length };
}

export default async function canvasBench(args: string[]): Promise<void> {
  const nodes = Number(args[args.indexOf('--nodes') + 1]) || 100;
  if (!args.includes('--no-build')) await build({ logLevel: 'warn' });
  const { server, url } = await serveBuiltSite();
  const session = await launch({ viewport: { width: 1600, height: 1000 } });
  const { page } = session;
  try {
    await openEditor(page, url);
    const doc = bigGraph(nodes);
    await page.evaluate((d) => (window as any).mgan.editor.openAsNew(d, 'bench'), doc);
    await waitDone(page, doc.nodes.map((n) => n.id), 300_000);
    const box = (await page.getByTestId('canvas').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;

    const record = async (name: string, gesture: () => Promise<void>) => {
      // A string, not a function: tsx would wrap named closures in a helper the page does not have.
      await page.evaluate(`(() => {
        window.__frames = [];
        window.__stop = false;
        let last = performance.now();
        const tick = (t) => {
          window.__frames.push(t - last);
          last = t;
          if (!window.__stop) requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      })()`);
      await gesture();
      const frames: number[] = await page.evaluate(() => {
        const w = window as any;
        w.__stop = true;
        return w.__frames.slice(1);
      });
      emit({ bench: 'canvas', case: name, backend: 'webgpu-swiftshader', nodes: doc.nodes.length, ...stats(frames) });
    };

    await record('pan', async () => {
      for (let round = 0; round < 4; round++) {
        await page.mouse.move(cx, cy);
        await page.mouse.down();
        await page.mouse.move(cx + (round % 2 ? 400 : -400), cy + 150, { steps: 30 });
        await page.mouse.up();
      }
    });
    await record('zoom', async () => {
      await page.mouse.move(cx, cy);
      for (let i = 0; i < 40; i++) {
        await page.mouse.wheel(0, i < 20 ? 120 : -120);
        await page.waitForTimeout(16);
      }
    });
    await record('idle', () => page.waitForTimeout(1000));
  } finally {
    await session.close();
    await server.close();
  }
}
