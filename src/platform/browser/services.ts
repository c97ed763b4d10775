/** Platform services for the browser editor, handed to nodes as `ctx.env.services`. */
import type { NodeServices } from '../../services/node-services';
import { createDecoderCatalog } from '../common/decoder-catalog';
import { createBrowserBundledDecoders } from './bundled-decoders';
import { createBrowserDecoderStore } from './decoder-store';
import { createBrowserDiscriminatorStore } from './discriminator-store';
import { createBrowserMdanTargetCache } from './mdan-target-cache';
import { createBrowserMganCheckpointStore } from './mgan-checkpoint-store';
import { createBrowserVgg19Service } from './weights-store';
import { createBrowserVideoService, type BrowserVideoOptions } from './video';

export interface BrowserServicesOptions {
  /** Base URL of the built site (samples under `samples/`, optional weights under `weights/vgg19/`). */
  baseUrl: string;
  /** Where video frames come from and go (the runtime worker reaches the page's video elements by messages). */
  video?: Pick<BrowserVideoOptions, 'source' | 'publish'>;
}

/** The machine in words, for training records (what a page may know of it). */
function describeMachine(): string {
  const nav = globalThis.navigator;
  return nav ? `${nav.hardwareConcurrency ?? '?'} cores, ${nav.userAgent}` : 'unknown machine';
}

export function createBrowserServices(options: BrowserServicesOptions): NodeServices {
  const vgg19 = createBrowserVgg19Service({ baseUrl: options.baseUrl });
  const loadVgg = vgg19.load.bind(vgg19);
  return {
    machine: describeMachine(),
    vgg19,
    mdanTargets: createBrowserMdanTargetCache(),
    mganCheckpoints: createBrowserMganCheckpointStore(),
    // The user's decoders (IndexedDB) first, then those served with the site under decoders/.
    decoders: createDecoderCatalog({
      yours: createBrowserDecoderStore({ loadVgg }),
      bundled: createBrowserBundledDecoders({ baseUrl: options.baseUrl }),
      loadVgg,
      yoursWhere: 'in this browser',
      importHint: "drop it on the editor's canvas or import it in the Decoders panel, which lists what this browser has; `npx mgan-studio decoders export NAME` writes one",
    }),
    discriminators: createBrowserDiscriminatorStore(),
    video: createBrowserVideoService({ baseUrl: options.baseUrl, ...options.video }),
  };
}
