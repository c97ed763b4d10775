/**
 * The node reference (docs/nodes.md) as markdown, written from the node definitions themselves so
 * the documented ports, defaults and ranges cannot drift from what the code accepts.
 * `mgan-studio nodes --markdown` prints it; a test compares it with the committed file.
 */
import { MAX_SEED } from '../graph/params';
import type { NodeTypeSpec, ParamSpec, PortSpec } from '../graph/types';

/** The command that rewrites docs/nodes.md (named in the file and in the test's failure message). */
export const NODE_REFERENCE_COMMAND = 'npm run docs:nodes';

const WIDGET_NAMES: Record<string, string> = {
  image: 'image asset key',
  path: 'file path',
  url: 'URL',
  multiline: 'text',
  decoder: 'decoder name',
};

/** Text for one table cell: no line breaks, no bare pipes. */
function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|').trim();
}

function code(text: string): string {
  if (text === '') return '`""`';
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function portType(port: PortSpec): string {
  return Array.isArray(port.type) ? port.type.join(' or ') : port.type;
}

/** "a, b? → image": inputs (? = optional) and outputs of a node type. */
function portSummary(def: NodeTypeSpec): string {
  const names = (ports: PortSpec[]) => ports.map((p) => `${p.name}${p.optional ? '?' : ''}`).join(', ');
  return [names(def.inputs), '→', names(def.outputs)].filter(Boolean).join(' ');
}

function paramType(p: ParamSpec): string {
  switch (p.type) {
    case 'number':
      return p.integer ? 'integer' : 'number';
    case 'seed':
      return 'seed (integer)';
    case 'boolean':
      return 'boolean';
    case 'string':
      if (p.options) return 'choice';
      return p.widget ? `string (${WIDGET_NAMES[p.widget] ?? p.widget})` : 'string';
  }
}

function paramRange(p: ParamSpec): string {
  switch (p.type) {
    case 'number':
      if (p.min !== undefined && p.max !== undefined) return `${p.min} to ${p.max}`;
      if (p.min !== undefined) return `≥ ${p.min}`;
      if (p.max !== undefined) return `≤ ${p.max}`;
      return 'any';
    case 'seed':
      return `0 to ${MAX_SEED}`;
    case 'boolean':
      return 'true, false';
    case 'string':
      return p.options ? p.options.map(code).join(', ') : 'any text';
  }
}

function inputTable(ports: PortSpec[]): string[] {
  return [
    '| input | type | required | description |',
    '| --- | --- | --- | --- |',
    ...ports.map((p) => `| ${code(p.name)} | ${portType(p)} | ${p.optional ? 'no' : 'yes'} | ${cell(p.description ?? '')} |`),
  ];
}

function outputTable(ports: PortSpec[]): string[] {
  return [
    '| output | type | description |',
    '| --- | --- | --- |',
    ...ports.map((p) => `| ${code(p.name)} | ${portType(p)} | ${cell([p.description ?? '', p.onDemand ? '(computed only when wired)' : ''].filter(Boolean).join(' '))} |`),
  ];
}

function paramTable(params: ParamSpec[]): string[] {
  return [
    '| parameter | type | default | range | description |',
    '| --- | --- | --- | --- | --- |',
    ...params.map((p) => `| ${code(p.name)} | ${paramType(p)} | ${code(String(p.default))} | ${cell(paramRange(p))} | ${cell(p.description)} |`),
  ];
}

function nodeSection(def: NodeTypeSpec): string[] {
  const facts = [`**${def.title}**`, `category ${def.category}`, `type version ${def.version}`];
  if (def.long) facts.push('long-running: runs only when asked, with pause, step and cancel');
  return [
    `## ${def.type}`,
    '',
    facts.join(' · '),
    '',
    def.doc.trim(),
    '',
    '**Inputs**',
    '',
    ...(def.inputs.length ? inputTable(def.inputs) : ['none']),
    '',
    '**Outputs**',
    '',
    ...(def.outputs.length ? outputTable(def.outputs) : ['none']),
    '',
    '**Parameters**',
    '',
    ...(def.params.length ? paramTable(def.params) : ['none']),
  ];
}

/** The whole reference for these node types, in the order given. Ends without a newline. */
export function nodeReferenceMarkdown(defs: NodeTypeSpec[]): string {
  const index = defs.map(
    (d) => `| [${d.type}](#${d.type}) | ${cell(d.title)} | ${cell(d.category)} | ${portSummary(d)} |`,
  );
  const lines = [
    '# Node reference',
    '',
    `<!-- Generated from the node registry by \`${NODE_REFERENCE_COMMAND}\` (mgan-studio nodes --markdown): edit the node definitions, not this file. -->`,
    '',
    'Every node type, generated from its definition: what it does (the same text as its doc card in the',
    'editor), its ports and its parameters with their defaults and ranges. A document may leave any',
    'parameter out to get its default; the CLI overrides one with `--set NODE_ID.PARAM=VALUE`. Port',
    'types must match when wiring: an input lists every type it accepts; `?` marks an optional input.',
    '',
    '| node | title | category | inputs → outputs |',
    '| --- | --- | --- | --- |',
    ...index,
  ];
  for (const def of defs) lines.push('', ...nodeSection(def));
  return lines.join('\n');
}
