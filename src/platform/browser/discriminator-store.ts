/**
 * The browser discriminator store: IndexedDB through idb-keyval, one record per D (its JSON form and
 * when it was saved) under its name, in a database of its own.
 */
import { createStore, del, entries, get, keys, set } from 'idb-keyval';
import type { DiscriminatorStore } from '../../services/discriminator-store';
import { checkDiscriminatorName, describeStored, discriminatorFromStored, missingDiscriminator, storedForm } from '../common/discriminator-store';

const WHERE = 'in this browser';

export function createBrowserDiscriminatorStore(dbName = 'mgan-studio-discriminators'): DiscriminatorStore {
  const db = createStore(dbName, 'discriminators');
  const list = async () => (await keys<string>(db)).map(String).sort((a, b) => a.localeCompare(b));
  return {
    list,
    async save(discriminator, name) {
      await set(checkDiscriminatorName(name), storedForm(discriminator), db);
    },
    async load(name) {
      const record = await get<unknown>(checkDiscriminatorName(name), db);
      if (record === undefined) throw missingDiscriminator(name, WHERE, await list());
      return discriminatorFromStored(record, `saved discriminator '${name}' ${WHERE}`);
    },
    async entries() {
      const all = await entries<string, unknown>(db);
      // The record's size as its JSON text: what it would take as a file.
      return all.map(([name, record]) => describeStored(String(name), record, JSON.stringify(record ?? null).length)).sort((a, b) => a.name.localeCompare(b.name));
    },
    async remove(name) {
      const key = checkDiscriminatorName(name);
      if ((await get<unknown>(key, db)) === undefined) throw missingDiscriminator(name, WHERE, await list());
      await del(key, db);
    },
  };
}
