/**
 * MGAN training's MDAN targets, cached as files so a second training run does not redo them:
 * `<cacheDir>/mdan-targets/<key>.f32` = u32 LE height, u32 LE width, then float32 RGB pixels.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { MdanTargetCache } from '../../method/mgan/dataset';
import { safeFileName, writeFileAtomic } from './fs-atomic';

export function createNodeMdanTargetCache(dir: string): MdanTargetCache {
  const fileOf = (key: string) => join(dir, `${safeFileName(key)}.f32`);
  return {
    async get(key) {
      const path = fileOf(key);
      if (!existsSync(path)) return undefined;
      const bytes = await readFile(path);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const h = view.getUint32(0, true);
      const w = view.getUint32(4, true);
      if (bytes.byteLength !== 8 + h * w * 12) return undefined; // a torn write: recompute
      const pixels = new Float32Array(bytes.buffer.slice(bytes.byteOffset + 8, bytes.byteOffset + bytes.byteLength));
      return tf.tensor3d(pixels, [h, w, 3]);
    },
    async set(key, image) {
      await mkdir(dir, { recursive: true });
      const [h, w] = image.shape;
      const pixels = await image.data();
      const out = new Uint8Array(8 + pixels.byteLength);
      const view = new DataView(out.buffer);
      view.setUint32(0, h, true);
      view.setUint32(4, w, true);
      out.set(new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength), 8);
      await writeFileAtomic(fileOf(key), out);
    },
  };
}
