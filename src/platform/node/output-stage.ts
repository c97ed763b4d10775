/**
 * All-or-nothing output: results are written into a hidden staging folder inside the output folder
 * and moved into place only when everything is ready. A failed, cancelled or killed run leaves the
 * previous outputs as they were (a killed run's staging folder is removed by the next one).
 */
import { lstat, mkdir, mkdtemp, readdir, realpath, rename, rm, rmdir, statfs } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';

const STAGE_PREFIX = '.mgan-stage-';

export interface OutputStage {
  /** The folder to write into: hidden, inside the output folder, so moving out of it is a rename. */
  readonly dir: string;
  /** The output folder (its real path). */
  readonly outDir: string;
  /**
   * Moves every entry of `dir` into the output folder, replacing entries of the same name (a link
   * there is replaced, never followed). All or none: a failure puts everything back and throws.
   * Returns the names moved.
   */
  commit(): Promise<string[]>;
  /** Deletes the staging folder and everything written into it. */
  discard(): Promise<void>;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes staging folders that processes no longer running left behind (killed mid-run). */
async function removeAbandonedStages(outDir: string): Promise<void> {
  for (const name of await readdir(outDir).catch(() => [] as string[])) {
    const match = new RegExp(`^${STAGE_PREFIX.replace(/\./g, '\\.')}(\\d+)-`).exec(name);
    if (match && Number(match[1]) !== process.pid && !processAlive(Number(match[1]))) {
      await rm(join(outDir, name), { recursive: true, force: true });
    }
  }
}

/** What is at `path` now: nothing, a folder, a link (replaced, never followed), or another entry. */
async function entryKind(path: string): Promise<'none' | 'folder' | 'link' | 'file'> {
  const info = await lstat(path).catch(() => undefined);
  if (!info) return 'none';
  return info.isSymbolicLink() ? 'link' : info.isDirectory() ? 'folder' : 'file';
}

class StageCommitError extends Error {}

/** Kernel file systems by their statfs magic: proc, sysfs, devpts, debugfs, securityfs, cgroup, cgroup2, tracefs. */
const SPECIAL_FS_TYPES = new Set([0x9fa0, 0x62656572, 0x1cd1, 0x64626720, 0x73636673, 0x27e0eb, 0x63677270, 0x74726163]);
/** Where the kernel's and devices' entries live (/dev is an ordinary tmpfs by type). */
const SPECIAL_ROOTS = ['/proc', '/sys', '/dev'];

/**
 * Why `outDir` cannot hold results, if it is on a kernel file system (/proc, /sys, /dev): refused at
 * once, since creating folders there fails in ways that can loop (Node's recursive mkdir on /proc).
 */
export async function specialFolderProblem(outDir: string): Promise<string | undefined> {
  let existing = resolve(outDir);
  while (!(await lstat(existing).then(() => true, () => false)) && dirname(existing) !== existing) existing = dirname(existing);
  const real = await realpath(existing).catch(() => existing);
  // /dev/shm is ordinary shared memory, a fine scratch folder.
  const root = real.startsWith(`/dev/shm${sep}`) || real === '/dev/shm' ? undefined : SPECIAL_ROOTS.find((r) => real === r || real.startsWith(`${r}${sep}`));
  const type = root ? undefined : (await statfs(real).catch(() => undefined))?.type;
  if (root || (type !== undefined && SPECIAL_FS_TYPES.has(Number(type)))) {
    return `'${outDir}' is on a system file system (${root ?? real}), not a place for files: choose another output folder`;
  }
  return undefined;
}

/** Opens a staging folder in `outDir` (created if missing). */
export async function openOutputStage(outDir: string): Promise<OutputStage> {
  const special = await specialFolderProblem(outDir);
  if (special) throw new Error(special);
  const firstCreated = await mkdir(outDir, { recursive: true });
  const realOut = await realpath(outDir);
  await removeAbandonedStages(realOut);
  const dir = await mkdtemp(join(realOut, `${STAGE_PREFIX}${process.pid}-`));
  let closed = false;

  return {
    dir,
    outDir: realOut,
    async commit() {
      if (closed) throw new Error('the output stage was already committed or discarded');
      closed = true;
      // Hidden entries are staging folders of nested stages, never results.
      const names = (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
      const replaced = join(dir, '.replaced');
      await mkdir(replaced);
      const done: Array<{ name: string; hadOld: boolean; movedNew: boolean }> = [];
      try {
        for (const name of names) {
          const target = join(realOut, name);
          const step = { name, hadOld: false, movedNew: false };
          done.push(step);
          const old = await entryKind(target);
          const fresh = await entryKind(join(dir, name));
          // A result replaces an earlier result of its kind (a PNG a PNG, a frame folder a frame
          // folder); a folder where a file goes (or the reverse) is the user's, and is kept.
          if ((old === 'folder') !== (fresh === 'folder') && old !== 'none' && old !== 'link') {
            throw new StageCommitError(`'${target}' is ${old === 'folder' ? 'a folder' : 'a file'}, not an earlier result; move it away or choose another output folder`);
          }
          if (old !== 'none') {
            await rename(target, join(replaced, name));
            step.hadOld = true;
          }
          await rename(join(dir, name), target);
          step.movedNew = true;
        }
      } catch (e) {
        for (const step of done.reverse()) {
          const target = join(realOut, step.name);
          if (step.movedNew) await rename(target, join(dir, step.name)).catch(() => undefined);
          if (step.hadOld) await rename(join(replaced, step.name), target).catch(() => undefined);
        }
        await rm(dir, { recursive: true, force: true });
        if (e instanceof StageCommitError) throw new Error(`${e.message}; the previous outputs were kept`);
        const failed = done.at(-1)?.name ?? '';
        const code = (e as NodeJS.ErrnoException).code;
        throw new Error(`cannot put '${join(realOut, failed)}' in place${code ? ` (${code})` : ''}; the previous outputs were kept`);
      }
      // What the results replaced was moved in here; links among it are removed, not followed.
      await rm(dir, { recursive: true, force: true });
      return names;
    },
    async discard() {
      closed = true;
      // Retries: a writer that was just killed (ffmpeg) may still be closing a file in there.
      await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
      // Folders this stage created for the output stay only if something else was put in them.
      if (firstCreated) {
        for (let at = resolve(outDir); ; at = dirname(at)) {
          if (!(await rmdir(at).then(() => true, () => false)) || at === resolve(firstCreated)) break;
        }
      }
    },
  };
}
