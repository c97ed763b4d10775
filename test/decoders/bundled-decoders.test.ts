/**
 * Bundled decoders in Node, as on a fresh clone: an empty cache (no decoder of yours), the VGG19
 * weights from the installed cache, and the bundled folder pointed at a temp dir holding a test
 * decoder (`MGAN_STUDIO_BUNDLED_DECODERS`), so nothing here depends on a trained file in the repo.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/platform/node/services';
import { parseBundledIndex } from '../../src/platform/common/decoder-catalog';
import { decodeDecoderFile } from '../../src/platform/common/decoder-store';
import { runCli as cli } from '../cli/run-cli';
import { TEST_VGG19_DIR } from '../support/vgg19';
import { TEST_RECORD, testDecoderFile } from './test-decoder-file';

let dir: string;
let bundled: string;
let cache: string;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mgan-bundled-'));
  bundled = join(dir, 'bundled');
  cache = join(dir, 'cache');
  mkdirSync(bundled);
  writeFileSync(join(bundled, 'starry_night.mgan'), await testDecoderFile('starry_night', { seed: 3 }));
  const env = { MGAN_STUDIO_BUNDLED_DECODERS: bundled, MGAN_STUDIO_CACHE: cache, MGAN_STUDIO_VGG19_DIR: TEST_VGG19_DIR };
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
});
afterAll(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  rmSync(dir, { recursive: true, force: true });
});

const preset = (name: string) => join(PROJECT_ROOT, 'presets', `${name}.json`);

describe('bundled decoders on a fresh clone (CLI)', () => {
  it('mgan-decode and noise-to-texture run with the bundled starry_night, and say so', async () => {
    const out = join(dir, 'out-decode');
    const r = await cli('run', preset('mgan-decode'), '--out', out, '--set', 'photo.maxSide=96');
    expect(r.err).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^note: decode \(mgan-decoder\): decoder 'starry_night' \(bundled\)$/m);
    expect(existsSync(join(out, 'out.png'))).toBe(true);

    // VGG19 stays loaded from the first run on: from here on, every run frees all it made.
    const before = tf.memory().numTensors;
    const noise = await cli('run', preset('noise-to-texture'), '--out', join(dir, 'out-noise'), '--json',
      '--set', 'perlin.width=64', '--set', 'perlin.height=64', '--set', 'brown.width=64', '--set', 'brown.height=64');
    expect(noise.code).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    const summary = JSON.parse(noise.out) as { nodes: Array<{ id: string; notes?: string[] }>; written: unknown[] };
    expect(summary.nodes.find((n) => n.id === 'decode_perlin')?.notes).toEqual(["decoder 'starry_night' (bundled)"]);
    expect(summary.written).toHaveLength(2);
  });

  it('a decoder of yours with the same name takes precedence; list shows both with their origin', async () => {
    const mine = join(dir, 'mine.mgan');
    writeFileSync(mine, await testDecoderFile('mine', { seed: 9, float: true }));
    const imported = await cli('decoders', 'import', mine, '--name', 'starry_night');
    expect(imported.code).toBe(0);
    const r = await cli('run', preset('mgan-decode'), '--out', join(dir, 'out-yours'), '--set', 'photo.maxSide=64');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^note: decode \(mgan-decoder\): decoder 'starry_night' \(yours\)$/m);
    const list = await cli('decoders', 'list');
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/^starry_night\tyours\tvgg19-matconvnet-rgb-mean\t/m);
    expect(list.out).toMatch(/^starry_night\tbundled \(hidden by yours\)\tvgg19-matconvnet-rgb-mean\t.*\t\d\.\d MB uint8\ttexture=starry_night photos=2 steps=3 batch=2 crops=12x64 time=4s$/m);
    // Bundled decoders cannot be removed; yours can, and the bundled one is used again.
    expect(await cli('decoders', 'remove', 'starry_night')).toMatchObject({ code: 0 });
    const removeBundled = await cli('decoders', 'remove', 'starry_night');
    expect(removeBundled.code).toBe(1);
    expect(removeBundled.err).toMatch(/'starry_night' is a bundled decoder \(in .*bundled\): it cannot be removed/);
  });

  it('a damaged bundled file fails naming the file; an unknown name says how to get a decoder', async () => {
    const broken = join(bundled, 'broken.mgan');
    writeFileSync(broken, 'MGANDEC1 not a decoder');
    try {
      const r = await cli('run', preset('mgan-decode'), '--out', join(dir, 'out-broken'), '--set', 'decode.decoder=broken', '--set', 'photo.maxSide=64');
      expect(r.code).toBe(2);
      expect(r.err).toContain(`error: node 'decode': mgan-decoder: bundled decoder file '${broken}' is not an MGAN Studio decoder file`);
      const list = await cli('decoders', 'list');
      expect(list.out).toMatch(new RegExp(`^broken\\tbundled\\tdamaged: bundled decoder file '${broken.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}'`, 'm'));
      const index = await cli('decoders', 'index');
      expect(index.code).toBe(1);
      expect(index.err).toContain(`bundled decoder file '${broken}'`);
    } finally {
      rmSync(broken);
    }
    const r = await cli('run', preset('mgan-decode'), '--out', join(dir, 'out-none'), '--set', 'decode.decoder=nope', '--set', 'photo.maxSide=64');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /no decoder named 'nope': none saved in .*cache.decoders \(saved: none\), bundled: starry_night\. To get one: use a bundled name, import a shared \.mgan file \(npx mgan-studio decoders import FILE\.mgan\), or train one with the mgan-train preset/,
    );
    expect(r.err).not.toMatch(/\n\s+at /); // one line, no stack trace
  });

  it('exports a stored decoder 8-bit into the bundled folder (<= 6 MB, record merged, index updated); refuses a float one there', async () => {
    const float = join(dir, 'float.mgan');
    writeFileSync(float, await testDecoderFile('ink', { seed: 4, float: true }));
    expect((await cli('decoders', 'import', float)).code).toBe(0);
    const record = join(dir, 'record.json');
    writeFileSync(record, JSON.stringify({ texture: 'ink wash', photos: ['a', 'b', 'c'], seconds: 7200 }));

    const tooBig = await cli('decoders', 'export', 'ink', '--out', join(bundled, 'ink.mgan'));
    expect(tooBig.code).toBe(1);
    expect(tooBig.err).toMatch(/ink\.mgan' would be 20\.\d MB, more than the 6\.0 MB a bundled decoder may take: export it with --quantize uint8/);
    expect(existsSync(join(bundled, 'ink.mgan'))).toBe(false);

    const badRecord = join(dir, 'bad-record.json');
    writeFileSync(badRecord, JSON.stringify({ steps: -1 }));
    const bad = await cli('decoders', 'export', 'ink', '--quantize', 'uint8', '--record', badRecord, '--out', join(dir, 'x.mgan'));
    expect(bad.code).toBe(1);
    expect(bad.err).toContain(`'${badRecord}': its training record's steps is not a whole number >= 0`);

    const r = await cli('decoders', 'export', 'ink', '--quantize', 'uint8', '--record', record, '--out', join(bundled, 'ink.mgan'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/wrote .*ink\.mgan \(5\.\d MB, uint8\)\nupdated .*index\.json/);
    try {
      expect(statSync(join(bundled, 'ink.mgan')).size).toBeLessThanOrEqual(6_000_000);
      const meta = decodeDecoderFile(new Uint8Array(readFileSync(join(bundled, 'ink.mgan')))).meta;
      expect(meta.record).toEqual({ ...TEST_RECORD, texture: 'ink wash', photos: ['a', 'b', 'c'], photoCount: 3, seconds: 7200 });
      const index = parseBundledIndex(JSON.parse(readFileSync(join(bundled, 'index.json'), 'utf8')), 'index.json');
      expect(index.map((e) => [e.name, e.file, e.quantization, e.meta.record?.texture])).toEqual([
        ['ink', 'ink.mgan', 'uint8', 'ink wash'],
        ['starry_night', 'starry_night.mgan', 'uint8', 'starry_night'],
      ]);
      expect(index[0].bytes).toBe(statSync(join(bundled, 'ink.mgan')).size);

      const md = await cli('decoders', 'list', '--markdown');
      expect(md.out.split('\n')).toEqual([
        '| decoder | texture | photos | batches × batch size | crops × side | training time | machine | date | file |',
        '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
        `| \`ink\` | ink wash | 3 (a, b, c) | 3 × 2 | 12 × 64² | 2 h 00 min | test machine, tfjs wasm | 2026-11-27 | ${(index[0].bytes / 1e6).toFixed(1)} MB (uint8) |`,
        `| \`starry_night\` | starry_night | 2 (astronaut, chelsea) | 3 × 2 | 12 × 64² | 4 s | test machine, tfjs wasm | 2026-11-27 | ${(index[1].bytes / 1e6).toFixed(1)} MB (uint8) |`,
      ]);
    } finally {
      rmSync(join(bundled, 'ink.mgan'));
      rmSync(join(bundled, 'index.json'));
    }
  });
});
