/**
 * Everyone can use it (Chromium): axe-core, injected into the page, finds no serious or critical
 * violation on the main screen, with a preset loaded, with the inspector open and with the full-size
 * viewer open, each in the dark and the light theme. Screenshots go to test/e2e/out/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { GraphDocument } from '../../src/graph/types';
import { launch, loadDoc, openEditor, quiet, waitDone, type Session } from './browser';

const url = inject('baseUrl');
const SHOTS = 'test/e2e/out';
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let s: Session;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  s = await launch();
  await openEditor(s.page, url);
});
afterAll(async () => {
  await s?.close();
});

interface Finding {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

/** axe-core's serious and critical violations on the page as it is now, one line each with the elements it names. */
async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
  const found = (await page.evaluate(async () => {
    const axe = (window as any).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 6).map((n: any) => `${n.target.join(' ')}${n.any?.[0]?.message ? ` (${n.any[0].message})` : ''}`),
    }));
  })) as Finding[];
  return found
    .filter((f) => f.impact === 'serious' || f.impact === 'critical')
    .map((f) => `${f.impact} ${f.id}: ${f.help}\n    ${f.nodes.join('\n    ')}`);
}

/** Checks the page in both themes (the system's scheme; the editor follows it) and saves a screenshot of each. */
async function checkBothThemes(page: Page, name: string): Promise<void> {
  const found: string[] = [];
  for (const scheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(scheme);
    await quiet(page);
    // Transitions on colours end before axe reads contrast.
    await page.waitForTimeout(300);
    const violations = await seriousViolations(page);
    await page.screenshot({ path: `${SHOTS}/a11y-${name}-${scheme}.png` });
    found.push(...violations.map((v) => `${scheme}: ${v}`));
  }
  expect(found, `${name}:\n${found.join('\n')}`).toEqual([]);
}

const preset = (name: string) => JSON.parse(readFileSync(`presets/${name}.json`, 'utf8')) as GraphDocument;

describe('accessibility (axe-core)', () => {
  it('the main screen has no serious violations', async () => {
    await checkBothThemes(s.page, 'main');
  });

  it('the presets gallery has none', async () => {
    await s.page.getByTestId('open-gallery').click();
    await s.page.getByTestId('gallery').waitFor();
    await checkBothThemes(s.page, 'gallery');
    await s.page.keyboard.press('Escape');
    await expect.poll(() => s.page.getByTestId('gallery').count()).toBe(0);
  });

  it('a preset with notes and frames has none', async () => {
    await loadDoc(s.page, preset('guided-synthesis'), 'guided');
    await checkBothThemes(s.page, 'preset');
  });

  it('the inspector of a node that ran has none', async () => {
    const { page } = s;
    const doc = preset('perlin-noise');
    await loadDoc(page, doc, 'noise');
    const id = doc.nodes[0]!.id;
    await waitDone(page, [id]);
    await page.locator(`.react-flow__node[data-id="${id}"]`).click({ position: { x: 30, y: 12 } });
    await page.getByTestId(`inspector-${id}`).waitFor();
    await checkBothThemes(page, 'inspector');
  });

  it('a node\'s doc card and the decoders panel have none', async () => {
    const { page } = s;
    await page.getByTestId('inspector-doc').click();
    await page.getByTestId('doc-card').waitFor();
    await checkBothThemes(page, 'doc-card');
    await page.keyboard.press('Escape');
    await page.getByTestId('open-decoders').click();
    await page.getByTestId('decoders-panel').waitFor();
    await checkBothThemes(page, 'decoders');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('decoders-panel').count()).toBe(0);
  });

  it('the keyboard\'s focus shows on toolbar controls and on cards, in both themes', async () => {
    const { page } = s;
    /** Tabs until the focused element matches `selector`; its outline as drawn. */
    const tabTo = async (selector: string) => {
      for (let i = 0; i < 80; i++) {
        await page.keyboard.press('Tab');
        const hit = await page.evaluate((sel) => {
          const el = document.activeElement as HTMLElement | null;
          if (!el?.matches(sel)) return undefined;
          const style = getComputedStyle(el);
          return { style: style.outlineStyle, width: style.outlineWidth, colour: style.outlineColor, visible: el.matches(':focus-visible') };
        }, selector);
        if (hit) return hit;
      }
      throw new Error(`Tab never reached ${selector}`);
    };
    for (const scheme of ['dark', 'light'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.getByTestId('graph-name').focus();
      const accent = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim());
      const toolbarButton = await tabTo('.toolbar button');
      expect(toolbarButton).toMatchObject({ style: 'solid', width: '2px', visible: true });
      const card = await tabTo('.react-flow__node');
      expect(card).toMatchObject({ style: 'solid', width: '2px', visible: true });
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(accent.slice(i, i + 2), 16));
      expect(card.colour).toBe(`rgb(${r}, ${g}, ${b})`);
      if (scheme === 'light') await page.screenshot({ path: `${SHOTS}/a11y-focus-${scheme}.png` });
    }
  });

  it('the full-size viewer has none', async () => {
    const { page } = s;
    const doc = preset('perlin-noise');
    const id = doc.nodes[0]!.id;
    await page.getByTestId(`node-${id}`).getByTestId(`preview-canvas-${id}`).dblclick();
    await page.getByTestId('viewer').waitFor();
    await checkBothThemes(page, 'viewer');
  });
});
