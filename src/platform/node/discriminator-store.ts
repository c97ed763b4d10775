/**
 * The Node discriminator store: one `<dir>/<name>.json` per D (MdanDiscriminator's JSON form), in the
 * user's data folder (`<cacheDir>/discriminators`), written atomically so a reader never meets half a D.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseLimitedJson } from '../../formats/limits';
import type { DiscriminatorStore } from '../../services/discriminator-store';
import { checkDiscriminatorName, discriminatorFromStored } from '../common/discriminator-store';
import { fsErrorReason } from './fs-errors';
import { writeFileAtomic } from './fs-atomic';

const EXTENSION = '.json';
/** Far above any D the nodes make (1024 channels, 4 blocks on relu5_1 is about 200 MB of base64), far below memory trouble. */
const MAX_DISCRIMINATOR_FILE_BYTES = 256 * 2 ** 20;

export function createNodeDiscriminatorStore(dir: string): DiscriminatorStore {
  const fileOf = (name: string) => join(dir, checkDiscriminatorName(name) + EXTENSION);
  const list = async (): Promise<string[]> => {
    if (!existsSync(dir)) return [];
    const names = (await readdir(dir)).filter((f) => f.endsWith(EXTENSION) && !f.startsWith('.')).map((f) => f.slice(0, -EXTENSION.length));
    return names.sort((a, b) => a.localeCompare(b));
  };
  return {
    list,
    async save(discriminator, name) {
      await writeFileAtomic(fileOf(name), JSON.stringify(discriminator.toJSON()));
    },
    async load(name) {
      const path = fileOf(name);
      if (!existsSync(path)) {
        const known = await list();
        throw new Error(`no saved discriminator named '${name}' in ${dir} (saved: ${known.join(', ') || 'none'}; save one with the mdan-optimiser node's saveDiscriminatorAs)`);
      }
      let text: string;
      try {
        const { size } = await stat(path);
        if (size > MAX_DISCRIMINATOR_FILE_BYTES) throw new Error(`${size} bytes, larger than any discriminator (${MAX_DISCRIMINATOR_FILE_BYTES})`);
        text = await readFile(path, 'utf8');
      } catch (e) {
        throw new Error(`cannot read discriminator file '${path}': ${e instanceof Error && !('code' in e) ? e.message : fsErrorReason(e)}; save the discriminator again or remove the file`);
      }
      let json: unknown;
      try {
        json = parseLimitedJson(text, MAX_DISCRIMINATOR_FILE_BYTES);
      } catch {
        throw new Error(`discriminator file '${path}' is not valid JSON: save the discriminator again (mdan-optimiser's saveDiscriminatorAs) or remove the file`);
      }
      return discriminatorFromStored(json, `discriminator file '${path}'`);
    },
  };
}
