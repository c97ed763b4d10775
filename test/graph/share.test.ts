import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodeGraphFragment, encodeGraphFragment, encodeGraphJson } from '../../src/graph/share-url';
import { embedGraphInPng, extractGraphFromPng, PNG_GRAPH_KEYWORD } from '../../src/graph/share-png';
import { crc32, encodePngChunk, joinPng, readPngChunks } from '../../src/formats/png-chunks';
import { ShareCodecError } from '../../src/graph/share-errors';
import { validateDocument } from '../../src/graph/validate';
import type { GraphDocument } from '../../src/graph/types';
import { sampleDocument, types } from './fixtures';

const TITLE = 'Sternennacht — 星月夜 🌌';

function unicodeDocument(): GraphDocument {
  const doc = validateDocument(sampleDocument(), types).document!;
  doc.meta = { title: TITLE, notes: 'line one\nline "two" \\ \u0000 end' };
  doc.nodes[3].label = 'Ausgabe — 出力';
  doc.nodes[3].params.name = 'résultat 🌌';
  return doc;
}

function tinyPng(): Uint8Array {
  const png = new PNG({ width: 4, height: 3 });
  for (let i = 0; i < png.data.length; i++) png.data[i] = (i * 37) % 256;
  return new Uint8Array(PNG.sync.write(png));
}

function expectShareError(f: () => unknown, message: RegExp) {
  expect(f).toThrow(ShareCodecError);
  expect(f).toThrow(message);
}

describe('URL fragment codec', () => {
  it('round-trips a document with unicode text', () => {
    const doc = unicodeDocument();
    const hash = encodeGraphFragment(doc);
    expect(hash.startsWith('#graph=')).toBe(true);
    expect(hash).toMatch(/^#graph=v2\.[0-9a-f]{8}\.[A-Za-z0-9+\-$]+$/);
    const back = decodeGraphFragment(hash);
    expect(back).toEqual(doc);
    expect(validateDocument(back, types).document!.meta.title).toBe(TITLE);
    // a whole URL works too, also after a chat app percent-encoded it or turned '+' into spaces
    expect(decodeGraphFragment(`https://example.org/studio/${hash}`)).toEqual(doc);
    expect(hash).toMatch(/[+$]/); // so the two lines below really change it
    expect(decodeGraphFragment(hash.replace(/\$/g, '%24').replace(/\+/g, '%2B'))).toEqual(doc);
    expect(decodeGraphFragment(hash.replace(/\+/g, ' '))).toEqual(doc);
  });

  it('compresses a 30-node graph to well under half its JSON size', () => {
    const doc = unicodeDocument();
    for (let i = 0; i < 26; i++) doc.nodes.push({ ...doc.nodes[0], id: `noise-${i}`, position: { x: i * 40, y: 0 } });
    expect(encodeGraphFragment(doc).length).toBeLessThan(JSON.stringify(doc).length * 0.5);
  });

  it('rejects a missing prefix, empty, garbled and tampered data clearly', () => {
    const hash = encodeGraphFragment(unicodeDocument());
    expectShareError(() => decodeGraphFragment('#view=1'), /holds no graph/);
    expectShareError(() => decodeGraphFragment('#graph='), /empty/);
    expectShareError(() => decodeGraphFragment('#graph=abc%20def'), /damaged/);
    expectShareError(() => decodeGraphFragment(hash.slice(0, Math.floor(hash.length / 2))), /damaged/);
    // flip characters in the middle: the checksum makes it fail as damaged, never return another graph
    const payload = hash.slice('#graph='.length);
    const mid = Math.floor(payload.length / 2);
    const tampered = `#graph=${payload.slice(0, mid)}${payload[mid] === 'A' ? 'B' : 'A'}${payload[mid + 1] === 'z' ? 'y' : 'z'}${payload.slice(mid + 2)}`;
    expectShareError(() => decodeGraphFragment(tampered), /the graph link is damaged: its checksum does not match/);
  });

  it('refuses every one-character edit, cut and insertion of a link as damaged', () => {
    const hash = encodeGraphFragment(unicodeDocument());
    const payload = hash.slice('#graph='.length);
    const alphabet = 'Ab9+-$.z';
    let checked = 0;
    for (let i = 0; i < payload.length; i += Math.max(1, Math.floor(payload.length / 97))) {
      const c = alphabet[i % alphabet.length] === payload[i] ? alphabet[(i + 1) % alphabet.length] : alphabet[i % alphabet.length];
      for (const edited of [payload.slice(0, i) + c + payload.slice(i + 1), payload.slice(0, i) + payload.slice(i + 1), payload.slice(0, i) + c + payload.slice(i), payload.slice(0, i)]) {
        if (edited === payload || edited === '') continue;
        expectShareError(() => decodeGraphFragment(`#graph=${edited}`), /the graph link is damaged/);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(300);
  });

  it('opens links made before the checksum (no version prefix)', async () => {
    const lz = (await import('lz-string')).default;
    const doc = unicodeDocument();
    const legacy = `#graph=${lz.compressToEncodedURIComponent(JSON.stringify(doc))}`;
    expect(decodeGraphFragment(legacy)).toEqual(doc);
    // their damage is still caught where it breaks the data
    expectShareError(() => decodeGraphFragment(legacy.slice(0, legacy.length - 25)), /damaged/);
  });

  it('refuses a newer link format, an over-long link and a link whose graph nests too deeply', () => {
    const hash = encodeGraphFragment(unicodeDocument());
    expectShareError(() => decodeGraphFragment(hash.replace('#graph=v2.', '#graph=v3.')), /format v3, which this MGAN Studio does not read.*update MGAN Studio/);
    const huge = encodeGraphJson(JSON.stringify({ schemaVersion: 1, nodes: [], meta: { noise: Array.from({ length: 60_000 }, (_, i) => (i * 7919) % 100_003) } }));
    expectShareError(() => decodeGraphFragment(huge), /characters long, more than the 200000 a link may hold: share the graph as a \.json file/);
    const deep = encodeGraphJson(`{"schemaVersion":1,"nodes":[],"meta":{"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`);
    expectShareError(() => decodeGraphFragment(deep), /the graph in this link cannot be opened: the JSON nests deeper than 64 levels/);
    const big = encodeGraphJson(JSON.stringify({ schemaVersion: 1, nodes: [], meta: { text: 'x'.repeat(5000) } }));
    expectShareError(() => decodeGraphFragment(big, 4000), /the graph in this link cannot be opened: the document is .*more than the 3\.9 kB allowed/);
  });
});

describe('PNG chunk codec', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('round-trips a document with unicode text and leaves the pixels readable and unchanged', () => {
    const png = tinyPng();
    const doc = unicodeDocument();
    const withGraph = embedGraphInPng(png, doc);
    expect(extractGraphFromPng(withGraph)).toEqual(doc);
    expect(extractGraphFromPng(png)).toBeUndefined();
    const decoded = PNG.sync.read(Buffer.from(withGraph));
    expect(new Uint8Array(decoded.data)).toEqual(new Uint8Array(PNG.sync.read(Buffer.from(png)).data));
    const types = readPngChunks(withGraph).map((c) => c.type);
    expect(types[0]).toBe('IHDR');
    expect(types.at(-1)).toBe('IEND');
    expect(types.at(-2)).toBe('iTXt');
  });

  it('replaces an existing graph chunk (iTXt or tEXt) and keeps other text chunks', () => {
    const latin1 = (s: string) => Uint8Array.from([...s].map((c) => c.charCodeAt(0)));
    const chunks = readPngChunks(tinyPng()).map((c) => c.raw);
    const oldGraph = encodePngChunk('tEXt', latin1(`${PNG_GRAPH_KEYWORD}\u0000{"old":true}`));
    const author = encodePngChunk('tEXt', latin1('Author\u0000someone'));
    const png = joinPng([chunks[0], oldGraph, author, ...chunks.slice(1)]);
    expect(extractGraphFromPng(png)).toEqual({ old: true });
    const once = embedGraphInPng(png, unicodeDocument());
    const twice = embedGraphInPng(once, sampleDocument());
    const texts = readPngChunks(twice).filter((c) => c.type === 'tEXt' || c.type === 'iTXt');
    expect(texts).toHaveLength(2);
    expect(extractGraphFromPng(twice)).toEqual(sampleDocument());
    expect(texts.map((c) => c.type)).toEqual(['tEXt', 'iTXt']); // Author kept, one graph chunk
  });

  it('reads a graph stored as ASCII-escaped JSON in tEXt', () => {
    const json = JSON.stringify({ meta: { title: TITLE } }).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const chunks = readPngChunks(tinyPng()).map((c) => c.raw);
    const text = encodePngChunk('tEXt', Uint8Array.from([...`${PNG_GRAPH_KEYWORD}\u0000${json}`].map((c) => c.charCodeAt(0))));
    const png = joinPng([chunks[0], text, ...chunks.slice(1)]);
    expect(extractGraphFromPng(png)).toEqual({ meta: { title: TITLE } });
  });

  it('rejects non-PNG bytes, truncated files and damaged graph chunks clearly', () => {
    expectShareError(() => extractGraphFromPng(new TextEncoder().encode('{"schemaVersion":1}')), /^not a PNG file$/);
    expectShareError(() => embedGraphInPng(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]), sampleDocument()), /not a PNG file/);
    const withGraph = embedGraphInPng(tinyPng(), sampleDocument());
    expectShareError(() => extractGraphFromPng(withGraph.subarray(0, withGraph.length - 20)), /truncated/);
    const chunk = readPngChunks(withGraph).find((c) => c.type === 'iTXt')!;
    const damaged = withGraph.slice();
    damaged[chunk.raw.byteOffset - withGraph.byteOffset + 40] ^= 0x20;
    expectShareError(() => extractGraphFromPng(damaged), /checksum mismatch/);
  });
});
