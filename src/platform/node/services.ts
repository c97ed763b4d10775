/**
 * Platform services for Node (the CLI, tests, benches), handed to nodes as `ctx.env.services`.
 * Each work area adds its service here under a stable key (e.g. `vgg19`, `decoders`, `video`).
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Vgg19Service } from '../../method/vgg/vgg19';
import { trustedAccess, type AccessPolicy } from './access';
import { createNodeDecoderStore } from './decoder-store';
import { createImageFolderService } from './image-folder';
import { createNodeMdanTargetCache } from './mdan-target-cache';
import { createNodeMganCheckpointStore } from './mgan-checkpoint-store';
import { createNodeVgg19Service } from './weights-store';
import { createNodeVideoService } from './video';

export interface NodeServicesOptions {
  /** Where the CLI writes results (image-out PNGs, video-out frames). */
  outDir: string;
  /** Project cache (weights, decoders, MDAN targets); ignored by git. */
  cacheDir: string;
  /** The project root (bundled samples live in public/samples). */
  projectRoot: string;
  /**
   * What graphs may read and fetch. The CLI passes the rules for the graph it runs; library callers
   * (tests, benches: our own graphs) get everything, with the fetch timeout and size cap.
   */
  access: AccessPolicy;
}

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export function defaultServicesOptions(overrides: Partial<NodeServicesOptions> = {}): NodeServicesOptions {
  return {
    outDir: overrides.outDir ?? resolve('out'),
    cacheDir: overrides.cacheDir ?? process.env.MGAN_STUDIO_CACHE ?? join(PROJECT_ROOT, '.cache'),
    projectRoot: overrides.projectRoot ?? PROJECT_ROOT,
    access: overrides.access ?? trustedAccess(),
  };
}

export function createNodeServices(options: NodeServicesOptions): Record<string, unknown> {
  const services: Record<string, unknown> = { options };
  services.vgg19 = createNodeVgg19Service({ cacheDir: options.cacheDir, weightsDir: process.env.MGAN_STUDIO_VGG19_DIR });
  services.mdanTargets = createNodeMdanTargetCache(join(options.cacheDir, 'mdan-targets'));
  services.mganCheckpoints = createNodeMganCheckpointStore(join(options.cacheDir, 'mgan-checkpoints'));
  services.imageFolders = createImageFolderService(options.access);
  services.decoders = createNodeDecoderStore({
    dir: join(options.cacheDir, 'decoders'),
    loadVgg: (deepest) => (services.vgg19 as Vgg19Service).load(deepest),
    access: options.access,
  });
  services.video = createNodeVideoService({
    outDir: options.outDir,
    projectRoot: options.projectRoot,
    access: options.access,
    downloadDir: join(options.cacheDir, 'downloads'),
  });
  return services;
}
