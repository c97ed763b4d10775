/**
 * The guided-synthesis preset drawn as the paper's Fig. 2 in Chromium: VGG19 tap → patch sampler → D
 * → MDAN optimiser, in frames of the paper's colours. The optimiser's card names what the wires set
 * and from which node; the inspector shows those params as set by a wire, not as inputs; changing the
 * tap's layer changes what the optimiser says it runs with. Screenshots go to test/e2e/out/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { GraphDocument } from '../../src/graph/types';
import { launch, loadDoc, openEditor, quiet, waitDone, type Session } from './browser';

const url = inject('baseUrl');
const SHOTS = 'test/e2e/out';
const guided = JSON.parse(readFileSync('presets/guided-synthesis.json', 'utf8')) as GraphDocument;
let s: Session;
const pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  s = await launch({ viewport: { width: 1900, height: 1000 } });
  s.page.on('pageerror', (e) => pageErrors.push(e.message));
  await openEditor(s.page, url);
  await s.page.addStyleTag({ content: '.react-flow__minimap { display: none; }' });
});
afterAll(async () => {
  await s?.close();
});

describe('Fig. 2 as a wired graph', () => {
  it('draws the guided preset as Fig. 2 and says on the cards what the wires set', async () => {
    const { page } = s;
    await loadDoc(page, guided, 'fig 2');
    // The cheap nodes run live: the tap and the sampler show the texture's features and patches.
    await waitDone(page, ['texture', 'photo', 'tap', 'sampler', 'd'], 180_000);
    const wired = page.getByTestId('wired-mdan');
    await expect.poll(() => wired.textContent()).toContain("layer relu3_1 from VGG19 'tap'");
    expect(await wired.textContent()).toContain("patchSize 8 from Neural patches 'sampler'");
    expect(await wired.textContent()).toContain("patchStride 4 from Neural patches 'sampler'");
    expect(await wired.textContent()).toContain("dChannels 64 from D 'd'");
    // D's patchSize is on its card already: shown there as set by the sampler.
    expect(await page.getByTestId('param-d-patchSize-wired').textContent()).toBe("patchSize8 ⇠ Neural patches 'sampler'");
    expect(await page.getByTestId('wired-d').count()).toBe(0);
    for (const [id, colour] of [['neural-patches', '#8a5cc2'], ['discriminator', '#3fa66b']] as const) {
      expect(guided.annotations!.frames.find((f) => f.id === id)!.color).toBe(colour);
      await page.getByTestId(`frame-${id}`).waitFor();
    }
    await quiet(page);
    // A large window, so the whole figure fits at a zoom where the cards can be read.
    await page.setViewportSize({ width: 3200, height: 1500 });
    await page.keyboard.press('f');
    await page.waitForTimeout(600);
    await page.screenshot({ path: `${SHOTS}/fig2-guided.png` });
    await page.setViewportSize({ width: 1900, height: 1000 });
    await page.keyboard.press('f');
    await page.screenshot({ path: `${SHOTS}/fig2-cards.png`, clip: (await page.getByTestId('frame-discriminator').boundingBox())! });

    // The inspector: the wired params say where they come from and cannot be edited there.
    await page.getByTestId('node-mdan').locator('.node-title').click();
    const layer = page.getByTestId('param-inspector-mdan-layer-wired');
    await layer.waitFor();
    expect(await layer.textContent()).toContain("relu3_1 ⇠ VGG19 'tap'");
    expect(await page.getByTestId('param-inspector-mdan-layer').count()).toBe(0);
    expect(await page.getByTestId('param-inspector-mdan-contentLayer').count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/fig2-inspector.png`, clip: (await page.getByTestId('inspector').boundingBox())! });

    // Another layer on the tap: the optimiser now says it runs with that one.
    await page.getByTestId('param-tap-layer').selectOption('relu2_1');
    await expect.poll(() => wired.textContent()).toContain("layer relu2_1 from VGG19 'tap'");
    expect(await layer.textContent()).toContain('relu2_1');
    expect(pageErrors).toEqual([]);
  });

  it("tells on the MGAN trainer's card which patches its MDAN targets take, and from where", async () => {
    const { page } = s;
    await loadDoc(page, JSON.parse(readFileSync('presets/mgan-train.json', 'utf8')) as GraphDocument, 'fig 2 mgan');
    const wired = page.getByTestId('wired-trainer');
    await expect.poll(() => wired.textContent()).toContain("layer relu3_1 from VGG19 'tap'");
    expect(await wired.textContent()).toContain("patchSize 8 from Neural patches 'sampler'");
    expect(await wired.textContent()).toContain("patchStride 4 from Neural patches 'sampler'");
    // D's width is G's adversary's business in training, not the targets': not listed.
    expect(await wired.textContent()).not.toContain('dChannels');
    await page.screenshot({ path: `${SHOTS}/fig2-trainer-card.png`, clip: (await page.getByTestId('node-trainer').boundingBox())! });
    expect(pageErrors).toEqual([]);
  });
});
