/**
 * The Node discriminator store: one `<dir>/<name>.json` per D (MdanDiscriminator's JSON form and when
 * it was saved), in the user's data folder (`<cacheDir>/discriminators`), written atomically so a
 * reader never meets half a D. Names come from users and documents: only plain file names are
 * accepted, so every path this store reads or removes is a file directly inside `dir`.
 */
import { existsSync } from 'node:fs';
import { lstat, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { fileNameProblem } from '../../formats/file-name';
import { parseLimitedJson } from '../../formats/limits';
import type { DiscriminatorStore, StoredDiscriminator } from '../../services/discriminator-store';
import { checkDiscriminatorName, describeStored, discriminatorFromStored, missingDiscriminator, storedForm } from '../common/discriminator-store';
import { fsErrorReason } from './fs-errors';
import { writeFileAtomic } from './fs-atomic';

const EXTENSION = '.json';
/** Far above any D the nodes make (1024 channels, 4 blocks on relu5_1 is about 200 MB of base64), far below memory trouble. */
const MAX_DISCRIMINATOR_FILE_BYTES = 256 * 2 ** 20;

/** Where the CLI and the nodes keep discriminators in the user's data folder. */
export function discriminatorStoreDir(cacheDir: string): string {
  return join(cacheDir, 'discriminators');
}

export function createNodeDiscriminatorStore(dir: string): DiscriminatorStore {
  const fileOf = (name: string) => join(dir, checkDiscriminatorName(name) + EXTENSION);
  const list = async (): Promise<string[]> => {
    if (!existsSync(dir)) return [];
    // Only names the store can load and remove (a file put there by hand under another name is not one).
    const names = (await readdir(dir)).filter((f) => f.endsWith(EXTENSION)).map((f) => f.slice(0, -EXTENSION.length));
    return names.filter((n) => !fileNameProblem(n)).sort((a, b) => a.localeCompare(b));
  };
  /** A stored file's parsed JSON; one-line errors naming the file. */
  const read = async (path: string): Promise<unknown> => {
    let text: string;
    try {
      const { size } = await stat(path);
      if (size > MAX_DISCRIMINATOR_FILE_BYTES) throw new Error(`${size} bytes, larger than any discriminator (${MAX_DISCRIMINATOR_FILE_BYTES})`);
      text = await readFile(path, 'utf8');
    } catch (e) {
      throw new Error(`cannot read discriminator file '${path}': ${e instanceof Error && !('code' in e) ? e.message : fsErrorReason(e)}; save the discriminator again or remove the file`);
    }
    try {
      return parseLimitedJson(text, MAX_DISCRIMINATOR_FILE_BYTES);
    } catch {
      throw new Error(`discriminator file '${path}' is not valid JSON: save the discriminator again (mdan-optimiser's saveDiscriminatorAs) or remove the file`);
    }
  };
  return {
    list,
    async save(discriminator, name) {
      await writeFileAtomic(fileOf(name), JSON.stringify(storedForm(discriminator)));
    },
    async load(name) {
      const path = fileOf(name);
      if (!existsSync(path)) throw missingDiscriminator(name, `in ${dir}`, await list());
      return discriminatorFromStored(await read(path), `discriminator file '${path}'`);
    },
    async entries() {
      const out: StoredDiscriminator[] = [];
      for (const name of await list()) {
        const path = fileOf(name);
        const info = await stat(path).catch(() => undefined);
        // Files without a saving time of their own (stored before it was kept) fall back to their modification time.
        const modified = info?.mtime.toISOString();
        try {
          out.push(describeStored(name, await read(path), info?.size ?? 0, modified));
        } catch (e) {
          out.push({ name, bytes: info?.size ?? 0, ...(modified ? { savedAt: modified } : {}), error: (e as Error).message });
        }
      }
      return out;
    },
    async remove(name) {
      const path = fileOf(name);
      // lstat: a link named like a D is itself what is removed, never what it points to.
      const info = await lstat(path).catch(() => undefined);
      if (!info) throw missingDiscriminator(name, `in ${dir}`, await list());
      if (info.isDirectory()) throw new Error(`'${path}' is a folder, not a stored discriminator: nothing removed`);
      await unlink(path).catch((e: unknown) => {
        throw new Error(`cannot remove discriminator file '${path}': ${fsErrorReason(e)}`);
      });
    },
  };
}
