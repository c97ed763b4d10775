/** `mgan-studio decoders list | export NAME [--out FILE] | import FILE [--name NAME] | remove NAME [--cache DIR]` */
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { decodeDecoderFile } from '../../platform/shared/decoder-store';
import { createNodeDecoderStore, decoderFileName } from '../../platform/node/decoder-store';
import { defaultServicesOptions } from '../../platform/node/services';
import { parseCommandArgs } from '../args';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../io';
import type { CliCommand } from './types';

export const DECODERS_USAGE = `Trained MGAN decoders in the project cache (<cache>/decoders/<name>/):
  list                      names, VGG convention, creation time, training settings
  export NAME [--out FILE]  write one shareable file (default ./NAME.mgan)
  import FILE [--name N]    store a shared .mgan file (under its own name, or N)
  remove NAME               delete a saved decoder
options: --cache DIR (default .cache or $MGAN_STUDIO_CACHE)`;

export const decodersCommand: CliCommand = {
  name: 'decoders',
  summary: 'list, export, import or remove trained MGAN decoders',
  usage: 'decoders list | export NAME [--out FILE] | import FILE [--name NAME] | remove NAME [--cache DIR]',
  details: DECODERS_USAGE,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      out: { type: 'string', short: 'o' },
      name: { type: 'string' },
      cache: { type: 'string' },
    });
    const [action, target] = positionals;
    const cacheDir = defaultServicesOptions({ cacheDir: values.cache }).cacheDir;
    const store = createNodeDecoderStore({
      dir: join(cacheDir, 'decoders'),
      loadVgg: () => Promise.reject(new Error('the decoders command does not decode')),
    });
    const need = (what: string) => {
      if (!target) throw new UsageError(`decoders ${action}: missing ${what}`);
      return target;
    };
    try {
      switch (action) {
        case 'list': {
          const metas = await store.list();
          if (metas.length === 0) io.out(`no saved decoders in ${join(cacheDir, 'decoders')}`);
          for (const m of metas) {
            const t = m.training as Record<string, unknown>;
            io.out(`${m.name}\t${m.vggConvention}\t${m.createdAt}\tloss=${t.loss ?? '?'} epochs=${t.epochs ?? '?'} steps=${t.steps ?? '?'} crops=${t.crops ?? '?'}`);
          }
          return EXIT_OK;
        }
        case 'export': {
          const name = need('NAME');
          const file = resolve(values.out ?? decoderFileName(name));
          await writeFile(file, await store.exportFile(name));
          io.out(`wrote ${file}`);
          return EXIT_OK;
        }
        case 'import': {
          const file = need('FILE');
          const bytes = new Uint8Array(await readFile(resolve(file)));
          decodeDecoderFile(bytes, `'${resolve(file)}'`); // the error names the file
          const meta = await store.importFile(bytes, values.name);
          io.out(`imported decoder '${meta.name}'`);
          return EXIT_OK;
        }
        case 'remove': {
          await store.remove(need('NAME'));
          io.out(`removed decoder '${target}'`);
          return EXIT_OK;
        }
        default:
          throw new UsageError(`decoders: expected list, export, import or remove, got '${action ?? ''}'`);
      }
    } catch (e) {
      if (e instanceof UsageError) throw e;
      io.err(`error: ${(e as Error).message}`);
      return EXIT_FAILED;
    }
  },
};
