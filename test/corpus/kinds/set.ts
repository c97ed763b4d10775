/**
 * Bad `--set NODE.PARAM=VALUE` values: malformed overrides, unknown nodes and params (JavaScript
 * property names included), values of the wrong kind or out of range for every param of the graph's
 * nodes, control characters and great length. Refused with exit 2 before anything runs.
 */
import { nodeRegistry } from '../../../src/nodes/registry';
import type { CorpusCase } from '../case';
import { noiseGraph, text } from '../build';

const KIND = 'set';
const files = { 'g.json': text(noiseGraph()) };
const cases: CorpusCase[] = [];
const refuse = (name: string, sets: string[], message: RegExp) =>
  cases.push({ name, kind: KIND, files, args: ['run', 'g.json', '--out', 'out', ...sets.flatMap((s) => ['--set', s])], expect: { exitCode: 2, message } });

// Malformed.
for (const bad of ['', 'noise', 'noise.seed', 'noise=3', '.seed=3', 'noise.=3', '=3', 'noise.seed:3']) {
  refuse(`malformed '${bad}'`, [bad], /expected NODE_ID\.PARAM=VALUE/);
}
cases.push({ name: '--set without a value', kind: KIND, files, args: ['run', 'g.json', '--set'], expect: { exitCode: 2, message: /--set.* argument missing|requires a value|argument missing/ } });
// Unknown nodes and params, JavaScript's own names among them.
for (const id of ['nope', '__proto__', 'constructor', 'toString', 'NOISE']) refuse(`unknown node '${id}'`, [`${id}.seed=3`], new RegExp(`no node '${id}' \\(nodes: noise, result\\)`));
for (const param of ['nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'Seed']) {
  refuse(`unknown param '${param}'`, [`noise.${param}=3`], new RegExp(`node 'noise' \\(perlin-noise\\) has no param '${param}' \\(its params: width, height, scale, octaves, seed, color\\)`));
}
refuse('a param of a node without params', ['result.width=3'], /node 'result' \(image-out\) has no param 'width' \(its params: none\)/);

// Every param of perlin-noise with values of the wrong kind or out of range.
for (const p of nodeRegistry.get('perlin-noise')!.params) {
  const bad: Array<[string, RegExp]> = [];
  if (p.type === 'number' || p.type === 'seed') {
    bad.push(['many', /is not an? (integer|number|integer seed)/], ['', /is not an?/], ['  ', /is not an?/], ['NaN', /is not an?/], ['Infinity', /is not a finite number/], ['1e400', /is not a finite number/]);
    if (p.type === 'seed' || p.integer) bad.push(['1.5', /is not an integer/]);
    const max = p.type === 'seed' ? 0xffffffff : p.max;
    const min = p.type === 'seed' ? 0 : p.min;
    if (max !== undefined) bad.push([String(max + 1), /is above its maximum/]);
    if (min !== undefined) bad.push([String(min - 1), /is below its minimum/]);
  } else if (p.type === 'boolean') {
    bad.push(['maybe', /is not true or false/], ['', /is not true or false/], ['2', /is not true or false/]);
  }
  for (const [value, message] of bad) refuse(`noise.${p.name}=${JSON.stringify(value)}`, [`noise.${p.name}=${value}`], new RegExp(`--set noise\\.${p.name}=.*: param '${p.name}'.*${message.source}`));
}
// A good override followed by a bad one: nothing runs.
refuse('a good override then a bad one', ['noise.seed=5', 'noise.width=0'], /--set noise\.width=0: param 'width' = 0 is below its minimum 1/);
refuse('an option outside the list', ['noise.color=purple'], /param 'color': "purple" is not true or false/);
// Control characters and length in what is echoed back.
refuse('a newline in the value', ['noise.seed=1\n2'], /^error: --set noise\.seed=1\\u000a2: param 'seed': "1\\u000a2" is not an integer seed$|^g\.json: error: --set noise\.seed=1\\u000a2: param 'seed': "1\\u000a2" is not an integer seed$/);
refuse('an escape sequence in the node id', ['\u001b[31mnoise.seed=1'], /no node '\\u001b\[31mnoise'/);
refuse('a 100,000-character value', [`noise.seed=${'9'.repeat(100_000)}`], /--set noise\.seed=9{100,120}… \(\d+ characters\): param 'seed' = Infinity is not a finite number/);
refuse('a 10,000-character node id', [`${'n'.repeat(10_000)}.seed=1`], /no node 'n{64}… \(10000 characters\)'/);
// Reading --set applies to this run only: the file is untouched (checked: nothing written on refusal).
cases.push({ name: 'a valid override runs', kind: KIND, files, args: ['run', 'g.json', '--out', 'out', '--set', 'noise.width=3'], expect: { exitCode: 0, message: /wrote .*result\.png \(3x8\)/, noOutput: false } });

export { cases };
