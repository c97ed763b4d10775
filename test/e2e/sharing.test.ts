/**
 * Graphs in and out of the editor in a real browser: `.json` export/import, share links, PNGs
 * with the graph embedded, and bad inputs (corrupt JSON, a non-image file, a tampered link),
 * each of which must show a clear message and leave the open graph as it was.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { GraphDocument } from '../../src/graph/types';
import { emptyDocument } from '../../src/graph/document';
import { currentDoc, dropFile, flushSaves, graphName, launch, loadDoc, openEditor, waitDone, type Session } from './browser';

const url = inject('baseUrl');
let s: Session;

/** A small graph: 32 px noise into an output. */
const TINY: GraphDocument = {
  schemaVersion: 1,
  nodes: [
    { id: 'noise', type: 'perlin-noise', version: 1, params: { width: 32, height: 32, scale: 8, octaves: 2, seed: 7, color: true }, position: { x: 0, y: 0 } },
    { id: 'out', type: 'image-out', version: 1, params: {}, position: { x: 320, y: 0 } },
  ],
  edges: [{ from: { node: 'noise', port: 'image' }, to: { node: 'out', port: 'image' } }],
  meta: {},
};

const shape = (d: GraphDocument) => ({ nodes: d.nodes, edges: d.edges });

beforeAll(async () => {
  s = await launch();
  await openEditor(s.page, url);
  await loadDoc(s.page, TINY, 'tiny');
  await waitDone(s.page, ['noise', 'out']);
});
afterAll(async () => {
  await s?.close();
});

async function download(page: Page, testId: string): Promise<{ name: string; bytes: Buffer }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return { name: dl.suggestedFilename(), bytes: readFileSync((await dl.path())!) };
}

async function expectErrorToast(page: Page, text: RegExp): Promise<void> {
  const toast = page.getByTestId('toast-error').last();
  await toast.waitFor({ timeout: 10_000 });
  expect(await toast.textContent()).toMatch(text);
  // Dismiss it, so the next check sees only its own message.
  await toast.locator('button').click();
}

describe('sharing in Chromium', () => {
  it('exports .json and imports it back as a new named graph', async () => {
    const { name, bytes } = await download(s.page, 'export');
    expect(name).toBe('tiny.json');
    const exported = JSON.parse(bytes.toString('utf8')) as GraphDocument;
    expect(shape(exported)).toEqual(shape(TINY));
    await s.page.getByTestId('import-input').setInputFiles({ name: 'copy of tiny.json', mimeType: 'application/json', buffer: bytes });
    await expect.poll(() => graphName(s.page)).toBe('copy of tiny');
    expect(shape(await currentDoc(s.page))).toEqual(shape(TINY));
  });

  it('round-trips a share link without overwriting the saved graphs', async () => {
    await loadDoc(s.page, TINY, 'link source');
    await flushSaves(s.page);
    const link: string = await s.page.evaluate(() => (window as any).mgan.editor.shareLink());
    expect(link).toContain('#graph=');
    const savedBefore: string[] = await s.page.evaluate(() => (window as any).mgan.editor.getMeta().saved.map((g: any) => g.id));

    const other = await s.context.newPage();
    await openEditor(other, link);
    expect(shape(await currentDoc(other))).toEqual(shape(TINY));
    expect(await graphName(other)).toMatch(/^Shared graph/);
    expect(other.url()).not.toContain('#graph=');
    await flushSaves(other);
    const savedAfter: string[] = await other.evaluate(() => (window as any).mgan.editor.getMeta().saved.map((g: any) => g.id));
    for (const id of savedBefore) expect(savedAfter).toContain(id);
    expect(savedAfter.length).toBe(savedBefore.length + 1);
    await other.close();
  });

  it('saves a PNG with the graph inside; dropping it restores the graph', async () => {
    await loadDoc(s.page, TINY, 'png source');
    await waitDone(s.page, ['noise', 'out']);
    const { name, bytes } = await download(s.page, 'save-image');
    expect(name).toBe('png_source.png');
    expect([...bytes.subarray(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
    await loadDoc(s.page, emptyDocument(), 'empty');
    expect((await currentDoc(s.page)).nodes).toHaveLength(0);
    await dropFile(s.page, 'result.png', 'image/png', bytes);
    await expect.poll(async () => (await currentDoc(s.page)).nodes.length).toBe(2);
    expect(shape(await currentDoc(s.page))).toEqual(shape(TINY));
    expect(await graphName(s.page)).toBe('result');
    // A graph from a file opens paused; the user lets it run.
    await s.page.getByTestId('paused-run').click();
    await waitDone(s.page, ['noise', 'out']);
  });

  it('refuses a corrupt .json with a message naming the problem, leaving the graph as it was', async () => {
    const before = await currentDoc(s.page);
    const name = await graphName(s.page);
    await s.page.getByTestId('import-input').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"schemaVersion": 1, "nodes": [') });
    await expectErrorToast(s.page, /'broken\.json' is not a valid graph: invalid JSON at line 1/);
    await dropFile(s.page, 'wrong.json', 'application/json', Buffer.from(JSON.stringify({ ...TINY, edges: [{ from: { node: 'nope', port: 'image' }, to: { node: 'out', port: 'image' } }] })));
    await expectErrorToast(s.page, /'wrong\.json' is not a valid graph: .*nope/);
    expect(await currentDoc(s.page)).toEqual(before);
    expect(await graphName(s.page)).toBe(name);
  });

  it('refuses a file that is neither a graph nor an image', async () => {
    const before = await currentDoc(s.page);
    await dropFile(s.page, 'notes.txt', 'text/plain', Buffer.from('hello, not a graph'));
    await expectErrorToast(s.page, /'notes\.txt' is neither a graph \(\.json\) nor a PNG/);
    // A PNG with no graph in it (or damaged bytes) is refused too.
    await dropFile(s.page, 'fake.png', 'image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]));
    await expectErrorToast(s.page, /'fake\.png'/);
    expect(await currentDoc(s.page)).toEqual(before);
  });

  it('adds a dropped image without a graph as an image-source node', async () => {
    const before = await currentDoc(s.page);
    const png = new PNG({ width: 8, height: 8 });
    for (let i = 0; i < png.data.length; i += 4) png.data.set([(i * 7) % 256, (i * 13) % 256, 90, 255], i);
    await dropFile(s.page, 'photo.png', 'image/png', PNG.sync.write(png));
    await expect.poll(async () => (await currentDoc(s.page)).nodes.length).toBe(before.nodes.length + 1);
    const added = (await currentDoc(s.page)).nodes.at(-1)!;
    expect(added.type).toBe('image-source');
    expect(String(added.params.asset)).toMatch(/^[0-9a-f]{24}$/);
    await waitDone(s.page, [added.id]);
    const canvas = s.page.getByTestId(`node-${added.id}`).getByTestId(`preview-canvas-${added.id}`);
    expect(await canvas.evaluate((c: HTMLCanvasElement) => `${c.width}x${c.height}`)).toBe('8x8');
    await s.page.keyboard.press('Control+z');
    await expect.poll(async () => (await currentDoc(s.page)).nodes.length).toBe(before.nodes.length);
  });

  it('refuses a tampered share link, keeping the graph that was open', async () => {
    const before = await currentDoc(s.page);
    const name = await graphName(s.page);
    await flushSaves(s.page);
    const link: string = await s.page.evaluate(() => (window as any).mgan.editor.shareLink());
    const [base, payload] = link.split('#graph=') as [string, string];
    const tampered = `${base}#graph=${payload.slice(0, 20)}!!${payload.slice(40)}`;
    await s.page.goto('about:blank');
    await openEditor(s.page, tampered);
    await expectErrorToast(s.page, /share link is damaged/);
    expect(await currentDoc(s.page)).toEqual(before);
    expect(await graphName(s.page)).toBe(name);
    // A payload that decompresses to garbage is caught too.
    await s.page.goto('about:blank');
    await openEditor(s.page, `${base}#graph=${payload.slice(0, payload.length - 30)}`);
    await expectErrorToast(s.page, /share link is damaged/);
    expect(await currentDoc(s.page)).toEqual(before);
  });
});
