/**
 * Images a graph carries itself (data: URLs in a URL param) and files only one browser holds
 * (browser-asset keys): listed, embedded, checked on load, and never counted as something fetched.
 */
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import {
  MAX_EMBEDDED_IMAGE_BYTES,
  dataUrlBytes,
  decodeEmbeddedImage,
  droppedFiles,
  embedDroppedFiles,
  embeddedImageProblem,
  embeddedImageUrl,
  embeddedImages,
} from '../../src/graph/embedded-images';
import { externalReferences } from '../../src/graph/resources';
import { validateDocument } from '../../src/graph/validate';
import type { GraphDocument } from '../../src/graph/types';
import { nodeRegistry } from '../../src/nodes/registry';

const node = (id: string, type: string, params: Record<string, unknown> = {}) => ({ id, type, version: 1, params, position: { x: 0, y: 0 } });

function tinyPng(): Uint8Array {
  const png = new PNG({ width: 3, height: 2 });
  for (let i = 0; i < png.data.length; i += 4) png.data.set([i * 9, 200 - i * 5, 40, 255], i);
  return new Uint8Array(PNG.sync.write(png));
}

describe('embedded images (data: URLs)', () => {
  it('round-trips bytes through a data: URL and knows their size without decoding', () => {
    const bytes = tinyPng();
    const url = embeddedImageUrl('image/png', bytes);
    expect(url.startsWith('data:image/png;base64,')).toBe(true);
    expect(dataUrlBytes(url)).toBe(bytes.length);
    expect(embeddedImageProblem(url)).toBeUndefined();
    const back = decodeEmbeddedImage(url, 'the image');
    expect(back.type).toBe('image/png');
    expect([...back.bytes]).toEqual([...bytes]);
  });

  it('refuses other types, plain text payloads, damaged base64 and oversized images, naming why', () => {
    expect(embeddedImageProblem('http://x/a.png')).toMatch(/not a data: URL/);
    expect(embeddedImageProblem('data:text/html;base64,PGgxPg==')).toMatch(/holds 'text\/html', but an embedded image must be image\/png or image\/jpeg/);
    expect(embeddedImageProblem('data:image/svg+xml;base64,PHN2Zz4=')).toMatch(/'image\/svg\+xml'/);
    expect(embeddedImageProblem('data:image/png,rawtext')).toMatch(/not base64/);
    expect(embeddedImageProblem('data:image/png;base64,ab$d')).toMatch(/damaged base64/);
    expect(embeddedImageProblem('data:image/png;base64,abc')).toMatch(/damaged base64/);
    const huge = `data:image/jpeg;base64,${'A'.repeat(Math.ceil(((MAX_EMBEDDED_IMAGE_BYTES + 4) * 4) / 3 / 4) * 4)}`;
    expect(embeddedImageProblem(huge)).toMatch(/holds 4\.0 MB, more than the 4 MB an embedded image may have/);
    expect(() => decodeEmbeddedImage('data:text/html;base64,PGgxPg==', "node 'src': param 'url'")).toThrow(/^node 'src': param 'url' holds 'text\/html'/);
  });

  it('an embedded image is no external reference; a dropped file is listed as one only this browser holds', () => {
    const url = embeddedImageUrl('image/png', tinyPng());
    const doc: GraphDocument = {
      schemaVersion: 1,
      nodes: [node('a', 'image-source', { url }), node('b', 'image-source', { url: 'https://example.org/x.png' }), node('c', 'image-source', { asset: 'abc123' })],
      edges: [],
      meta: {},
    } as GraphDocument;
    expect(externalReferences(doc, nodeRegistry).map((r) => [r.nodeId, r.kind, r.value])).toEqual([['b', 'url', 'https://example.org/x.png']]);
    expect(embeddedImages(doc, nodeRegistry)).toEqual([{ nodeId: 'a', nodeType: 'image-source', param: 'url', bytes: tinyPng().length }]);
    expect(droppedFiles(doc, nodeRegistry)).toEqual([{ nodeId: 'c', nodeType: 'image-source', param: 'asset', key: 'abc123', embedParam: 'url' }]);
  });

  it('embedding moves a dropped file into the URL param; the result loads and lists no dropped file', () => {
    const doc = {
      schemaVersion: 1,
      nodes: [node('c', 'image-source', { asset: 'abc123', url: 'https://old.example/x.png' }), node('d', 'image-source', { asset: 'def456' }), node('out', 'image-out')],
      edges: [{ from: { node: 'c', port: 'image' }, to: { node: 'out', port: 'image' } }],
      meta: {},
    } as GraphDocument;
    const url = embeddedImageUrl('image/png', tinyPng());
    const embedded = embedDroppedFiles(doc, nodeRegistry, new Map([['c', url]]));
    expect(embedded.nodes[0]!.params).toMatchObject({ asset: '', url });
    // A node with no copy keeps its key; the document itself is not changed.
    expect(embedded.nodes[1]!.params.asset).toBe('def456');
    expect(doc.nodes[0]!.params.asset).toBe('abc123');
    expect(droppedFiles(embedded, nodeRegistry).map((f) => f.nodeId)).toEqual(['d']);
    const loaded = validateDocument(JSON.parse(JSON.stringify(embedded)), nodeRegistry);
    expect(loaded.errors).toEqual([]);
    expect(loaded.document!.nodes[0]!.params.url).toBe(url);
  });

  it('a document holding a data: URL that is not an image the graph may embed is refused on load, the message cut short', () => {
    const bad = `data:text/html;base64,${btoa('<script>alert(1)</script>'.repeat(10))}`;
    const result = validateDocument({ schemaVersion: 1, nodes: [node('src', 'image-source', { url: bad })], edges: [], meta: {} }, nodeRegistry);
    expect(result.document).toBeUndefined();
    const message = result.errors.find((e) => e.code === 'param-embedded-image')!.message;
    expect(message).toMatch(/^node 'src' \(image-source\): param 'url' = "data:text\/html;base64,[^"]*… \(\d+ characters\)" is not an image the graph may embed: it holds 'text\/html'/);
    expect(message.length).toBeLessThan(260);
  });
});
