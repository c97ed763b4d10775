/**
 * The bundled decoders in the browser: served with the site at `decoders/NAME.mgan` (vite copies
 * `public/decoders`), listed by `decoders/index.json`. A site without the index has none bundled.
 */
import { BUNDLED_INDEX_FILE, type BundledIndexEntry, parseBundledIndex } from '../common/decoder-catalog';
import type { BundledDecoders } from '../../services/decoder-catalog';

export interface BrowserBundledDecodersOptions {
  /** Base URL of the site (ends with '/'). */
  baseUrl: string;
  fetch?: typeof fetch;
}

export function createBrowserBundledDecoders(options: BrowserBundledDecodersOptions): BundledDecoders {
  const base = new URL('decoders/', new URL(options.baseUrl, globalThis.location?.href));
  const get = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const indexUrl = new URL(BUNDLED_INDEX_FILE, base).href;
  let index: Promise<BundledIndexEntry[]> | undefined;

  const loadIndex = async (): Promise<BundledIndexEntry[]> => {
    let res: Response;
    try {
      res = await get(indexUrl);
    } catch (e) {
      throw new Error(`the index of bundled decoders '${indexUrl}' could not be fetched: ${(e as Error).message}`);
    }
    if (res.status === 404) return [];
    if (!res.ok) throw new Error(`the index of bundled decoders '${indexUrl}' could not be fetched: HTTP ${res.status}`);
    let json: unknown;
    try {
      json = JSON.parse(await res.text());
    } catch {
      throw new Error(`the index of bundled decoders '${indexUrl}' is not valid JSON`);
    }
    return parseBundledIndex(json, `the index of bundled decoders '${indexUrl}'`);
  };
  // A failed fetch is retried on the next call; a parsed index is kept for the page's life.
  const entries = (): Promise<BundledIndexEntry[]> => {
    index ??= loadIndex().catch((e) => {
      index = undefined;
      throw e;
    });
    return index;
  };

  return {
    where: base.href,
    async names() {
      return (await entries()).map((e) => e.name);
    },
    async read(name) {
      const entry = (await entries()).find((e) => e.name === name);
      if (!entry) return undefined;
      const file = new URL(entry.file, base).href;
      let res: Response;
      try {
        res = await get(file);
      } catch (e) {
        throw new Error(`bundled decoder file '${file}' could not be fetched: ${(e as Error).message}`);
      }
      if (!res.ok) throw new Error(`bundled decoder file '${file}' could not be fetched: HTTP ${res.status}`);
      return { file, bytes: new Uint8Array(await res.arrayBuffer()) };
    },
    async list() {
      return (await entries()).map((e) => ({
        name: e.name,
        file: new URL(e.file, base).href,
        bytes: e.bytes,
        meta: { ...e.meta, name: e.name },
        ...(e.quantization ? { quantization: e.quantization } : {}),
      }));
    },
  };
}
