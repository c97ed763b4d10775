/**
 * The editor as a new user meets it (Chromium, SwiftShader WebGPU): typing into number fields,
 * the first open, time estimates, D's heatmap legend, charts, where new nodes land.
 * Screenshots go to test/e2e/out/ (ignored by git) for a person to look at.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { GraphDocument } from '../../src/graph/types';
import { currentDoc, launch, loadDoc, openEditor, type Session } from './browser';

const url = inject('baseUrl');
const SHOTS = 'test/e2e/out';
let s: Session;
const pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  s = await launch();
  s.page.on('pageerror', (e) => pageErrors.push(e.message));
  await openEditor(s.page, url);
});
afterAll(async () => {
  await s?.close();
});

async function param(node: string, name: string) {
  return (await currentDoc(s.page)).nodes.find((n) => n.id === node)?.params[name];
}

/** Selects the field's text and types `text` key by key, as a person does; no Enter yet. */
async function typeInto(testId: string, text: string) {
  const field = s.page.getByTestId(testId);
  await field.click();
  await s.page.keyboard.press('Control+a');
  await s.page.keyboard.type(text, { delay: 20 });
}

const NUMBERS_DOC: GraphDocument = {
  schemaVersion: 1,
  nodes: [
    { id: 'mdan', type: 'mdan-optimiser', version: 1, params: { size: 128, iterations: 100, lr: 0.02 }, position: { x: 0, y: 0 } },
    { id: 'video', type: 'video-out', version: 1, params: { maxFrames: 10 }, position: { x: 420, y: 0 } },
  ],
  edges: [],
  meta: {},
};

describe('number fields', () => {
  it('commit on Enter or leaving the field, show a refused value with the allowed range, and never throw', async () => {
    await loadDoc(s.page, NUMBERS_DOC, 'numbers');
    // Integer with a range: "4" on the way to "48" is below the minimum 16 and must not be stored.
    await typeInto('param-mdan-size', '4');
    await expect.poll(() => s.page.getByTestId('param-mdan-size-problem').textContent()).toBe('4 is below its minimum 16 · allowed: 16 to 2048, whole numbers');
    expect(await param('mdan', 'size')).toBe(128);
    await s.page.keyboard.type('8');
    expect(await s.page.getByTestId('param-mdan-size-problem').count()).toBe(0);
    expect(await param('mdan', 'size')).toBe(128); // not yet: only Enter or blur commits
    await s.page.keyboard.press('Enter');
    await expect.poll(() => param('mdan', 'size')).toBe(48);
    // Above the maximum: shown, not stored, still not stored after Enter and after leaving the field.
    await typeInto('param-mdan-size', '12800');
    await s.page.keyboard.press('Enter');
    await expect.poll(() => s.page.getByTestId('param-mdan-size-problem').textContent()).toContain('12800 is above its maximum 2048');
    await s.page.getByTestId('param-mdan-lr').click();
    expect(await param('mdan', 'size')).toBe(48);
    expect(await s.page.getByTestId('param-mdan-size').inputValue()).toBe('12800');
    await s.page.screenshot({ path: `${SHOTS}/number-field-refused.png`, clip: await cardClip('mdan') });
    // Escape brings back the stored value.
    await s.page.getByTestId('param-mdan-size').click();
    await s.page.keyboard.press('Escape');
    expect(await s.page.getByTestId('param-mdan-size').inputValue()).toBe('48');

    // Negative iterations: "-" and "-3" are refused; leaving the field keeps the stored 100.
    await typeInto('param-mdan-iterations', '-3');
    await expect.poll(() => s.page.getByTestId('param-mdan-iterations-problem').textContent()).toBe('-3 is below its minimum 1 · allowed: 1 to 10000, whole numbers');
    await s.page.getByTestId('canvas').click({ position: { x: 5, y: 5 } });
    expect(await param('mdan', 'iterations')).toBe(100);

    // A float whose prefixes ("0", "0.00") are below the minimum 0.0001.
    await typeInto('param-mdan-lr', '0.005');
    await s.page.keyboard.press('Tab');
    await expect.poll(() => param('mdan', 'lr')).toBe(0.005);
    expect(await s.page.getByTestId('param-mdan-lr-problem').count()).toBe(0);

    // The slider stays live: each move is stored at once.
    await s.page.getByTestId('param-mdan-size-slider').focus();
    await s.page.keyboard.press('ArrowRight');
    await expect.poll(() => param('mdan', 'size')).toBe(56);
    expect(await s.page.getByTestId('param-mdan-size').inputValue()).toBe('56');

    // Seed (in the inspector): above 2^32 - 1 is refused; a valid seed is stored.
    await s.page.getByTestId('node-mdan').click({ position: { x: 60, y: 8 } });
    await typeInto('param-inspector-mdan-seed', '99999999999');
    await s.page.keyboard.press('Enter');
    await expect.poll(() => s.page.getByTestId('param-inspector-mdan-seed-problem').textContent()).toContain('above its maximum 4294967295');
    await typeInto('param-inspector-mdan-seed', '77');
    await s.page.keyboard.press('Enter');
    await expect.poll(() => param('mdan', 'seed')).toBe(77);

    // An integer with only a minimum (no slider): -1 refused, 12 stored.
    await typeInto('param-video-maxFrames', '-1');
    await s.page.keyboard.press('Enter');
    await expect.poll(() => s.page.getByTestId('param-video-maxFrames-problem').textContent()).toBe('-1 is below its minimum 0 · allowed: whole numbers from 0');
    await typeInto('param-video-maxFrames', '12');
    await s.page.keyboard.press('Enter');
    await expect.poll(() => param('video', 'maxFrames')).toBe(12);

    // Arrow keys step from the stored value and commit.
    await s.page.getByTestId('param-mdan-iterations').click();
    await s.page.keyboard.press('ArrowUp');
    await expect.poll(() => param('mdan', 'iterations')).toBe(101);

    expect(pageErrors).toEqual([]);
    const errorToasts = await s.page.locator('.toast.error').count();
    expect(errorToasts).toBe(0);
  });
});

async function cardClip(id: string) {
  const box = (await s.page.getByTestId(`node-${id}`).boundingBox())!;
  return { x: Math.max(0, box.x - 10), y: Math.max(0, box.y - 10), width: box.width + 20, height: box.height + 20 };
}
