/**
 * Bad decoder files and store entries: `.mgan` files with a wrong magic, header sizes that lie,
 * headers that are not JSON or not a decoder, and every way a weight spec can differ from the
 * generator it must build (shape [2], negative or fractional sizes, dtype "string", no shape, a
 * missing, extra, renamed or repeated weight, quantisation), truncated or padded weights; folders
 * given to import; half-written store entries exported or decoded. Through `decoders import`,
 * `decoders export` and the mgan-decoder node. Each refused naming the file or decoder, exit 1.
 */
import type { CorpusCase } from '../case';
import { DECODER_META, DECODER_WEIGHT_BYTES, decoderFile, decoderFolder, decoderSpecs, edge, graph, node, noiseGraph, text } from '../build';

const KIND = 'decoders';
const cases: CorpusCase[] = [];

/** Imported (and, every other one, used by an mgan-decoder node as a path): refused naming the file. */
function refuseFile(name: string, bytes: Uint8Array, reason: RegExp) {
  const byNode = cases.length % 2 === 1;
  cases.push({
    name: `${name}${byNode ? ' (mgan-decoder node)' : ''}`,
    kind: KIND,
    files: byNode
      ? { 'bad.mgan': bytes, 'g.json': text(graph([node('noise', 'perlin-noise', { width: 16, height: 16 }), node('dec', 'mgan-decoder', { decoder: './bad.mgan' }), node('result', 'image-out')], [edge('noise', 'image', 'dec', 'image'), edge('dec', 'image', 'result', 'image')])) }
      : { 'bad.mgan': bytes },
    args: byNode ? ['run', 'g.json', '--out', 'out'] : ['decoders', 'import', 'bad.mgan'],
    // A node's decoder param error is a ParamError: exit 2, like any bad param found when it runs.
    expect: { exitCode: byNode ? 2 : 1, message: new RegExp(`bad\\.mgan' ${reason.source}`) },
  });
}

const specs = decoderSpecs();
const withSpecs = (edit: (s: Array<Record<string, unknown>>) => Array<Record<string, unknown>>, weightBytes = 64) =>
  decoderFile({ header: { meta: DECODER_META, weightSpecs: edit(specs.map((s) => ({ ...s }))) }, weightBytes });
const DAMAGED = 'is a damaged decoder: ';

// The container.
refuseFile('an empty file', new Uint8Array(0), /is not an MGAN Studio decoder file \(it does not start with 'MGANDEC1'\)/);
refuseFile('a wrong magic', decoderFile({ magic: 'MGANDEC2', weightBytes: 8 }), /is not an MGAN Studio decoder file \(it does not start with 'MGANDEC1'\)/);
refuseFile('a PNG renamed .mgan', Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, 0, 0, 0, 13), /is not an MGAN Studio decoder file \(it does not start/);
refuseFile('the magic alone', new TextEncoder().encode('MGANDEC1'), /is not an MGAN Studio decoder file \(it does not start/);
refuseFile('a header length of 4 GB', decoderFile({ headerLength: 0xffffffff, weightBytes: 8 }), /is not an MGAN Studio decoder file \(its header claims 4294967295 bytes, more than the 1048576 a decoder header takes\)/);
refuseFile('a header length past the end', decoderFile({ headerLength: 900_000, weightBytes: 8 }), /is not an MGAN Studio decoder file \(truncated: its header claims 900000 bytes, the file holds \d+\)/);
refuseFile('a header length of 0', decoderFile({ headerLength: 0, weightBytes: 8 }), /is not an MGAN Studio decoder file \(its header is not readable JSON\)/);
refuseFile('a header one byte short', decoderFile({ headerLength: JSON.stringify({ meta: DECODER_META, weightSpecs: specs }).length - 1, weightBytes: 8 }), /is not an MGAN Studio decoder file \(its header is not readable JSON\)/);
refuseFile('a header that is not UTF-8', decoderFile({ headerText: '\udc00'.repeat(3), weightBytes: 8 }), /is not an MGAN Studio decoder file \(its header is not readable JSON\)/);
for (const [what, header] of [['null', null], ['an array', []], ['a number', 7]] as const) {
  refuseFile(`a header that is ${what}`, decoderFile({ headerText: JSON.stringify(header), weightBytes: 8 }), /is not an MGAN Studio decoder file \(its header is not a JSON object\)/);
}
// The meta.
for (const [what, meta, reason] of [
  ['no meta', undefined, /is not an MGAN Studio decoder \(no 'mgan-studio-decoder' metadata\)/],
  ['a graph as meta', JSON.parse(text(noiseGraph())), /is not an MGAN Studio decoder \(no 'mgan-studio-decoder' metadata\)/],
  ['a name that is a number', { ...DECODER_META, name: 7 }, /is not an MGAN Studio decoder \(no 'mgan-studio-decoder' metadata\)/],
  ['an unknown VGG convention', { ...DECODER_META, vggConvention: 'vgg16-imagenet' }, /is a damaged decoder: its VGG19 convention 'vgg16-imagenet' is not one this MGAN Studio knows/],
  ['training that is a string', { ...DECODER_META, training: 'lots' }, /is a damaged decoder: its 'training' record is not an object/],
  ['training that is null', { ...DECODER_META, training: null }, /is a damaged decoder: its 'training' record is not an object/],
  ['a date that is a number', { ...DECODER_META, createdAt: 5 }, /is a damaged decoder: its 'createdAt' is not a date string/],
  ['a 100000-px thumbnail', { ...DECODER_META, thumbnail: { width: 100_000, height: 100_000, rgbBase64: '' } }, /is a damaged decoder: its thumbnail is malformed/],
  ['a thumbnail with too few pixels', { ...DECODER_META, thumbnail: { width: 2, height: 2, rgbBase64: 'AAAA' } }, /is a damaged decoder: its thumbnail is malformed/],
] as const) {
  refuseFile(`meta with ${what}`, decoderFile({ header: { meta, weightSpecs: specs }, weightBytes: 8 }), reason);
}
// Every way a weight spec can be wrong.
const first = specs[0].name;
const WEIGHT_DAMAGE: Array<[string, Uint8Array, RegExp]> = [
  ['no weight list', decoderFile({ header: { meta: DECODER_META }, weightBytes: 8 }), /it has no weight list/],
  ['a weight list that is an object', decoderFile({ header: { meta: DECODER_META, weightSpecs: { a: 1 } }, weightBytes: 8 }), /it has no weight list/],
  ['an empty weight list', withSpecs(() => []), /it lacks weights 'conv1\/kernel', /],
  ['one weight of shape [2]', withSpecs(() => [{ name: first, shape: [2], dtype: 'float32' }], 8), /weight 'conv1\/kernel' has shape \[2\], the generator needs \[3, 3, 512, 512\]/],
  ['a negative size', withSpecs((s) => (s[0].shape = [3, 3, -512, 512], s)), /weight 'conv1\/kernel' has shape \[3,3,-512,512\]: sizes must be whole numbers >= 0/],
  ['a fractional size', withSpecs((s) => (s[0].shape = [3, 3, 512.5, 512], s)), /weight 'conv1\/kernel' has shape \[3,3,512\.5,512\]: sizes must be whole numbers >= 0/],
  ['a size given as text', withSpecs((s) => (s[0].shape = ['3', 3, 512, 512], s)), /weight 'conv1\/kernel' has shape \["3",3,512,512\]: sizes must be whole numbers >= 0/],
  ['a size of 2^53', withSpecs((s) => (s[0].shape = [2 ** 53, 1], s)), /weight 'conv1\/kernel' has shape \[9007199254740992,1\]: sizes must be whole numbers >= 0/],
  ['a huge shape product', withSpecs((s) => (s[0].shape = [65536, 65536, 65536, 65536], s)), /weight 'conv1\/kernel' has shape \[65536, 65536, 65536, 65536\], the generator needs/],
  ['a spec without shape', withSpecs((s) => (delete s[0].shape, s)), /weight 'conv1\/kernel' has no shape/],
  ['a shape that is a number', withSpecs((s) => (s[0].shape = 4, s)), /weight 'conv1\/kernel' has no shape/],
  ['dtype "string"', withSpecs((s) => (s[0].dtype = 'string', s)), /weight 'conv1\/kernel' has dtype "string", the generator needs float32/],
  ['dtype int32', withSpecs((s) => (s[1].dtype = 'int32', s)), /weight 'bn1\/gamma' has dtype "int32", the generator needs float32/],
  ['no dtype', withSpecs((s) => (delete s[2].dtype, s)), /weight 'bn1\/beta' has no dtype, the generator needs float32/],
  ['uint16 quantisation', withSpecs((s) => (s[0].quantization = { dtype: 'uint16', scale: 1, min: 0 }, s)), /weight 'conv1\/kernel' has quantization \{"dtype":"uint16".*: only uint8 with a finite min and scale is read/],
  ['uint8 quantisation without a scale', withSpecs((s) => (s[0].quantization = { dtype: 'uint8', min: 0 }, s)), /weight 'conv1\/kernel' has quantization \{"dtype":"uint8","min":0\}: only uint8 with a finite min and scale is read/],
  ['uint8 quantisation with a negative scale', withSpecs((s) => (s[0].quantization = { dtype: 'uint8', min: 0, scale: -1 }, s)), /weight 'conv1\/kernel' has quantization \{"dtype":"uint8","min":0,"scale":-1\}: only uint8 with a finite min and scale is read/],
  ['a cut uint8-quantised file', withSpecs((s) => (s[0].quantization = { dtype: 'uint8', min: 0, scale: 0.01 }, s), 5000), /its weights are 5000 bytes, the generator needs \d+ \(the file is truncated\)/],
  ['a weight without a name', withSpecs((s) => (delete s[3].name, s)), /weight 3 has no name/],
  ['a weight that is a string', withSpecs((s) => (s[3] = 'conv1' as unknown as Record<string, unknown>, s)), /weight 3 is not an object \{name, shape, dtype\}/],
  ['a renamed weight', withSpecs((s) => (s[0].name = 'conv0/kernel', s)), /weight 'conv0\/kernel' is not part of the MGAN generator/],
  ['a weight named __proto__', withSpecs((s) => (s[0].name = '__proto__', s)), /weight '__proto__' is not part of the MGAN generator/],
  ['a weight listed twice', withSpecs((s) => [...s, s[0]]), /weight 'conv1\/kernel' is listed twice/],
  ['a missing weight', withSpecs((s) => s.slice(0, -1)), /it lacks weight 'deconv4\/bias'/],
  ['an extra weight', withSpecs((s) => [...s, { name: 'conv9/kernel', shape: [1], dtype: 'float32' }]), /weight 'conv9\/kernel' is not part of the MGAN generator/],
  ['a truncated file', decoderFile({ weightBytes: 1250 }), /its weights are 1250 bytes, the generator needs \d+ \(the file is truncated\)/],
  ['no weights at all', decoderFile({ weightBytes: 0 }), /its weights are 0 bytes, the generator needs \d+ \(the file is truncated\)/],
  ['extra bytes after the weights', decoderFile({ weightBytes: DECODER_WEIGHT_BYTES + 3 }), /its weights are \d+ bytes, the generator needs \d+ \(extra bytes follow\)/],
];
for (const [what, bytes, reason] of WEIGHT_DAMAGE) refuseFile(what, bytes, new RegExp(`${DAMAGED}${reason.source}`));

// Files and folders given where the other is expected.
cases.push({ name: 'import a folder', kind: KIND, files: { 'dec/x': 'x' }, args: ['decoders', 'import', 'dec'], expect: { exitCode: 1, message: /'.*\/dec' is a folder, not a \.mgan file: a decoder folder is used by its path/ } });
cases.push({ name: 'import a missing file', kind: KIND, args: ['decoders', 'import', 'nope.mgan'], expect: { exitCode: 1, message: /cannot read decoder file '.*\/nope\.mgan': no such file or folder/ } });
cases.push({ name: 'import a file over 40 MB', kind: KIND, files: { 'big.mgan': decoderFile({ weightBytes: 3 * DECODER_WEIGHT_BYTES }) }, args: ['decoders', 'import', 'big.mgan'], expect: { exitCode: 1, message: /big\.mgan' is \d+ bytes, larger than any decoder file/ } });
cases.push({ name: 'import under an invalid name', kind: KIND, files: { 'ok.mgan': decoderFile() }, args: ['decoders', 'import', 'ok.mgan', '--name', '../escape'], expect: { exitCode: 1, message: /invalid decoder name '\.\.\/escape'/ } });
cases.push({ name: 'import with a name inside that escapes', kind: KIND, files: { 'ok.mgan': decoderFile({ header: { meta: { ...DECODER_META, name: '../../x' }, weightSpecs: specs } }) }, args: ['decoders', 'import', 'ok.mgan'], expect: { exitCode: 1, message: /invalid decoder name '\.\.\/\.\.\/x'/ } });
cases.push({ name: 'a sound file imports', kind: KIND, files: { 'ok.mgan': decoderFile() }, args: ['decoders', 'import', 'ok.mgan'], expect: { exitCode: 0, message: /^imported decoder 'shared'$/, noOutput: false } });
{
  // A uint8-quantised file (as `decoders export --quantize uint8` writes): large weights 1 byte a value.
  const quantised = specs.map((sp) => (sp.shape.reduce((a, b) => a * b, 1) >= 4096 ? { ...sp, quantization: { dtype: 'uint8', min: -0.5, scale: 0.004 } } : sp));
  const bytes = quantised.reduce((n, sp) => n + ('quantization' in sp ? 1 : 4) * sp.shape.reduce((a, b) => a * b, 1), 0);
  cases.push({ name: 'a sound uint8-quantised file imports', kind: KIND, files: { 'q.mgan': decoderFile({ header: { meta: { ...DECODER_META, name: 'quant' }, weightSpecs: quantised }, weightBytes: bytes }) }, args: ['decoders', 'import', 'q.mgan'], expect: { exitCode: 0, message: /^imported decoder 'quant'$/, noOutput: false } });
}

// Half-written or damaged store entries (the cache is .cache in the sandbox).
const store = (name: string, options: Parameters<typeof decoderFolder>[1] = {}) => decoderFolder(`.cache/decoders/${name}`, options);
const STORE_DAMAGE: Array<[string, Record<string, string | Uint8Array>, RegExp]> = [
  ['no meta.json (never finished)', store('half', { omit: ['meta.json'] }), /'.*\/half' is not a complete decoder folder \(no meta\.json\): save or import the decoder again/],
  ['a cut weights.bin', store('half', { weightBytes: 1250 }), /decoder 'half' \('.*\/half'\) is a damaged decoder: its weights are 1250 bytes, the generator needs \d+ \(the file is truncated\)/],
  ['no weights.bin', store('half', { omit: ['weights.bin'] }), /cannot read '.*\/half\/weights\.bin': no such file or folder/],
  ['no model.json', store('half', { omit: ['model.json'] }), /'.*\/half' is not a decoder folder \(no model\.json\)/],
  ['a cut model.json', { ...store('half'), '.cache/decoders/half/model.json': '{"weightsManifest": [{"paths": ["weig' }, /model\.json' is not valid JSON: the decoder was not saved completely; save or import it again/],
  ['a cut meta.json', { ...store('half'), '.cache/decoders/half/meta.json': '{"format": "mgan-st' }, /meta\.json' is not valid JSON: the decoder was not saved completely/],
  ['model.json pointing outside the folder', store('half', { model: { weightsManifest: [{ paths: ['../../../../etc/passwd'], weights: specs }] } }), /model\.json': weights file '\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd' holds a folder separator/],
  ['model.json naming another file beside it', store('half', { model: { weightsManifest: [{ paths: ['meta.json'], weights: specs }] } }), /model\.json' must list its weights as \["weights\.bin"\]/],
  ['model.json with a shape [2] weight', store('half', { model: { weightsManifest: [{ paths: ['weights.bin'], weights: [{ name: first, shape: [2], dtype: 'float32' }] }] } }), /decoder 'half' .* is a damaged decoder: weight 'conv1\/kernel' has shape \[2\]/],
  ['model.json without a manifest', store('half', { model: { format: 'x' } }), /model\.json' has no weights manifest/],
];
STORE_DAMAGE.forEach(([what, files, reason], i) => {
  cases.push({ name: `export a store entry with ${what}`, kind: KIND, files, args: ['decoders', 'export', 'half', '--out', 'half.mgan'], expect: { exitCode: 1, message: reason } });
  if (i % 2 === 0) {
    cases.push({
      name: `decode with a store entry with ${what}`,
      kind: KIND,
      files: { ...files, 'g.json': text(graph([node('noise', 'perlin-noise', { width: 16, height: 16 }), node('dec', 'mgan-decoder', { decoder: 'half' }), node('result', 'image-out')], [edge('noise', 'image', 'dec', 'image'), edge('dec', 'image', 'result', 'image')])) },
      args: ['run', 'g.json', '--out', 'out'],
      expect: { exitCode: 2, message: new RegExp(`error: node 'dec': mgan-decoder: .*${reason.source}`) },
    });
  }
});
cases.push({ name: 'remove a half-written entry', kind: KIND, files: store('half', { omit: ['meta.json'] }), args: ['decoders', 'remove', 'half'], expect: { exitCode: 0, message: /^removed decoder 'half'$/, noOutput: false } });
cases.push({ name: 'list skips a half-written entry', kind: KIND, files: { ...store('half', { omit: ['meta.json'] }), 'no-bundled/index.json': '{"format":"mgan-studio-bundled-decoders","version":1,"decoders":[]}' }, env: { MGAN_STUDIO_BUNDLED_DECODERS: 'no-bundled' }, args: ['decoders', 'list'], expect: { exitCode: 0, message: /^no decoders: none saved in / } });
cases.push({ name: 'export to a missing folder', kind: KIND, files: store('whole'), args: ['decoders', 'export', 'whole', '--out', 'missing/w.mgan'], expect: { exitCode: 1, message: /^error: cannot write '.*\/missing\/w\.mgan': no such file or folder$/ } });
cases.push({ name: 'export an unknown name', kind: KIND, args: ['decoders', 'export', 'nope'], expect: { exitCode: 1, message: /no decoder named 'nope'/ } });
cases.push({ name: 'export a name that escapes the store', kind: KIND, args: ['decoders', 'export', '../../x'], expect: { exitCode: 1, message: /decoder file '.*x' does not exist|invalid decoder name/ } });

export { cases };
