/**
 * Video in Chromium: a decoder file made here in Node (an untrained generator: the test is about the
 * plumbing, not the style) is dropped on the canvas into the browser's decoder store; the sample video
 * plays through mgan-decoder into video-out with an fps figure; recording gives a WebM file. A broken
 * decoder file picked with Import only shows a message. Uses the WASM backend (`?backend=wasm`):
 * VGG19 to relu4_1 per frame on SwiftShader WebGPU is far slower. Needs the VGG19 weights in
 * .cache/weights/vgg19 (served by the vite plugin), as the decoder encodes each frame with VGG19.
 */
import * as tf from '@tensorflow/tfjs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { GraphDocument } from '../../src/graph/types';
import { createMganDecoder } from '../../src/method/mgan/decoder';
import { MganGenerator } from '../../src/method/mgan/generator';
import { decoderToArtifacts, encodeDecoderFile } from '../../src/platform/common/decoder-store';
import { currentDoc, launch, loadDoc, openEditor, waitDone, type Session } from './browser';
import { DECODER_FORMAT } from '../../src/formats/decoder-meta';

const url = inject('baseUrl');
let s: Session;

const CLIP = { sample: 'coffee_pan', maxSide: 64, fps: 4, duration: 1 };

/** The sample straight to one player, and through the decoder to another, from one source. */
const GRAPH: GraphDocument = {
  schemaVersion: 1,
  meta: {},
  nodes: [
    { id: 'clip', type: 'video-source', version: 1, params: CLIP, position: { x: 0, y: 0 } },
    // The stylised player top right, clear of the minimap (bottom right) whose overlay takes clicks.
    { id: 'raw', type: 'video-out', version: 1, params: {}, position: { x: 0, y: 450 } },
    { id: 'decode', type: 'mgan-decoder', version: 1, params: { decoder: 'e2e_decoder', normalization: 'fixed' }, position: { x: 350, y: 0 } },
    { id: 'styled', type: 'video-out', version: 1, params: {}, position: { x: 700, y: 0 } },
  ],
  edges: [
    { from: { node: 'clip', port: 'frames' }, to: { node: 'raw', port: 'frames' } },
    { from: { node: 'clip', port: 'frames' }, to: { node: 'decode', port: 'image' } },
    { from: { node: 'decode', port: 'frames' }, to: { node: 'styled', port: 'frames' } },
  ],
};

/** A `.mgan` file of an untrained generator, for the VGG19 weights the site serves. */
async function decoderFile(name: string): Promise<Buffer> {
  const decoder = createMganDecoder(
    MganGenerator.create(3),
    { format: DECODER_FORMAT, formatVersion: 1, name, vggConvention: 'vgg19-matconvnet-rgb-mean', createdAt: '2026-11-27T00:00:00Z', training: { epochs: 0 } },
    () => Promise.reject(new Error('not decoding here')),
  );
  try {
    return Buffer.from(encodeDecoderFile(await decoderToArtifacts(decoder)));
  } finally {
    decoder.dispose();
  }
}

/**
 * Drops a file on the canvas, as dragging it from the desktop does. The bytes reach the page through
 * a detached file input (megabytes would be slow as a JSON argument).
 */
async function dropFile(page: Page, name: string, bytes: Buffer): Promise<void> {
  const input = await page.evaluateHandle(() => Object.assign(document.createElement('input'), { type: 'file' }));
  await input.setInputFiles({ name, mimeType: 'application/octet-stream', buffer: bytes });
  const dataTransfer = await page.evaluateHandle((el) => {
    const dt = new DataTransfer();
    dt.items.add((el as HTMLInputElement).files![0]);
    return dt;
  }, input);
  await page.dispatchEvent('[data-testid="canvas"]', 'drop', { dataTransfer });
}

async function toastText(page: Page, kind: 'info' | 'error', text: RegExp): Promise<string> {
  const toast = page.getByTestId(`toast-${kind}`).filter({ hasText: text }).last();
  await toast.waitFor({ timeout: 30_000 });
  return (await toast.textContent()) ?? '';
}

/** RGBA pixels of a video-out canvas. */
function canvasPixels(page: Page, nodeId: string): Promise<{ width: number; height: number; data: number[] }> {
  return page.evaluate((id) => {
    const canvas = document.querySelector(`[data-testid="video-canvas-${id}"]`) as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    return { width: canvas.width, height: canvas.height, data: [...data] };
  }, nodeId);
}

function lumaStd(p: { data: number[] }): number {
  const luma: number[] = [];
  for (let i = 0; i < p.data.length; i += 4) luma.push((p.data[i] + p.data[i + 1] + p.data[i + 2]) / 3);
  const mean = luma.reduce((a, b) => a + b, 0) / luma.length;
  return Math.sqrt(luma.reduce((a, b) => a + (b - mean) ** 2, 0) / luma.length);
}

/** Mean absolute RGB difference over the region both canvases cover (the decoder floors sides to multiples of 8). */
function meanAbsDiff(a: { width: number; height: number; data: number[] }, b: { width: number; height: number; data: number[] }): number {
  const w = Math.min(a.width, b.width);
  const h = Math.min(a.height, b.height);
  let sum = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < 3; c++) sum += Math.abs(a.data[(y * a.width + x) * 4 + c] - b.data[(y * b.width + x) * 4 + c]);
  return sum / (w * h * 3);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  s = await launch();
  await openEditor(s.page, `${url}?backend=wasm`);
});
afterAll(async () => {
  await s?.close();
});

describe('video in Chromium (WASM backend)', () => {
  it('imports a dropped .mgan decoder into the browser, leaving the graph as it was', async () => {
    const before = await currentDoc(s.page);
    await dropFile(s.page, 'e2e_decoder.mgan', await decoderFile('e2e_decoder'));
    expect(await toastText(s.page, 'info', /imported/)).toContain("decoder 'e2e_decoder' imported; use it in an MGAN decoder node (param decoder)");
    expect(await currentDoc(s.page)).toEqual(before);
  });

  it('refuses a broken decoder file picked with Import, with a message, graph unchanged', async () => {
    const before = await currentDoc(s.page);
    await s.page.getByTestId('import-input').setInputFiles({ name: 'broken.mgan', mimeType: 'application/octet-stream', buffer: Buffer.from('MGANDEC1 not really') });
    expect(await toastText(s.page, 'error', /broken\.mgan/)).toMatch(/Could not import 'broken\.mgan'.*not an MGAN Studio decoder file/);
    expect(await currentDoc(s.page)).toEqual(before);
  });

  it('plays the sample stylised with an fps figure, and records a WebM', async () => {
    await loadDoc(s.page, GRAPH, 'video e2e');
    // The decoder param suggests the imported decoder.
    await expect
      .poll(() => s.page.evaluate(() => [...document.querySelectorAll('[data-testid="param-decode-decoder-names"] option')].map((o) => (o as HTMLOptionElement).value)))
      .toContain('e2e_decoder');

    await s.page.getByTestId('run-all').click();
    await waitDone(s.page, ['raw', 'styled'], 170_000);

    const fpsText = (await s.page.getByTestId('video-fps-styled').textContent()) ?? '';
    const fps = Number(/([\d.]+)\s*fps/.exec(fpsText)?.[1]);
    expect(fps, fpsText).toBeGreaterThan(0);

    const raw = await canvasPixels(s.page, 'raw');
    const styled = await canvasPixels(s.page, 'styled');
    expect(raw.width).toBeGreaterThan(0);
    expect(styled.width % 8).toBe(0);
    expect(lumaStd(styled)).toBeGreaterThan(1); // not a constant image
    expect(meanAbsDiff(raw, styled)).toBeGreaterThan(10); // not the raw video

    await s.page.getByTestId('video-record-styled').click();
    const link = s.page.getByTestId('video-download-styled');
    await link.waitFor({ timeout: 60_000 });
    const webm = await s.page.evaluate(async (href) => [...new Uint8Array(await (await fetch(href)).arrayBuffer())], (await link.getAttribute('href'))!);
    expect(webm.length).toBeGreaterThan(0);
    expect(webm.slice(0, 4)).toEqual([0x1a, 0x45, 0xdf, 0xa3]); // EBML header: a WebM/Matroska file
    expect(await link.getAttribute('download')).toBe('styled.webm');
    // Playable: Chromium's own <video> decodes its first frame at the size the player showed.
    const played = await s.page.evaluate(async (href) => {
      const video = document.createElement('video');
      video.muted = true;
      video.src = href;
      await new Promise((resolve, reject) => {
        video.onloadeddata = resolve;
        video.onerror = () => reject(new Error(`the recording does not play: ${video.error?.message ?? 'unknown error'}`));
      });
      return { width: video.videoWidth, height: video.videoHeight };
    }, (await link.getAttribute('href'))!);
    expect(played).toEqual({ width: styled.width, height: styled.height });
  });
});
