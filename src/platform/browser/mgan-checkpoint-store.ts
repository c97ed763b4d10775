/**
 * MGAN training checkpoints in IndexedDB (idb-keyval, a store of their own), so a training stopped by a
 * page reload resumes. One record per key holds meta and data together: IndexedDB writes a record
 * atomically, and deserializeCheckpoint still checks the length and checksum.
 */
import { createStore, del, get, set } from 'idb-keyval';
import {
  type CheckpointMeta,
  type MganCheckpointStore,
  CheckpointFormatError,
  MAX_STORED_CHECKPOINTS,
  deserializeCheckpoint,
  serializeCheckpoint,
} from '../../method/mgan/checkpoint';

interface StoredCheckpoint {
  meta: CheckpointMeta;
  data: Uint8Array;
}

/** A small record of key -> Date.now() when saved, so pruning never reads the (large) checkpoints. */
const SAVED_AT_KEY = '__saved-at__';

export function createBrowserMganCheckpointStore(dbName = 'mgan-studio-mgan-checkpoints'): MganCheckpointStore {
  const db = createStore(dbName, 'checkpoints');
  return {
    async get(key) {
      const stored = await get<StoredCheckpoint>(key, db);
      if (!stored) return undefined;
      if (!(stored.data instanceof Uint8Array)) throw new CheckpointFormatError(`checkpoint '${key}' in IndexedDB has no data`);
      return deserializeCheckpoint(stored.meta, stored.data, `checkpoint '${key}' in IndexedDB`);
    },
    async set(key, c) {
      const stored: StoredCheckpoint = await serializeCheckpoint(c);
      await set(key, stored, db);
      const savedAt = { ...((await get<Record<string, number>>(SAVED_AT_KEY, db)) ?? {}), [key]: Date.now() };
      const newestFirst = Object.keys(savedAt).sort((a, b) => savedAt[b] - savedAt[a]);
      for (const old of newestFirst.slice(MAX_STORED_CHECKPOINTS)) {
        await del(old, db);
        delete savedAt[old];
      }
      await set(SAVED_AT_KEY, savedAt, db);
    },
    async delete(key) {
      await del(key, db);
      const savedAt = await get<Record<string, number>>(SAVED_AT_KEY, db);
      if (savedAt && key in savedAt) {
        delete savedAt[key];
        await set(SAVED_AT_KEY, savedAt, db);
      }
    },
  };
}
