/**
 * A graph from someone else (a share link, a dropped .json, a dropped PNG with a graph inside) opens
 * paused in the editor: a banner lists what it would load, and nothing is fetched or run until the
 * user presses Run. A local server counts the requests its `url` param would make.
 */
import { createServer, type Server } from 'node:http';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { embedGraphInPng } from '../../src/graph/share-png';
import { encodeGraphFragment } from '../../src/graph/share-url';
import type { GraphDocument } from '../../src/graph/types';
import { dropFile, graphName, launch, nodeState, openEditor, waitDone, type Session } from './browser';

const url = inject('baseUrl');
let s: Session;
let server: Server;
let imageBase: string;
/** Requests the image server received, by path. */
const requests: string[] = [];

function tile(): Buffer {
  const png = new PNG({ width: 8, height: 6 });
  for (let i = 0; i < png.data.length; i += 4) png.data.set([200, (i * 3) % 256, 40, 255], i);
  return PNG.sync.write(png);
}

/** image-source (url) -> image-out; `path` names what the server should see requested. */
function graphFetching(path: string): GraphDocument {
  return {
    schemaVersion: 1,
    nodes: [
      { id: 'src', type: 'image-source', version: 1, params: { url: `${imageBase}${path}`, maxSide: 64 }, position: { x: 0, y: 0 } },
      { id: 'out', type: 'image-out', version: 1, params: {}, position: { x: 320, y: 0 } },
    ],
    edges: [{ from: { node: 'src', port: 'image' }, to: { node: 'out', port: 'image' } }],
    meta: {},
  };
}

const seen = (path: string) => requests.filter((r) => r === path).length;
/** Long enough for a live run (40 ms debounce) to have fetched many times over. */
const settle = () => new Promise((r) => setTimeout(r, 2500));

beforeAll(async () => {
  const body = tile();
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'image/png', 'access-control-allow-origin': '*' }).end(body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  imageBase = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  s = await launch();
});
afterAll(async () => {
  await s?.close();
  server?.close();
});

describe('graphs from elsewhere open paused', () => {
  it('a share link fetches nothing until Run; the banner lists the URL', async () => {
    await openEditor(s.page, `${url}${encodeGraphFragment(graphFetching('/link.png'))}`);
    const banner = s.page.getByTestId('paused-banner');
    await banner.waitFor({ timeout: 10_000 });
    expect(await banner.getByTestId('paused-references').textContent()).toContain(`${imageBase}/link.png`);
    await settle();
    expect(seen('/link.png')).toBe(0);
    expect(await nodeState(s.page, 'src')).toBe('idle');

    await s.page.getByTestId('paused-run').click();
    await waitDone(s.page, ['src', 'out']);
    expect(seen('/link.png')).toBeGreaterThanOrEqual(1);
    expect(await banner.count()).toBe(0);
  });

  it('a dropped .json stays paused through "Keep paused" and a reload; Run then fetches', async () => {
    const doc = graphFetching('/drop.png');
    await dropFile(s.page, 'theirs.json', 'application/json', Buffer.from(JSON.stringify(doc)));
    await expect.poll(() => graphName(s.page)).toBe('theirs');
    const banner = s.page.getByTestId('paused-banner');
    await banner.waitFor();
    expect(await banner.getAttribute('data-kept')).toBe('false');
    await s.page.getByTestId('paused-keep').click();
    expect(await banner.getAttribute('data-kept')).toBe('true');
    // Editing a param of the paused graph runs nothing either.
    await s.page.evaluate(() => (window as any).mgan.editor.store.edit((d: any) => ({ ...d, nodes: d.nodes.map((n: any) => (n.id === 'src' ? { ...n, params: { ...n.params, maxSide: 32 } } : n)) })));
    await settle();
    expect(seen('/drop.png')).toBe(0);

    await s.page.evaluate(() => (window as any).mgan.editor.flush());
    await s.page.reload();
    await s.page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
    expect(await graphName(s.page)).toBe('theirs');
    await s.page.getByTestId('paused-banner').waitFor();
    await settle();
    expect(seen('/drop.png')).toBe(0);

    await s.page.getByTestId('paused-run').click();
    await waitDone(s.page, ['src', 'out']);
    expect(seen('/drop.png')).toBeGreaterThanOrEqual(1);
  });

  it('a dropped PNG with a graph inside opens paused too', async () => {
    const png = embedGraphInPng(new Uint8Array(tile()), graphFetching('/png.png'));
    await dropFile(s.page, 'picture.png', 'image/png', png);
    await expect.poll(() => graphName(s.page)).toBe('picture');
    await s.page.getByTestId('paused-banner').waitFor();
    expect(await s.page.getByTestId('paused-references').textContent()).toContain(`${imageBase}/png.png`);
    await settle();
    expect(seen('/png.png')).toBe(0);
    // A run button on a node is the user saying so as well.
    await s.page.evaluate(() => (window as any).mgan.editor.run('out'));
    await waitDone(s.page, ['src', 'out']);
    expect(seen('/png.png')).toBeGreaterThanOrEqual(1);
    expect(await s.page.getByTestId('paused-banner').count()).toBe(0);
  });
});
