/**
 * Corpus kind "outputs": names a graph gives the files it writes (video-out `name`, mgan-trainer
 * `saveAs`) that are not plain file names, weight manifests that name files outside the cache, and
 * runs that fail after part of their output was produced: all refused or rolled back, nothing written.
 */
import { md5Hex } from '../../../src/method/vgg/vgg19-weights';
import type { CorpusCase } from '../case';
import { graphJson, literal, pngBytes } from './build';

const BAD_NAMES = ['..', '.', '../x', '../../etc', '/tmp/x', 'a/b', 'a\\b', '..\\..\\x', 'clip/', '.hidden', '-y', 'x'.repeat(101), 'name with space', 'tab\tname', 'new\nline'];

const videoGraph = (name: string) =>
  graphJson([{ id: 'vid', type: 'video-source', params: { sample: 'coffee_pan' } }, { id: 'v', type: 'video-out', params: { name } }], [['vid', 'frames', 'v', 'frames']]);

const videoNames: CorpusCase[] = BAD_NAMES.map((name) => ({
  name: `video-out name ${JSON.stringify(name)}`,
  kind: 'outputs',
  files: { 'graph.json': videoGraph(name) },
  args: ['run', 'graph.json', '--out', 'out'],
  expect: { exitCode: 2, message: /node 'v' \(video-out\): param 'name' = .* is not a plain file name/, noOutput: true },
}));

const trainerNames: CorpusCase[] = ['..', '../decoders/x', '/tmp/x', '.hidden'].map((name) => ({
  name: `mgan-trainer saveAs ${JSON.stringify(name)}`,
  kind: 'outputs',
  files: { 'graph.json': graphJson([{ id: 'train', type: 'mgan-trainer', params: { saveAs: name } }]) },
  args: ['run', 'graph.json', '--out', 'out'],
  expect: { exitCode: 2, message: /node 'train' \(mgan-trainer\): param 'saveAs' = .* is not a plain file name/, noOutput: true },
}));

const setNames: CorpusCase[] = ['..', '../../x', '/etc/x'].map((name) => ({
  name: `--set v.name=${name}`,
  kind: 'outputs',
  files: { 'graph.json': videoGraph('clip') },
  args: ['run', 'graph.json', '--out', 'out', '--set', `v.name=${name}`],
  expect: { exitCode: 2, message: new RegExp(`--set v\\.name=${literal(name)}.*not a plain file name`), noOutput: true },
}));

/** A weights folder whose manifest names `filename` (size and md5 as a real weight file would have). */
function hostileManifest(filename: string): Record<string, string> {
  const bytes = new TextEncoder().encode('eight bytes, md5-checked');
  const entry = { filename, size: bytes.length, shape: [bytes.length], quantization: { dtype: 'uint8', scale: 1, min_value: 0 }, checksum: md5Hex(bytes) };
  return { 'weights/manifest.json': JSON.stringify({ weights: { 'conv1_1/kernel': entry } }) };
}

const weights: CorpusCase[] = ['../../x', '../../../../tmp/mgan-corpus-x', '/tmp/mgan-corpus-x', '..', 'sub/x', '..\\..\\x', '.manifest'].map((filename) => ({
  name: `weights --from a manifest with filename ${JSON.stringify(filename)}`,
  kind: 'outputs',
  files: hostileManifest(filename),
  args: ['weights', '--from', 'weights', '--cache', 'cache'],
  expect: { exitCode: 1, message: new RegExp(`manifest\\.json entry 'conv1_1/kernel' has filename '${literal(filename)}', which .*this manifest is refused`), noOutput: true },
}));

/** A video whose third frame has another size: video-out has written two frames when it fails. */
const brokenVideo = {
  'frames/f1.png': pngBytes(8, 8),
  'frames/f2.png': pngBytes(8, 8),
  'frames/f3.png': pngBytes(6, 8),
};

const partial: CorpusCase[] = [
  {
    name: 'video-out fails after two frames: no frame written',
    kind: 'outputs',
    files: {
      ...brokenVideo,
      'graph.json': graphJson(
        [
          { id: 'src', type: 'video-source', params: { path: 'frames', maxSide: 16 } },
          { id: 'v', type: 'video-out', params: { name: 'clip' } },
          { id: 'noise', type: 'perlin-noise', params: { width: 8, height: 8 } },
          { id: 'still', type: 'image-out' },
        ],
        [
          ['src', 'frames', 'v', 'frames'],
          ['noise', 'image', 'still', 'image'],
        ],
      ),
    },
    args: ['run', 'graph.json', '--out', 'out'],
    expect: { exitCode: 1, message: /frame is 6x8, but the folder's first frame is 8x8[\s\S]*nothing written/, noOutput: true },
  },
  {
    name: 'the second image-out fails after the first finished: no PNG written',
    kind: 'outputs',
    files: {
      'graph.json': graphJson(
        [
          { id: 'noise', type: 'perlin-noise', params: { width: 8, height: 8 } },
          { id: 'first', type: 'image-out' },
          { id: 'missing', type: 'image-source', params: { path: 'no-such.png' } },
          { id: 'second', type: 'image-out' },
        ],
        [
          ['noise', 'image', 'first', 'image'],
          ['missing', 'image', 'second', 'image'],
        ],
      ),
    },
    args: ['run', 'graph.json', '--out', 'out'],
    expect: { exitCode: 1, message: /node 'missing': param 'path': cannot read image 'no-such\.png': no such file[\s\S]*nothing written/, noOutput: true },
  },
  {
    name: 'a folder of the user where a result PNG goes: run rolled back',
    kind: 'outputs',
    files: {
      'graph.json': graphJson(
        [
          { id: 'noise', type: 'perlin-noise', params: { width: 8, height: 8 } },
          { id: 'a', type: 'image-out' },
          { id: 'b', type: 'image-out' },
        ],
        [
          ['noise', 'image', 'a', 'image'],
          ['noise', 'image', 'b', 'image'],
        ],
      ),
      'out/a.png': 'previous a',
      'out/b.png/mine.txt': 'a folder of the user named like a result',
    },
    args: ['run', 'graph.json', '--out', 'out'],
    expect: { exitCode: 1, message: /b\.png' is a folder, not an earlier result; move it away or choose another output folder; the previous outputs were kept/ },
  },
];

export const cases: CorpusCase[] = [...videoNames, ...trainerNames, ...setNames, ...weights, ...partial];
