/**
 * Dropped photos read back for a share link (src/ui/store/link-images.ts decides the sizes): the file
 * from IndexedDB, decoded once (upright, as its EXIF says, the way image-source sees it), then drawn on
 * a canvas at each size tried and encoded as PNG or JPEG.
 */
import { readAsset } from './env';

/** A decoded photo that can be encoded again at any size (the editor's LinkImageSource takes these). */
export interface ReencodableImage {
  width: number;
  height: number;
  /** The file's own type and size. */
  type: string;
  bytes: number;
  encode(width: number, height: number, type: 'image/png' | 'image/jpeg', quality?: number): Promise<Uint8Array>;
  close(): void;
}

async function openBlob(blob: Blob): Promise<ReencodableImage> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch {
    throw new Error(`the browser cannot decode it (${blob.type || 'unknown type'}, ${blob.size} bytes)`);
  }
  return {
    width: bitmap.width,
    height: bitmap.height,
    type: blob.type,
    bytes: blob.size,
    async encode(width, height, type, quality) {
      const canvas = new OffscreenCanvas(width, height);
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('no 2-D canvas to encode the image');
      ctx.imageSmoothingEnabled = true;
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(bitmap, 0, 0, width, height);
      const out = await canvas.convertToBlob({ type, quality });
      return new Uint8Array(await out.arrayBuffer());
    },
    close: () => bitmap.close(),
  };
}

/** The dropped file stored under `key` (IndexedDB), opened for re-encoding; undefined when this browser no longer holds it. */
export async function openStoredImage(key: string): Promise<ReencodableImage | undefined> {
  const blob = await readAsset(key);
  return blob ? openBlob(blob) : undefined;
}
