/** Platform services for Node (the CLI, tests, benches), handed to nodes as `ctx.env.services`. */
import { arch, cpus, platform, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import type { NodeServices } from '../../services/node-services';
import { trustedAccess, type AccessPolicy } from './access';
import type { VggLoader } from '../../method/mgan/decoder';
import { createDecoderCatalog } from '../common/decoder-catalog';
import { createFolderBundledDecoders } from './bundled-decoders';
import { createNodeDecoderStore } from './decoder-store';
import { createNodeDiscriminatorStore, discriminatorStoreDir } from './discriminator-store';
import { createImageFolderService } from './image-folder';
import { createNodeMdanTargetCache } from './mdan-target-cache';
import { createNodeMganCheckpointStore } from './mgan-checkpoint-store';
import { createNodeVgg19Service } from './weights-store';
import { createNodeVideoService } from './video';
import { defaultCacheDir, PACKAGE_ROOT } from './user-data';
import type { DecoderCatalog } from '../../services/decoder-catalog';

export interface NodeServicesOptions {
  /** Where the CLI writes results (image-out PNGs, video-out frames). */
  outDir: string;
  /** The user's data (weights, decoders, discriminators, checkpoints, MDAN targets): user-data.ts says where. */
  cacheDir: string;
  /** The package's root (bundled samples live in public/samples). */
  projectRoot: string;
  /**
   * What graphs may read and fetch. The CLI passes the rules for the graph it runs; library callers
   * (tests, benches: our own graphs) get everything, with the fetch timeout and size cap.
   */
  access: AccessPolicy;
  /** The decoders shipped with MGAN Studio (`public/decoders`, or $MGAN_STUDIO_BUNDLED_DECODERS). */
  bundledDecodersDir: string;
}

export const PROJECT_ROOT = PACKAGE_ROOT;

export function defaultServicesOptions(overrides: Partial<NodeServicesOptions> = {}): NodeServicesOptions {
  return {
    outDir: overrides.outDir ?? resolve('out'),
    cacheDir: overrides.cacheDir ?? defaultCacheDir(),
    projectRoot: overrides.projectRoot ?? PROJECT_ROOT,
    access: overrides.access ?? trustedAccess(),
    bundledDecodersDir:
      overrides.bundledDecodersDir ?? process.env.MGAN_STUDIO_BUNDLED_DECODERS ?? join(overrides.projectRoot ?? PROJECT_ROOT, 'public', 'decoders'),
  };
}

/** The machine in words, for training records: "16 × AMD EPYC 9554 64-Core Processor, 125 GB, linux x64". */
export function describeMachine(): string {
  const cores = cpus();
  return `${cores.length} × ${cores[0]?.model.trim() || 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB, ${platform()} ${arch()}`;
}

/** The user's decoders (`<cacheDir>/decoders`) first, then the bundled ones. */
export function createNodeDecoderCatalog(
  options: Pick<NodeServicesOptions, 'cacheDir' | 'bundledDecodersDir'> & Partial<Pick<NodeServicesOptions, 'access'>>,
  loadVgg: VggLoader,
): DecoderCatalog {
  const dir = join(options.cacheDir, 'decoders');
  return createDecoderCatalog({
    // The access rules govern decoder paths a graph names; the bundled folder is ours, read as is.
    yours: createNodeDecoderStore({ dir, loadVgg, access: options.access }),
    bundled: createFolderBundledDecoders(options.bundledDecodersDir),
    loadVgg,
    yoursWhere: `in ${dir}`,
    importHint: 'npx mgan-studio decoders import FILE.mgan',
  });
}

/** Every service: Node lacks none. */
export function createNodeServices(options: NodeServicesOptions): Required<NodeServices> {
  const vgg19 = createNodeVgg19Service({ cacheDir: options.cacheDir, weightsDir: process.env.MGAN_STUDIO_VGG19_DIR });
  return {
    machine: describeMachine(),
    vgg19,
    mdanTargets: createNodeMdanTargetCache(join(options.cacheDir, 'mdan-targets')),
    mganCheckpoints: createNodeMganCheckpointStore(join(options.cacheDir, 'mgan-checkpoints')),
    imageFolders: createImageFolderService(options.access),
    decoders: createNodeDecoderCatalog(options, (deepest) => vgg19.load(deepest)),
    discriminators: createNodeDiscriminatorStore(discriminatorStoreDir(options.cacheDir)),
    video: createNodeVideoService({
      outDir: options.outDir,
      projectRoot: options.projectRoot,
      access: options.access,
      // A downloaded video is a temporary file (removed at exit): it lives in the system's temp folder, not the project's cache.
      downloadDir: join(tmpdir(), 'mgan-studio-downloads'),
    }),
  };
}
