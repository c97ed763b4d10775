/**
 * Dropped photos and share links in Chromium: Copy share link warns that a dropped photo does not
 * travel and offers a link with small copies inside; a fresh browser profile opens that link paused,
 * lists the photos as carried by the graph, and after Run shows them with no request made. The graph
 * the receiving tab had stays reachable from Versions. And Chromium turns JPEGs by their EXIF
 * orientation exactly as Node now does (the CLI and the editor see the same photo).
 * Screenshots go to test/e2e/out/ (ignored by git) for a person to look at.
 */
import { mkdirSync } from 'node:fs';
import jpeg from 'jpeg-js';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { GraphDocument } from '../../src/graph/types';
import { decodeImageBytes } from '../../src/platform/node/image-io';
import { BLOCK, SEEN_COLS, SEEN_ROWS, orientedJpeg, orientedPng, seenColour } from '../support/exif-jpeg';
import { currentDoc, quiet, dropFile, launch, loadDoc, openEditor, waitDone, type Session } from './browser';

const url = inject('baseUrl');
const SHOTS = 'test/e2e/out';
let sender: Session;
let receiver: Session;

beforeAll(async () => {
  await tf.setBackend('cpu');
  mkdirSync(SHOTS, { recursive: true });
  sender = await launch();
  await sender.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
  await openEditor(sender.page, url);
});
afterAll(async () => {
  await sender?.close();
  await receiver?.close();
});

/** A 600×400 photo-like JPEG (gradients and grain): far more than a link's share. */
function bigPhoto(): Buffer {
  const w = 600, h = 400;
  const data = new Uint8Array(w * h * 4);
  let s = 5;
  const grain = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff - 0.5) * 90;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const c = (v: number) => Math.max(0, Math.min(255, Math.round(v + grain())));
      data.set([c((x / w) * 255), c((y / h) * 200), c(120 + 60 * Math.sin(x / 17)), 255], (y * w + x) * 4);
    }
  }
  return Buffer.from(jpeg.encode({ data, width: w, height: h }, 92).data);
}

/** RGB pixels of a node's preview canvas. */
async function previewPixels(page: Session['page'], id: string): Promise<{ width: number; height: number; rgb: number[] }> {
  return page.getByTestId(`preview-canvas-${id}`).evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const rgb: number[] = [];
    for (let i = 0; i < d.length; i += 4) rgb.push(d[i]!, d[i + 1]!, d[i + 2]!);
    return { width: c.width, height: c.height, rgb };
  });
}

/** The colour at the centre of each seen block of the EXIF test picture. */
function blockColours(p: { width: number; rgb: number[] }): number[][] {
  const out: number[][] = [];
  for (let row = 0; row < SEEN_ROWS; row++) {
    for (let col = 0; col < SEEN_COLS; col++) {
      const at = ((row * BLOCK + BLOCK / 2) * p.width + col * BLOCK + BLOCK / 2) * 3;
      out.push([p.rgb[at]!, p.rgb[at + 1]!, p.rgb[at + 2]!]);
    }
  }
  return out;
}

function expectClose(a: number[][], b: number[][], tolerance: number): void {
  expect(a.length).toBe(b.length);
  a.forEach((px, i) => px.forEach((v, ch) => expect(Math.abs(v - b[i]![ch]!), `block ${i} channel ${ch}: ${px} vs ${b[i]}`).toBeLessThanOrEqual(tolerance)));
}

describe('dropped photos in share links', () => {
  let link = '';
  let senderTurned: { width: number; height: number; rgb: number[] };
  let bigCopy: { width: number; height: number };

  it('Copy share link warns that dropped photos do not travel and offers a link with small copies', async () => {
    // Two photos dropped on the canvas: a phone photo stored turned (EXIF 6) and a large one.
    await loadDoc(sender.page, { schemaVersion: 1, nodes: [], edges: [], meta: {} }, 'holiday');
    await dropFile(sender.page, 'phone.jpg', 'image/jpeg', orientedJpeg(6));
    await expect.poll(async () => (await currentDoc(sender.page)).nodes.length, { timeout: 15_000 }).toBe(1);
    await dropFile(sender.page, 'big.jpg', 'image/jpeg', bigPhoto());
    await expect.poll(async () => (await currentDoc(sender.page)).nodes.length, { timeout: 15_000 }).toBe(2);
    const [phone, big] = (await currentDoc(sender.page)).nodes;
    // Named for the test; the big one runs at 256 px, as its maxSide says.
    const doc: GraphDocument = {
      schemaVersion: 1,
      nodes: [
        { ...phone!, id: 'phone', position: { x: 0, y: 0 } },
        { ...big!, id: 'big', params: { ...big!.params, maxSide: 256 }, position: { x: 0, y: 360 } },
        { id: 'out', type: 'image-out', version: 1, params: {}, position: { x: 320, y: 0 } },
      ],
      edges: [{ from: { node: 'phone', port: 'image' }, to: { node: 'out', port: 'image' } }],
      meta: {},
    };
    await loadDoc(sender.page, doc, 'holiday');
    await waitDone(sender.page, ['phone', 'big', 'out']);
    senderTurned = await previewPixels(sender.page, 'out');
    // The browser turned it upright: 64 wide, 48 high, as seen.
    expect([senderTurned.width, senderTurned.height]).toEqual([SEEN_COLS * BLOCK, SEEN_ROWS * BLOCK]);

    await sender.page.getByTestId('share').click();
    const dialog = sender.page.getByTestId('share-dialog');
    await dialog.waitFor();
    expect(await sender.page.getByTestId('share-warning').textContent()).toMatch(/stays in this browser: a plain link carries only its name/);
    await sender.page.getByTestId('share-file-big').and(sender.page.locator('[data-status="embedded"]')).waitFor({ timeout: 30_000 });
    const phoneLine = await sender.page.getByTestId('share-file-phone').textContent();
    expect(phoneLine).toMatch(/64×48 JPEG/); // upright: the browser honours its EXIF turn
    expect(phoneLine).toMatch(/embedded at 64×48 JPEG \(quality 92\), [\d.]+ K?B; the same size as yours, the pixels slightly different \(JPEG\)/);
    const bigLine = (await sender.page.getByTestId('share-file-big').textContent())!;
    expect(bigLine).toMatch(/600×400 JPEG/);
    const m = /embedded at (\d+)×(\d+) JPEG \(quality \d+\), ([\d.]+) KB/.exec(bigLine)!;
    bigCopy = { width: Number(m[1]), height: Number(m[2]) };
    expect(Number(m[3])).toBeLessThanOrEqual(64);
    expect(bigCopy.width).toBeLessThanOrEqual(256);
    await quiet(sender.page);
    await sender.page.screenshot({ path: `${SHOTS}/share-dialog.png` });

    // Cancel copies nothing and leaves the graph as it was.
    await sender.page.getByTestId('share-cancel').click();
    await expect.poll(() => dialog.count(), { timeout: 15_000 }).toBe(0);
    expect((await currentDoc(sender.page)).nodes.find((n) => n.id === 'phone')!.params.url).toBe('');

    await sender.page.getByTestId('share').click();
    await sender.page.getByTestId('share-copy-embedded').and(sender.page.locator(':enabled')).waitFor({ timeout: 30_000 });
    await sender.page.getByTestId('share-copy-embedded').click();
    await expect.poll(() => sender.page.evaluate(() => navigator.clipboard.readText()), { timeout: 15_000 }).toContain('#graph=');
    link = await sender.page.evaluate(() => navigator.clipboard.readText());
    expect(link.length - link.indexOf('#graph=')).toBeLessThan(200_000);
    // The open graph still names its own files: only the link carries copies.
    expect(String((await currentDoc(sender.page)).nodes.find((n) => n.id === 'phone')!.params.asset)).toMatch(/^[0-9a-f]{24}$/);
  });

  it('a fresh browser opens the link paused, says the photos travel inside it, and shows them after Run with nothing fetched', async () => {
    receiver = await launch();
    const page = receiver.page;
    await openEditor(page, url);
    // The receiving tab has a graph of its own; the link is pasted into it.
    await loadDoc(page, { schemaVersion: 1, nodes: [{ id: 'mine', type: 'perlin-noise', version: 1, params: { width: 16, height: 16 }, position: { x: 0, y: 0 } }], edges: [], meta: {} }, 'my graph');
    await page.evaluate((hash) => (location.hash = hash), link.slice(link.indexOf('#')));
    await expect.poll(async () => (await currentDoc(page)).nodes.map((n) => n.id).sort(), { timeout: 15_000 }).toEqual(['big', 'out', 'phone']);
    const banner = page.getByTestId('paused-banner');
    await banner.waitFor();
    expect(await page.getByTestId('paused-references').count()).toBe(0);
    expect(await page.getByTestId('paused-embedded').textContent()).toMatch(/It carries 2 images inside itself \(phone\.url, [\d.]+ K?B; big\.url, [\d.]+ KB\): read from the graph, nothing fetched\./);
    expect(await banner.textContent()).toMatch(/It loads nothing from outside the editor/);
    // The url field shows what it holds, not kilobytes of base64.
    // (its title: the middle of the card holds its fields, the url's ✕ among them)
    await page.getByTestId('node-phone').locator('.node-title').click();
    expect(await page.getByTestId('param-inspector-phone-url').textContent()).toMatch(/^embedded image, [\d.]+ K?B/);
    await page.screenshot({ path: `${SHOTS}/share-received-paused.png` });

    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.getByTestId('paused-run').click();
    await waitDone(page, ['phone', 'big', 'out']);
    expect(requests).toEqual([]);
    // The photo as the sender's run saw it (upright, same size), up to JPEG's rounding.
    const got = await previewPixels(page, 'out');
    expect([got.width, got.height]).toEqual([senderTurned.width, senderTurned.height]);
    expectClose(blockColours(got), blockColours(senderTurned), 8);
    const big = await previewPixels(page, 'big');
    expect([big.width, big.height]).toEqual([bigCopy.width, bigCopy.height]);
    await page.screenshot({ path: `${SHOTS}/share-received-run.png` });

    // The graph the tab had is kept: Versions leads back to it.
    await page.getByTestId('open-versions').click();
    expect(await page.getByTestId('version-before-link').textContent()).toContain('“my graph”');
  });

  it('a link without the photos (the other choice) opens with the nodes asking for their files', async () => {
    await sender.page.getByTestId('share').click();
    await sender.page.getByTestId('share-copy-plain').and(sender.page.locator(':enabled')).waitFor({ timeout: 30_000 });
    await sender.page.getByTestId('share-copy-plain').click();
    await expect.poll(() => sender.page.evaluate(() => navigator.clipboard.readText()), { timeout: 15_000 }).not.toBe(link);
    const plain = await sender.page.evaluate(() => navigator.clipboard.readText());
    expect(plain.length).toBeLessThan(link.length / 10);
    const page = receiver.page;
    await page.goto('about:blank');
    await openEditor(page, plain);
    await page.getByTestId('paused-run').click();
    await expect.poll(() => page.getByTestId('node-phone').textContent(), { timeout: 30_000 }).toMatch(/is not in this browser's storage any more: pick the file again/);
  });
});

describe('EXIF orientation: Chromium and Node see the same photo', () => {
  /** Decodes in the page with the editor's options (src/platform/browser/env.ts decodeImageBlob). */
  function inChromium(bytes: Uint8Array, type: string) {
    return sender.page.evaluate(async ([data, t]) => {
      const bitmap = await createImageBitmap(new Blob([new Uint8Array(data as number[])], { type: t as string }), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      const d = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
      const rgb: number[] = [];
      for (let i = 0; i < d.length; i += 4) rgb.push(d[i]!, d[i + 1]!, d[i + 2]!);
      return { width: bitmap.width, height: bitmap.height, rgb };
    }, [[...bytes], type] as const);
  }

  async function expectSame(bytes: Uint8Array, type: string, what: string, seenAsStored = false): Promise<void> {
    const browser = await inChromium(bytes, type);
    const node = decodeImageBytes(bytes, what);
    const nodeRgb = Array.from(node.dataSync(), (v) => Math.round(v * 255));
    expect([browser.width, browser.height], what).toEqual([node.shape[1], node.shape[0]]);
    if (!seenAsStored) {
      const seen = Array.from({ length: SEEN_ROWS * SEEN_COLS }, (_, i) => seenColour(Math.floor(i / SEEN_COLS), i % SEEN_COLS));
      expectClose(blockColours(browser), seen, 6);
    }
    expectClose(blockColours({ width: node.shape[1], rgb: nodeRgb }), blockColours(browser), 6);
    node.dispose();
  }

  it('for every orientation 1-8, JPEG (APP1) and PNG (eXIf), the browser decodes as the editor does to the pixels Node decodes', async () => {
    for (const orientation of [1, 2, 3, 4, 5, 6, 7, 8]) {
      await expectSame(orientedJpeg(orientation), 'image/jpeg', `o${orientation}.jpg`);
      await expectSame(orientedPng(orientation), 'image/png', `o${orientation}.png`);
    }
    // An eXIf chunk with a bad checksum: Node refuses the file as damaged (every chunk's checksum is checked) and names it.
    expect(() => decodeImageBytes(orientedPng(6, { corrupt: true }), 'corrupt.png')).toThrow(/'corrupt\.png' is a damaged PNG: its eXIf chunk fails its checksum/);
    // An eXIf chunk after the image data does not turn the PNG, in either.
    await expectSame(orientedPng(6, { afterImage: true }), 'image/png', 'late.png', true);
  });
});
