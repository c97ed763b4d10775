/**
 * MGAN training checkpoints as files, so a run stopped with Ctrl-C (or killed) resumes in the next process:
 * `<cacheDir>/mgan-checkpoints/<key>/checkpoint.json` (meta) + `checkpoint.bin` (tensor values).
 * Each file is written to a temporary name and renamed into place, the data first: a kill mid-write
 * leaves either the previous pair or a bin that fails the json's length/checksum test, never a
 * half checkpoint that loads.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { safeFileName, writeFileAtomic } from './fs-atomic';
import { type MganCheckpointStore, CheckpointFormatError, MAX_STORED_CHECKPOINTS, deserializeCheckpoint, serializeCheckpoint } from '../../method/mgan/checkpoint';

const META_FILE = 'checkpoint.json';
const DATA_FILE = 'checkpoint.bin';

export function createNodeMganCheckpointStore(dir: string, keep = MAX_STORED_CHECKPOINTS): MganCheckpointStore {
  const folderOf = (key: string) => join(dir, safeFileName(key));

  /** Removes all but the `keep` most recently saved checkpoint folders (by their json's mtime). */
  async function prune(): Promise<void> {
    const saved: Array<{ folder: string; time: number }> = [];
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const folder = join(dir, entry.name);
      const time = await stat(join(folder, META_FILE)).then((s) => s.mtimeMs, () => 0);
      saved.push({ folder, time });
    }
    saved.sort((a, b) => b.time - a.time);
    for (const { folder } of saved.slice(keep)) await rm(folder, { recursive: true, force: true });
  }

  return {
    async get(key) {
      const folder = folderOf(key);
      const metaPath = join(folder, META_FILE);
      if (!existsSync(metaPath)) return undefined;
      let meta: unknown;
      try {
        meta = JSON.parse(await readFile(metaPath, 'utf8'));
      } catch {
        throw new CheckpointFormatError(`checkpoint '${metaPath}' is not valid JSON`);
      }
      const dataPath = join(folder, DATA_FILE);
      if (!existsSync(dataPath)) throw new CheckpointFormatError(`checkpoint '${folder}' has no ${DATA_FILE}`);
      const data = await readFile(dataPath);
      return deserializeCheckpoint(meta, new Uint8Array(data.buffer, data.byteOffset, data.byteLength), `checkpoint '${folder}'`);
    },
    async set(key, c) {
      const folder = folderOf(key);
      const { meta, data } = await serializeCheckpoint(c);
      await mkdir(folder, { recursive: true });
      await writeFileAtomic(join(folder, DATA_FILE), data);
      await writeFileAtomic(join(folder, META_FILE), JSON.stringify(meta));
      await prune();
    },
    async delete(key) {
      await rm(folderOf(key), { recursive: true, force: true });
    },
  };
}
