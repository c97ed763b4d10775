/**
 * Malformed and hostile JSON: cuts at every part of a document, stray tokens at structural points,
 * byte order marks and other encodings, values that are not documents, numbers JSON.parse turns into
 * Infinity. Validated and run: malformed text is exit 2 with its line and column, nothing written.
 */
import type { CorpusCase } from '../case';
import { concat, graph, node, noiseGraph, text } from '../build';

const KIND = 'json';
const pretty = JSON.stringify(noiseGraph(), null, 2);
const compact = text(noiseGraph());
const AT_LINE = /invalid JSON at line \d+, column \d+: /;

const cases: CorpusCase[] = [];
const refuse = (name: string, content: string | Uint8Array, message: RegExp, command: 'validate' | 'run' = 'validate') =>
  cases.push({ name, kind: KIND, files: { 'g.json': content }, args: [command, 'g.json'], expect: { exitCode: 2, message } });

// Cuts: every proper prefix of an object is malformed.
for (let k = 1; k <= 14; k++) {
  const at = Math.round((pretty.length * k) / 15);
  refuse(`cut at ${at} of ${pretty.length} characters`, pretty.slice(0, at), AT_LINE, k % 3 === 0 ? 'run' : 'validate');
}

// Stray tokens where JSON allows none.
const TOKENS = [',', '}', ']', '"', 'x', '// note\n', '/* note */', 'NaN', 'Infinity', "'a'", '\u0000', '01', '+1', '.5', '0x10', 'undefined', 'True', '\u00a0'];
const POINTS: Array<[string, (t: string) => string]> = [
  ['after the opening brace', (t) => `{${t}${compact.slice(1)}`],
  ['before the nodes array', (t) => compact.replace('"nodes":', `"nodes":${t}`)],
  ['before the closing brace', (t) => `${compact.slice(0, -1)}${t}}`],
];
TOKENS.forEach((token, i) => {
  const [where, insert] = POINTS[i % POINTS.length];
  refuse(`${JSON.stringify(token)} ${where}`, insert(token), AT_LINE, i % 4 === 0 ? 'run' : 'validate');
});
refuse('trailing comma in an array', compact.replace(']}', '],}').replace('"edges":[', '"edges":[,'), AT_LINE);
refuse('text after the document', `${compact}\n{"again": true}`, /after the end of the JSON value/);
refuse('a control character inside a string', compact.replace('"result"', '"res\tult"'), /control character in string/);
refuse('a bad escape inside a string', compact.replace('"result"', '"res\\qult"'), /bad escape in string/);
refuse('a short unicode escape', compact.replace('"result"', '"res\\u12"'), /bad \\u escape in string/);

// Encodings: a UTF-8 byte order mark is accepted, others are not JSON.
cases.push({ name: 'UTF-8 byte order mark (validate)', kind: KIND, files: { 'g.json': `\uFEFF${pretty}` }, args: ['validate', 'g.json'], expect: { exitCode: 0, message: /g\.json: ok \(2 nodes, 1 edges\)/ } });
cases.push({
  name: 'UTF-8 byte order mark (run writes the image)',
  kind: KIND,
  files: { 'g.json': concat(Uint8Array.of(0xef, 0xbb, 0xbf), compact) },
  args: ['run', 'g.json', '--out', 'out'],
  expect: { exitCode: 0, message: /wrote .*result\.png \(8x8\)/, noOutput: false },
});
refuse('two byte order marks', `\uFEFF\uFEFF${compact}`, AT_LINE);
const utf16 = (le: boolean) => {
  const units = [0xfeff, ...Array.from(compact, (c) => c.charCodeAt(0))];
  const out = new Uint8Array(units.length * 2);
  units.forEach((u, i) => {
    out[2 * i + (le ? 0 : 1)] = u & 0xff;
    out[2 * i + (le ? 1 : 0)] = u >> 8;
  });
  return out;
};
refuse('UTF-16 little-endian text', utf16(true), AT_LINE);
refuse('UTF-16 big-endian text', utf16(false), AT_LINE);
cases.push({
  name: 'invalid UTF-8 bytes inside the title (read as replacement characters)',
  kind: KIND,
  files: { 'g.json': concat(compact.slice(0, -1), ',"meta":{"title":"', Uint8Array.of(0xff, 0xfe, 0xc3), '"}}') },
  args: ['validate', 'g.json'],
  expect: { exitCode: 0, message: /g\.json: ok/ },
});
refuse('NUL bytes instead of text', new Uint8Array(64), AT_LINE);
refuse('random binary', Uint8Array.from({ length: 300 }, (_, i) => (i * 151 + 7) % 256), AT_LINE);

// Values that are JSON but no document.
const NOT_DOCUMENTS: Array<[string, string, RegExp]> = [
  ['an empty file', '', /invalid JSON at line 1, column 1: unexpected end of text/],
  ['only whitespace', ' \n\t\n ', /invalid JSON at line 3, column 2: unexpected end of text/],
  ['null', 'null', /the document must be a JSON object, got null/],
  ['an array', '[]', /the document must be a JSON object, got an array/],
  ['a string', '"graph"', /the document must be a JSON object, got the string "graph"/],
  ['a number', '42', /the document must be a JSON object, got number 42/],
  ['true', 'true', /the document must be a JSON object, got boolean true/],
  ['an empty object (schema 0, no nodes)', '{}', /nodes is missing \(it must be an array\)/],
  ['schemaVersion as a string', text({ ...noiseGraph(), schemaVersion: '1' }), /schemaVersion must be a non-negative integer/],
  ['schemaVersion negative', text({ ...noiseGraph(), schemaVersion: -1 }), /schemaVersion must be a non-negative integer/],
  ['schemaVersion from the future', text({ ...noiseGraph(), schemaVersion: 99 }), /schemaVersion 99, newer than this MGAN Studio understands .*update MGAN Studio/],
  ['duplicate keys: the last schemaVersion wins', compact.replace('{"schemaVersion":1', '{"schemaVersion":1,"schemaVersion":7'), /schemaVersion 7, newer/],
  ['nodes is an object', text({ ...noiseGraph(), nodes: { a: 1 } }), /nodes must be an array, got an object/],
  ['edges is a string', text({ ...noiseGraph(), edges: 'none' }), /edges must be an array, got the string "none"/],
  ['meta is an array', text({ ...noiseGraph(), meta: [1] }), /meta must be an object, got an array/],
  ['a node is null', text(graph([null])), /nodes\[0\] must be an object, got null/],
  ['a node is a number', text(graph([7])), /nodes\[0\] must be an object, got number 7/],
  ['params is an array', text(graph([{ ...node('a', 'perlin-noise'), params: [1, 2] }])), /nodes\[0\]\.params must be an object, got an array/],
  ['a param is an object', text(graph([node('a', 'perlin-noise', { width: { value: 3 } })])), /nodes\[0\]\.params\.width must be a number, string, boolean or null, got an object/],
  ['an edge is an array', text({ ...noiseGraph(), edges: [[1, 2]] }), /edges\[0\] must be an object \{"from", "to"\}, got an array/],
  ['an edge end without a port', text({ ...noiseGraph(), edges: [{ from: { node: 'noise' }, to: { node: 'result', port: 'image' } }] }), /edges\[0\]\.from\.port is missing/],
];
for (const [name, content, message] of NOT_DOCUMENTS) refuse(name, content, message);

// Numbers JSON.parse turns into Infinity or zero, and odd number forms.
const withPosition = (x: string) => compact.replace('"position":{"x":0', `"position":{"x":${x}`);
refuse('1e999 (Infinity) as a position', withPosition('1e999'), /nodes\[0\]\.position\.x must be a finite number, got number Infinity/);
refuse('-1e999 (-Infinity) as a position', withPosition('-1e999'), /nodes\[0\]\.position\.x must be a finite number, got number -Infinity/);
cases.push({ name: '1e-400 (zero) as a position', kind: KIND, files: { 'g.json': withPosition('1e-400') }, args: ['validate', 'g.json'], expect: { exitCode: 0, message: /ok/ } });
refuse('1e999 as a param', compact.replace('"width":8', '"width":1e999'), /param 'width' = Infinity is not a finite number/);
refuse('a 300-digit number as a param', compact.replace('"width":8', `"width":${'9'.repeat(300)}`), /param 'width' = .* is above its maximum 4096/);

export { cases };
