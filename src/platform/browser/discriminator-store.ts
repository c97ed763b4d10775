/**
 * The browser discriminator store: IndexedDB through idb-keyval, one record per D (its JSON form)
 * under its name, in a database of its own.
 */
import { createStore, get, keys, set } from 'idb-keyval';
import type { DiscriminatorStore } from '../../services/discriminator-store';
import { checkDiscriminatorName, discriminatorFromStored } from '../common/discriminator-store';

export function createBrowserDiscriminatorStore(dbName = 'mgan-studio-discriminators'): DiscriminatorStore {
  const db = createStore(dbName, 'discriminators');
  const list = async () => (await keys<string>(db)).map(String).sort((a, b) => a.localeCompare(b));
  return {
    list,
    async save(discriminator, name) {
      await set(checkDiscriminatorName(name), discriminator.toJSON(), db);
    },
    async load(name) {
      const record = await get<unknown>(checkDiscriminatorName(name), db);
      if (record === undefined) {
        const known = await list();
        throw new Error(`no saved discriminator named '${name}' in this browser (saved: ${known.join(', ') || 'none'}; save one with the mdan-optimiser node's saveDiscriminatorAs)`);
      }
      return discriminatorFromStored(record, `saved discriminator '${name}' in this browser`);
    },
  };
}
