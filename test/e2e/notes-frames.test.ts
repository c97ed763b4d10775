/**
 * Notes and frames in a real browser: added from the toolbar, edited in the inspector, a frame
 * dragged by its title carries its nodes, a node dropped into it joins; nothing re-runs; both survive
 * a reload, .json export and import, a share link and a PNG with the graph inside.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { GraphDocument } from '../../src/graph/types';
import { currentDoc, dropFile, flushSaves, graphName, launch, loadDoc, openEditor, runCounts, waitDone, type Session } from './browser';

const url = inject('baseUrl');
/** Screenshots to look at (ignored by git). */
const SHOTS = 'test/e2e/out';
let s: Session;

const TINY: GraphDocument = {
  schemaVersion: 2,
  nodes: [
    { id: 'noise', type: 'perlin-noise', version: 1, params: { width: 32, height: 32, scale: 8, octaves: 2, seed: 7, color: true }, position: { x: 0, y: 0 } },
    { id: 'out', type: 'image-out', version: 1, params: {}, position: { x: 420, y: 0 } },
  ],
  edges: [{ from: { node: 'noise', port: 'image' }, to: { node: 'out', port: 'image' } }],
  meta: {},
};

const NOTE_TEXT = '## Why patches\nD judges **neural patches**, not pixels. <script>window.pwned = 1</script> [more](javascript:alert(1))';

const pos = (d: GraphDocument, id: string) => d.nodes.find((n) => n.id === id)!.position;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  s = await launch();
  await openEditor(s.page, url);
  await loadDoc(s.page, TINY, 'annotated');
  await waitDone(s.page, ['noise', 'out']);
});
afterAll(async () => {
  await s?.close();
});

async function dragBy(page: Page, selector: string, dx: number, dy: number): Promise<void> {
  const box = (await page.locator(selector).boundingBox())!;
  const x = box.x + Math.min(40, box.width / 2);
  const y = box.y + Math.min(10, box.height / 2);
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) await page.mouse.move(x + (dx * i) / 8, y + (dy * i) / 8);
  await page.mouse.up();
}

async function download(page: Page, testId: string): Promise<Buffer> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return readFileSync((await dl.path())!);
}

describe('notes and frames in Chromium', () => {
  it('adds a note and a frame, moves the frame with its node, and runs nothing', async () => {
    const { page } = s;
    const runsBefore = await runCounts(page);
    await page.getByTestId('add-note').click();
    await page.getByTestId('note-text').fill(NOTE_TEXT);
    await expect.poll(async () => (await currentDoc(page)).annotations?.notes[0]?.text).toBe(NOTE_TEXT);
    const note = page.getByTestId('note-note-1');
    await expect.poll(() => note.locator('h4').textContent()).toBe('Why patches');
    expect(await note.locator('strong').textContent()).toBe('neural patches');
    // Markup in a note is text, and a javascript: link is no link.
    expect(await note.textContent()).toContain('<script>');
    expect(await note.locator('a').count()).toBe(0);
    expect(await page.evaluate(() => (window as any).pwned)).toBeUndefined();

    // A frame around the selected noise node.
    await page.getByTestId('node-noise').click({ position: { x: 60, y: 8 } });
    await page.getByTestId('add-frame').click();
    await expect.poll(async () => (await currentDoc(page)).annotations?.frames[0]?.nodes).toEqual(['noise']);
    await page.getByTestId('frame-title').fill('Texture source');
    await page.getByTestId('frame-color-3fa66b').click();
    await expect.poll(async () => (await currentDoc(page)).annotations?.frames[0]).toMatchObject({ title: 'Texture source', color: '#3fa66b' });
    expect(await page.getByTestId('frame-frame-1').textContent()).toContain('Texture source');

    // Dragging the frame's title moves the frame and the node by the same offset; 'out' stays.
    const before = await currentDoc(page);
    await dragBy(page, '[data-testid="frame-frame-1"] .frame-title', 120, 80);
    await expect.poll(async () => (await currentDoc(page)).annotations!.frames[0].position.x).not.toBe(before.annotations!.frames[0].position.x);
    const after = await currentDoc(page);
    const fdx = after.annotations!.frames[0].position.x - before.annotations!.frames[0].position.x;
    const fdy = after.annotations!.frames[0].position.y - before.annotations!.frames[0].position.y;
    expect(Math.abs(fdx)).toBeGreaterThan(40);
    expect(pos(after, 'noise')).toEqual({ x: pos(before, 'noise').x + fdx, y: pos(before, 'noise').y + fdy });
    expect(pos(after, 'out')).toEqual(pos(before, 'out'));

    // 'out' dropped inside the frame joins it.
    const frameBox = (await page.getByTestId('frame-frame-1').boundingBox())!;
    const outBox = (await page.getByTestId('node-out').boundingBox())!;
    await dragBy(page, '[data-testid="node-out"] .node-header', frameBox.x + frameBox.width / 2 - (outBox.x + outBox.width / 2), frameBox.y + frameBox.height / 2 - (outBox.y + outBox.height / 2));
    await expect.poll(async () => (await currentDoc(page)).annotations!.frames[0].nodes).toEqual(['noise', 'out']);

    // Notes and frames never run anything.
    expect(await runCounts(page)).toEqual(runsBefore);
    await page.getByTestId('canvas').click({ position: { x: 5, y: 5 } });
    await page.screenshot({ path: `${SHOTS}/notes-frames.png` });
  });

  it('keeps them through a reload, .json export and import, a share link and a PNG', async () => {
    const { page } = s;
    const expected = (await currentDoc(page)).annotations;
    expect(expected?.notes).toHaveLength(1);
    expect(expected?.frames).toHaveLength(1);

    await flushSaves(page);
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    expect((await currentDoc(page)).annotations).toEqual(expected);
    await expect.poll(() => page.getByTestId('note-note-1').locator('h4').textContent()).toBe('Why patches');

    const json = await download(page, 'export');
    expect(JSON.parse(json.toString('utf8')).annotations).toEqual(expected);
    await page.getByTestId('import-input').setInputFiles({ name: 'imported.json', mimeType: 'application/json', buffer: json });
    await expect.poll(() => graphName(page)).toBe('imported');
    expect((await currentDoc(page)).annotations).toEqual(expected);

    const link: string = await page.evaluate(() => (window as any).mgan.editor.shareLink());
    const other = await s.context.newPage();
    await openEditor(other, link);
    expect((await currentDoc(other)).annotations).toEqual(expected);
    expect(await other.getByTestId('frame-frame-1').textContent()).toContain('Texture source');
    await other.close();

    await page.evaluate(() => (window as any).mgan.editor.allowRun());
    await waitDone(page, ['noise', 'out']);
    const png = await download(page, 'save-image');
    await loadDoc(page, TINY, 'plain');
    expect((await currentDoc(page)).annotations).toBeUndefined();
    await dropFile(page, 'annotated.png', 'image/png', png);
    await expect.poll(async () => (await currentDoc(page)).annotations).toEqual(expected);
  });

  it('copies a frame with the nodes inside it, pastes it clear of the original, and cuts a note', async () => {
    const { page } = s;
    await s.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
    const before = await currentDoc(page);
    const frame = before.annotations!.frames[0];
    await page.locator('[data-testid="frame-frame-1"] .frame-title').click();
    await expect.poll(() => page.evaluate(() => (window as any).mgan.editor.store.getSnapshot().selection)).toEqual(['frame:frame-1']);
    await page.keyboard.press('Control+c');
    const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
    expect(copied.frames.map((f: { title: string }) => f.title)).toEqual(['Texture source']);
    expect(copied.nodes.map((n: { id: string }) => n.id).sort()).toEqual([...frame.nodes].sort());

    await page.keyboard.press('Control+v');
    await expect.poll(async () => (await currentDoc(page)).annotations?.frames.length).toBe(2);
    const after = await currentDoc(page);
    const copy = after.annotations!.frames[1];
    expect(copy).toMatchObject({ title: 'Texture source', color: frame.color, size: frame.size });
    expect(copy.nodes).toHaveLength(frame.nodes.length);
    // The frame holds the pasted copies, laid out inside it as the originals are inside theirs.
    frame.nodes.forEach((id, i) => {
      expect(copy.nodes[i]).not.toBe(id);
      const rel = (d: GraphDocument, node: string, f: typeof frame) => ({ x: pos(d, node).x - f.position.x, y: pos(d, node).y - f.position.y });
      expect(rel(after, copy.nodes[i], copy)).toEqual(rel(before, id, frame));
    });
    expect(after.edges).toHaveLength(before.edges.length * 2);
    // The paste is selected, and its cards cover none of the original's.
    const selection: string[] = await page.evaluate(() => (window as any).mgan.editor.store.getSnapshot().selection);
    expect(selection).toEqual([...copy.nodes, `frame:${copy.id}`]);
    const apart = (p: { x: number; y: number; width: number; height: number }, q: typeof p) => p.x + p.width <= q.x || q.x + q.width <= p.x || p.y + p.height <= q.y || q.y + q.height <= p.y;
    const boxes = await Promise.all([...frame.nodes, ...copy.nodes].map((id) => page.getByTestId(`node-${id}`).boundingBox()));
    const [a, b] = [boxes.slice(0, frame.nodes.length), boxes.slice(frame.nodes.length)];
    for (const p of a) for (const q of b) expect(apart(p!, q!)).toBe(true);
    expect(apart({ ...frame.position, ...frame.size }, { ...copy.position, ...copy.size })).toBe(true);
    await page.getByTestId('canvas').click({ position: { x: 5, y: 5 } });
    await page.screenshot({ path: `${SHOTS}/frame-pasted.png` });

    // Cut a note: it leaves the graph and comes back with a paste.
    const text = after.annotations!.notes[0].text;
    // (The test above dropped cards over the note's left side: click its free right edge.)
    const noteBox = (await page.getByTestId('note-note-1').boundingBox())!;
    await page.getByTestId('note-note-1').click({ position: { x: noteBox.width - 6, y: noteBox.height - 6 } });
    await expect.poll(() => page.evaluate(() => (window as any).mgan.editor.store.getSnapshot().selection)).toEqual(['note:note-1']);
    await page.keyboard.press('Control+x');
    await expect.poll(async () => (await currentDoc(page)).annotations?.notes.length ?? 0).toBe(0);
    await page.keyboard.press('Control+v');
    await expect.poll(async () => (await currentDoc(page)).annotations?.notes.map((n) => n.text)).toEqual([text]);
  });
});
