/**
 * The Decoders panel in Chromium, in a fresh profile: the bundled starry_night (the test decoder the
 * global setup serves when none is trained) and decoders imported into this browser, each with its
 * texture thumbnail, a photo decoded through it and its training summary; export (.mgan download),
 * rename and delete for yours, bundled ones read-only, a bundled one hidden by yours marked. The
 * decoder param offers them with their pictures, and a missing decoder's error says how to get one.
 * WASM backend (VGG19 to relu4_1 on SwiftShader WebGPU is slow). Screenshots: test/e2e/out/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { GraphDocument } from '../../src/graph/types';
import { decodeDecoderFile, encodeDecoderFile } from '../../src/platform/common/decoder-store';
import { TEST_RECORD, testDecoderFile } from '../decoders/test-decoder-file';
import { currentDoc, quiet, launch, loadDoc, openEditor, waitDone, type Session } from './browser';

const url = inject('baseUrl');
const SHOTS = 'test/e2e/out';
let s: Session;
let brickFile: Uint8Array;

/** A test decoder whose meta holds a real texture thumbnail (8×8 stripes, red and blue) and a record naming brick. */
async function brickDecoder(): Promise<Uint8Array> {
  const artifacts = decodeDecoderFile(await testDecoderFile('brick', { seed: 21 }));
  const rgb = Buffer.alloc(8 * 8 * 3);
  for (let i = 0; i < 64; i++) rgb.set(Math.floor(i / 8) % 2 ? [40, 60, 200] : [200, 60, 40], i * 3);
  artifacts.meta = {
    ...artifacts.meta,
    thumbnail: { width: 8, height: 8, rgbBase64: rgb.toString('base64') },
    record: { ...TEST_RECORD, texture: 'brick', photos: ['coffee', 'rocket'] },
  };
  return encodeDecoderFile(artifacts);
}

const row = (origin: string, name: string) => s.page.getByTestId(`decoder-${origin}-${name}`);
const rowIds = () => s.page.evaluate(() => [...document.querySelectorAll('li.decoder-row')].map((e) => e.getAttribute('data-testid')));

async function importDecoder(name: string, bytes: Uint8Array): Promise<void> {
  await s.page.getByTestId('import-input').setInputFiles({ name: `${name}.mgan`, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
  await s.page.getByTestId('toast-info').filter({ hasText: `decoder '${name}' imported` }).last().waitFor({ timeout: 30_000 });
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  mkdirSync(SHOTS, { recursive: true });
  s = await launch();
  await openEditor(s.page, `${url}?backend=wasm`);
  brickFile = await brickDecoder();
});
afterAll(async () => {
  await s?.close();
});

describe('the Decoders panel', () => {
  it('lists bundled and stored decoders with texture, a decoded photo and the training summary; marks a bundled one yours hides', async () => {
    await importDecoder('brick', brickFile);
    // A decoder of yours under the bundled name hides the bundled one.
    const mine = decodeDecoderFile(await testDecoderFile('mine', { seed: 5 }));
    await importDecoder('starry_night', encodeDecoderFile({ ...mine, meta: { ...mine.meta, name: 'starry_night', record: undefined, training: { loss: 'adversarial', epochs: 1 } } }));
    await s.page.getByTestId('open-decoders').click();
    await s.page.getByTestId('decoders-panel').waitFor();
    await expect.poll(rowIds, { timeout: 20_000 }).toEqual(['decoder-yours-brick', 'decoder-yours-starry_night', 'decoder-bundled-starry_night', 'decoder-bundled-vgg19-inverter']);
    expect(await s.page.getByTestId('decoder-yours-starry_night-hides').textContent()).toBe('hides the bundled one');
    expect(await s.page.getByTestId('decoder-bundled-starry_night-hidden').textContent()).toBe('hidden by yours');
    expect(await s.page.getByTestId('decoder-yours-brick-summary').textContent()).toBe(
      'texture brick · 2 photos (coffee, rocket) · 3 batches of 2 · 12 crops of 64 px · 4s on test machine, tfjs wasm · 2026-11-27',
    );
    expect(await s.page.getByTestId('decoder-yours-starry_night-summary').textContent()).toBe('no training record; settings: loss adversarial, epochs 1');
    expect(await s.page.getByTestId('decoder-bundled-starry_night-summary').textContent()).toMatch(/^texture starry_night · /);
    expect(await row('bundled', 'starry_night').textContent()).toMatch(/MB uint8/);
    // The bundled inverter is listed, labelled as where styles start rather than a style.
    expect(await s.page.getByTestId('decoder-bundled-vgg19-inverter-role').textContent()).toBe('not a style');
    expect(await s.page.getByTestId('decoder-bundled-starry_night-role').count()).toBe(0);
    expect(await s.page.getByTestId('decoder-bundled-vgg19-inverter-summary').textContent()).toMatch(/^texture none \(a VGG inverter: where styles start, not a style\) · 85 photos/);
    // The texture thumbnail is the meta's own pixels: red rows, then blue.
    const texture = await s.page.getByTestId('decoder-yours-brick-texture').evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      return { size: [c.width, c.height], first: [...d.slice(0, 3)], secondRow: [...d.slice(8 * 4, 8 * 4 + 3)] };
    });
    expect(texture).toEqual({ size: [8, 8], first: [200, 60, 40], secondRow: [40, 60, 200] });
    // A photo decoded through each decoder a name reaches (not the hidden one).
    for (const id of ['decoder-yours-brick-sample', 'decoder-yours-starry_night-sample']) {
      await s.page.locator(`[data-testid="${id}"][data-state="done"]`).waitFor({ timeout: 120_000 });
    }
    const sample = await s.page.getByTestId('decoder-yours-brick-sample').locator('canvas').evaluate((c: HTMLCanvasElement) => [c.width, c.height]);
    expect(Math.max(...sample)).toBe(96);
    expect(sample.every((v) => v % 8 === 0)).toBe(true);
    expect(await row('bundled', 'starry_night').textContent()).toContain('not used');
    // Bundled ones are read-only: export only.
    expect(await row('bundled', 'starry_night').getByTestId('decoder-bundled-starry_night-rename').count()).toBe(0);
    expect(await row('bundled', 'starry_night').getByTestId('decoder-bundled-starry_night-delete').count()).toBe(0);
    expect(await row('bundled', 'starry_night').textContent()).toContain('read-only');
    await quiet(s.page);
    await s.page.screenshot({ path: `${SHOTS}/decoders-panel.png` });
  });

  it('exports a decoder of yours as a .mgan download holding the same weights', async () => {
    const [download] = await Promise.all([s.page.waitForEvent('download'), s.page.getByTestId('decoder-yours-brick-export').click()]);
    expect(download.suggestedFilename()).toBe('brick.mgan');
    const got = decodeDecoderFile(new Uint8Array(readFileSync((await download.path())!)));
    const want = decodeDecoderFile(brickFile);
    expect(got.meta.name).toBe('brick');
    expect(got.meta.record?.texture).toBe('brick');
    // (Buffer.equals: a deep toEqual over 5 MB of bytes takes vitest half a minute.)
    expect(got.weightData.byteLength).toBe(want.weightData.byteLength);
    expect(Buffer.from(got.weightData).equals(Buffer.from(want.weightData))).toBe(true);
  });

  it('renames one of yours (a taken name is refused with why), and the name survives a reload', async () => {
    await s.page.getByTestId('decoder-yours-brick-rename').click();
    await s.page.getByTestId('decoder-yours-brick-new-name').fill('starry_night');
    await s.page.getByTestId('decoder-yours-brick-rename-ok').click();
    await expect.poll(() => s.page.getByTestId('toast-error').last().textContent(), { timeout: 20_000 }).toMatch(/Could not rename 'brick': a decoder of yours is already named 'starry_night': delete or rename that one first/);
    await s.page.getByTestId('decoder-yours-brick-new-name').fill('brick_v2');
    await s.page.keyboard.press('Enter');
    await expect.poll(rowIds, { timeout: 20_000 }).toEqual(['decoder-yours-brick_v2', 'decoder-yours-starry_night', 'decoder-bundled-starry_night', 'decoder-bundled-vgg19-inverter']);
    await s.page.reload();
    await s.page.waitForSelector('body[data-ready="true"]');
    await s.page.getByTestId('open-decoders').click();
    await expect.poll(rowIds, { timeout: 20_000 }).toEqual(['decoder-yours-brick_v2', 'decoder-yours-starry_night', 'decoder-bundled-starry_night', 'decoder-bundled-vgg19-inverter']);
  });

  it('deletes one of yours after asking; the bundled one it hid is used again', async () => {
    await s.page.getByTestId('decoder-yours-starry_night-delete').click();
    expect(await row('yours', 'starry_night').textContent()).toMatch(/Delete your decoder 'starry_night' from this browser for good\? The bundled one of that name is used again\./);
    await s.page.getByTestId('decoder-yours-starry_night-delete-ok').click();
    await expect.poll(rowIds, { timeout: 20_000 }).toEqual(['decoder-yours-brick_v2', 'decoder-bundled-starry_night', 'decoder-bundled-vgg19-inverter']);
    expect(await s.page.getByTestId('decoder-bundled-starry_night-hidden').count()).toBe(0);
    await s.page.locator('[data-testid="decoder-bundled-starry_night-sample"][data-state="done"]').waitFor({ timeout: 120_000 });
    await s.page.screenshot({ path: `${SHOTS}/decoders-panel-after.png` });
    await s.page.keyboard.press('Escape');
    await expect.poll(() => s.page.getByTestId('decoders-panel').count(), { timeout: 15_000 }).toBe(0);
  });
});

describe('the decoder param', () => {
  function decodeGraph(decoder: string): GraphDocument {
    const doc = JSON.parse(readFileSync('presets/mgan-decode.json', 'utf8')) as GraphDocument;
    doc.nodes.find((n) => n.id === 'photo')!.params.maxSide = 64;
    doc.nodes.find((n) => n.id === 'decode')!.params.decoder = decoder;
    return doc;
  }

  it('offers the decoders with their pictures; picking one sets the param', async () => {
    await loadDoc(s.page, decodeGraph(''), 'pick');
    await s.page.getByTestId('param-decode-decoder-choose').click();
    const menu = s.page.getByTestId('param-decode-decoder-menu');
    await menu.waitFor();
    await expect.poll(() => menu.locator('button').evaluateAll((b) => b.map((x) => x.getAttribute('data-testid'))), { timeout: 20_000 }).toEqual([
      'param-decode-decoder-choice-brick_v2',
      'param-decode-decoder-choice-starry_night',
      'param-decode-decoder-choice-vgg19-inverter',
    ]);
    // The inverter is offered, but labelled: it is where styles start, not a style.
    expect(await s.page.getByTestId('param-decode-decoder-choice-vgg19-inverter').textContent()).toContain('bundled, not a style');
    expect(await s.page.getByTestId('param-decode-decoder-choice-starry_night').textContent()).not.toContain('not a style');
    await s.page.locator('[data-testid="param-decode-decoder-choice-brick_v2-sample"][data-state="done"]').waitFor({ timeout: 60_000 });
    expect(await s.page.getByTestId('param-decode-decoder-choice-brick_v2-texture').count()).toBe(1);
    const card = (await s.page.getByTestId('node-decode').boundingBox())!;
    const box = (await menu.boundingBox())!;
    await s.page.screenshot({ path: `${SHOTS}/decoder-picker.png`, clip: { x: Math.min(card.x, box.x) - 10, y: card.y - 10, width: Math.max(card.x + card.width, box.x + box.width) - Math.min(card.x, box.x) + 20, height: Math.max(card.y + card.height, box.y + box.height) - card.y + 20 } });
    await s.page.getByTestId('param-decode-decoder-choice-brick_v2').click();
    await expect.poll(async () => (await currentDoc(s.page)).nodes.find((n) => n.id === 'decode')!.params.decoder, { timeout: 15_000 }).toBe('brick_v2');
    expect(await menu.count()).toBe(0);
  });

  it('a decoder named nowhere fails saying how to get one; none chosen says where to choose', async () => {
    await loadDoc(s.page, decodeGraph('nope'), 'missing');
    await s.page.getByTestId('run-all').click();
    await waitDone(s.page, ['photo']);
    await expect.poll(() => s.page.getByTestId('node-decode').textContent(), { timeout: 60_000 }).toMatch(
      /no decoder named 'nope': none saved in this browser \(saved: brick_v2\), bundled: starry_night, vgg19-inverter\. To get one: use a bundled name, import a shared \.mgan file \(drop it on the editor's canvas or import it in the Decoders panel/,
    );
    await loadDoc(s.page, decodeGraph(''), 'none');
    await s.page.getByTestId('run-all').click();
    await expect.poll(() => s.page.getByTestId('node-decode').textContent(), { timeout: 60_000 }).toMatch(/no decoder chosen: .*the editor's Decoders panel/);
  });
});
