/**
 * MGAN training checkpoints as files, so a run stopped with Ctrl-C (or killed) resumes in the next process:
 * `<cacheDir>/mgan-checkpoints/<key>/checkpoint.json` (meta) + `checkpoint.bin` (tensor values).
 * Each file is written to a temporary name and renamed into place, the data first: a kill mid-write
 * leaves either the previous pair or a bin that fails the json's length/checksum test, never a
 * half checkpoint that loads.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type MganCheckpointStore, CheckpointFormatError, deserializeCheckpoint, serializeCheckpoint } from '../mgan/mgan-checkpoint';

const META_FILE = 'checkpoint.json';
const DATA_FILE = 'checkpoint.bin';

async function writeAtomically(path: string, contents: Uint8Array | string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, contents);
  await rename(tmp, path);
}

export function createNodeMganCheckpointStore(dir: string): MganCheckpointStore {
  const folderOf = (key: string) => join(dir, key.replace(/[^A-Za-z0-9_.-]/g, '_'));
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
      await writeAtomically(join(folder, DATA_FILE), data);
      await writeAtomically(join(folder, META_FILE), JSON.stringify(meta));
    },
    async delete(key) {
      await rm(folderOf(key), { recursive: true, force: true });
    },
  };
}
