/**
 * Editing an MDAN while it runs (Chromium, WASM backend): the learning rate and the loss weights are
 * taken at the next iteration without a restart; any other change first asks, declining keeps the
 * paused run, and accepting sets it aside: undo brings it back paused where it was, and it goes on
 * from there. Screenshots go to test/e2e/out/.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { currentDoc, launch, loadDoc, nodeState, openEditor, quiet, waitDone, type Session } from './browser';
import { tinyMdan } from './fixtures';

const url = inject('baseUrl');
const SHOTS = 'test/e2e/out';
let s: Session;
/** The iteration the run was paused at when the change set it aside. */
let pausedAt = 0;

const iteration = () => s.page.evaluate(() => (window as any).mgan.editor.bridge.status('mdan')?.info?.iteration ?? 0) as Promise<number>;
const param = async (name: string) => (await currentDoc(s.page)).nodes.find((n) => n.id === 'mdan')!.params[name];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  s = await launch();
  await openEditor(s.page, `${url}?backend=wasm`);
  await loadDoc(s.page, tinyMdan({ iterations: 400, previewEvery: 1 }), 'edit while running');
  await waitDone(s.page, ['texture']);
});
afterAll(async () => {
  await s?.close();
});

describe('editing a running MDAN', () => {
  it('takes a new learning rate and loss weights at the next iteration, without restarting', async () => {
    const { page } = s;
    await page.getByTestId('run-mdan').click();
    await expect.poll(iteration, { timeout: 120_000 }).toBeGreaterThanOrEqual(2);
    const dialogs: string[] = [];
    const refuse = (d: import('playwright-core').Dialog) => {
      dialogs.push(d.message());
      void d.dismiss();
    };
    page.on('dialog', refuse);
    const field = page.getByTestId('param-mdan-lr');
    await field.fill('0.005');
    await field.press('Enter');
    const at = await iteration();
    await page.evaluate(() => (window as any).mgan.editor.setParam('mdan', 'tvWeight', 0.001));
    await expect.poll(iteration, { timeout: 60_000 }).toBeGreaterThan(at + 1);
    page.off('dialog', refuse);
    expect(dialogs).toEqual([]);
    expect(await nodeState(page, 'mdan')).toBe('running');
    expect(await param('lr')).toBe(0.005);
    expect(await param('tvWeight')).toBe(0.001);
    await quiet(page);
    await page.getByTestId('node-mdan').screenshot({ path: `${SHOTS}/edit-while-running.png` });
  });

  it('asks before a change that stops the run; declining keeps the paused run and the setting', async () => {
    const { page } = s;
    await page.getByTestId('pause-mdan').click();
    await expect.poll(() => nodeState(page, 'mdan'), { timeout: 60_000 }).toBe('paused');
    pausedAt = await iteration();
    const asked: string[] = [];
    const answer = (accept: boolean) =>
      page.once('dialog', (d) => {
        asked.push(d.message());
        void (accept ? d.accept() : d.dismiss());
      });
    answer(false);
    expect(await page.evaluate(() => (window as any).mgan.editor.setParam('mdan', 'size', 48))).toBe(false);
    expect(asked[0]).toBe(
      `Changing mdan.size stops the paused run of 'mdan' at iteration ${pausedAt} of 400: ▶ then starts from the beginning, and Ctrl+Z brings the run back, paused where it was. Change it?`,
    );
    expect(await param('size')).toBe(32);
    expect(await nodeState(page, 'mdan')).toBe('paused');
    // An upstream change asks too.
    answer(false);
    expect(await page.evaluate(() => (window as any).mgan.editor.setParam('texture', 'maxSide', 48))).toBe(false);
    expect(asked[1]).toMatch(/^Changing texture.maxSide stops the paused run of 'mdan'/);
    // Accepting stops the run and stores the change; the card says the run is set aside.
    answer(true);
    expect(await page.evaluate(() => (window as any).mgan.editor.setParam('mdan', 'size', 48))).toBe(true);
    await expect.poll(() => nodeState(page, 'mdan'), { timeout: 60_000 }).not.toMatch(/running|paused/);
    expect(await param('size')).toBe(48);
    await expect.poll(() => page.getByTestId('status-mdan').textContent()).toContain('undo brings it back');
    await quiet(page);
    await page.getByTestId('node-mdan').screenshot({ path: `${SHOTS}/paused-run-set-aside.png` });
  });

  it('undo brings the paused run back where it was, and ▶ goes on from there', async () => {
    const { page } = s;
    await page.getByTestId('canvas').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('Control+z');
    await expect.poll(() => param('size')).toBe(32);
    await expect.poll(() => nodeState(page, 'mdan'), { timeout: 30_000 }).toBe('paused');
    const at = await iteration();
    expect(at).toBeGreaterThanOrEqual(2);
    expect(at).toBe(pausedAt);
    await quiet(page);
    await page.getByTestId('node-mdan').screenshot({ path: `${SHOTS}/paused-run-back.png` });
    await page.getByTestId('run-mdan').click();
    // The same run goes on: the first iteration it reports is the next one, never 1 again.
    await expect.poll(iteration, { timeout: 60_000, interval: 50 }).not.toBe(at);
    expect(await iteration()).toBeGreaterThan(at);
    expect(await nodeState(page, 'mdan')).toBe('running');
    await page.getByTestId('stop-mdan').click();
  });
});
