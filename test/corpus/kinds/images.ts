/**
 * Bad images and lying headers, read by image-source (`path`) and image-set (`paths`): PNGs and
 * JPEGs cut at every part of the file, checksums broken in each chunk, damaged pixel data behind a
 * sound header, headers claiming zero or 10 billion pixels, undefined colour types, files that are
 * no image at all. Refused before decoding, naming the file, exit 1, nothing written; never a
 * decoder library's own words.
 */
import { deflateSync } from 'node:zlib';
import type { CorpusCase } from '../case';
import { chunkOffset, concat, editPng, flip, ihdr, imagePathGraph, imageSetGraph, jpegBytes, jpegWithSize, pngBytes, text } from '../build';

const KIND = 'images';
const cases: CorpusCase[] = [];

/** Runs the image through image-source (and every third through image-set), expecting a refusal naming it. */
function refuse(name: string, bytes: Uint8Array, reason: RegExp, file = 'pic.png', env?: Record<string, string>) {
  const set = cases.length % 3 === 2;
  cases.push({
    name: `${name}${set ? ' (image-set)' : ''}`,
    kind: KIND,
    files: { [file]: bytes, 'g.json': text(set ? imageSetGraph(file) : imagePathGraph(file)) },
    args: ['run', 'g.json', '--out', 'out'],
    env,
    expect: { exitCode: 1, message: new RegExp(`error: node '(src|set)': .*${file.replace('.', '\\.')}' ${reason.source}`) },
  });
}

const png = pngBytes(6, 5);
const png16 = pngBytes(3, 3, 6, 16);
const grey = pngBytes(5, 4, 0);
const jpg = jpegBytes(16, 16);

// Cut anywhere: in the signature, the header, the data, before IEND.
const idat = chunkOffset(png, 'IDAT');
const iend = chunkOffset(png, 'IEND');
const PNG_CUTS: Array<[string, number]> = [
  ['in the signature', 5],
  ['in the IHDR chunk', 20],
  ['after IHDR', 33],
  ['in the IDAT length', idat + 2],
  ['in the IDAT data', idat + 12],
  ['before the IDAT checksum', iend - 2],
  ['before IEND', iend],
  ['in IEND', iend + 6],
];
for (const [where, at] of PNG_CUTS) {
  refuse(`PNG cut ${where}`, png.slice(0, at), at < 8 ? /is not a PNG or JPEG image/ : /is a damaged PNG: the file is truncated/);
}
refuse('16-bit PNG cut in half', png16.slice(0, Math.floor(png16.length / 2)), /is a damaged PNG: the file is truncated/);

// Checksums: a flipped byte in each chunk's data, or in its stored CRC.
for (const chunk of ['IHDR', 'IDAT', 'IEND']) {
  const at = chunkOffset(png, chunk);
  const length = new DataView(png.buffer, png.byteOffset).getUint32(at);
  if (length > 0) refuse(`PNG with a damaged ${chunk} chunk`, flip(png, at + 8), new RegExp(`is a damaged PNG: its ${chunk} chunk fails its checksum \\(CRC\\)`));
  refuse(`PNG with a wrong ${chunk} checksum`, flip(png, at + 8 + length + 1), new RegExp(`is a damaged PNG: its ${chunk} chunk fails its checksum \\(CRC\\)`));
}
{
  const withText = editPng(png, (cs) => [cs[0], { type: 'tEXt', data: new TextEncoder().encode('Comment\0hi') }, ...cs.slice(1)]);
  refuse('PNG with a damaged text chunk', flip(withText, chunkOffset(withText, 'tEXt') + 9), /is a damaged PNG: its tEXt chunk fails its checksum/);
}

// Damage behind a sound header: the pixel data itself (checksums recomputed).
const garbleIdat = (source: Uint8Array, how: (d: Uint8Array) => Uint8Array) => editPng(source, (cs) => cs.map((c) => (c.type === 'IDAT' ? { type: 'IDAT', data: how(c.data) } : c)));
refuse('PNG whose pixel data is not zlib', garbleIdat(png, (d) => d.map((_, i) => (i * 97) % 256)), /is a damaged PNG: its pixel data cannot be decoded/);
refuse('PNG whose pixel data stops early', garbleIdat(png, (d) => d.slice(0, Math.floor(d.length / 2))), /is a damaged PNG: its pixel data (cannot be decoded|stops short of the 6x5 pixels its header says)/);
refuse('16-bit PNG whose pixel data stops early', garbleIdat(png16, (d) => d.slice(0, d.length - 6)), /is a damaged PNG: its pixel data (cannot be decoded|stops short of the 3x3 pixels its header says)/);
refuse('PNG whose pixel data inflates past its size', garbleIdat(png, () => new Uint8Array(deflateSync(new Uint8Array(10_000_000)))), /is a damaged PNG: its pixel data runs past the 6x5 pixels its header says/);
refuse('PNG with an empty IDAT', garbleIdat(grey, () => new Uint8Array(0)), /is a damaged PNG: its pixel data stops short of the 5x4 pixels its header says/);
refuse('PNG without IDAT', editPng(png, (cs) => cs.filter((c) => c.type !== 'IDAT')), /is a damaged PNG: it holds no image data \(IDAT chunk\)/);
refuse('PNG with IHDR not first', editPng(png, (cs) => [cs[1], cs[0], ...cs.slice(2)]), /is a damaged PNG: it does not start with an IHDR header chunk/);

// Lying headers: the IHDR (with a valid checksum) claims another size or an undefined format.
const withHeader = (data: Uint8Array, source = png) => editPng(source, (cs) => cs.map((c) => (c.type === 'IHDR' ? { type: 'IHDR', data } : c)));
refuse('PNG claiming 100000x100000', withHeader(ihdr(100_000, 100_000)), /is 100000x100000 pixels \(10,000,000,000\), more than the 40,000,000 allowed: scale it down first, or raise the limit with MGAN_STUDIO_MAX_PIXELS=N/);
refuse('PNG claiming 2147483647x2147483647', withHeader(ihdr(0x7fffffff, 0x7fffffff)), /is 2147483647x2147483647 pixels .*more than the 40,000,000 allowed/);
refuse('PNG claiming 8000x5001 (just over the cap)', withHeader(ihdr(8000, 5001)), /is 8000x5001 pixels \(40,008,000\), more than the 40,000,000 allowed/);
refuse('PNG claiming 1000000x1', withHeader(ihdr(1_000_000, 1)), /is a damaged PNG: its pixel data stops short of the 1000000x1 pixels its header says/);
refuse('interlaced PNG claiming 3000x3000', withHeader(ihdr(3000, 3000, 8, 2, 0, 0, 1)), /is a damaged PNG: its pixel data stops short of the 3000x3000 pixels/);
refuse('PNG claiming 0x5', withHeader(ihdr(0, 5)), /is a damaged PNG: its header says 0x5 pixels/);
refuse('PNG claiming 6x0', withHeader(ihdr(6, 0)), /is a damaged PNG: its header says 6x0 pixels/);
refuse('PNG claiming 4294967295 wide', withHeader(ihdr(0xffffffff, 1)), /is a damaged PNG: its header says 4294967295x1 pixels/);
refuse('PNG claiming 7x5 (more than its data)', withHeader(ihdr(7, 5)), /is a damaged PNG: its pixel data stops short of the 7x5 pixels/);
refuse('PNG claiming 5x5 (less than its data)', withHeader(ihdr(5, 5)), /is a damaged PNG: its pixel data runs past the 5x5 pixels/);
for (const [depth, colour] of [[3, 2], [16, 3], [5, 0], [8, 1], [8, 7], [2, 6]] as const) {
  refuse(`PNG with colour type ${colour} at bit depth ${depth}`, withHeader(ihdr(6, 5, depth, colour)), new RegExp(`is a damaged PNG: its header has colour type ${colour} with bit depth ${depth}, which PNG does not define`));
}
refuse('PNG with an unknown compression method', withHeader(ihdr(6, 5, 8, 2, 1)), /is a damaged PNG: its header names an unknown compression, filter or interlace method/);
refuse('PNG with an unknown interlace method', withHeader(ihdr(6, 5, 8, 2, 0, 0, 2)), /is a damaged PNG: its header names an unknown compression, filter or interlace method/);
refuse('palette PNG without a palette', withHeader(ihdr(6, 5, 8, 3)), /is a damaged PNG: it is a palette image without a palette/);
refuse('PNG over a lowered pixel cap', png, /is 6x5 pixels \(30\), more than the 20 allowed/, 'pic.png', { MGAN_STUDIO_MAX_PIXELS: '20' });

// JPEG: cut, lying frame headers, damaged data.
const sos = jpg.findIndex((b, i) => b === 0xff && jpg[i + 1] === 0xda);
for (const [where, at] of [['in its first segment', 6], ['in its frame header', sos - 30], ['just after its scan header', sos + 20], ['before its end marker', jpg.length - 2]] as const) {
  refuse(`JPEG cut ${where}`, jpg.slice(0, at), /is a damaged JPEG: the file is truncated/, 'pic.jpg');
}
refuse('JPEG claiming 60000x60000', jpegWithSize(60_000, 60_000), /is 60000x60000 pixels \(3,600,000,000\), more than the 40,000,000 allowed/, 'pic.jpg');
refuse('JPEG claiming 0x16', jpegWithSize(0, 16), /is a damaged JPEG: its frame header says 0x16 pixels/, 'pic.jpg');
refuse('JPEG claiming 16x0', jpegWithSize(16, 0), /is a damaged JPEG: its frame header says 16x0 pixels/, 'pic.jpg');
refuse('JPEG with no frame header', concat(Uint8Array.of(0xff, 0xd8), jpg.subarray(sos), Uint8Array.of(0xff, 0xd9)), /is a damaged JPEG: it has no frame header \(size\) before its image data/, 'pic.jpg');
refuse('JPEG that ends at once', Uint8Array.of(0xff, 0xd8, 0xff, 0xd9), /is a damaged JPEG: (it ends before any image data|the file is truncated)/, 'pic.jpg');
refuse('JPEG with a segment running past its end', concat(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0xff, 0xff), new Uint8Array(20)), /is a damaged JPEG: the file is truncated \(a header segment runs past its end\)/, 'pic.jpg');
refuse('JPEG with garbage between segments', concat(jpg.subarray(0, 20), Uint8Array.of(0x12, 0x34), jpg.subarray(20)), /is a damaged JPEG: its header is malformed at byte/, 'pic.jpg');
// Noise in a JPEG's scan decodes to noise, as browsers show it: not refused, and nothing breaks.
cases.push({
  name: 'JPEG whose scan data is noise decodes to noise',
  kind: KIND,
  files: { 'pic.jpg': concat(jpg.subarray(0, sos + 14), Uint8Array.from({ length: 400 }, (_, i) => (i * 73) % 255), Uint8Array.of(0xff, 0xd9)), 'g.json': text(imagePathGraph('pic.jpg')) },
  args: ['run', 'g.json', '--out', 'out'],
  expect: { exitCode: 0, message: /wrote .*result\.png \(16x16\)/, noOutput: false },
});

// Not images at all, whatever their name says.
const NOT_IMAGES: Array<[string, Uint8Array, string]> = [
  ['an empty file', new Uint8Array(0), 'pic.png'],
  ['text named .png', new TextEncoder().encode('this is not a picture'), 'pic.png'],
  ['a GIF', new TextEncoder().encode('GIF89a\x01\x00\x01\x00\x00\x00\x00;'), 'pic.gif'],
  ['a BMP', concat('BM', new Uint8Array(60)), 'pic.bmp'],
  ['a WebP header with no picture after it', concat('RIFF', Uint8Array.of(30, 0, 0, 0), 'WEBPVP8 ', new Uint8Array(20)), 'pic.webp'],
  ['a graph document named .png', new TextEncoder().encode(text(imagePathGraph('x.png'))), 'pic.png'],
  ['an SVG', new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="100000"/>'), 'pic.svg'],
  ['a PNG signature alone', png.slice(0, 8), 'pic.png'],
  ['a JPEG start marker alone', Uint8Array.of(0xff, 0xd8, 0xff), 'pic.jpg'],
];
for (const [what, bytes, file] of NOT_IMAGES) {
  refuse(what, bytes, /is (not a PNG or JPEG image, nor a WebP \(\d+ bytes, unrecognised header\)|a damaged (PNG|JPEG|WebP): .*)/, file);
}

// Sound images of every kind still load (the checks refuse only what is wrong).
for (const [what, bytes, file] of [['8-bit RGB PNG', png, 'a.png'], ['16-bit RGBA PNG', png16, 'b.png'], ['grey PNG', grey, 'c.png'], ['JPEG', jpg, 'd.jpg']] as const) {
  cases.push({ name: `a sound ${what} loads`, kind: KIND, files: { [file]: bytes, 'g.json': text(imagePathGraph(file)) }, args: ['run', 'g.json', '--out', 'out'], expect: { exitCode: 0, message: /wrote .*result\.png/, noOutput: false } });
}

export { cases };
