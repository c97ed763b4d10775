/**
 * The editor's installed node packages (src/nodes/installed-node-packages.ts) in a real browser: the
 * example package's posterize node runs in the runtime worker like a built-in one, and a document
 * whose node type no package provides keeps the node and names the package on its card.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { GraphDocument } from '../../src/graph/types';
import { currentDoc, launch, loadDoc, nodeState, openEditor, waitDone, type Session } from './browser';

const url = inject('baseUrl');
const graph = JSON.parse(readFileSync(join(__dirname, '../../examples/nodes-image-filter/posterize-photo.json'), 'utf8')) as GraphDocument;
let s: Session;

beforeAll(async () => {
  s = await launch();
  await openEditor(s.page, url);
});
afterAll(async () => {
  await s?.close();
});

describe('installed node packages in the editor', () => {
  it("runs the example package's posterize node, with its card and doc", async () => {
    await loadDoc(s.page, graph, 'posterized');
    await waitDone(s.page, ['photo', 'bands', 'out']);
    expect(await nodeState(s.page, 'bands')).toBe('done');
    await expect.poll(() => s.page.locator('.react-flow__node[data-id="bands"]').textContent()).toContain('Posterize');
    await s.page.getByTestId('doc-button-bands').click();
    await expect.poll(() => s.page.locator('body').textContent()).toContain('Rounds each colour channel');
  });

  it('keeps a node whose package is not installed and names the package on its card', async () => {
    const doc = structuredClone(graph);
    doc.nodes[1].type = 'sharpen';
    doc.meta.nodePackages = { sharpen: 'mgan-studio-nodes-sharp' };
    await loadDoc(s.page, doc, 'missing package');
    expect((await currentDoc(s.page)).nodes.map((n) => n.type)).toContain('sharpen');
    await expect
      .poll(() => s.page.locator('.react-flow__node[data-id="bands"]').textContent())
      .toContain("It comes from the node package 'mgan-studio-nodes-sharp', which is not installed in this editor.");
  });
});
