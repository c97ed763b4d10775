import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NODE_REFERENCE_COMMAND } from '../../src/cli/node-reference';
import { nodeRegistry } from '../../src/nodes/registry';
import { runCli as cli } from './run-cli';

const NODES_MD = new URL('../../docs/nodes.md', import.meta.url);

/** The table rows of one node's section, after its "**Parameters**" label. */
function parameterRows(markdown: string, type: string): string[] {
  const section = markdown.split(/^## /m).find((s) => s.startsWith(`${type}\n`));
  if (!section) throw new Error(`no section for node type '${type}'`);
  const params = section.slice(section.indexOf('**Parameters**'));
  return params.split('\n').filter((line) => line.startsWith('| `'));
}

describe('mgan-studio nodes --markdown', () => {
  it('documents every registered node type: its doc, each port and each parameter with default and range', async () => {
    const { code, out } = await cli('nodes', '--markdown');
    expect(code).toBe(0);
    const types = nodeRegistry.list();
    expect(types.length).toBeGreaterThan(10);
    for (const def of types) {
      expect(out).toContain(`| [${def.type}](#${def.type}) |`);
      expect(out).toContain(def.doc.trim());
      const rows = parameterRows(out, def.type);
      expect(rows.map((r) => r.split(' | ')[0].slice(3, -1)), def.type).toEqual(def.params.map((p) => p.name));
      for (const [i, p] of def.params.entries()) {
        const shownDefault = p.default === '' ? '""' : String(p.default);
        expect(rows[i], `${def.type}.${p.name}`).toContain(`| \`${shownDefault}\` |`);
      }
      for (const port of [...def.inputs, ...def.outputs]) expect(out).toContain(`| \`${port.name}\` |`);
    }
    const perlinOctaves = parameterRows(out, 'perlin-noise').find((r) => r.startsWith('| `octaves`'));
    expect(perlinOctaves).toBe('| `octaves` | integer | `4` | 1 to 12 | Layers of finer detail (each half the size and amplitude). |');
    const blendMode = parameterRows(out, 'blend').find((r) => r.startsWith('| `mode`'));
    expect(blendMode).toContain('| choice | `normal` | `normal`, `multiply`, `screen`, `add` |');
  });

  it('limits the reference to the types named, and refuses --json with --markdown', async () => {
    const one = await cli('nodes', '--markdown', 'blend');
    expect(one.code).toBe(0);
    expect(one.out).toMatch(/^## blend$/m);
    expect(one.out).not.toMatch(/^## perlin-noise$/m);
    const both = await cli('nodes', '--markdown', '--json');
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/--json and --markdown/);
  });

  it('docs/nodes.md is the current output of `nodes --markdown`', async () => {
    const { code, out } = await cli('nodes', '--markdown');
    expect(code).toBe(0);
    const committed = readFileSync(NODES_MD, 'utf8');
    expect(committed, `docs/nodes.md is out of date with the node definitions: run \`${NODE_REFERENCE_COMMAND}\` and commit docs/nodes.md`).toBe(`${out}\n`);
  });
});
