/**
 * Platform services for the browser editor, handed to nodes as `ctx.env.services`.
 * Each work area adds its service here under the same key as in services-node.ts.
 */
import type { Vgg19Service } from '../../method/vgg/vgg19';
import { createBrowserDecoderStore } from './decoder-store';
import { createBrowserMdanTargetCache } from './mdan-target-cache';
import { createBrowserMganCheckpointStore } from './mgan-checkpoint-store';
import { createBrowserVgg19Service } from './weights-store';
import { createBrowserVideoService } from './video';

export interface BrowserServicesOptions {
  /** Base URL of the built site (samples under `samples/`, optional weights under `weights/vgg19/`). */
  baseUrl: string;
}

export function createBrowserServices(options: BrowserServicesOptions): Record<string, unknown> {
  const services: Record<string, unknown> = { options };
  services.vgg19 = createBrowserVgg19Service({ baseUrl: options.baseUrl });
  services.mdanTargets = createBrowserMdanTargetCache();
  services.mganCheckpoints = createBrowserMganCheckpointStore();
  services.decoders = createBrowserDecoderStore({ loadVgg: (deepest) => (services.vgg19 as Vgg19Service).load(deepest) });
  services.video = createBrowserVideoService({ baseUrl: options.baseUrl });
  return services;
}
