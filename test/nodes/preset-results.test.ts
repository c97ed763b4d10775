/**
 * Every preset's results, pixel for pixel, at a tiny size: the node definitions may be rewritten (as
 * when they moved to defineNode) but a document must give the same images it gave before. Each preset
 * runs through the CLI with `--set` overrides that make it small, on one WASM thread, with a fresh
 * cache (so no decoder, MDAN target or checkpoint of an earlier run takes part); every PNG it writes
 * is decoded and its RGBA pixels hashed. The hashes in preset-results.json were recorded from the code
 * before the move:
 *
 *   MGAN_STUDIO_RECORD_PRESET_RESULTS=1 npx vitest run test/nodes/preset-results.test.ts
 *
 * rewrites them (only when a change of results is meant, and say why in the commit).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { hashBytes } from '../../src/util/hash';
import { runCli } from '../cli/run-cli';
import { useTemporaryCliCache } from '../support/cli-cache';
import { requireFfmpeg } from '../support/requirements';

const PRESETS = join(__dirname, '../../presets');
const HASHES_FILE = join(__dirname, 'preset-results.json');
const RECORD = process.env.MGAN_STUDIO_RECORD_PRESET_RESULTS === '1';

const MDAN_TINY = ['size=32', 'iterations=2', 'previewEvery=1'];
const set = (node: string, ...assignments: string[]) => assignments.flatMap((a) => ['--set', `${node}.${a}`]);

/** The overrides that make each preset tiny (every preset must have an entry). */
const TINY: Record<string, string[]> = {
  'brown-noise': [...set('brown', 'width=24', 'height=16'), ...set('pink', 'width=24', 'height=16'), ...set('gravel', 'maxSide=24')],
  'd-capacity-sweep': [...set('texture', 'maxSide=48'), ...set('mdan', ...MDAN_TINY), ...set('d', 'channels=4')],
  'decoder-channels': [...set('photo', 'maxSide=32'), ...set('channels', 'count=2', 'cells=2')],
  'decoder-losses': [
    ...set('texture', 'maxSide=48'),
    ...set('photos', 'samples=chelsea', 'maxSide=32'),
    ...set('unseen', 'maxSide=32'),
    ...['train_pixel', 'train_neural', 'train_mgan'].flatMap((id) =>
      set(id, 'epochs=1', 'batchSize=128', 'cropSize=16', 'stride=512', 'mdanIterations=1', 'mdanSize=64', 'snapshotEvery=1', 'checkpointEvery=0'),
    ),
  ],
  'gram-mdan-mgan': [
    ...set('texture', 'maxSide=48'),
    ...set('photo', 'maxSide=32'),
    ...set('gram', 'size=32', 'iterations=2', 'previewEvery=1'),
    ...set('mdan', ...MDAN_TINY, 'patchSize=4', 'patchStride=2', 'dChannels=4'),
  ],
  'guided-synthesis': [...set('texture', 'maxSide=48'), ...set('photo', 'maxSide=32'), ...set('sampler', 'size=4', 'stride=2'), ...set('mdan', ...MDAN_TINY)],
  'layer-ablation': [
    ...set('texture', 'maxSide=48'),
    ...set('mdan_relu2_1', ...MDAN_TINY, 'dChannels=4'),
    ...set('mdan_relu3_1', ...MDAN_TINY, 'dChannels=4', 'patchSize=4', 'patchStride=2'),
    ...set('mdan_relu4_1', ...MDAN_TINY, 'dChannels=4', 'patchSize=2', 'patchStride=1'),
  ],
  'mgan-decode': [...set('photo', 'maxSide=32'), ...set('decode', 'noise=0.5', 'noiseSeed=3')],
  'mgan-snapshots': [
    ...set('texture', 'maxSide=48'),
    ...set('photos', 'samples=chelsea', 'maxSide=32'),
    ...set('unseen', 'maxSide=32'),
    ...set('trainer', 'epochs=1', 'batchSize=9', 'cropSize=16', 'stride=512', 'mdanIterations=1', 'mdanSize=64', 'snapshotEvery=0', 'snapshotAt=1 2', 'checkpointEvery=0'),
  ],
  'mgan-train': [
    ...set('texture', 'maxSide=48'),
    ...set('photos', 'samples=chelsea', 'maxSide=32'),
    ...set('d', 'channels=4'),
    ...set('trainer', 'epochs=1', 'batchSize=128', 'cropSize=16', 'stride=512', 'mdanIterations=1', 'mdanSize=64', 'snapshotEvery=1', 'checkpointEvery=0', 'saveAs='),
    ...set('unseen', 'maxSide=32'),
  ],
  'noise-to-texture': [...set('perlin', 'width=32', 'height=24'), ...set('brown', 'width=24', 'height=32')],
  'patch-size-sweep': [...set('texture', 'maxSide=48'), ...set('mdan', ...MDAN_TINY, 'dChannels=4')],
  'perlin-noise': [...set('noise', 'width=24', 'height=16'), ...set('photo', 'maxSide=24'), ...set('low_noise', 'width=24', 'height=16')],
  'pretrained-discriminator': [
    ...set('texture', 'maxSide=48'),
    ...set('d', 'channels=4', 'patchSize=4'),
    ...['earlier_1', 'earlier_2', 'photo'].flatMap((id) => set(id, 'maxSide=32')),
    ...['mdan_earlier_1', 'mdan_earlier_2', 'mdan_pretrained', 'mdan_fresh_50', 'mdan_fresh_500'].flatMap((id) => set(id, ...MDAN_TINY, 'patchSize=4', 'patchStride=2')),
  ],
  'speed-comparison': [...set('texture', 'maxSide=48'), ...set('photo', 'maxSide=32'), ...set('speed', 'sizes=32', 'timedIterations=2', 'decodeRepeats=1', 'dChannels=4')],
  'unguided-texture': [...set('texture', 'maxSide=48'), ...set('mdan', ...MDAN_TINY), ...set('d', 'channels=4')],
  'video-stylisation': [...set('clip', 'maxSide=32', 'fps=4', 'duration=0.5'), ...set('video_out', 'webm=false')],
};

/** Presets whose images show times measured as they run: only their sizes are compared. */
const TIMED = new Set(['speed-comparison']);

function pngFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return pngFiles(path);
    return name.endsWith('.png') ? [path] : [];
  });
}

const NAMES = readdirSync(PRESETS).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();
// Recording keeps the presets it does not run (`-t NAME` records one).
const recorded: Record<string, Record<string, string>> = RECORD && !existsSync(HASHES_FILE) ? {} : JSON.parse(readFileSync(HASHES_FILE, 'utf8'));

useTemporaryCliCache('mgan-preset-results-', requireFfmpeg);
afterAll(() => {
  if (RECORD) writeFileSync(HASHES_FILE, `${JSON.stringify(Object.fromEntries(Object.entries(recorded).sort()), null, 2)}\n`);
});

describe('every preset gives the same pixels', () => {
  it('has tiny overrides for every preset', () => {
    expect(Object.keys(TINY).sort()).toEqual(NAMES);
  });

  it.each(NAMES)('%s', { timeout: 600_000 }, async (name) => {
    const out = mkdtempSync(join(tmpdir(), `mgan-preset-${name}-`));
    try {
      const { code, err } = await runCli('run', join(PRESETS, `${name}.json`), '--out', out, '--sweep', 'off', '--threads', '1', ...TINY[name]);
      expect(code, err).toBe(0);
      const hashes: Record<string, string> = {};
      for (const file of pngFiles(out).sort()) {
        const png = PNG.sync.read(readFileSync(file));
        hashes[relative(out, file)] = TIMED.has(name) ? `${png.width}x${png.height}` : `${png.width}x${png.height}:${hashBytes(png.data)}`;
      }
      expect(Object.keys(hashes).length).toBeGreaterThan(0);
      if (RECORD) recorded[name] = hashes;
      else expect(hashes).toEqual(recorded[name]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
