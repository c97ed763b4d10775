/**
 * Where MGAN Studio keeps the user's data in Node: the VGG19 weights, trained and imported decoders,
 * MGAN checkpoints and MDAN targets. They live in the platform's per-user data folder (env-paths: XDG
 * on Linux, ~/Library/Application Support on macOS, %LOCALAPPDATA% on Windows), never inside the
 * installed package, so `npm ci`, an update or a reinstall cannot delete them and a global install
 * works for a user who cannot write to it. `$MGAN_STUDIO_CACHE` names another folder.
 */
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import envPaths from 'env-paths';
import { fsErrorReason } from './fs-errors';

export const CACHE_ENV = 'MGAN_STUDIO_CACHE';

/** The package's root: the nearest folder above this file with our package.json (sources and the built CLI alike). */
function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'mgan-studio') return dir;
      } catch {
        // Not ours (or unreadable): keep looking upwards.
      }
    }
    if (dirname(dir) === dir) throw new Error(`mgan-studio: no package.json of mgan-studio above ${from}`);
  }
}

/** The installed package (or the clone): bundled samples, decoders, presets and the built editor live here. */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** The installed version, from the package's package.json. */
export function packageVersion(packageRoot = PACKAGE_ROOT): string {
  return (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The per-user data folder, e.g. `~/.local/share/mgan-studio` on Linux. */
export function userDataDir(): string {
  return envPaths('mgan-studio', { suffix: '' }).data;
}

/** The folder holding the user's data: `$MGAN_STUDIO_CACHE` when set, else the per-user data folder. */
export function defaultCacheDir(): string {
  return process.env[CACHE_ENV] || userDataDir();
}

/** Where earlier versions kept the same data: `.cache` inside the package. */
export function legacyCacheDir(packageRoot = PACKAGE_ROOT): string {
  return join(packageRoot, '.cache');
}

/** Left in a legacy folder that was copied rather than moved (a clone's `.cache`, which its tests use). */
export const COPIED_MARKER = 'COPIED-TO.txt';
/** Where a legacy file goes when the new folder already has a different file of the same name. */
export const CONFLICTS_DIR = 'from-old-cache';

export interface LegacyMove {
  from: string;
  to: string;
  /** Files now in `to` that were only in `from`. */
  moved: number;
  /** Files both had with the same bytes. */
  same: number;
  /** Files both had with different bytes: the legacy copy went to `<to>/from-old-cache/...`. */
  conflicts: string[];
  /** Copied (the legacy folder kept) rather than moved. */
  copied: boolean;
}

async function sameBytes(a: string, b: string): Promise<boolean> {
  const [sa, sb] = await Promise.all([stat(a), stat(b)]);
  if (sa.size !== sb.size) return false;
  return (await readFile(a)).equals(await readFile(b));
}

/** A file into place: renamed when both are on one file system, else copied through a temporary name. */
async function placeFile(from: string, to: string, keep: boolean): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  if (!keep) {
    try {
      await rename(from, to);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    }
  }
  const partial = `${to}.partial-${process.pid}`;
  await copyFile(from, partial);
  await rename(partial, to);
  if (!keep) await rm(from);
}

/**
 * Moves every file of the legacy folder `from` into `to`, once. Nothing is overwritten or lost: a file
 * `to` already has with the same bytes is dropped from `from`; one with different bytes goes to
 * `<to>/from-old-cache/<same path>`. With `keep` (a clone, whose `.cache` its tests use) the files are
 * copied and `from` gets a marker so the copy happens once. Returns undefined when there was nothing to do.
 */
export async function moveLegacyData(from: string, to: string, options: { keep?: boolean } = {}): Promise<LegacyMove | undefined> {
  const keep = options.keep ?? false;
  if (!existsSync(from) || from === to) return undefined;
  if (keep && existsSync(join(from, COPIED_MARKER))) return undefined;
  const result: LegacyMove = { from, to, moved: 0, same: 0, conflicts: [], copied: keep };
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const source = join(dir, entry.name);
      const rel = relative(from, source);
      if (entry.isDirectory()) {
        await walk(source);
        if (!keep) await rmdir(source).catch(() => undefined);
        continue;
      }
      if (!entry.isFile() || (keep && rel === COPIED_MARKER)) continue;
      // Half-written files of an interrupted write: never data.
      if (/\.partial-\d+$/.test(entry.name)) continue;
      const target = join(to, rel);
      if (!existsSync(target)) {
        await placeFile(source, target, keep);
        result.moved++;
      } else if (await sameBytes(source, target)) {
        if (!keep) await rm(source);
        result.same++;
      } else {
        let aside = join(to, CONFLICTS_DIR, rel);
        for (let n = 2; existsSync(aside); n++) aside = join(to, CONFLICTS_DIR, `${rel}.${n}`);
        await placeFile(source, aside, keep);
        result.conflicts.push(aside);
      }
    }
  };
  await walk(from);
  if (keep) {
    await writeFile(join(from, COPIED_MARKER), `The files of this folder were copied to ${to} (where mgan-studio keeps them now).\n`);
  } else {
    await rmdir(from).catch(() => undefined);
  }
  return result.moved + result.same + result.conflicts.length ? result : undefined;
}

/**
 * The one-time move the CLI makes before a command: from the package's `.cache` into the default
 * folder, unless `$MGAN_STUDIO_CACHE` names one (then nothing moves). In a git clone the files are
 * copied, since the clone's tests read that folder. One line for the user when anything moved.
 */
export async function moveLegacyDataOnce(log: (line: string) => void, packageRoot = PACKAGE_ROOT): Promise<LegacyMove | undefined> {
  if (process.env[CACHE_ENV]) return undefined;
  const from = legacyCacheDir(packageRoot);
  if (!existsSync(from)) return undefined;
  let moved: LegacyMove | undefined;
  try {
    moved = await moveLegacyData(from, userDataDir(), { keep: existsSync(join(packageRoot, '.git')) });
  } catch (e) {
    // Every file is whole in one place or the other (each moves by rename): the next start goes on.
    log(`note: could not move your MGAN Studio data from ${from} to ${userDataDir()} (${fsErrorReason(e)}); the next command tries again`);
    return undefined;
  }
  if (moved) {
    const verb = moved.copied ? 'copied' : 'moved';
    const aside = moved.conflicts.length ? `; ${moved.conflicts.length} that differed from files already there kept in ${join(moved.to, CONFLICTS_DIR)}` : '';
    log(`note: ${verb} your MGAN Studio data (${moved.moved + moved.same + moved.conflicts.length} files) from ${from} to ${moved.to}${aside}`);
  }
  return moved;
}
