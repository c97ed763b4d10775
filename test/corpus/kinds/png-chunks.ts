/**
 * Bad PNG chunks for `extract`: the graph chunk with a broken checksum, compressed, in zTXt, with a
 * malformed iTXt header, text that is not UTF-8 or not JSON, a document over the size limit; chunk
 * lengths running past the file, no IEND, not a PNG at all; `--out` into a missing folder. Refused
 * in one line (exit 2 for a bad PNG, 1 for a write that fails), nothing written.
 */
import { PNG_GRAPH_KEYWORD, embedGraphJsonInPng } from '../../../src/graph/share-png';
import type { CorpusCase } from '../case';
import { chunkOffset, concat, editPng, flip, noiseGraph, pngBytes, text } from '../build';

const KIND = 'png-chunks';
const cases: CorpusCase[] = [];
const png = pngBytes(3, 2);
const doc = text(noiseGraph());
const good = embedGraphJsonInPng(png, doc);

const refuse = (name: string, bytes: Uint8Array, message: RegExp, exitCode = 2, extra: string[] = []) =>
  cases.push({ name, kind: KIND, files: { 'img.png': bytes }, args: ['extract', 'img.png', ...extra], expect: { exitCode, message } });

/** A graph chunk of `type` with raw `data` after the keyword's NUL. */
const graphChunk = (type: string, data: Uint8Array) => editPng(png, (cs) => [cs[0], { type, data: concat(PNG_GRAPH_KEYWORD, Uint8Array.of(0), data) }, ...cs.slice(1)]);
const itxt = (flag: number, rest: Uint8Array | string) => graphChunk('iTXt', concat(Uint8Array.of(flag, 0), rest));

const graphAt = chunkOffset(good, 'iTXt');
refuse('graph chunk with a flipped byte', flip(good, graphAt + 30), /img\.png: this PNG's mgan-studio-graph chunk is damaged \(checksum mismatch\)/);
refuse('graph chunk with a wrong checksum', flip(good, chunkOffset(good, 'IEND') - 2), /img\.png: this PNG's mgan-studio-graph chunk is damaged \(checksum mismatch\)/);
refuse('compressed iTXt graph', itxt(1, concat(Uint8Array.of(0, 0), doc)), /chunk is compressed, which MGAN Studio does not write or read/);
refuse('zTXt graph', graphChunk('zTXt', concat(Uint8Array.of(0), doc)), /chunk is compressed, which MGAN Studio does not write or read/);
refuse('iTXt without its language field', itxt(0, 'no-nul-here'), /chunk is damaged \(malformed iTXt header\)/);
refuse('iTXt with text that is not UTF-8', itxt(0, concat(Uint8Array.of(0, 0), Uint8Array.of(0xc3, 0x28, 0xff))), /chunk is damaged \(its text is not UTF-8\)/);
for (const [what, body] of [
  ['empty', ''],
  ['cut JSON', doc.slice(0, doc.length / 2)],
  ['a bare word', 'graph'],
  ['JSON with a comment', `// mine\n${doc}`],
] as const) {
  refuse(`graph chunk holding ${what}`, embedGraphJsonInPng(png, body), /chunk is damaged \(its text is not valid JSON\)/);
}
refuse('graph chunk over the document limit', embedGraphJsonInPng(png, text({ ...noiseGraph(), meta: { d: 'x'.repeat(3000) } })), /the graph in this PNG cannot be opened: .*more than the 2\.0 kB allowed/);
cases[cases.length - 1].env = { MGAN_STUDIO_MAX_DOCUMENT_BYTES: '2048' };
refuse('graph chunk with too many nodes', embedGraphJsonInPng(png, text({ schemaVersion: 1, nodes: Array.from({ length: 1001 }, (_, i) => ({ id: `n${i}`, type: 'perlin-noise' })) })), /the embedded graph cannot be opened: the graph has 1001 nodes/);

// The container itself.
const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
const longChunk = new Uint8Array(good);
view(longChunk).setUint32(graphAt, 0x7fffffff);
refuse('a chunk length running past the end', longChunk, /img\.png: the PNG file is truncated \(a chunk runs past the end of the file\)/);
refuse('no IEND', good.slice(0, chunkOffset(good, 'IEND')), /img\.png: the PNG file is truncated \(it ends before its IEND chunk\)/);
refuse('cut inside the graph chunk', good.slice(0, graphAt + 20), /the PNG file is truncated/);
refuse('not a PNG', new TextEncoder().encode(doc), /img\.png: not a PNG file/);
refuse('an empty file', new Uint8Array(0), /img\.png: not a PNG file/);
refuse('a JPEG', Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 16), /img\.png: not a PNG file/);
refuse('a PNG with no graph', png, /img\.png: holds no MGAN Studio graph \(no 'mgan-studio-graph' text chunk\)/);
refuse('a text chunk with another keyword', editPng(png, (cs) => [cs[0], { type: 'tEXt', data: concat('Comment', Uint8Array.of(0), doc) }, ...cs.slice(1)]), /holds no MGAN Studio graph/);
cases.push({ name: 'extract a folder', kind: KIND, files: { 'dir/x': 'x' }, args: ['extract', 'dir'], expect: { exitCode: 2, message: /cannot read image 'dir': it is a folder, not a file/ } });
cases.push({ name: 'extract a missing file', kind: KIND, args: ['extract', 'nope.png'], expect: { exitCode: 2, message: /cannot read image 'nope\.png': no such file or folder/ } });

// Writing the graph out.
cases.push({ name: '--out into a missing folder', kind: KIND, files: { 'img.png': good }, args: ['extract', 'img.png', '--out', 'missing/dir/g.json'], expect: { exitCode: 1, message: /^error: cannot write 'missing\/dir\/g\.json': the folder 'missing\/dir' does not exist \(create it first\)$/ } });
cases.push({ name: '--out onto a folder', kind: KIND, files: { 'img.png': good, 'taken/x': 'x' }, args: ['extract', 'img.png', '--out', 'taken'], expect: { exitCode: 1, message: /^error: cannot write 'taken': it is a folder, not a file$/ } });
cases.push({ name: '--out below a file', kind: KIND, files: { 'img.png': good, 'file.txt': 'x' }, args: ['extract', 'img.png', '--out', 'file.txt/g.json'], expect: { exitCode: 1, message: /^error: cannot write 'file\.txt\/g\.json': a part of the path is a file, not a folder$/ } });
// A graph this install cannot validate is still printed, with a warning (an older or newer tool's graph).
cases.push({
  name: 'a graph with an unknown node type is printed with a warning',
  kind: KIND,
  files: { 'img.png': embedGraphJsonInPng(png, text({ ...noiseGraph(), nodes: [{ id: 'x', type: 'from-the-future', version: 1, position: { x: 0, y: 0 }, params: {} }], edges: [] })) },
  args: ['extract', 'img.png'],
  expect: { exitCode: 0, message: /"type": "from-the-future"/ },
});
cases.push({ name: 'a sound PNG extracts', kind: KIND, files: { 'img.png': good }, args: ['extract', 'img.png', '--out', 'g.json'], expect: { exitCode: 0, message: /^wrote g\.json$/, noOutput: false } });

export { cases };
