/**
 * The editor's bundled decoders: the site's `decoders/index.json` and `decoders/NAME.mgan`, fetched
 * (a fake fetch serves them here), behind the decoders of yours. The real browser path is covered by
 * test/e2e/bundled-decoders.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserBundledDecoders } from '../../src/platform/browser/bundled-decoders';
import { createNodeDecoderStore } from '../../src/platform/node/decoder-store';
import { createDecoderCatalog, makeBundledIndex } from '../../src/platform/common/decoder-catalog';
import { decodeDecoderFile } from '../../src/platform/common/decoder-store';
import { testDecoderFile } from './test-decoder-file';
import { testVgg19 } from '../support/vgg19';
import type { DecoderCatalog } from '../../src/services/decoder-catalog';

const BASE = 'http://site.test/app/';
let dir: string;
let file: Uint8Array;
let served: Map<string, { status: number; body: Uint8Array | string }>;
const requests: string[] = [];

const fakeFetch = (async (input: RequestInfo | URL) => {
  const url = String(input);
  requests.push(url);
  const hit = served.get(url);
  if (!hit) return new Response('not found', { status: 404 });
  return new Response(typeof hit.body === 'string' ? hit.body : new Blob([hit.body.slice()]), { status: hit.status });
}) as typeof fetch;

function catalog(): DecoderCatalog {
  const loadVgg = (layer: Parameters<typeof testVgg19.load>[0]) => testVgg19.load(layer);
  return createDecoderCatalog({
    yours: createNodeDecoderStore({ dir: join(dir, `yours-${Math.random()}`), loadVgg }),
    bundled: createBrowserBundledDecoders({ baseUrl: BASE, fetch: fakeFetch }),
    loadVgg,
    yoursWhere: 'in this browser',
    importHint: "drop it on the editor's canvas",
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mgan-bundled-browser-'));
  file = await testDecoderFile('starry_night');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function serve(entries: Record<string, { status?: number; body: Uint8Array | string }>) {
  served = new Map(Object.entries(entries).map(([k, v]) => [`${BASE}decoders/${k}`, { status: v.status ?? 200, body: v.body }]));
}

const indexOf = (bytes: Uint8Array) =>
  JSON.stringify(makeBundledIndex([{ name: 'starry_night', file: 'starry_night.mgan', bytes: bytes.byteLength, quantization: 'uint8', meta: decodeDecoderFile(bytes).meta }]));

describe('bundled decoders in the browser', () => {
  it('lists them from the index without downloading a file, and opens one by name from the site', async () => {
    serve({ 'index.json': { body: indexOf(file) }, 'starry_night.mgan': { body: file } });
    const c = catalog();
    requests.length = 0;
    expect((await c.list()).map((m) => m.name)).toEqual(['starry_night']);
    expect(await c.entries()).toMatchObject([{ name: 'starry_night', origin: 'bundled', bytes: file.byteLength, quantization: 'uint8', file: `${BASE}decoders/starry_night.mgan` }]);
    expect(requests).toEqual([`${BASE}decoders/index.json`]);
    const opened = await c.open('starry_night');
    expect(opened.label).toBe("decoder 'starry_night' (bundled)");
    expect(opened.decoder.meta.record?.texture).toBe('starry_night');
    opened.decoder.dispose();
    expect(requests).toEqual([`${BASE}decoders/index.json`, `${BASE}decoders/starry_night.mgan`]);
  });

  it('a site without an index has none bundled: the message says how to get a decoder', async () => {
    serve({});
    await expect(catalog().open('starry_night')).rejects.toThrow(
      `no decoder named 'starry_night': none saved in this browser (saved: none), none bundled in ${BASE}decoders/. To get one: use a bundled name, import a shared .mgan file (drop it on the editor's canvas), or train one with the mgan-train preset`,
    );
  });

  it('a damaged or missing bundled file, or an unreadable index, fails naming it', async () => {
    serve({ 'index.json': { body: indexOf(file) }, 'starry_night.mgan': { body: file.subarray(0, 1000) } });
    await expect(catalog().open('starry_night')).rejects.toThrow(`bundled decoder file '${BASE}decoders/starry_night.mgan' is not an MGAN Studio decoder file`);
    serve({ 'index.json': { body: indexOf(file) } });
    await expect(catalog().open('starry_night')).rejects.toThrow(`bundled decoder file '${BASE}decoders/starry_night.mgan' could not be fetched: HTTP 404`);
    serve({ 'index.json': { body: '<!doctype html>' } });
    await expect(catalog().open('starry_night')).rejects.toThrow(`the index of bundled decoders '${BASE}decoders/index.json' is not valid JSON`);
    serve({ 'index.json': { body: JSON.stringify({ format: 'mgan-studio-bundled-decoders', version: 1, decoders: [{ name: 'a', file: '../evil.mgan', bytes: 1 }] }) } });
    await expect(catalog().open('a')).rejects.toThrow(`the index of bundled decoders '${BASE}decoders/index.json' is not an index of bundled decoders: entry 'a' names the file '../evil.mgan', expected 'a.mgan'`);
  });

  it('yours takes precedence over a bundled decoder of the same name', async () => {
    serve({ 'index.json': { body: indexOf(file) }, 'starry_night.mgan': { body: file } });
    const c = catalog();
    await c.importFile(await testDecoderFile('mine', { seed: 8 }), 'starry_night');
    requests.length = 0;
    const opened = await c.open('starry_night');
    expect(opened.label).toBe("decoder 'starry_night' (yours)");
    opened.decoder.dispose();
    expect(requests).toEqual([]);
    expect((await c.entries()).map((e) => [e.name, e.origin, e.hidden ?? false])).toEqual([
      ['starry_night', 'yours', false],
      ['starry_night', 'bundled', true],
    ]);
    expect((await c.list()).length).toBe(1);
  });

  it('renames a decoder of yours (weights and meta kept, the old name gone); a bundled one is read-only; a taken name is refused', async () => {
    serve({ 'index.json': { body: indexOf(file) }, 'starry_night.mgan': { body: file } });
    const c = catalog();
    const bytes = await testDecoderFile('mine', { seed: 8, float: true });
    await c.importFile(bytes, 'mine');
    await c.importFile(bytes, 'other');
    const renamed = await c.rename('mine', 'brick_v2');
    expect(renamed.name).toBe('brick_v2');
    expect((await c.entries()).map((e) => `${e.name}:${e.origin}`)).toEqual(['brick_v2:yours', 'other:yours', 'starry_night:bundled']);
    // The same weights under the new name.
    const moved = decodeDecoderFile(await c.exportFile('brick_v2')).weightData;
    expect(moved.byteLength).toBe(decodeDecoderFile(bytes).weightData.byteLength);
    expect(Buffer.from(moved).equals(Buffer.from(decodeDecoderFile(bytes).weightData))).toBe(true);
    await expect(c.rename('brick_v2', 'other')).rejects.toThrow("a decoder of yours is already named 'other': delete or rename that one first");
    await expect(c.rename('starry_night', 'mine')).rejects.toThrow(/'starry_night' is a bundled decoder .*: it is read-only; export it and import the file under a new name/);
    await expect(c.rename('nope', 'x')).rejects.toThrow(/no decoder named 'nope'/);
    await expect(c.rename('other', '../x')).rejects.toThrow(/invalid decoder name '\.\.\/x'/);
    // A bundled name is allowed: yours then hides the bundled one.
    await c.rename('other', 'starry_night');
    expect((await c.entries()).map((e) => [e.name, e.origin, e.hidden ?? false])).toEqual([
      ['brick_v2', 'yours', false],
      ['starry_night', 'yours', false],
      ['starry_night', 'bundled', true],
    ]);
  });
});
