/**
 * The browser decoder store: IndexedDB through idb-keyval, one record per decoder under
 * `mgan-decoder:<name>` ({ meta, weightSpecs, weightData }), in its own database so listing is cheap.
 */
import { createStore, del, entries, get, set } from 'idb-keyval';
import type { MganDecoder, VggLoader } from '../../method/mgan/decoder';
import { type DecoderArtifacts, checkDecoderMeta, checkDecoderName, decodeDecoderFile, decoderFromArtifacts, decoderToArtifacts, encodeDecoderFile } from '../common/decoder-store';
import type { DecoderStore } from '../../services/decoder-catalog';
import type { DecoderMeta } from '../../formats/decoder-meta';

const KEY_PREFIX = 'mgan-decoder:';

export interface BrowserDecoderStoreOptions {
  loadVgg: VggLoader;
  /** IndexedDB database name (tests use their own). */
  dbName?: string;
}

class BrowserDecoderStore implements DecoderStore {
  private readonly db;
  constructor(private readonly options: BrowserDecoderStoreOptions) {
    this.db = createStore(options.dbName ?? 'mgan-studio-decoders', 'decoders');
  }

  private async read(name: string): Promise<DecoderArtifacts> {
    const record = await get<DecoderArtifacts>(KEY_PREFIX + checkDecoderName(name), this.db);
    if (!record) {
      const known = (await this.list()).map((m) => m.name);
      throw new Error(`no saved decoder named '${name}' in this browser (saved: ${known.join(', ') || 'none'})`);
    }
    return record;
  }

  async save(decoder: MganDecoder, name?: string): Promise<DecoderMeta> {
    const artifacts = await decoderToArtifacts(decoder, checkDecoderName(name ?? decoder.meta.name));
    await set(KEY_PREFIX + artifacts.meta.name, artifacts, this.db);
    return artifacts.meta;
  }

  async load(name: string): Promise<MganDecoder> {
    return decoderFromArtifacts(await this.read(name), this.options.loadVgg);
  }

  async list(): Promise<DecoderMeta[]> {
    const all = await entries<string, DecoderArtifacts>(this.db);
    const metas: DecoderMeta[] = [];
    for (const [key, value] of all) {
      if (!String(key).startsWith(KEY_PREFIX)) continue;
      try {
        metas.push(checkDecoderMeta(value?.meta, String(key)));
      } catch {
        // A damaged record is not listed; loading it by name says what is wrong with it.
      }
    }
    return metas.sort((a, b) => a.name.localeCompare(b.name));
  }

  async has(name: string): Promise<boolean> {
    return (await get(KEY_PREFIX + checkDecoderName(name), this.db)) !== undefined;
  }

  async remove(name: string): Promise<void> {
    await this.read(name);
    await del(KEY_PREFIX + name, this.db);
  }

  async exportFile(name: string): Promise<Uint8Array> {
    return encodeDecoderFile(await this.read(name));
  }

  async importFile(bytes: Uint8Array, name?: string): Promise<DecoderMeta> {
    const artifacts = decodeDecoderFile(bytes);
    const meta = { ...artifacts.meta, name: checkDecoderName(name ?? artifacts.meta.name) };
    await set(KEY_PREFIX + meta.name, { ...artifacts, meta }, this.db);
    return meta;
  }
}

export function createBrowserDecoderStore(options: BrowserDecoderStoreOptions): DecoderStore {
  return new BrowserDecoderStore(options);
}
