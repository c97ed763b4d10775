/**
 * Launches Debian's Chromium with SwiftShader WebGPU in a fresh profile (so IndexedDB starts empty)
 * and opens the editor; helpers to read the editor's state through `window.mgan`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { GraphDocument } from '../../src/graph/types';
import { CHROMIUM_PATH, requireChromium } from '../support/requirements';

export const CHROMIUM_ARGS = [
  '--headless=new',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--disable-gpu-sandbox',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface Session {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function launch(options: { viewport?: { width: number; height: number } } = {}): Promise<Session> {
  requireChromium();
  const dir = mkdtempSync(join(tmpdir(), 'mgan-e2e-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    ignoreDefaultArgs: ['--headless'],
    viewport: options.viewport ?? { width: 1400, height: 900 },
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Opens the editor at `url` and waits until it has started (backend chosen, graph loaded). A first
 * open shows the welcome over the starter graph; it is closed unless `keepWelcome`.
 */
export async function openEditor(page: Page, url: string, options: { keepWelcome?: boolean } = {}): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
  if (!options.keepWelcome && (await page.getByTestId('welcome').count())) await page.getByTestId('gallery-close').click();
}

export function currentDoc(page: Page): Promise<GraphDocument> {
  return page.evaluate(() => (window as any).mgan.editor.store.doc);
}

export function graphName(page: Page): Promise<string> {
  return page.evaluate(() => (window as any).mgan.editor.getMeta().graphName);
}

/** Replaces the open graph with `doc` as a new named graph (what opening a file does). */
export async function loadDoc(page: Page, doc: GraphDocument, name = 'test graph'): Promise<void> {
  await page.evaluate(([d, n]) => (window as any).mgan.editor.openAsNew(d, n), [doc, name] as const);
  // The canvas fits a newly opened graph into view on the next frame; let it settle before pointing at things.
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 150))))');
}

export function runCounts(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => Object.fromEntries((window as any).mgan.runCounts));
}

export function nodeState(page: Page, id: string): Promise<string | undefined> {
  return page.evaluate((nodeId) => (window as any).mgan.editor.bridge.status(nodeId)?.state, id);
}

/** Waits until every node listed is done. */
export async function waitDone(page: Page, ids: string[], timeout = 120_000): Promise<void> {
  await page.waitForFunction(
    (nodeIds) => nodeIds.every((id) => (window as any).mgan.editor.bridge.status(id)?.state === 'done'),
    ids,
    { timeout, polling: 100 },
  );
}

/** Waits until pending autosaves are in IndexedDB. */
export function flushSaves(page: Page): Promise<void> {
  return page.evaluate(() => (window as any).mgan.editor.flush());
}

/** Drops a file on the canvas, as dragging it from the desktop does. */
export async function dropFile(page: Page, name: string, type: string, bytes: Buffer | Uint8Array): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ([n, t, data]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], n, { type: t }));
      return dt;
    },
    [name, type, [...bytes]] as const,
  );
  await page.dispatchEvent('[data-testid="canvas"]', 'drop', { dataTransfer });
}

/** Dismisses every toast (so a screenshot shows the view, not the messages that led there). */
export async function quiet(page: Page): Promise<void> {
  await page.evaluate(() => {
    const toasts = (window as any).mgan.editor.toasts;
    for (const t of toasts.getSnapshot()) toasts.dismiss(t.id);
  });
}
