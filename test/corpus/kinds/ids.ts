/**
 * Hostile ids and names: node ids, types, port names, param names, meta keys and labels made of
 * JavaScript's own property names (`__proto__`, `constructor`, ...), control and invisible
 * characters, other scripts, file-system tricks and great length. A valid odd id runs and names its
 * file; an invalid one is refused naming it in one printable line (no raw control characters, no
 * 10,000-character messages).
 */
import type { CorpusCase } from '../case';
import { edge, graph, node, noiseGraph, text } from '../build';
import { literal } from './build';

const KIND = 'ids';
const cases: CorpusCase[] = [];
const add = (c: Omit<CorpusCase, 'kind'>) => cases.push({ kind: KIND, ...c });

const PROTO_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

// Valid ids that are JavaScript property names or other scripts: they run and name their PNG.
const VALID_IDS = [...PROTO_NAMES, 'Ausgabe_ä', '出力', 'выход', 'ﺎﻠﻧﺎﺘﺟ', '_', '0', 'a-b_c-1'];
VALID_IDS.forEach((id, i) => {
  const noiseId = i % 2 ? id : 'noise';
  const outId = i % 2 ? 'result' : id;
  add({
    name: `valid id '${id}' ${i % 2 ? 'on the noise node' : 'on the output'} runs`,
    files: { 'g.json': text(noiseGraph({}, { noise: noiseId, out: outId })) },
    args: ['run', 'g.json', '--out', 'out'],
    expect: { exitCode: 0, message: new RegExp(`wrote .*out/${literal(outId)}\\.png \\(8x8\\)`), noOutput: false },
  });
});

// Invalid ids: refused, named, printable.
const BAD_IDS: Array<[string, string, RegExp]> = [
  ['empty', '', /nodes\[1\]\.id must be a non-empty string, got the string ""/],
  ['a space', 'out put', /nodes\[1\]\.id 'out put' may only hold letters, digits, '_' and '-'/],
  ['a newline', 'out\nput', /nodes\[1\]\.id 'out\\u000aput' may only hold/],
  ['a NUL', 'out\u0000', /nodes\[1\]\.id 'out\\u0000' may only hold/],
  ['an escape sequence', '\u001b[31mred', /nodes\[1\]\.id '\\u001b\[31mred' may only hold/],
  ['a right-to-left override', 'out\u202egnp.exe', /nodes\[1\]\.id 'out\\u202egnp\.exe' may only hold/],
  ['a zero-width space', 'out\u200b', /nodes\[1\]\.id 'out\\u200b' may only hold/],
  ['an emoji', 'out🌌', /nodes\[1\]\.id 'out🌌' may only hold/],
  ['a dot', 'out.png', /nodes\[1\]\.id 'out\.png' may only hold/],
  ['two dots', '..', /nodes\[1\]\.id '\.\.' may only hold/],
  ['a parent path', '../escape', /nodes\[1\]\.id '\.\.\/escape' may only hold/],
  ['an absolute path', '/tmp/x', /nodes\[1\]\.id '\/tmp\/x' may only hold/],
  ['a backslash path', '..\\escape', /nodes\[1\]\.id '\.\.\\escape' may only hold/],
  ['a leading dash (an option)', '-rf', /nodes\[1\]\.id '-rf' may only hold/],
  ['a drive letter', 'C:', /nodes\[1\]\.id 'C:' may only hold/],
  ['a percent escape', 'a%2Fb', /nodes\[1\]\.id 'a%2Fb' may only hold/],
  ['10,000 letters', 'a'.repeat(10_000), /nodes\[1\]\.id 'a{64}… \(10000 characters\)' is longer than 200 bytes/],
  ['201 bytes of letters', 'b'.repeat(201), /is longer than 200 bytes \(node ids name output files\): shorten it/],
  ['80 three-byte letters (240 bytes)', '字'.repeat(80), /is longer than 200 bytes/],
  ['a number instead of a string', 7 as unknown as string, /nodes\[1\]\.id must be a non-empty string, got number 7/],
  ['null', null as unknown as string, /nodes\[1\]\.id must be a non-empty string, got null/],
];
BAD_IDS.forEach(([what, id, message], i) => {
  add({
    name: `node id with ${what}`,
    files: { 'g.json': text(graph([node('noise', 'perlin-noise', { width: 8, height: 8 }), { ...node('x', 'image-out'), id }], [edge('noise', 'image', typeof id === 'string' ? id : 'x', 'image')])) },
    args: [i % 3 ? 'validate' : 'run', 'g.json'],
    expect: { exitCode: 2, message },
  });
});

// Types, ports, params and edges named after JavaScript internals or holding controls.
PROTO_NAMES.forEach((name, i) => {
  add({
    name: `node type '${name}'`,
    files: { 'g.json': text(graph([node('n', name)])) },
    args: [i % 2 ? 'run' : 'validate', 'g.json'],
    expect: { exitCode: 2, message: new RegExp(`unknown node type '${name}' \\(node 'n' kept, it will not run\\)`) },
  });
  add({
    name: `edge to port '${name}'`,
    files: { 'g.json': text({ ...noiseGraph(), edges: [edge('noise', 'image', 'result', name)] }) },
    args: ['validate', 'g.json'],
    expect: { exitCode: 2, message: new RegExp(`node 'result' \\(image-out\\) has no input '${name}' \\(inputs: image\\)`) },
  });
  add({
    name: `edge from node '${name}' that does not exist`,
    files: { 'g.json': text({ ...noiseGraph(), edges: [edge(name, 'image', 'result', 'image')] }) },
    args: ['validate', 'g.json'],
    expect: { exitCode: 2, message: new RegExp(`there is no node '${name}' \\(output '${name}\\.image'\\)`) },
  });
  add({
    name: `param '${name}' (ignored with a warning)`,
    files: { 'g.json': text(noiseGraph()).replace('"width":8', `"width":8,"${name}":1`) },
    args: ['validate', 'g.json'],
    expect: { exitCode: 0, message: name === '__proto__' ? /ok \(2 nodes/ : new RegExp(`warning: node 'noise' \\(perlin-noise\\): unknown param '${name}' ignored`) },
  });
});
add({
  name: "meta keys '__proto__' and 'constructor'",
  files: { 'g.json': text(noiseGraph()).replace('"meta":{}', '"meta":{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"title":"x"}') },
  args: ['run', 'g.json', '--out', 'out'],
  expect: { exitCode: 0, message: /wrote .*result\.png/, noOutput: false },
});
add({
  name: 'a node field __proto__ holding an object',
  files: { 'g.json': text(noiseGraph()).replace('"type":"perlin-noise",', '"type":"perlin-noise","__proto__":{"type":"image-out"},') },
  args: ['validate', 'g.json'],
  expect: { exitCode: 0, message: /ok \(2 nodes, 1 edges\)/ },
});
const CONTROL_TEXTS: Array<[string, string]> = [
  ['a newline', 'no\nde'],
  ['a carriage return', 'no\rde'],
  ['an escape sequence', '\u001b[2J'],
  ['a line separator', 'no\u2028de'],
  ['a byte order mark', '\ufeffnode'],
  ['100,000 characters', 'q'.repeat(100_000)],
];
for (const [what, bad] of CONTROL_TEXTS) {
  const shown = bad.length > 64 ? 'q{64}… \\(100000 characters\\)' : bad.replace(/[^\x20-\x7e]/g, (c) => `\\\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).replace(/[[\]()]/g, '\\$&');
  add({ name: `node type with ${what}`, files: { 'g.json': text(graph([node('n', bad)])) }, args: ['validate', 'g.json'], expect: { exitCode: 2, message: new RegExp(`unknown node type '${shown}'`) } });
  add({ name: `edge port with ${what}`, files: { 'g.json': text({ ...noiseGraph(), edges: [edge('noise', bad, 'result', 'image')] }) }, args: ['validate', 'g.json'], expect: { exitCode: 2, message: new RegExp(`has no output '${shown}'`) } });
  add({ name: `edge node with ${what}`, files: { 'g.json': text({ ...noiseGraph(), edges: [edge('noise', 'image', bad, 'image')] }) }, args: ['validate', 'g.json'], expect: { exitCode: 2, message: new RegExp(`there is no node '${shown}'`) } });
  add({ name: `label with ${what} (kept: labels are free text)`, files: { 'g.json': text(noiseGraph()).replace('"type":"image-out",', `"type":"image-out","label":${JSON.stringify(bad)},`) }, args: ['run', 'g.json', '--out', 'out'], expect: { exitCode: 0, message: /wrote .*result\.png/, noOutput: false } });
}
add({
  name: 'two nodes whose ids differ only by case both run',
  files: { 'g.json': text(graph([node('noise', 'perlin-noise', { width: 4, height: 4 }), node('Out', 'image-out'), node('out', 'image-out')], [edge('noise', 'image', 'Out', 'image'), edge('noise', 'image', 'out', 'image')])) },
  args: ['run', 'g.json', '--out', 'o'],
  expect: { exitCode: 0, message: /wrote .*o\/out\.png \(4x4\)/, noOutput: false },
});

export { cases };
