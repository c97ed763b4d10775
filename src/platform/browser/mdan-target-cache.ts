/** MGAN training's MDAN targets cached in IndexedDB (idb-keyval), so a second run does not redo them. */
import * as tf from '@tensorflow/tfjs';
import { createStore, get, set } from 'idb-keyval';
import type { MdanTargetCache } from '../../method/mgan/dataset';

interface StoredTarget {
  height: number;
  width: number;
  pixels: Float32Array;
}

export function createBrowserMdanTargetCache(dbName = 'mgan-studio-mdan-targets'): MdanTargetCache {
  const db = createStore(dbName, 'targets');
  return {
    async get(key) {
      const t = await get<StoredTarget>(key, db);
      return t ? tf.tensor3d(t.pixels, [t.height, t.width, 3]) : undefined;
    },
    async set(key, image) {
      const pixels = (await image.data()) as Float32Array;
      await set(key, { height: image.shape[0], width: image.shape[1], pixels: Float32Array.from(pixels) }, db);
    },
  };
}
