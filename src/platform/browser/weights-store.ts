/**
 * VGG19 weights in the browser: each file is cached in IndexedDB (idb-keyval) after its size and
 * md5 were checked, and fetched on first use from the first source that has the manifest: the site
 * itself (`<site>/weights/vgg19/`, served in dev/preview from the project cache), then the pinned
 * GitHub raw URL.
 */
import { createStore, get, set, type UseStore } from 'idb-keyval';
import type { Vgg19, Vgg19Service, VggLayer } from '../../method/vgg/vgg19';
import { VGG19_CONV_LAYERS, convLayerOf } from '../../method/vgg/vgg19';
import {
  VGG19_MANIFEST_FILE,
  loadVgg19,
  parseVgg19Manifest,
  verifyWeightFile,
  type Vgg19Manifest,
  type WeightFileFetcher,
} from '../../method/vgg/vgg19-weights';
import { DEFAULT_VGG19_WEIGHTS_URL, asBaseUrl, fetchBytes } from '../common/weights-source';

export interface BrowserVgg19ServiceOptions {
  /** Base URL of the site (weights are looked for under `weights/vgg19/` first). */
  baseUrl: string;
  /** Override the sources, tried in order (base URLs of a weights folder). */
  sources?: string[];
  /** IndexedDB store (default: database `mgan-studio-weights`, store `vgg19`). */
  store?: UseStore;
  fetchImpl?: typeof fetch;
}

export function defaultVgg19Sources(baseUrl: string): string[] {
  return [new URL('weights/vgg19/', asBaseUrl(new URL(baseUrl, globalThis.location?.href).href)).href, DEFAULT_VGG19_WEIGHTS_URL];
}

/** A fetcher backed by IndexedDB; files are verified against the manifest before they are cached. */
export function cachedWeightFetcher(options: BrowserVgg19ServiceOptions): WeightFileFetcher {
  const store = options.store ?? createStore('mgan-studio-weights', 'vgg19');
  const sources = options.sources ?? defaultVgg19Sources(options.baseUrl);
  let manifestPromise: Promise<{ manifest: Vgg19Manifest; bytes: Uint8Array }> | undefined;

  let lastGood = 0;
  /** The first source that has the file (the last one that worked first); errors list what each said. */
  async function fetchFromSources(filename: string): Promise<Uint8Array> {
    const reasons: string[] = [];
    const order = [lastGood, ...sources.keys()].filter((v, i, all) => all.indexOf(v) === i);
    for (const index of order) {
      try {
        const bytes = await fetchBytes(sources[index], filename, options.fetchImpl);
        lastGood = index;
        return bytes;
      } catch (e) {
        reasons.push((e as Error).message);
      }
    }
    throw new Error(`no source has it (${reasons.join('; ')})`);
  }

  async function loadManifest() {
    const bytes = (await get<Uint8Array>(VGG19_MANIFEST_FILE, store)) ?? (await fetchFromSources(VGG19_MANIFEST_FILE));
    return { manifest: parseVgg19Manifest(bytes), bytes };
  }

  return async (filename) => {
    manifestPromise ??= loadManifest().catch((e) => {
      manifestPromise = undefined;
      throw e;
    });
    const { manifest, bytes: manifestBytes } = await manifestPromise;
    if (filename === VGG19_MANIFEST_FILE) return manifestBytes;
    const hit = await get<Uint8Array>(filename, store);
    if (hit) return hit;
    const bytes = await fetchFromSources(filename);
    const entry = Object.values(manifest.weights).find((e) => e.filename === filename);
    if (entry) {
      verifyWeightFile(entry, bytes);
      await set(filename, bytes, store);
      // The manifest is cached once a file it describes is, so a later offline session finds both.
      await set(VGG19_MANIFEST_FILE, manifestBytes, store);
    }
    return bytes;
  };
}

export function createBrowserVgg19Service(options: BrowserVgg19ServiceOptions): Vgg19Service {
  const fetchFile = cachedWeightFetcher(options);
  let cached: { depth: number; model: Promise<Vgg19> } | undefined;
  return {
    async load(deepest: VggLayer): Promise<Vgg19> {
      const depth = VGG19_CONV_LAYERS.indexOf(convLayerOf(deepest));
      if (depth < 0) throw new Error(`'${deepest}' is not a VGG19 layer (relu1_1 ... relu5_4)`);
      if (cached && cached.depth >= depth) return cached.model;
      const model = loadVgg19(fetchFile, deepest);
      const entry = { depth, model };
      cached = entry;
      model.catch(() => {
        if (cached === entry) cached = undefined;
      });
      return model;
    },
  };
}
