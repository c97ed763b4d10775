/**
 * Bad videos for video-source (`path`): files that are not video (text, an image, noise, empty), the
 * sample WebM cut at several points or with its header damaged, folders of PNG frames that are empty,
 * damaged or of mixed sizes, a start past the end. Refused naming the file, exit 1, nothing written.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../src/platform/node/services';
import type { CorpusCase } from '../case';
import { concat, editPng, graph, ihdr, node, pngBytes, text, videoPathGraph } from '../build';

const KIND = 'videos';
const cases: CorpusCase[] = [];
const webm = new Uint8Array(readFileSync(join(PROJECT_ROOT, 'public/samples/video/coffee_pan.webm')));
const VIDEO_TIMEOUT = 30_000;

function refuse(name: string, files: Record<string, string | Uint8Array>, path: string, message: RegExp, graphText = text(videoPathGraph(path))) {
  cases.push({ name, kind: KIND, files: { ...files, 'g.json': graphText }, args: ['run', 'g.json', '--out', 'out'], expect: { exitCode: 1, message }, timeoutMs: VIDEO_TIMEOUT });
}

const NOT_VIDEO = /the file is broken or not a video ffmpeg can read|has no video stream|ffmpeg could not read the video/;
const NOT_VIDEOS: Array<[string, Uint8Array]> = [
  ['an empty file', new Uint8Array(0)],
  ['text named .webm', new TextEncoder().encode('not a video at all')],
  ['random bytes', Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24)],
  ['the WebM header alone', webm.slice(0, 40)],
  ['the WebM with its first bytes zeroed', concat(new Uint8Array(64), webm.slice(64))],
];
for (const [what, bytes] of NOT_VIDEOS) refuse(`${what}`, { 'clip.webm': bytes }, 'clip.webm', new RegExp(`clip\\.webm(: | )(${NOT_VIDEO.source})`));
for (const fraction of [0.02, 0.1]) {
  refuse(`the sample WebM cut at ${fraction * 100}%`, { 'clip.webm': webm.slice(0, Math.floor(webm.length * fraction)) }, 'clip.webm', new RegExp(`clip\\.webm: (${NOT_VIDEO.source}|no frames in the requested range)`));
}
refuse('a missing file', {}, 'nope.webm', /video not found: .*nope\.webm/);
refuse('a start past the end', { 'clip.webm': webm }, 'clip.webm', /clip\.webm: start 999s is past the end of the video/, text(graph([node('clip', 'video-source', { path: 'clip.webm', start: 999, maxSide: 16 })])));

// Folders of PNG frames.
refuse('a folder without frames', { 'frames/readme.txt': 'x' }, 'frames', /frames: the folder holds no \.png frames/);
refuse('a folder whose first frame is damaged', { 'frames/frame_00001.png': pngBytes().slice(0, 30), 'frames/frame_00002.png': pngBytes() }, 'frames', /frame_00001\.png' is a damaged PNG: the file is truncated/);
refuse('a folder whose first frame is not a PNG', { 'frames/frame_00001.png': 'text' }, 'frames', /frame_00001\.png' is not a PNG or JPEG image/);
/** video-source reading `folder` into video-out (no files): every frame is read. */
const framesToVideoOut = (folder: string) =>
  text(graph([node('clip', 'video-source', { path: folder, maxSide: 16 }), node('out', 'video-out', { webm: false, writeFrames: false })], [{ from: { node: 'clip', port: 'frames' }, to: { node: 'out', port: 'frames' } }]));
cases.push({
  name: 'a folder whose second frame claims 100000x100000',
  kind: KIND,
  files: { 'frames/frame_00001.png': pngBytes(), 'frames/frame_00002.png': editPng(pngBytes(), (cs) => cs.map((c) => (c.type === 'IHDR' ? { type: 'IHDR', data: ihdr(100_000, 100_000) } : c))), 'g.json': framesToVideoOut('frames') },
  args: ['run', 'g.json', '--out', 'out'],
  expect: { exitCode: 1, message: /frame_00002\.png' is 100000x100000 pixels \(10,000,000,000\), more than the 40,000,000 allowed/ },
  timeoutMs: VIDEO_TIMEOUT,
});
cases.push({
  name: 'a folder of frames of two sizes',
  kind: KIND,
  files: { 'frames/frame_00001.png': pngBytes(4, 4), 'frames/frame_00002.png': pngBytes(6, 4), 'g.json': framesToVideoOut('frames') },
  args: ['run', 'g.json', '--out', 'out'],
  expect: { exitCode: 1, message: /frame_00002\.png: frame is 6x4, but the folder's first frame is 4x4/ },
  timeoutMs: VIDEO_TIMEOUT,
});
cases.push({
  name: 'the sound sample WebM opens',
  kind: KIND,
  files: { 'clip.webm': webm, 'g.json': text(videoPathGraph('clip.webm')) },
  args: ['run', 'g.json', '--out', 'out'],
  expect: { exitCode: 0, message: /note: the graph has no image-out node/, noOutput: false },
  timeoutMs: VIDEO_TIMEOUT,
});

export { cases };
