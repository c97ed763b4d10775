import type { ParamSpec, PortSpec } from '../../graph/types';
import { nodeRegistry } from '../../nodes/registry';
import type { NodeDefinition } from '../../nodes/types';
import { parseCommandArgs } from '../args';
import { EXIT_OK, UsageError } from '../io';
import { nodeReferenceMarkdown } from '../node-reference';
import type { CommandBody } from './types';

/** A node type as plain JSON (no functions). */
function describeType(def: NodeDefinition) {
  return {
    type: def.type,
    version: def.version,
    title: def.title,
    category: def.category,
    long: !!def.long,
    inputs: def.inputs,
    outputs: def.outputs,
    params: def.params,
    doc: def.doc,
  };
}

function portLine(p: PortSpec): string {
  const type = Array.isArray(p.type) ? p.type.join('|') : p.type;
  return `${p.name}: ${type}${p.optional ? ' (optional)' : ''}`;
}

function paramLine(p: ParamSpec): string {
  const parts = [`${p.name}: ${p.type}`, `default ${JSON.stringify(p.default)}`];
  if (p.type === 'number') {
    if (p.min !== undefined || p.max !== undefined) parts.push(`range ${p.min ?? '-inf'}..${p.max ?? 'inf'}`);
    if (p.integer) parts.push('integer');
  }
  if (p.type === 'string' && p.options) parts.push(`one of ${p.options.map((o) => (/^[\w.-]+$/.test(o) ? o : JSON.stringify(o))).join(', ')}`);
  return `${parts.join(', ')}: ${p.description}`;
}

export const nodesCommand: CommandBody = {
  details: 'options:\n  --json      every node type as JSON (ports, params, doc)\n  --markdown  the node reference (`npm run docs:nodes` writes it to docs/nodes.md)',
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' }, markdown: { type: 'boolean' } });
    if (values.json && values.markdown) throw new UsageError('--json and --markdown are alternatives: pass one');
    let defs = nodeRegistry.list();
    if (positionals.length) {
      defs = defs.filter((d) => positionals.includes(d.type));
      const unknown = positionals.filter((t) => !defs.some((d) => d.type === t));
      if (unknown.length) throw new UsageError(`unknown node type ${unknown.map((t) => `'${t}'`).join(', ')} (see \`mgan-studio nodes\`)`);
    }
    if (values.json) {
      io.out(JSON.stringify(defs.map(describeType), null, 2));
      return EXIT_OK;
    }
    if (values.markdown) {
      io.out(nodeReferenceMarkdown(defs));
      return EXIT_OK;
    }
    for (const def of defs) {
      io.out(`${def.type} v${def.version}: ${def.title} [${def.category}]${def.long ? ' (long: runs when asked)' : ''}`);
      for (const p of def.inputs) io.out(`  in   ${portLine(p)}`);
      for (const p of def.outputs) io.out(`  out  ${portLine(p)}`);
      for (const p of def.params) io.out(`  --set ID.${paramLine(p)}`);
      io.out('');
    }
    if (!defs.length) io.out('(no node types registered)');
    return EXIT_OK;
  },
};
