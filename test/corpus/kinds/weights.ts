/**
 * Bad weight folders for `weights --from <folder>`: no manifest, a manifest that is not JSON, too
 * deep, or lacks entries and fields; files missing, cut short, too long, with the wrong md5, or
 * folders where files should be; and `weights --check` of a damaged install. Each refused naming
 * the file, exit 1; the cache gets no manifest, so a failed install never looks complete.
 */
import type { CorpusCase } from '../case';
import { weightFolder } from '../build';

const KIND = 'weights';
const cases: CorpusCase[] = [];
const { files, manifest } = weightFolder('wf');
const ARGS = ['weights', '--from', 'wf', '--cache', 'cache'];

/** The folder with `edit` applied to a copy of its files; installing it must fail with `message`. */
function refuse(name: string, edit: (f: Record<string, string | Uint8Array>) => void, message: RegExp) {
  const copy = { ...files };
  edit(copy);
  // A failed install may have copied verified files into the cache, but never writes its manifest.
  cases.push({ name, kind: KIND, files: copy, args: ARGS, expect: { exitCode: 1, message, noOutput: false } });
}
const manifestWith = (edit: (m: { weights: Record<string, Record<string, unknown>> }) => unknown) => (f: Record<string, string | Uint8Array>) => {
  const m = JSON.parse(JSON.stringify(manifest));
  f['wf/manifest.json'] = JSON.stringify(edit(m) ?? m);
};

refuse('no manifest', (f) => delete f['wf/manifest.json'], /weights: VGG19 weight file 'manifest\.json' could not be read: no such file or folder \(.*wf\/manifest\.json\) \(source: wf\)/);
refuse('a manifest that is a folder', (f) => {
  delete f['wf/manifest.json'];
  f['wf/manifest.json/x'] = 'x';
}, /weight file 'manifest\.json' could not be read: it is a folder, not a file/);
refuse('a manifest cut short', (f) => (f['wf/manifest.json'] = JSON.stringify(manifest).slice(0, 300)), /weights: VGG19 weights: manifest\.json is not valid JSON \(at line 1, column \d+: unterminated string\)|manifest\.json is not valid JSON \(at line 1, column \d+: /);
refuse('a manifest that is empty', (f) => (f['wf/manifest.json'] = ''), /manifest\.json is not valid JSON \(at line 1, column 1: unexpected end of text\)/);
refuse('a manifest nested 10000 deep', (f) => (f['wf/manifest.json'] = `{"weights":${'['.repeat(10_000)}${']'.repeat(10_000)}}`), /manifest\.json is not valid JSON \(the JSON nests deeper than 64 levels/);
refuse('a manifest without a weights table', manifestWith(() => ({ name: 'vgg19' })), /manifest\.json has no "weights" table/);
refuse('a manifest whose weights table is null', manifestWith(() => ({ weights: null })), /manifest\.json has no "weights" table/);
refuse('a manifest missing conv5_4', manifestWith((m) => void delete m.weights['conv5_4/kernel']), /manifest\.json has no entry 'conv5_4\/kernel'/);
for (const field of ['filename', 'size', 'shape', 'checksum', 'quantization']) {
  refuse(`an entry without ${field}`, manifestWith((m) => void delete m.weights['conv2_1/bias'][field]), /manifest\.json entry 'conv2_1\/bias' lacks filename\/size\/shape\/checksum or uint8 quantization/);
}
refuse('an entry whose size is text', manifestWith((m) => void (m.weights['conv1_1/kernel'].size = '9')), /entry 'conv1_1\/kernel' lacks filename\/size/);
refuse('float16 quantization', manifestWith((m) => void ((m.weights['conv1_1/bias'].quantization as Record<string, unknown>).dtype = 'float16')), /entry 'conv1_1\/bias' lacks .* uint8 quantization/);
// The files.
refuse('a missing weight file', (f) => delete f['wf/conv3_2_kernel'], /weights: VGG19 weight file 'conv3_2_kernel' could not be read: no such file or folder/);
refuse('a weight file that is a folder', (f) => {
  delete f['wf/conv3_2_bias'];
  f['wf/conv3_2_bias/x'] = 'x';
}, /VGG19 weight file 'conv3_2_bias' could not be read: it is a folder, not a file/);
refuse('a weight file cut short', (f) => (f['wf/conv4_1_kernel'] = (f['wf/conv4_1_kernel'] as Uint8Array).slice(0, 4)), /VGG19 weight file 'conv4_1_kernel' is short: 4 bytes, expected 9/);
refuse('an empty weight file', (f) => (f['wf/conv1_1_kernel'] = new Uint8Array(0)), /VGG19 weight file 'conv1_1_kernel' is short: 0 bytes, expected 9/);
refuse('a weight file too long', (f) => (f['wf/conv4_1_bias'] = new Uint8Array(5)), /VGG19 weight file 'conv4_1_bias' is too long: 5 bytes, expected 1/);
refuse('a weight file with the wrong md5', (f) => (f['wf/conv5_1_kernel'] = new Uint8Array(9)), /VGG19 weight file 'conv5_1_kernel' is corrupt: md5 [0-9a-f]{32}, expected [0-9a-f]{32}/);
refuse('a manifest with the wrong md5', manifestWith((m) => void (m.weights['conv2_2/kernel'].checksum = '0'.repeat(32))), /VGG19 weight file 'conv2_2_kernel' is corrupt: md5 [0-9a-f]{32}, expected 0{32}/);
refuse('a manifest with the wrong size', manifestWith((m) => void (m.weights['conv2_2/bias'].size = 2)), /VGG19 weight file 'conv2_2_bias' is too long: 1 bytes, expected 2|is short|is too long/);
cases.push({ name: '--from a folder that does not exist', kind: KIND, args: ['weights', '--from', 'nowhere', '--cache', 'cache'], expect: { exitCode: 1, message: /could not be read: no such file or folder/ } });
cases.push({ name: '--from a file', kind: KIND, files: { 'file.txt': 'x' }, args: ['weights', '--from', 'file.txt', '--cache', 'cache'], expect: { exitCode: 1, message: /could not be read: a part of the path is a file, not a folder/ } });
cases.push({ name: '--from without a value', kind: KIND, args: ['weights', '--from'], expect: { exitCode: 2, message: /--from needs a value/ } });
cases.push({ name: 'an unknown option', kind: KIND, args: ['weights', '--frm', 'wf'], expect: { exitCode: 2, message: /unknown argument '--frm'/ } });
// --check of installs that are incomplete or damaged afterwards.
const installed = (edit: (f: Record<string, string | Uint8Array>) => void) => {
  const copy: Record<string, string | Uint8Array> = {};
  for (const [k, v] of Object.entries(files)) copy[k.replace(/^wf\//, 'cache/weights/vgg19/')] = v;
  edit(copy);
  return copy;
};
cases.push({ name: '--check with nothing installed', kind: KIND, args: ['weights', '--check', '--cache', 'cache'], expect: { exitCode: 1, message: /VGG19 weights are not installed \(looked in .*cache\/weights\/vgg19\): run `npx mgan-studio weights --from <folder\|url>`/ } });
cases.push({ name: '--check with a file damaged after install', kind: KIND, files: installed((f) => (f['cache/weights/vgg19/conv1_2_kernel'] = new Uint8Array(9))), args: ['weights', '--check', '--cache', 'cache'], expect: { exitCode: 1, message: /VGG19 weight file 'conv1_2_kernel' is corrupt: md5/ } });
cases.push({ name: '--check with a file deleted after install', kind: KIND, files: installed((f) => delete f['cache/weights/vgg19/conv1_2_bias']), args: ['weights', '--check', '--cache', 'cache'], expect: { exitCode: 1, message: /VGG19 weight file 'conv1_2_bias' could not be read: no such file or folder/ } });
cases.push({ name: 'a sound folder installs', kind: KIND, files, args: ARGS, expect: { exitCode: 0, message: /^VGG19 weights installed: 32 files, 160 bytes, md5 verified/, noOutput: false } });

export { cases };
