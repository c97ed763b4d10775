/** The editor's installed node packages: their nodes are offered, and a document records where each came from. */
import { describe, expect, it } from 'vitest';
import { emptyDocument } from '../../src/graph/document';
import { validateDocument } from '../../src/graph/validate';
import { nodeRegistry as builtIns } from '../../src/nodes/registry';
import { editorNodeRegistry as nodeRegistry } from '../../src/nodes/editor-registry';
import { addNode } from '../../src/ui/store/graph-ops';

describe('installed node packages in the editor', () => {
  it("offers the installed example package's node types beside the built-in ones", () => {
    expect(nodeRegistry.providerOf('posterize')).toBe('mgan-studio-nodes-image-filter');
    expect(nodeRegistry.providerOf('blend')).toBe('built-in');
    expect(nodeRegistry.list().length).toBe(builtIns.list().length + 1);
  });

  it('records the package of a node it adds, so a reader without the package is told which to install', () => {
    const { doc } = addNode(emptyDocument(), 'posterize', { x: 0, y: 0 });
    expect(doc.meta.nodePackages).toEqual({ posterize: 'mgan-studio-nodes-image-filter' });
    const plain = addNode(doc, 'perlin-noise', { x: 300, y: 0 });
    expect(plain.doc.meta.nodePackages).toEqual({ posterize: 'mgan-studio-nodes-image-filter' });

    const elsewhere = validateDocument(JSON.parse(JSON.stringify(plain.doc)), builtIns);
    expect(elsewhere.document!.nodes.map((n) => n.type)).toEqual(['posterize', 'perlin-noise']);
    expect(elsewhere.warnings.map((w) => w.message)).toContainEqual(expect.stringContaining("it comes from the node package 'mgan-studio-nodes-image-filter', which is not installed"));
  });
});
