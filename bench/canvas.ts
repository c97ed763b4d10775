/**
 * Canvas smoothness: ms per frame while panning and zooming a 100-node graph in headless Chromium
 * (SwiftShader WebGPU, so this is a CPU-rendered lower bound). Builds the editor, serves it with
 * `vite preview`, opens a 100-node graph (50 noise nodes with 16 px previews feeding 50 outputs),
 * waits for every preview, then measures requestAnimationFrame intervals during mouse-drag pans
 * and wheel zooms. Then, on the WASM backend, the same while compute runs (an MDAN at 64 px, a
 * decode of a 512 px photo, a small MGAN training): frame intervals and the page's long tasks (over
 * 50 ms, from the browser's `longtask` entries) with the scripts the long frames ran (the
 * `long-animation-frame` entries), so the numbers say whether compute still blocks the page and what.
 * Args: `--nodes N` (default 100), `--no-build` (reuse dist/), `--window S` (seconds measured during
 * each compute, default 20), `--threads N` (WASM's threads during compute; default every core),
 * `--only-compute`, `--dist DIR` (serve another build than dist/, with `--no-build`), `--trace` (adds what the main thread did in its long tasks, from a Chrome trace:
 * bench/main-thread-trace.ts).
 */
import { loadavg } from 'node:os';
import { build } from 'vite';
import { serveBuiltSite } from '../test/e2e/serve';
import type { GraphDocument } from '../src/graph/types';
import { emptyDocument } from '../src/graph/document';
import { launch, openEditor, waitDone, type Session } from '../test/e2e/browser';
import { argValue, emit } from './lib';
import { traceMainThread, type MainThreadSummary } from './main-thread-trace';

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

/** An unguided MDAN at 64 px on a 128 px example, long enough to outlast the measuring window. */
function mdanGraph(): GraphDocument {
  const doc = emptyDocument();
  doc.nodes.push({ id: 'texture', type: 'image-source', version: 1, params: { sample: 'starry_night', maxSide: 128 }, position: { x: 0, y: 0 } });
  doc.nodes.push({ id: 'mdan', type: 'mdan-optimiser', version: 1, params: { size: 64, exampleSize: 128, iterations: 1000, previewEvery: 1, seed: 1 }, position: { x: 320, y: 0 } });
  doc.edges.push({ from: { node: 'texture', port: 'image' }, to: { node: 'mdan', port: 'texture' } });
  return doc;
}

/** The bundled decoder on a 512 px photo (the mgan-decode preset's graph). */
function decodeGraph(): GraphDocument {
  const doc = emptyDocument();
  doc.nodes.push({ id: 'photo', type: 'image-source', version: 1, params: { sample: 'coffee', maxSide: 512, multipleOf: 8 }, position: { x: 0, y: 0 } });
  doc.nodes.push({ id: 'decode', type: 'mgan-decoder', version: 1, params: { decoder: 'starry_night', normalization: 'fixed' }, position: { x: 320, y: 0 } });
  doc.nodes.push({ id: 'out', type: 'image-out', version: 1, params: {}, position: { x: 640, y: 0 } });
  doc.edges.push({ from: { node: 'photo', port: 'image' }, to: { node: 'decode', port: 'image' } });
  doc.edges.push({ from: { node: 'decode', port: 'image' }, to: { node: 'out', port: 'image' } });
  return doc;
}

/**
 * A small MGAN training (two photos at 64 px, MDAN targets of 12 iterations at 64 px, 32 px crops):
 * its MDAN targets and then its batches fill the window.
 */
function trainGraph(): GraphDocument {
  const doc = emptyDocument();
  doc.nodes.push({ id: 'texture', type: 'image-source', version: 1, params: { sample: 'starry_night', maxSide: 128 }, position: { x: 0, y: 0 } });
  doc.nodes.push({ id: 'photos', type: 'image-set', version: 1, params: { samples: 'astronaut, chelsea', maxSide: 64, multipleOf: 8 }, position: { x: 0, y: 420 } });
  doc.nodes.push({
    id: 'trainer',
    type: 'mgan-trainer',
    version: 1,
    params: { epochs: 50, batchSize: 2, cropSize: 32, stride: 16, mdanIterations: 12, mdanSize: 64, snapshotEvery: 2, startFromInverter: false, saveAs: '', seed: 1 },
    position: { x: 320, y: 0 },
  });
  doc.edges.push({ from: { node: 'texture', port: 'image' }, to: { node: 'trainer', port: 'texture' } });
  doc.edges.push({ from: { node: 'photos', port: 'images' }, to: { node: 'trainer', port: 'photos' } });
  return doc;
}

/** Frame intervals and long tasks on the page while `start` sets compute going, for `windowMs`, with pans. */
async function measureDuringCompute(session: Session, name: string, start: () => Promise<void>, windowMs: number, trace = false): Promise<void> {
  const { page } = session;
  const tracing = trace ? await traceMainThread(page) : undefined;
  const box = (await page.getByTestId('canvas').boundingBox())!;
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__long = [];
    window.__stop = false;
    window.__observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__long.push(e.duration); });
    window.__observer.observe({ type: 'longtask' });
    // What the long frames ran: each script's entry point (a message handler, a React task) and its time.
    window.__scripts = {};
    window.__loaf = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        for (const s of e.scripts || []) {
          const name = (s.invoker || s.name || '?') + (s.sourceFunctionName ? ' ' + s.sourceFunctionName : '');
          const t = (window.__scripts[name] ||= { count: 0, ms: 0, longest: 0 });
          t.count++;
          t.ms += s.duration;
          t.longest = Math.max(t.longest, s.duration);
        }
      }
    });
    window.__loaf.observe({ type: 'long-animation-frame' });
    let last = performance.now();
    const tick = (t) => {
      window.__frames.push(t - last);
      last = t;
      if (!window.__stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  const began = Date.now();
  await start();
  // Pans while it computes: what a user does meanwhile.
  for (let round = 0; Date.now() - began < windowMs; round++) {
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + (round % 2 ? 200 : -200), box.y + box.height / 2 + 60, { steps: 20 });
    await page.mouse.up();
    await page.waitForTimeout(200);
  }
  const seconds = (Date.now() - began) / 1000;
  const { frames, long, progress, scripts } = (await page.evaluate(`(() => {
    window.__stop = true;
    window.__observer.disconnect();
    window.__loaf.disconnect();
    const s = window.mgan.editor.bridge;
    const scripts = Object.entries(window.__scripts).sort((a, b) => b[1].ms - a[1].ms).slice(0, 5)
      .map(([name, t]) => name + ': ' + t.count + 'x, ' + Math.round(t.ms) + ' ms, longest ' + Math.round(t.longest) + ' ms');
    return { frames: window.__frames.slice(1), long: window.__long, scripts, progress: ['mdan', 'decode', 'trainer'].map((id) => s.status(id)).filter(Boolean).map((x) => x.state + (x.info && x.info.iteration !== undefined ? ' at ' + x.info.iteration : '')) };
  })()`)) as { frames: number[]; long: number[]; progress: string[]; scripts: string[] };
  const mainThread: MainThreadSummary | undefined = await tracing?.stop();
  emit({
    bench: 'canvas',
    case: name,
    backend: 'wasm',
    threads: await page.getByTestId('backend').textContent(),
    seconds,
    // Runnable threads on the machine's cores over the last minute: other jobs change every figure here.
    loadAvg: Number(loadavg()[0]!.toFixed(1)),
    fps: frames.length / seconds,
    ...stats(frames),
    longTasks: long.length,
    longestTaskMs: long.length ? Math.max(...long) : 0,
    longTaskMsTotal: long.reduce((a, b) => a + b, 0),
    computeState: progress.join(', '),
    longFrameScripts: scripts,
    ...(mainThread ? { mainThread } : {}),
  });
}

async function computeCases(url: string, windowMs: number, threads?: number, trace = false): Promise<void> {
  const session = await launch({ viewport: { width: 1600, height: 1000 } });
  const { page } = session;
  try {
    await openEditor(page, `${url}?backend=wasm${threads ? `&threads=${threads}` : ''}`);
    const mdan = mdanGraph();
    await page.evaluate((d) => (window as any).mgan.editor.openAsNew(d, 'bench mdan'), mdan);
    await waitDone(page, ['texture'], 120_000);
    await measureDuringCompute(session, 'during-mdan-64', () => page.evaluate(() => (window as any).mgan.editor.run('mdan')), windowMs, trace);
    await page.evaluate(() => (window as any).mgan.editor.stop());
    // The decode runs live as soon as its graph opens.
    await measureDuringCompute(session, 'during-decode-512', () => page.evaluate((d) => (window as any).mgan.editor.openAsNew(d, 'bench decode'), decodeGraph()), windowMs, trace);
    await page.evaluate((d) => (window as any).mgan.editor.openAsNew(d, 'bench train'), trainGraph());
    await waitDone(page, ['texture', 'photos'], 120_000);
    await measureDuringCompute(session, 'during-train', () => page.evaluate(() => (window as any).mgan.editor.run('trainer')), windowMs, trace);
    await page.evaluate(() => (window as any).mgan.editor.stop());
  } finally {
    await session.close();
  }
}

export default async function canvasBench(args: string[]): Promise<void> {
  const nodes = Number(args[args.indexOf('--nodes') + 1]) || 100;
  const windowS = args.includes('--window') ? Number(args[args.indexOf('--window') + 1]) : 20;
  const threads = args.includes('--threads') ? Number(args[args.indexOf('--threads') + 1]) : undefined;
  const trace = args.includes('--trace');
  if (!args.includes('--no-build')) await build({ logLevel: 'warn' });
  const { server, url } = await serveBuiltSite(argValue(args, 'dist', '') || undefined);
  if (args.includes('--only-compute')) {
    try {
      await computeCases(url, windowS * 1000, threads, trace);
    } finally {
      await server.close();
    }
    return;
  }
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
      emit({ bench: 'canvas', case: name, backend: 'webgpu-swiftshader', nodes: doc.nodes.length, loadAvg: Number(loadavg()[0]!.toFixed(1)), ...stats(frames) });
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
  }
  try {
    await computeCases(url, windowS * 1000, threads, trace);
  } finally {
    await server.close();
  }
}
