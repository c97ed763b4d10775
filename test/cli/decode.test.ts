// `mgan-studio decode`, `run NAME`, "did you mean" and `--json` errors, through main() in-process.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeDocument } from '../../src/cli/commands/decode';
import { extractGraphFromPng } from '../../src/graph/share-png';
import { runCli } from './run-cli';

const PHOTO = resolve(import.meta.dirname, '../../public/samples/photos/coffee.png');

describe('mgan-studio decode', () => {
  const dir = mkdtempSync(join(tmpdir(), 'decode-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stylises each photo with the bundled decoder into <name>-<decoder>.png; two inputs of one name both survive', async () => {
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    copyFileSync(PHOTO, join(dir, 'a', 'my photo.png'));
    copyFileSync(PHOTO, join(dir, 'b', 'my photo.png'));
    const out = join(dir, 'out');
    const result = await runCli('decode', join(dir, 'a', 'my photo.png'), join(dir, 'b', 'my photo.png'), '--max-side', '32', '-o', out, '--json');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.out) as { written: Array<{ path: string; width: number; height: number }> };
    expect(summary.written.map((w) => w.path)).toEqual([join(out, 'my-photo-starry_night.png'), join(out, 'my-photo-2-starry_night.png')]);
    expect(summary.written[0]).toMatchObject({ width: 32, height: 16 });
    expect(readdirSync(out).sort()).toEqual(['my-photo-2-starry_night.png', 'my-photo-starry_night.png']);
    // The PNG carries the graph that made it: the photo's path and the decoder.
    const graph = extractGraphFromPng(new Uint8Array(readFileSync(join(out, 'my-photo-starry_night.png'))));
    expect(JSON.stringify(graph)).toContain('starry_night');
    expect(result.err).toMatch(/note: .*decoder 'starry_night' \(bundled\)/);
  });

  it("--precision f16 off WebGPU decodes in f32 with one warning; another value is exit 2", async () => {
    const out = join(dir, 'half');
    const result = await runCli('decode', PHOTO, '--max-side', '32', '--precision', 'f16', '-o', out, '--json');
    expect(result.code).toBe(0);
    expect(readdirSync(out)).toEqual(['coffee-starry_night.png']);
    const warnings = result.err.split('\n').filter((l) => l.includes("precision 'f16'"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/precision 'f16' is not available \(it runs on WebGPU only \(the backend is wasm\)\): decoding in f32/);
    const doc = decodeDocument([{ path: '/p/x.webp', video: false }], 'mine', 0, 'f16');
    expect(doc.nodes.find((n) => n.type === 'mgan-decoder')?.params.precision).toBe('f16');
    const wrong = await runCli('decode', PHOTO, '--precision', 'f8', '-o', join(dir, 'none'));
    expect(wrong.code).toBe(2);
    expect(wrong.err).toMatch(/precision.*f8/);
  });

  it('videos go through video-source and video-out, named after the input', () => {
    const doc = decodeDocument([{ path: '/v/clip.mp4', video: true }, { path: '/p/x.webp', video: false }], 'mine', 0);
    expect(doc.nodes.map((n) => [n.type, n.type === 'video-out' ? n.params.name : n.id])).toEqual([
      ['video-source', 'video-source-1'],
      ['mgan-decoder', 'mgan-decoder-1'],
      ['video-out', 'clip-mine'],
      ['image-source', 'image-source-1'],
      ['mgan-decoder', 'mgan-decoder-2'],
      ['image-out', 'x-mine'],
    ]);
    expect(doc.edges.map((e) => `${e.from.node}.${e.from.port}>${e.to.node}.${e.to.port}`)).toEqual([
      'video-source-1.frames>mgan-decoder-1.image',
      'mgan-decoder-1.frames>video-out-1.frames',
      'image-source-1.image>mgan-decoder-2.image',
      'mgan-decoder-2.image>x-mine.image',
    ]);
  });

  it('a missing input or a mistyped option is exit 2 with one line (and a suggestion), nothing run', async () => {
    const missing = await runCli('decode', join(dir, 'nope.jpg'), '-o', join(dir, 'none'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/cannot read '.*nope\.jpg': no such file or folder/);
    const typo = await runCli('decode', PHOTO, '--decodr', 'x');
    expect(typo.code).toBe(2);
    expect(typo.err).toMatch(/unknown option '--decodr' \(did you mean '--decoder'\?\)/);
    expect(existsSync(join(dir, 'none'))).toBe(false);
  });
});

describe('run NAME, suggestions and --json errors', () => {
  it('a preset name runs the bundled preset; a near miss is suggested', async () => {
    const out = mkdtempSync(join(tmpdir(), 'preset-'));
    const result = await runCli('run', 'perlin-noise', '--set', 'noise.width=16', '--set', 'noise.height=16', '-o', out);
    expect(result.code).toBe(0);
    expect(existsSync(join(out, 'out_noise.png'))).toBe(true);
    rmSync(out, { recursive: true, force: true });
    const typo = await runCli('run', 'perlin-nose');
    expect(typo.code).toBe(2);
    expect(typo.err).toMatch(/no graph file 'perlin-nose' and no bundled preset of that name \(did you mean 'perlin-noise'\?\)/);
    expect((await runCli('rnu')).err).toMatch(/unknown command 'rnu' \(did you mean 'run'\?\)/);
  });

  it('--json on any command: stdout is one JSON object with the errors inside', async () => {
    const usage = await runCli('extract', '--json');
    expect(JSON.parse(usage.out)).toEqual({ command: 'extract', exitCode: 2, output: [], errors: ['missing PNG file'] });
    const invalid = await runCli('validate', resolve(import.meta.dirname, '../../README.md'), '--json');
    expect(JSON.parse(invalid.out)).toMatchObject({ ok: false, exitCode: 2, errors: [expect.stringMatching(/README\.md: error: invalid JSON/)] });
    const valid = await runCli('validate', resolve(import.meta.dirname, '../../presets/perlin-noise.json'), '--json');
    expect(JSON.parse(valid.out)).toMatchObject({ ok: true, nodes: 6, edges: 4, exitCode: 0 });
    const list = await runCli('decoders', 'list', '--json');
    expect((JSON.parse(list.out) as { decoders: Array<{ name: string; origin: string }> }).decoders).toContainEqual(expect.objectContaining({ name: 'starry_night', origin: 'bundled' }));
    const unknownOption = await runCli('nodes', '--jsn', '--json');
    expect(JSON.parse(unknownOption.out)).toMatchObject({ exitCode: 2, errors: ["unknown option '--jsn' (did you mean '--json'?)"] });
  });
});
