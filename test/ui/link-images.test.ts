/**
 * Dropped photos in a share link: each is re-encoded (here with Node's PNG and JPEG encoders, in the
 * browser a canvas) until it fits its share of the link's budget, and the link with them embedded
 * opens to the same graph with the photo inside.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeEmbeddedImage, droppedFiles } from '../../src/graph/embedded-images';
import { MAX_LINK_DATA_CHARS, decodeGraphFragment, encodeGraphFragment } from '../../src/graph/share-url';
import type { GraphDocument } from '../../src/graph/types';
import { validateDocument } from '../../src/graph/validate';
import { nodeRegistry } from '../../src/nodes/registry';
import { decodeImageBytes } from '../../src/platform/node/image-io';
import {
  LINK_IMAGE_MAX_BYTES,
  LINK_IMAGE_MIN_SIDE,
  fitImage,
  linkDataChars,
  linkImageBudget,
  planShareLink,
  type ImageEncoder,
  type OpenedImage,
} from '../../src/ui/store/link-images';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** RGBA pixels: smooth gradients (`noise` 0) or a photo-like grain that compresses badly. */
function picture(width: number, height: number, noise: number, seed = 1): Uint8Array {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff - 0.5) * noise;
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
      data.set([clamp((x / width) * 255 + rnd()), clamp((y / height) * 255 + rnd()), clamp(128 + rnd()), 255], (y * width + x) * 4);
    }
  }
  return data;
}

/** Box-averaged downscale of RGBA pixels. */
function resize(data: Uint8Array, w: number, h: number, tw: number, th: number): Uint8Array {
  const out = new Uint8Array(tw * th * 4);
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const x0 = Math.floor((x * w) / tw), x1 = Math.max(x0 + 1, Math.floor(((x + 1) * w) / tw));
      const y0 = Math.floor((y * h) / th), y1 = Math.max(y0 + 1, Math.floor(((y + 1) * h) / th));
      for (let c = 0; c < 4; c++) {
        let sum = 0;
        for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) sum += data[(yy * w + xx) * 4 + c]!;
        out[(y * tw + x) * 4 + c] = Math.round(sum / ((x1 - x0) * (y1 - y0)));
      }
    }
  }
  return out;
}

/** What the browser's canvas does, with Node's encoders; records every call. */
function nodeEncoder(data: Uint8Array, w: number, h: number, calls: string[] = []): ImageEncoder {
  return async (tw, th, type, quality) => {
    calls.push(`${tw}x${th} ${type}${quality ? ` ${quality}` : ''}`);
    const px = tw === w && th === h ? data : resize(data, w, h, tw, th);
    if (type === 'image/png') {
      const png = new PNG({ width: tw, height: th });
      png.data = Buffer.from(px);
      return new Uint8Array(PNG.sync.write(png));
    }
    return new Uint8Array(jpeg.encode({ data: px, width: tw, height: th }, Math.round((quality ?? 0.9) * 100)).data);
  };
}

function opened(data: Uint8Array, width: number, height: number, type: string, calls?: string[]): OpenedImage {
  return { width, height, type, bytes: data.length, encode: nodeEncoder(data, width, height, calls), close: () => undefined };
}

describe('the budget of embedded photos', () => {
  it('gives each photo at most 64 KB, less when several share the link, none when too many', () => {
    expect(linkImageBudget(1)).toBe(LINK_IMAGE_MAX_BYTES);
    expect(linkImageBudget(2)).toBe(56 * 1024);
    expect(linkImageBudget(4)).toBe(28 * 1024);
    expect(linkImageBudget(28)).toBe(4 * 1024);
    expect(linkImageBudget(29)).toBe(0);
    expect(linkImageBudget(0)).toBe(0);
    expect(linkImageBudget(2, 0.5)).toBe(28 * 1024);
    expect(linkImageBudget(1, 0.5)).toBe(32 * 1024);
  });
});

describe('fitting a photo into its budget', () => {
  it('keeps a small smooth PNG as a PNG at its own size (the same pixels)', async () => {
    const data = picture(40, 30, 0);
    const calls: string[] = [];
    const fitted = await fitImage({ width: 40, height: 30 }, { startSide: 512, budget: 64 * 1024, lossless: true }, nodeEncoder(data, 40, 30, calls));
    expect(fitted).toMatchObject({ type: 'image/png', width: 40, height: 30 });
    expect(calls).toEqual(['40x30 image/png']);
  });

  it('a grainy photo: JPEG at falling quality, then smaller by quarters, until it fits', async () => {
    const data = picture(600, 400, 160);
    const calls: string[] = [];
    const fitted = (await fitImage({ width: 600, height: 400 }, { startSide: 512, budget: 64 * 1024, lossless: false }, nodeEncoder(data, 600, 400, calls)))!;
    expect(fitted.type).toBe('image/jpeg');
    expect(fitted.bytes.length).toBeLessThanOrEqual(64 * 1024);
    // Started at the node's own size, never larger.
    expect(calls[0]).toBe('512x341 image/jpeg 0.92');
    expect(Math.max(fitted.width, fitted.height)).toBeLessThan(512);
    expect(fitted.width / fitted.height).toBeCloseTo(1.5, 1);
    // Each size was tried at every quality before going smaller.
    const sides = calls.map((c) => Number(c.split('x')[0]));
    expect(sides).toEqual([...sides].sort((a, b) => b - a));
    expect(calls.filter((c) => c.startsWith('512x')).length).toBe(4);
    // It decodes to the size it says.
    const img = decodeImageBytes(fitted.bytes, 'fitted.jpg');
    expect(img.shape).toEqual([fitted.height, fitted.width, 3]);
    img.dispose();
  });

  it('gives up below the smallest side', async () => {
    const data = picture(120, 120, 200);
    const calls: string[] = [];
    expect(await fitImage({ width: 120, height: 120 }, { startSide: 120, budget: 200, lossless: false }, nodeEncoder(data, 120, 120, calls))).toBeUndefined();
    expect(calls.at(-1)).toBe(`${LINK_IMAGE_MIN_SIDE}x${LINK_IMAGE_MIN_SIDE} image/jpeg 0.5`);
  });
});

describe('planning a share link', () => {
  const node = (id: string, params: Record<string, unknown>) => ({ id, type: 'image-source', version: 1, params: { maxSide: 512, multipleOf: 1, sample: 'starry_night', path: '', url: '', asset: '', ...params }, position: { x: 0, y: 0 } });
  const doc: GraphDocument = {
    schemaVersion: 1,
    nodes: [node('photo', { asset: 'aaa' }), node('small', { asset: 'bbb', maxSide: 64 }), node('tiny', { asset: 'ddd' }), node('gone', { asset: 'ccc' }), { id: 'out', type: 'image-out', version: 1, params: {}, position: { x: 300, y: 0 } }],
    edges: [{ from: { node: 'photo', port: 'image' }, to: { node: 'out', port: 'image' } }],
    meta: {},
  } as GraphDocument;
  const grainy = picture(600, 400, 160, 3);
  const smooth = picture(200, 100, 0);
  const source = {
    async open(key: string) {
      if (key === 'aaa') return opened(grainy, 600, 400, 'image/jpeg');
      if (key === 'bbb') return opened(smooth, 200, 100, 'image/png');
      if (key === 'ddd') return opened(picture(40, 30, 0), 40, 30, 'image/png');
      return undefined;
    },
  };
  const linkFor = (d: GraphDocument) => `https://studio.example/${encodeGraphFragment(d)}`;
  const usedSide = (id: string) => Number(doc.nodes.find((n) => n.id === id)!.params.maxSide);

  it('embeds what fits (each within its share of the link), says what each receiver gets, and the link opens with the photos inside', async () => {
    const plan = await planShareLink(doc, nodeRegistry, source, linkFor, usedSide);
    expect(plan.plainUrl).toBe(linkFor(doc));
    expect(plan.files.map((f) => [f.nodeId, f.status])).toEqual([['photo', 'embedded'], ['small', 'embedded'], ['tiny', 'embedded'], ['gone', 'missing']]);
    const [photo, small, tiny, gone] = plan.files;
    expect(photo!.message).toMatch(/^embedded at \d+×\d+ JPEG \(quality \d+\), \d+ KB; your run uses 512×341, so the receiver's result is smaller and softer$/);
    // The node runs at 64 px: the copy is that size, lossless.
    expect(small!.embedded).toMatchObject({ type: 'image/png', width: 64, height: 32 });
    expect(small!.message).toMatch(/; the same size as yours, the pixels slightly different \(scaled by the browser\)$/);
    // Small enough to travel as it is: the very same pixels.
    expect(tiny!.embedded).toMatchObject({ type: 'image/png', width: 40, height: 30 });
    expect(tiny!.message).toMatch(/; the same pixels as yours$/);
    expect(gone!.message).toMatch(/no longer holds its file: drop it again/);
    for (const f of [photo, small, tiny]) expect(f!.embedded!.bytes).toBeLessThanOrEqual(linkImageBudget(4));
    expect(linkDataChars(plan.embeddedUrl!)).toBeLessThanOrEqual(MAX_LINK_DATA_CHARS);

    const received = validateDocument(decodeGraphFragment(plan.embeddedUrl!), nodeRegistry);
    expect(received.errors).toEqual([]);
    const got = received.document!;
    expect(droppedFiles(got, nodeRegistry).map((f) => f.nodeId)).toEqual(['gone']);
    const url = String(got.nodes.find((n) => n.id === 'photo')!.params.url);
    const image = decodeImageBytes(decodeEmbeddedImage(url, 'photo').bytes, 'photo');
    expect(image.shape).toEqual([photo!.embedded!.height, photo!.embedded!.width, 3]);
    image.dispose();
  });

  it('a link that comes out longer than a link may be is made again with smaller photos', async () => {
    const one = { ...doc, nodes: doc.nodes.filter((n) => n.id === 'photo' || n.id === 'out') };
    // A graph that already takes 120 000 characters of the link (long notes, say).
    const long = (d: GraphDocument) => `${linkFor(d)}${'A'.repeat(120_000)}`;
    const plan = await planShareLink(one, nodeRegistry, source, long, usedSide);
    expect(linkDataChars(plan.embeddedUrl!)).toBeLessThanOrEqual(MAX_LINK_DATA_CHARS);
    // The first share (64 KB) did not fit beside 120 000 characters; a smaller one did.
    expect(plan.files[0]!.embedded!.bytes).toBeLessThanOrEqual(linkImageBudget(1, 0.7));
    const roomy = await planShareLink(one, nodeRegistry, source, linkFor, usedSide);
    expect(roomy.files[0]!.embedded!.bytes).toBeGreaterThan(linkImageBudget(1, 0.7));
    // A graph too long for any photo: only the plain link, and why.
    const tooLong = await planShareLink(one, nodeRegistry, source, (d) => `${linkFor(d)}${'A'.repeat(MAX_LINK_DATA_CHARS)}`, usedSide);
    expect(tooLong.embeddedUrl).toBeUndefined();
    expect(tooLong.noEmbedReason).toMatch(/^with the photos the link would hold [\d,]+ characters, more than a link may \(200,000\)$/);
  });

  it('with no photo that can travel, offers only the plain link and says why', async () => {
    const onlyGone = { ...doc, nodes: doc.nodes.filter((n) => n.id === 'gone' || n.id === 'out'), edges: [] };
    const plan = await planShareLink(onlyGone, nodeRegistry, source, linkFor, usedSide);
    expect(plan.embeddedUrl).toBeUndefined();
    expect(plan.noEmbedReason).toBe('no dropped photo can be embedded');
  });
});
