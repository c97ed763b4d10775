/**
 * The platform services nodes use, as `ctx.env.services`: made for Node by src/platform/node/services.ts
 * and for the browser by src/platform/browser/services.ts. Every one is optional, since a platform may
 * lack it (image folders are Node only) and tests pass only what they need; a node that needs a
 * missing one fails with an error saying so. The decoder catalog's contract is platform-neutral code
 * (src/platform/common), used here as a type only.
 */
import type { MganCheckpointStore } from '../method/mgan/checkpoint';
import type { MdanTargetCache } from '../method/mgan/dataset';
import type { Vgg19Service } from '../method/vgg/vgg19';
import type { DecoderCatalog } from './decoder-catalog';
import type { DiscriminatorStore } from './discriminator-store';
import type { VideoService } from './video';

/** Lists the images of a folder (the image-set node's `folder` param). */
export interface ImageFolderService {
  /** Paths of the images in `folder`, sorted by name; an error naming the folder if it is missing or has none. */
  listImages(folder: string): Promise<string[]>;
}

export interface NodeServices {
  /** VGG19 with its weights (vgg19-tap, mdan-optimiser, mgan-trainer). */
  vgg19?: Vgg19Service;
  /** Trained MGAN decoders by name, the user's then the bundled ones (mgan-decoder opens, mgan-trainer saves). */
  decoders?: DecoderCatalog;
  /** Trained MDAN discriminators by name (mdan-optimiser saves, discriminator loads). */
  discriminators?: DiscriminatorStore;
  /** Video decoding, encoding and live views (video-source, video-out). */
  video?: VideoService;
  /** Folders of images on disk (image-set); Node only. */
  imageFolders?: ImageFolderService;
  /** MDAN results kept between runs (mgan-trainer's targets). */
  mdanTargets?: MdanTargetCache;
  /** mgan-trainer's checkpoints, kept between processes and page loads. */
  mganCheckpoints?: MganCheckpointStore;
  /** The machine in words, for the training record a decoder carries. */
  machine?: string;
}
