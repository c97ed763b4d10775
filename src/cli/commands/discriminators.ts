/**
 * `mgan-studio discriminators list | remove`: the MDAN discriminators stored by name in the user's
 * data folder (the mdan-optimiser node's saveDiscriminatorAs stores one, a discriminator node's load
 * opens it), through the same store the nodes use.
 */
import { createNodeDiscriminatorStore, discriminatorStoreDir } from '../../platform/node/discriminator-store';
import { defaultServicesOptions } from '../../platform/node/services';
import type { StoredDiscriminator } from '../../services/discriminator-store';
import { parseCommandArgs } from '../args';
import { EXIT_OK } from '../io';
import { actionTarget, formatSize, oneLineFailures, storeAction } from '../store-actions';
import type { CommandBody } from './types';

export const DISCRIMINATORS_USAGE = `Trained MDAN discriminators stored by name (<cache>/discriminators/<name>.json): the
mdan-optimiser node's saveDiscriminatorAs stores one, a discriminator node's load opens it.
  list [--json]   every stored discriminator: name, file size, architecture (channels, depth, patch
                  size, the feature channels it judges, and layer and stride when a patch sampler set
                  them) and when it was saved
  remove NAME     delete one (NAME as list shows it; nothing outside the store folder is touched)
options: --cache DIR (default $MGAN_STUDIO_CACHE, else the per-user data folder)`;

/** name, size, architecture, saved: tab-separated, as `decoders list` prints its lines. */
function entryLine(e: StoredDiscriminator): string {
  const when = `saved ${e.savedAt ?? 'at an unknown time'}`;
  return `${e.name}\t${formatSize(e.bytes)}\t${e.architecture ?? `damaged: ${e.error ?? 'unreadable'}`}\t${when}`;
}

export const discriminatorsCommand: CommandBody = {
  details: `${DISCRIMINATORS_USAGE}
--json (with list): the discriminators as one JSON object`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      cache: { type: 'string' },
      json: { type: 'boolean' },
    });
    const action = storeAction('discriminators', positionals, ['list', 'remove'] as const);
    const dir = discriminatorStoreDir(defaultServicesOptions({ cacheDir: values.cache }).cacheDir);
    const store = createNodeDiscriminatorStore(dir);
    return oneLineFailures(io, async () => {
      switch (action) {
        case 'list': {
          const entries = await store.entries();
          if (values.json) io.out(JSON.stringify({ folder: dir, discriminators: entries }));
          else if (entries.length === 0) io.out(`no discriminators saved in ${dir} (the mdan-optimiser node's saveDiscriminatorAs stores one)`);
          else for (const e of entries) io.out(entryLine(e));
          return EXIT_OK;
        }
        case 'remove': {
          const name = actionTarget('discriminators', positionals, 'NAME');
          await store.remove(name);
          io.out(`removed discriminator '${name}'`);
          return EXIT_OK;
        }
      }
    });
  },
};
