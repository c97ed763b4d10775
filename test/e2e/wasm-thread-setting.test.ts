/**
 * The URL's thread setting reaches the runtime worker (Chromium): `?threads=1` and `?threads=2` start
 * WASM on that many threads, say so beside the backend's label, and a node computes; a bad value
 * says what is wrong and WASM takes every core. Screenshots go to test/e2e/out/.
 */
import { mkdirSync } from 'node:fs';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { GraphDocument } from '../../src/graph/types';
import { launch, loadDoc, openEditor, quiet, waitDone, type Session } from './browser';

const url = inject('baseUrl');
const SHOTS = 'test/e2e/out';
let s: Session | undefined;

afterEach(async () => {
  await s?.close();
  s = undefined;
});

const NOISE: GraphDocument = {
  schemaVersion: 1,
  nodes: [{ id: 'noise', type: 'perlin-noise', version: 1, params: { width: 64, height: 48, scale: 16, octaves: 3, seed: 3, color: true }, position: { x: 0, y: 0 } }],
  edges: [],
  meta: {},
};

/** Opens the editor with `query`, runs a noise node and returns what the toolbar and the console said. */
async function openWith(query: string) {
  mkdirSync(SHOTS, { recursive: true });
  s = await launch();
  const errors: string[] = [];
  s.page.on('pageerror', (e) => errors.push(e.message));
  s.page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await openEditor(s.page, `${url}?backend=wasm&${query}`);
  await loadDoc(s.page, NOISE, 'threads');
  await waitDone(s.page, ['noise'], 60_000);
  const backend = s.page.getByTestId('backend');
  const pixels = await s.page.evaluate(() => {
    const p = (window as any).mgan.editor.bridge.preview('noise');
    let spread = 0;
    for (let i = 4; i < p.data.length; i += 4) spread = Math.max(spread, Math.abs(p.data[i] - p.data[0]));
    return { width: p.width, height: p.height, spread };
  });
  return { name: await backend.getAttribute('data-backend'), threads: Number(await backend.getAttribute('data-threads')), label: await backend.textContent(), errors, pixels };
}

describe('the thread setting in the URL', () => {
  for (const threads of [1, 2]) {
    it(`?threads=${threads} runs WASM on ${threads} thread${threads > 1 ? 's' : ''} in the worker`, async () => {
      const seen = await openWith(`threads=${threads}`);
      expect(seen.errors).toEqual([]);
      expect(seen.name).toBe('wasm');
      expect(seen.threads).toBe(threads);
      expect(seen.label).toMatch(new RegExp(`^WASM · ${threads} threads?\\b`));
      expect(seen.pixels).toMatchObject({ width: 64, height: 48 });
      expect(seen.pixels.spread).toBeGreaterThan(10);
      await quiet(s!.page);
      await s!.page.screenshot({ path: `${SHOTS}/threads-${threads}.png` });
    });
  }

  it('a bad value says so and WASM takes every core', async () => {
    const seen = await openWith('threads=0');
    expect(seen.name).toBe('wasm');
    expect(seen.threads).toBeGreaterThanOrEqual(1);
    await expect.poll(() => s!.page.locator('.toast').allTextContents()).toContainEqual(expect.stringContaining('threads=0 in the URL is not a whole number of at least 1'));
  });
});
