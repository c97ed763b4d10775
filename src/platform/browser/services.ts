/**
 * Platform services for the browser editor, handed to nodes as `ctx.env.services`.
 * Each work area adds its service here under the same key as in services-node.ts.
 */
import type { Vgg19Service } from '../../method/vgg/vgg19';
import { createDecoderCatalog } from '../shared/decoder-catalog';
import { createBrowserBundledDecoders } from './bundled-decoders';
import { createBrowserDecoderStore } from './decoder-store';
import { createBrowserMdanTargetCache } from './mdan-target-cache';
import { createBrowserMganCheckpointStore } from './mgan-checkpoint-store';
import { createBrowserVgg19Service } from './weights-store';
import { createBrowserVideoService } from './video';

export interface BrowserServicesOptions {
  /** Base URL of the built site (samples under `samples/`, optional weights under `weights/vgg19/`). */
  baseUrl: string;
}

/** The machine in words, for training records (what a page may know of it). */
function describeMachine(): string {
  const nav = globalThis.navigator;
  return nav ? `${nav.hardwareConcurrency ?? '?'} cores, ${nav.userAgent}` : 'unknown machine';
}

export function createBrowserServices(options: BrowserServicesOptions): Record<string, unknown> {
  const services: Record<string, unknown> = { options, machine: describeMachine() };
  services.vgg19 = createBrowserVgg19Service({ baseUrl: options.baseUrl });
  services.mdanTargets = createBrowserMdanTargetCache();
  services.mganCheckpoints = createBrowserMganCheckpointStore();
  const loadVgg = (deepest: Parameters<Vgg19Service['load']>[0]) => (services.vgg19 as Vgg19Service).load(deepest);
  // The user's decoders (IndexedDB) first, then those served with the site under decoders/.
  services.decoders = createDecoderCatalog({
    yours: createBrowserDecoderStore({ loadVgg }),
    bundled: createBrowserBundledDecoders({ baseUrl: options.baseUrl }),
    loadVgg,
    yoursWhere: 'in this browser',
    importHint: "drop it on the editor's canvas or pick it with Import; `npx mgan-studio decoders export NAME` writes one",
  });
  services.video = createBrowserVideoService({ baseUrl: options.baseUrl });
  return services;
}
