/** Lists the PNG/JPEG files of a folder (the image-set node's `folder` param, Node only). */
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export interface ImageFolderService {
  /** Paths of the images in `folder`, sorted by name; an error naming the folder if it is missing or has none. */
  listImages(folder: string): Promise<string[]>;
}

const IMAGE_EXTENSIONS = /\.(png|jpe?g)$/i;

export function createImageFolderService(): ImageFolderService {
  return {
    async listImages(folder) {
      const dir = resolve(folder);
      if (!existsSync(dir) || !(await stat(dir)).isDirectory()) throw new Error(`image folder '${dir}' does not exist`);
      const files = (await readdir(dir)).filter((f) => IMAGE_EXTENSIONS.test(f)).sort();
      if (files.length === 0) throw new Error(`image folder '${dir}' holds no PNG or JPEG files`);
      return files.map((f) => join(dir, f));
    },
  };
}
