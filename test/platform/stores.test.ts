/**
 * The Node stores stay inside their folders and are written whole: a weights manifest cannot name a
 * file outside the cache, a decoder's model.json cannot point at a file outside its folder, a saved
 * decoder appears only complete, and cache keys cannot name '..'.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli';
import { createMganDecoder } from '../../src/method/mgan/decoder';
import { MganGenerator } from '../../src/method/mgan/generator';
import { md5Hex } from '../../src/method/vgg/vgg19-weights';
import { createNodeDecoderStore, folderIOHandler } from '../../src/platform/node/decoder-store';
import { safeFileName, writeFileAtomic } from '../../src/platform/node/fs-atomic';
import { installWeights } from '../../src/platform/node/weights-store';
import { testVgg } from '../mgan/mgan-helpers';
import { DECODER_FORMAT, type DecoderMeta } from '../../src/formats/decoder-meta';

const box = mkdtempSync(join(tmpdir(), 'mgan-stores-'));
afterAll(() => rmSync(box, { recursive: true, force: true }));

/** A weights folder whose manifest names `filename` for one entry (size and md5 as a real file would have). */
function hostileWeights(name: string, filename: string): string {
  const dir = join(box, name, 'source');
  mkdirSync(dir, { recursive: true });
  const bytes = new TextEncoder().encode('payload');
  const entry = { filename, size: bytes.length, shape: [bytes.length], quantization: { dtype: 'uint8', scale: 1, min_value: 0 }, checksum: md5Hex(bytes) };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ weights: { 'conv1_1/kernel': entry } }));
  return dir;
}

describe('weights --from', () => {
  it('refuses a manifest whose filename leaves the cache, naming the entry, before writing anything', async () => {
    for (const [i, filename] of ['../../../x', '/tmp/x', 'sub/x', '..'].entries()) {
      const from = hostileWeights(`w${i}`, filename);
      const cacheDir = join(box, `w${i}`, 'cache');
      await expect(installWeights(from, { cacheDir })).rejects.toThrow(
        new RegExp(`manifest\\.json entry 'conv1_1/kernel' has filename '${filename.replace(/[./]/g, '\\$&')}', which .*; a weights manifest may only name files in its own folder, so this manifest is refused`),
      );
      expect(existsSync(cacheDir)).toBe(false);
    }
    expect(readdirSync(join(box, 'w0'))).toEqual(['source']);
  });

  it('the CLI says so in one line and exits 1', async () => {
    const from = hostileWeights('cli', '../../../x');
    const r = await runCli('weights', '--from', from, '--cache', join(box, 'cli', 'cache'));
    expect(r.code).toBe(1);
    const error = r.err.split('\n').filter((l) => l.startsWith('weights:'));
    expect(error).toHaveLength(1);
    expect(error[0]).toMatch(/^weights: VGG19 weights: manifest\.json entry 'conv1_1\/kernel' has filename '\.\.\/\.\.\/\.\.\/x'/);
    expect(existsSync(join(box, 'cli', 'cache'))).toBe(false);
  });
});

describe('decoder store', () => {
  it("refuses a decoder folder whose model.json points at a file outside it", async () => {
    const dir = join(box, 'dec-folder');
    mkdirSync(dir);
    writeFileSync(join(box, 'outside.bin'), 'secret');
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ format: 'x', weightsManifest: [{ paths: ['../outside.bin'], weights: [] }] }));
    await expect(folderIOHandler(dir).load!()).rejects.toThrow(/model\.json': weights file '\.\.\/outside\.bin' holds a folder separator/);
  });

  it('a decoder is written whole: a killed save leaves nothing listed, and the next save cleans it up', async () => {
    const dir = join(box, 'decoders');
    const store = createNodeDecoderStore({ dir, loadVgg: () => testVgg() });
    const vgg = await testVgg();
    const meta: DecoderMeta = { format: DECODER_FORMAT, formatVersion: 1, name: 'brick', vggConvention: vgg.convention, createdAt: '2026-11-27T00:00:00Z', thumbnail: { width: 1, height: 1, rgbBase64: 'AAAA' }, training: {} };
    const decoder = createMganDecoder(MganGenerator.create(3), meta, () => testVgg());
    // What a process killed mid-save leaves: a staging folder with part of a decoder in it.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    mkdirSync(join(dir, `.mgan-stage-${dead}-x`, 'brick'), { recursive: true });
    writeFileSync(join(dir, `.mgan-stage-${dead}-x`, 'brick', 'weights.bin'), 'half');
    expect(await store.list()).toEqual([]);
    await store.save(decoder);
    expect(readdirSync(dir)).toEqual(['brick']);
    expect(readdirSync(join(dir, 'brick')).sort()).toEqual(['meta.json', 'model.json', 'weights.bin']);
    // Saving again under the name replaces the folder as a whole.
    await store.save(decoder);
    expect(readdirSync(dir)).toEqual(['brick']);
    expect(JSON.parse(readFileSync(join(dir, 'brick', 'meta.json'), 'utf8')).name).toBe('brick');
    const before = tf.memory().numTensors;
    (await store.load('brick')).dispose();
    expect(tf.memory().numTensors).toBe(before);
    decoder.dispose();
  });
});

describe('fs-atomic', () => {
  it('cache keys cannot name a folder reference or a hidden file', () => {
    expect(safeFileName('..')).toBe('__');
    expect(safeFileName('.')).toBe('_');
    expect(safeFileName('../x')).toBe('___x');
    expect(safeFileName('')).toBe('_');
    expect(safeFileName('a.b-c_d')).toBe('a.b-c_d');
  });

  it('writes whole files, creating the folder, and leaves no temporary file', async () => {
    const file = join(box, 'atomic', 'deep', 'x.bin');
    await writeFileAtomic(file, new Uint8Array([1, 2, 3]).subarray(1));
    await writeFileAtomic(join(box, 'atomic', 'deep', 'y.txt'), 'text');
    expect([...readFileSync(file)]).toEqual([2, 3]);
    expect(readdirSync(join(box, 'atomic', 'deep')).sort()).toEqual(['x.bin', 'y.txt']);
  });
});
