/**
 * MGAN training checkpoints in IndexedDB (idb-keyval, a store of their own), so a training stopped by a
 * page reload resumes. One record per key holds meta and data together: IndexedDB writes a record
 * atomically, and deserializeCheckpoint still checks the length and checksum.
 */
import { createStore, del, get, set } from 'idb-keyval';
import { type CheckpointMeta, type MganCheckpointStore, CheckpointFormatError, deserializeCheckpoint, serializeCheckpoint } from '../mgan/mgan-checkpoint';

interface StoredCheckpoint {
  meta: CheckpointMeta;
  data: Uint8Array;
}

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
    },
    async delete(key) {
      await del(key, db);
    },
  };
}
