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
import { TINY } from '../support/tiny-presets';
import { requireFfmpeg } from '../support/requirements';

const PRESETS = join(__dirname, '../../presets');
const HASHES_FILE = join(__dirname, 'preset-results.json');
const RECORD = process.env.MGAN_STUDIO_RECORD_PRESET_RESULTS === '1';

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
