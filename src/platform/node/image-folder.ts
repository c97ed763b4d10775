/** Lists the PNG, JPEG and WebP files of a folder (the image-set node's `folder` param, Node only). */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageFolderService } from '../../services/node-services';
import { checkRead, checkReadFolder, trustedAccess, type AccessPolicy } from './access';
import { heldOutFolderProblem } from './training-set';

const IMAGE_EXTENSIONS = /\.(png|jpe?g|webp)$/i;

/** `access`: the folder and every image in it must be readable under these rules (links included). */
export function createImageFolderService(access: AccessPolicy = trustedAccess()): ImageFolderService {
  return {
    async listImages(folder) {
      const dir = await checkReadFolder(access, folder);
      const info = await stat(dir).catch(() => undefined);
      if (!info?.isDirectory()) throw new Error(`image folder '${folder}' does not exist`);
      // A training set's held-out photos measure decoders: no image set (the trainer's photos) reads them.
      const heldOut = await heldOutFolderProblem(dir);
      if (heldOut) throw new Error(`image folder ${heldOut}`);
      const files = (await readdir(dir)).filter((f) => IMAGE_EXTENSIONS.test(f)).sort();
      if (files.length === 0) throw new Error(`image folder '${folder}' holds no PNG, JPEG or WebP files`);
      // Each file is read by its real path: a link inside the folder was checked above.
      return Promise.all(files.map((f) => checkRead(access, join(dir, f))));
    },
  };
}
