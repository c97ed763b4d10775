/**
 * The bad-input corpus in the editor: generated bad graph files (the corpus's document kinds that
 * the editor's own loader refuses), damaged PNGs and JPEGs dropped on the canvas, bad `.mgan` files
 * and tampered share links. Each must show an error message and leave the open graph, its name and
 * the decoder store as they were.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { encodeGraphFragment, encodeGraphJson } from '../../src/graph/share-url';
import { parseDocument } from '../../src/graph/validate';
import type { GraphDocument } from '../../src/graph/types';
import { nodeRegistry } from '../../src/nodes/registry';
import type { CorpusCase } from '../corpus/case';
import { literal } from '../corpus/kinds/build';
import { cases as decoderCases } from '../corpus/kinds/decoders';
import { cases as hugeCases } from '../corpus/kinds/huge-graph';
import { cases as idCases } from '../corpus/kinds/ids';
import { cases as imageCases } from '../corpus/kinds/images';
import { cases as jsonCases } from '../corpus/kinds/json';
import { cases as nestingCases } from '../corpus/kinds/nesting';
import { cases as paramCases } from '../corpus/kinds/params';
import { cases as pngChunkCases } from '../corpus/kinds/png-chunks';
import { currentDoc, dropFile, flushSaves, graphName, launch, loadDoc, openEditor, type Session } from './browser';

const url = inject('baseUrl');
let s: Session;

const TINY: GraphDocument = {
  schemaVersion: 1,
  nodes: [
    { id: 'noise', type: 'perlin-noise', version: 1, params: { width: 16, height: 16, scale: 8, octaves: 2, seed: 3, color: true }, position: { x: 0, y: 0 } },
    { id: 'out', type: 'image-out', version: 1, params: {}, position: { x: 320, y: 0 } },
  ],
  edges: [{ from: { node: 'noise', port: 'image' }, to: { node: 'out', port: 'image' } }],
  meta: {},
};

interface BadFile {
  name: string;
  file: string;
  bytes: Uint8Array;
  /** What the message must contain. */
  message: RegExp;
  /** Drop on the canvas (images) instead of the import picker. */
  drop?: boolean;
}

const bytesOf = (content: string | Uint8Array) => (typeof content === 'string' ? new TextEncoder().encode(content) : content);
const MAX_BYTES_SENT = 6 * 1024 * 1024;

/** Graph files from the corpus's document kinds that the editor's loader (partial mode) refuses. */
function badGraphFiles(): BadFile[] {
  const sample = (list: CorpusCase[], every: number) => list.filter((_, i) => i % every === 0);
  const out: BadFile[] = [];
  for (const c of [...sample(jsonCases, 1), ...sample(nestingCases, 2), ...sample(hugeCases, 2), ...sample(idCases, 3), ...sample(paramCases, 16)]) {
    const content = c.files?.['g.json'];
    if (content === undefined || c.env || bytesOf(content).length > MAX_BYTES_SENT) continue;
    const text = new TextDecoder().decode(bytesOf(content));
    const size = bytesOf(content).length;
    const loaded = parseDocument(text, nodeRegistry, { partial: true });
    if (size <= 4 * 1024 * 1024 && loaded.document) continue; // the editor opens it: not a bad input there
    const first = size > 4 * 1024 * 1024 ? 'more than the 4.0 MiB allowed' : loaded.errors[0].message;
    out.push({ name: `${c.kind}: ${c.name}`, file: `case-${out.length}.json`, bytes: bytesOf(content), message: new RegExp(`'case-${out.length}\\.json' is not a valid graph: .*${literal(first)}`) });
  }
  return out;
}

/** Damaged images from the corpus, dropped on the canvas; damaged graph chunks from the PNG kind. */
function badImages(): BadFile[] {
  const out: BadFile[] = [];
  for (const c of imageCases.filter((x) => x.expect.exitCode !== 0 && !x.env)) {
    const [file, content] = Object.entries(c.files ?? {}).find(([f]) => f !== 'g.json')!;
    const ext = file.slice(file.lastIndexOf('.'));
    const name = `img-${out.length}${ext}`;
    out.push({ name: `images: ${c.name}`, file: name, bytes: bytesOf(content), message: new RegExp(`'${literal(name)}'`), drop: true });
  }
  // PNGs without a graph are sound images: dropped, they become image sources, as they should.
  for (const c of pngChunkCases.filter((x) => x.expect.exitCode === 2 && x.files?.['img.png'] && !x.env && !/holds no/.test(x.expect.message.source))) {
    const name = `chunk-${out.length}.png`;
    out.push({ name: `png-chunks: ${c.name}`, file: name, bytes: bytesOf(c.files!['img.png']), message: new RegExp(`'${literal(name)}'`), drop: out.length % 2 === 0 });
  }
  return out;
}

/** Bad decoder files small enough to send (the damage is in the header or the size). */
function badDecoders(): BadFile[] {
  return decoderCases
    .filter((c) => c.args[1] === 'import' && c.files?.['bad.mgan'] && bytesOf(c.files['bad.mgan']).length < 2_000_000)
    .map((c, i) => ({ name: `decoders: ${c.name}`, file: `dec-${i}.mgan`, bytes: bytesOf(c.files!['bad.mgan']), message: new RegExp(`dec-${i}\\.mgan`) }));
}

async function clearToasts(page: Page): Promise<void> {
  await page.evaluate(() => {
    const toasts = (window as any).mgan.editor.toasts;
    for (const t of toasts.getSnapshot()) toasts.dismiss(t.id);
  });
}

/** The text of the error toast that appears next (the DOM element the user sees). */
async function nextError(page: Page): Promise<string> {
  const toast = page.getByTestId('toast-error').first();
  await toast.waitFor({ timeout: 15_000 });
  return (await toast.textContent()) ?? '';
}

async function give(page: Page, f: BadFile): Promise<void> {
  const mimeType = f.file.endsWith('.json') ? 'application/json' : f.file.endsWith('.png') ? 'image/png' : f.file.endsWith('.jpg') ? 'image/jpeg' : 'application/octet-stream';
  if (!f.drop) {
    await page.getByTestId('import-input').setInputFiles({ name: f.file, mimeType, buffer: Buffer.from(f.bytes) });
    return;
  }
  await dropFile(page, f.file, mimeType, f.bytes);
}

/** Sends every file, collecting what went wrong; the graph, its name and the decoders must not change. */
async function refuseAll(page: Page, files: BadFile[]): Promise<string[]> {
  const before = await currentDoc(page);
  const name = await graphName(page);
  const decoders: string[] = await page.evaluate(() => (window as any).mgan.editor.decoderChoices().then((c: Array<{ name: string; origin: string }>) => c.map((d) => `${d.origin}:${d.name}`)));
  const problems: string[] = [];
  for (const f of files) {
    await clearToasts(page);
    await give(page, f);
    let text = '';
    try {
      text = await nextError(page);
    } catch {
      problems.push(`${f.name}: no error message`);
      continue;
    }
    if (!f.message.test(text)) problems.push(`${f.name}: message ${JSON.stringify(text.slice(0, 300))} does not match ${f.message}`);
    if (/undefined|\[object |have should not go down|waitng|Maximum call stack/.test(text)) problems.push(`${f.name}: internal text in ${JSON.stringify(text.slice(0, 300))}`);
    const after = await currentDoc(page);
    if (JSON.stringify(after) !== JSON.stringify(before)) problems.push(`${f.name}: the graph changed`);
    if ((await graphName(page)) !== name) problems.push(`${f.name}: the graph's name changed`);
  }
  const decodersAfter: string[] = await page.evaluate(() => (window as any).mgan.editor.decoderChoices().then((c: Array<{ name: string; origin: string }>) => c.map((d) => `${d.origin}:${d.name}`)));
  if (decodersAfter.join() !== decoders.join()) problems.push(`the decoder store changed: ${decodersAfter.join()}`);
  return problems;
}

beforeAll(async () => {
  s = await launch();
  await openEditor(s.page, url);
  await loadDoc(s.page, TINY, 'the open graph');
});
afterAll(async () => {
  await s?.close();
});

describe('the bad-input corpus in the editor', () => {
  it('refuses bad graph files with a message, keeping the open graph', async () => {
    const files = badGraphFiles();
    expect(files.length).toBeGreaterThan(60);
    process.stderr.write(`editor corpus: ${files.length} graph files\n`);
    expect(await refuseAll(s.page, files)).toEqual([]);
  });

  it('refuses damaged images and graph chunks dropped on the canvas, keeping the open graph', async () => {
    const files = badImages();
    expect(files.length).toBeGreaterThan(50);
    process.stderr.write(`editor corpus: ${files.length} images and graph chunks\n`);
    expect(await refuseAll(s.page, files)).toEqual([]);
  });

  it('refuses bad decoder files, keeping the graph and the decoder store', async () => {
    const files = badDecoders();
    expect(files.length).toBeGreaterThan(20);
    process.stderr.write(`editor corpus: ${files.length} decoder files\n`);
    expect(await refuseAll(s.page, files)).toEqual([]);
  });

  it('refuses tampered, too new, too deep and too long share links, keeping the open graph', async () => {
    await flushSaves(s.page);
    const before = await currentDoc(s.page);
    const name = await graphName(s.page);
    const base = url.split('#')[0];
    const hash = encodeGraphFragment({ ...TINY, meta: { title: 'shared' } });
    const data = hash.slice('#graph='.length);
    const links: Array<[string, string, RegExp]> = [];
    for (let k = 1; k <= 6; k++) {
      const at = Math.floor((data.length * k) / 7);
      const c = data[at] === 'A' ? 'B' : 'A';
      links.push([`edited at ${at}`, `#graph=${data.slice(0, at)}${c}${data.slice(at + 1)}`, /share link is damaged/]);
    }
    links.push(['cut in half', `#graph=${data.slice(0, data.length / 2)}`, /share link is damaged/]);
    links.push(['its checksum cut', `#graph=${data.slice(0, 6)}`, /share link is damaged/]);
    links.push(['a character no link has', `#graph=${data.slice(0, 30)}!${data.slice(30)}`, /share link is damaged/]);
    links.push(['a newer format', hash.replace('#graph=v2.', '#graph=v3.'), /format v3, which this MGAN Studio does not read/]);
    links.push(['a graph nested 10000 deep', encodeGraphJson(`{"schemaVersion":1,"nodes":[],"meta":{"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`), /nests deeper than 64 levels/]);
    links.push(['a graph of 1001 nodes', encodeGraphJson(JSON.stringify({ schemaVersion: 1, nodes: Array.from({ length: 1001 }, (_, i) => ({ id: `n${i}`, type: 'perlin-noise' })) })), /the graph has 1001 nodes, more than the 1000 allowed/]);
    links.push(['a graph with a bad param', encodeGraphJson(JSON.stringify({ ...TINY, nodes: [{ ...TINY.nodes[0], params: { width: -3 } }] })), /param 'width' = -3 is below its minimum 1/]);
    process.stderr.write(`editor corpus: ${links.length} share links\n`);
    const problems: string[] = [];
    for (const [what, fragment, message] of links) {
      await s.page.goto('about:blank');
      await openEditor(s.page, `${base}${fragment}`);
      let text = '';
      try {
        text = await nextError(s.page);
      } catch {
        problems.push(`${what}: no error message`);
        continue;
      }
      if (!message.test(text)) problems.push(`${what}: message ${JSON.stringify(text.slice(0, 300))} does not match ${message}`);
      if (JSON.stringify(await currentDoc(s.page)) !== JSON.stringify(before)) problems.push(`${what}: the graph changed`);
      if ((await graphName(s.page)) !== name) problems.push(`${what}: the graph's name changed`);
    }
    expect(problems).toEqual([]);
    // The same link untampered opens.
    await s.page.goto('about:blank');
    await openEditor(s.page, `${base}${hash}`);
    await expect.poll(async () => (await currentDoc(s.page)).meta.title).toBe('shared');
  });
});
