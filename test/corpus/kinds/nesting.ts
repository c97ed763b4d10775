/**
 * Deep nesting: arrays and objects nested past the limit in every part of a document (meta, a node,
 * a param, an edge, the top level), balanced or left open, through validate, run, extract (a PNG
 * chunk) and decoders import (a decoder header). Refused in one line, never a stack overflow.
 */
import { MAX_JSON_DEPTH } from '../../../src/formats/limits';
import type { CorpusCase } from '../case';
import { decoderFile, DECODER_META, decoderSpecs, noiseGraph, pngBytes, text } from '../build';
import { embedGraphJsonInPng } from '../../../src/graph/share-png';

const KIND = 'nesting';
const TOO_DEEP = new RegExp(`the JSON nests deeper than ${MAX_JSON_DEPTH} levels`);

/** `depth` levels of arrays (or objects) around `inner`. */
function nest(depth: number, how: 'array' | 'object' | 'mixed', inner = '0', close = true): string {
  let open = '';
  let shut = '';
  for (let i = 0; i < depth; i++) {
    const array = how === 'array' || (how === 'mixed' && i % 2 === 0);
    open += array ? '[' : '{"k":';
    shut = (array ? ']' : '}') + shut;
  }
  return open + inner + (close ? shut : '');
}

const base = text(noiseGraph());
/** The document with `value` in one place; `extra` is the depth the place itself adds. */
const PLACES: Array<[string, (v: string) => string, number]> = [
  ['meta', (v) => base.replace('"meta":{}', `"meta":{"x":${v}}`), 2],
  ['a node field', (v) => base.replace('"type":"perlin-noise",', `"type":"perlin-noise","extra":${v},`), 3],
  ['a param', (v) => base.replace('"width":8', `"width":${v}`), 4],
  ['an edge', (v) => base.replace('"edges":[', `"edges":[${v},`), 2],
  ['the nodes list', (v) => base.replace('"nodes":[', `"nodes":[${v},`), 2],
];
const DEPTHS = [MAX_JSON_DEPTH + 1, 1000, 10_000, 100_000];

const cases: CorpusCase[] = [];
PLACES.forEach(([place, put, extra], p) => {
  DEPTHS.forEach((depth, d) => {
    const how = (['array', 'object', 'mixed'] as const)[(p + d) % 3];
    cases.push({
      name: `${depth} levels of ${how === 'mixed' ? 'arrays and objects' : `${how}s`} in ${place}`,
      kind: KIND,
      files: { 'g.json': put(nest(depth - extra, how)) },
      args: [(p + d) % 2 ? 'run' : 'validate', 'g.json'],
      expect: { exitCode: 2, message: TOO_DEEP },
    });
  });
});

// Just inside the limit is a document like any other (meta may hold nested data).
cases.push({ name: `${MAX_JSON_DEPTH} levels in meta (the limit)`, kind: KIND, files: { 'g.json': PLACES[0][1](nest(MAX_JSON_DEPTH - 2, 'array')) }, args: ['validate', 'g.json'], expect: { exitCode: 0, message: /ok \(2 nodes/ } });
// Brackets inside strings are text, not nesting.
cases.push({ name: '100000 brackets inside a string', kind: KIND, files: { 'g.json': base.replace('"meta":{}', `"meta":{"x":"${'['.repeat(100_000)}"}`) }, args: ['validate', 'g.json'], expect: { exitCode: 0, message: /ok/ } });
// Left open: malformed and deep at once; the depth is what is reported, with where.
for (const depth of [200, 50_000]) {
  cases.push({ name: `${depth} unclosed brackets`, kind: KIND, files: { 'g.json': nest(depth, 'array', '', false) }, args: ['validate', 'g.json'], expect: { exitCode: 2, message: /the JSON nests deeper than \d+ levels at line 1, column \d+/ } });
}
cases.push({ name: 'deep nesting after a syntax error', kind: KIND, files: { 'g.json': `{"schemaVersion": 1,, "meta": ${nest(5000, 'array')}}` }, args: ['validate', 'g.json'], expect: { exitCode: 2, message: TOO_DEEP } });
cases.push({ name: 'deep nesting as the whole document', kind: KIND, files: { 'g.json': nest(20_000, 'object') }, args: ['run', 'g.json'], expect: { exitCode: 2, message: TOO_DEEP } });

// The same in a PNG's graph chunk (extract) and in a decoder file's header (decoders import).
const png = pngBytes();
for (const depth of [MAX_JSON_DEPTH + 1, 10_000]) {
  cases.push({
    name: `${depth} levels in a PNG's graph chunk`,
    kind: KIND,
    files: { 'img.png': embedGraphJsonInPng(png, PLACES[0][1](nest(depth, 'array'))) },
    args: ['extract', 'img.png'],
    expect: { exitCode: 2, message: /img\.png: the graph in this PNG cannot be opened: the JSON nests deeper than/ },
  });
  cases.push({
    name: `${depth} levels in a decoder header`,
    kind: KIND,
    files: { 'deep.mgan': decoderFile({ headerText: JSON.stringify({ meta: { ...DECODER_META, training: { x: 0 } }, weightSpecs: decoderSpecs() }).replace('{"x":0}', `{"x":${nest(depth, 'array')}}`), weightBytes: 16 }) },
    args: ['decoders', 'import', 'deep.mgan'],
    expect: { exitCode: 1, message: /deep\.mgan' is not an MGAN Studio decoder file \(its header: the JSON nests deeper than/ },
  });
}
cases.push({
  name: 'a deep graph embedded in a PNG, written with --out',
  kind: KIND,
  files: { 'img.png': embedGraphJsonInPng(png, nest(3000, 'mixed')) },
  args: ['extract', 'img.png', '--out', 'g.json'],
  expect: { exitCode: 2, message: TOO_DEEP },
});

export { cases };
