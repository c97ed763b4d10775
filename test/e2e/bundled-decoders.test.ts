/**
 * A fresh browser profile (IndexedDB empty: no decoder of its own) runs the mgan-decode preset with the
 * `starry_night` decoder the site serves from decoders/ (the trained one when public/decoders has it,
 * else the test decoder the global setup puts in dist/decoders); the card says it is the bundled one.
 * A decoder imported under the same name then takes precedence, and the card says so. WASM backend,
 * small photo: VGG19 to relu4_1 on SwiftShader WebGPU is slow.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { GraphDocument } from '../../src/graph/types';
import { testDecoderFile } from '../decoders/test-decoder-file';
import { launch, loadDoc, openEditor, waitDone, type Session } from './browser';

const url = inject('baseUrl');
let s: Session;

/** The preset as shipped, with a small photo. */
function decodePreset(): GraphDocument {
  const doc = JSON.parse(readFileSync('presets/mgan-decode.json', 'utf8')) as GraphDocument;
  doc.nodes.find((n) => n.id === 'photo')!.params.maxSide = 96;
  return doc;
}

const noteOf = (id: string) => s.page.getByTestId(`note-${id}`).textContent();

beforeAll(async () => {
  await tf.setBackend('cpu');
  s = await launch();
  await openEditor(s.page, `${url}?backend=wasm`);
});
afterAll(async () => {
  await s?.close();
});

describe('bundled decoders in a fresh browser profile', () => {
  it('runs the mgan-decode preset with the bundled starry_night decoder, no import step', async () => {
    await loadDoc(s.page, decodePreset(), 'bundled decode');
    // The decoder field suggests it, marked bundled.
    await expect
      .poll(() =>
        s.page.evaluate(() => [...document.querySelectorAll('[data-testid="param-decode-decoder-names"] option')].map((o) => `${(o as HTMLOptionElement).value}:${(o as HTMLOptionElement).label}`)),
      )
      .toContain('starry_night:bundled');
    await s.page.getByTestId('run-all').click();
    await waitDone(s.page, ['photo', 'decode', 'out'], 170_000);
    expect(await noteOf('decode')).toBe("decoder 'starry_night' (bundled)");
    const size = await s.page.getByTestId('preview-canvas-out').evaluate((c: HTMLCanvasElement) => [c.width, c.height]);
    expect(size[0]! % 8).toBe(0);
    expect(size[0]).toBeGreaterThan(0);
  });

  it('a decoder imported under the same name takes precedence, and the card says so', async () => {
    await s.page.getByTestId('import-input').setInputFiles({ name: 'starry_night.mgan', mimeType: 'application/octet-stream', buffer: Buffer.from(await testDecoderFile('starry_night', { seed: 11 })) });
    await s.page.getByTestId('toast-info').filter({ hasText: "decoder 'starry_night' imported" }).last().waitFor({ timeout: 30_000 });
    await loadDoc(s.page, decodePreset(), 'yours decode');
    await s.page.getByTestId('run-all').click();
    await waitDone(s.page, ['photo', 'decode', 'out'], 170_000);
    expect(await noteOf('decode')).toBe("decoder 'starry_night' (yours)");
  });
});
