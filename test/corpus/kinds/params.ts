/**
 * Bad param values, generated from the node catalogue itself: for every param of every node type, a
 * value of the wrong type, one below and above its range, a fraction where an integer is needed, a
 * string outside its options. Each is refused naming the node and the param, before anything runs.
 */
import type { ParamSpec } from '../../../src/graph/types';
import { nodeRegistry } from '../../../src/nodes/registry';
import type { CorpusCase } from '../case';
import { graph, node, text } from '../build';
import { literal } from './build';

const KIND = 'params';
const cases: CorpusCase[] = [];

/** Bad values for a param, each with the tail of the message it must give. */
function badValues(p: ParamSpec): Array<[string, unknown, string]> {
  const out: Array<[string, unknown, string]> = [];
  switch (p.type) {
    case 'number':
    case 'seed': {
      const integer = p.type === 'seed' || p.integer;
      out.push(['a string', 'twelve', `= "twelve" is not ${p.type === 'seed' ? 'an integer seed' : integer ? 'an integer' : 'a number'}`]);
      out.push(['a boolean', true, `= true is not`]);
      const min = p.type === 'seed' ? 0 : p.min;
      const max = p.type === 'seed' ? 0xffffffff : p.max;
      if (min !== undefined) out.push(['below its minimum', min - 1, `= ${min - 1} is below its minimum ${min}`]);
      if (max !== undefined) out.push(['above its maximum', max + 1, `= ${max + 1} is above its maximum ${max}`]);
      if (integer) out.push(['a fraction', (min ?? 0) + 0.5, `= ${(min ?? 0) + 0.5} is not an integer`]);
      break;
    }
    case 'string':
      out.push(['a number', 42, '= 42 is not a string']);
      if (p.options) out.push(['not one of its options', 'no-such-option', `= "no-such-option" is not one of`]);
      break;
    case 'boolean':
      out.push(['a string', 'yes', '= "yes" is not true or false']);
      out.push(['a number', 1, '= 1 is not true or false']);
      break;
  }
  return out;
}

let i = 0;
for (const def of nodeRegistry.list()) {
  for (const p of def.params) {
    for (const [what, value, tail] of badValues(p)) {
      const id = `n${i}`;
      cases.push({
        name: `${def.type}.${p.name} ${what}`,
        kind: KIND,
        files: { 'g.json': text(graph([node(id, def.type, { [p.name]: value })])) },
        // Most are validated; every fifth is run, which must refuse it the same way and write nothing.
        args: i++ % 5 === 0 ? ['run', 'g.json', '--out', 'out'] : ['validate', 'g.json'],
        expect: { exitCode: 2, message: new RegExp(`node '${id}' \\(${literal(def.type)}\\): param '${literal(p.name)}' ${literal(tail)}`) },
      });
    }
  }
}

// Null is not a value of any param (leave the param out for its default).
cases.push({
  name: 'null for every param of perlin-noise',
  kind: KIND,
  files: { 'g.json': text(graph([node('n', 'perlin-noise', Object.fromEntries(nodeRegistry.get('perlin-noise')!.params.map((p) => [p.name, null])))])) },
  args: ['validate', 'g.json'],
  expect: { exitCode: 2, message: /param 'color' = null is not true or false/ },
});
// Strings that only look like numbers are strings.
cases.push({
  name: 'a numeric string for a number param',
  kind: KIND,
  files: { 'g.json': text(graph([node('n', 'perlin-noise', { width: '8' })])) },
  args: ['validate', 'g.json'],
  expect: { exitCode: 2, message: /param 'width' = "8" is not an integer/ },
});
cases.push({
  name: 'a 1 MB string for a string param is shown shortened',
  kind: KIND,
  files: { 'g.json': text(graph([node('n', 'resize', { method: 'x'.repeat(1_000_000) })])) },
  args: ['validate', 'g.json'],
  expect: { exitCode: 2, message: /^g\.json: error: node 'n' \(resize\): param 'method' = "x{64}… \(1000000 characters\)" is not one of "bilinear", "nearest"$/ },
});

export { cases };
