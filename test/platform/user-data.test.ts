import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CACHE_ENV, CONFLICTS_DIR, COPIED_MARKER, defaultCacheDir, moveLegacyData, moveLegacyDataOnce, userDataDir } from '../../src/platform/node/user-data';

async function listFiles(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  if (existsSync(dir)) await walk(dir);
  return out;
}

function writeTree(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
}

/** An old in-package cache as earlier versions left it: weights, a trained decoder, a checkpoint. */
const OLD = {
  'weights/vgg19/manifest.json': '{"m":1}',
  'weights/vgg19/conv1_1_kernel': 'k11',
  'decoders/mine/decoder.json': 'my decoder',
  'mgan-checkpoints/abc/state.json': 'step 40',
};

describe('user data folder', () => {
  let root: string;
  const saved = { cache: process.env[CACHE_ENV], xdg: process.env.XDG_DATA_HOME };
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'user-data-'));
  });
  afterEach(async () => {
    for (const [name, value] of [[CACHE_ENV, saved.cache], ['XDG_DATA_HOME', saved.xdg]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await rm(root, { recursive: true, force: true });
  });

  it('is the per-user data folder (XDG on Linux) unless $MGAN_STUDIO_CACHE names one', () => {
    delete process.env[CACHE_ENV];
    process.env.XDG_DATA_HOME = join(root, 'xdg');
    expect(userDataDir()).toBe(join(root, 'xdg', 'mgan-studio'));
    expect(defaultCacheDir()).toBe(join(root, 'xdg', 'mgan-studio'));
    process.env[CACHE_ENV] = join(root, 'mine');
    expect(defaultCacheDir()).toBe(join(root, 'mine'));
  });

  it('moves an old in-package cache once, losing nothing: new files moved, same ones merged, different ones kept aside', async () => {
    const from = join(root, 'pkg', '.cache');
    const to = join(root, 'data');
    writeTree(from, { ...OLD, 'decoders/shared/decoder.json': 'old version', 'weights/vgg19/conv1_2_kernel': 'k12' });
    writeTree(to, { 'decoders/shared/decoder.json': 'new version', 'weights/vgg19/conv1_2_kernel': 'k12' });
    const moved = await moveLegacyData(from, to);
    expect(moved).toMatchObject({ moved: 4, same: 1, copied: false });
    expect(moved!.conflicts).toEqual([join(to, CONFLICTS_DIR, 'decoders/shared/decoder.json')]);
    expect(await listFiles(to)).toEqual({
      ...OLD,
      'weights/vgg19/conv1_2_kernel': 'k12',
      'decoders/shared/decoder.json': 'new version',
      [`${CONFLICTS_DIR}/decoders/shared/decoder.json`]: 'old version',
    });
    expect(existsSync(from)).toBe(false);
    expect(await moveLegacyData(from, to)).toBeUndefined();
  });

  it('in a git clone copies instead (the clone\'s tests use that folder), once', async () => {
    const pkg = join(root, 'clone');
    mkdirSync(join(pkg, '.git'), { recursive: true });
    writeTree(join(pkg, '.cache'), OLD);
    delete process.env[CACHE_ENV];
    process.env.XDG_DATA_HOME = join(root, 'xdg');
    const lines: string[] = [];
    const moved = await moveLegacyDataOnce((l) => lines.push(l), pkg);
    expect(moved).toMatchObject({ moved: 4, copied: true });
    expect(lines.join('\n')).toMatch(/copied your MGAN Studio data \(4 files\) from .*clone\/\.cache to .*xdg\/mgan-studio/);
    expect(await listFiles(join(root, 'xdg', 'mgan-studio'))).toEqual(OLD);
    const old = await listFiles(join(pkg, '.cache'));
    expect(old[COPIED_MARKER]).toMatch(/copied to/);
    // A second start changes nothing, even after the user removed a copied file on purpose.
    await rm(join(root, 'xdg', 'mgan-studio', 'decoders'), { recursive: true });
    expect(await moveLegacyDataOnce((l) => lines.push(l), pkg)).toBeUndefined();
    expect(lines).toHaveLength(1);
  });

  it('an installed package\'s cache is moved; with $MGAN_STUDIO_CACHE set nothing moves', async () => {
    const pkg = join(root, 'node_modules', 'mgan-studio');
    writeTree(join(pkg, '.cache'), OLD);
    process.env.XDG_DATA_HOME = join(root, 'xdg');
    process.env[CACHE_ENV] = join(root, 'elsewhere');
    expect(await moveLegacyDataOnce(() => undefined, pkg)).toBeUndefined();
    expect(existsSync(join(pkg, '.cache', 'decoders/mine/decoder.json'))).toBe(true);
    delete process.env[CACHE_ENV];
    expect(await moveLegacyDataOnce(() => undefined, pkg)).toMatchObject({ moved: 4, copied: false });
    expect(existsSync(join(pkg, '.cache'))).toBe(false);
    expect(await listFiles(join(root, 'xdg', 'mgan-studio'))).toEqual(OLD);
  });
});
