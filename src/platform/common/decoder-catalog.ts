/**
 * Every decoder a name can mean: the user's own (the decoder store: files under the cache, or
 * IndexedDB) and the bundled ones shipped with MGAN Studio (`public/decoders/NAME.mgan`, read from the
 * repository in Node and served at `decoders/NAME.mgan` in the browser). A user's decoder with a
 * bundled decoder's name takes precedence; `open` says which one it found, so the CLI and the node card
 * can show it. The catalog is itself a DecoderStore: nodes and the editor use it in place of the store.
 */
import { storeRefIsPath } from '../../graph/resources';
import type { MganDecoder, VggLoader } from '../../method/mgan/decoder';
import { type DecoderArtifacts, DECODER_FILE_EXTENSION, checkDecoderMeta, checkDecoderName, decodeDecoderFile, decoderFromArtifacts } from './decoder-store';
import type { BundledDecoders, CatalogEntry, DecoderCatalog, DecoderStore, OpenedDecoder } from '../../services/decoder-catalog';
import type { DecoderMeta } from '../../formats/decoder-meta';

export interface DecoderCatalogOptions {
  yours: DecoderStore;
  bundled: BundledDecoders;
  loadVgg: VggLoader;
  /** Where the user's decoders live, for messages ("in ~/.local/share/mgan-studio/decoders", "in this browser"). */
  yoursWhere: string;
  /** How to import a shared file on this platform, for the "no decoder" message. */
  importHint: string;
}

/** Parses a bundled decoder's file; errors name the file. */
export function readBundledDecoderFile(file: string, bytes: Uint8Array): DecoderArtifacts {
  return decodeDecoderFile(bytes, `bundled decoder file '${file}'`);
}

class Catalog implements DecoderCatalog {
  constructor(private readonly o: DecoderCatalogOptions) {}

  get bundled(): BundledDecoders {
    return this.o.bundled;
  }

  private async notFound(name: string): Promise<Error> {
    const yours = (await this.o.yours.list()).map((m) => m.name);
    let bundled: string;
    try {
      const names = await this.o.bundled.names();
      bundled = names.length ? `bundled: ${names.join(', ')}` : `none bundled in ${this.o.bundled.where}`;
    } catch (e) {
      bundled = (e as Error).message;
    }
    return new Error(
      `no decoder named '${name}': none saved ${this.o.yoursWhere} (saved: ${yours.join(', ') || 'none'}), ${bundled}. ` +
        `To get one: use a bundled name, import a shared .mgan file (${this.o.importHint}), ` +
        `or train one with the mgan-train preset (the mgan-trainer node's saveAs)`,
    );
  }

  async open(nameOrPath: string): Promise<OpenedDecoder> {
    if (storeRefIsPath(nameOrPath)) {
      return { decoder: await this.o.yours.load(nameOrPath), origin: 'file', label: `decoder file '${nameOrPath}'` };
    }
    const name = checkDecoderName(nameOrPath);
    if (await this.o.yours.has(name)) return { decoder: await this.o.yours.load(name), origin: 'yours', label: `decoder '${name}' (yours)` };
    const found = await this.o.bundled.read(name);
    if (!found) throw await this.notFound(name);
    // The file's name is the decoder's name, whatever its meta says.
    const read = readBundledDecoderFile(found.file, found.bytes);
    const artifacts = { ...read, meta: { ...read.meta, name } };
    let decoder: MganDecoder;
    try {
      decoder = decoderFromArtifacts(artifacts, this.o.loadVgg);
    } catch (e) {
      throw new Error(`bundled decoder file '${found.file}' is damaged: ${(e as Error).message}`);
    }
    return { decoder, origin: 'bundled', label: `decoder '${name}' (bundled)` };
  }

  async entries(): Promise<CatalogEntry[]> {
    const yours: CatalogEntry[] = (await this.o.yours.list()).map((meta) => ({ name: meta.name, origin: 'yours', meta }));
    const own = new Set(yours.map((e) => e.name));
    const bundled: CatalogEntry[] = (await this.o.bundled.list()).map((b) => ({ ...b, origin: 'bundled', ...(own.has(b.name) ? { hidden: true } : {}) }));
    return [...yours, ...bundled].sort((a, b) => a.name.localeCompare(b.name) || (a.origin === 'yours' ? -1 : 1));
  }

  // DecoderStore: writes go to the user's store; reads see the bundled decoders too.
  save(decoder: MganDecoder, name?: string): Promise<DecoderMeta> {
    return this.o.yours.save(decoder, name);
  }

  async load(nameOrPath: string): Promise<MganDecoder> {
    return (await this.open(nameOrPath)).decoder;
  }

  /** Every usable decoder's meta: yours, and the bundled ones yours do not hide. */
  async list(): Promise<DecoderMeta[]> {
    return (await this.entries()).filter((e) => e.meta && !e.error && !e.hidden).map((e) => e.meta!);
  }

  async has(name: string): Promise<boolean> {
    return (await this.o.yours.has(name)) || (await this.o.bundled.names()).includes(name);
  }

  async remove(name: string): Promise<void> {
    if (!(await this.o.yours.has(name)) && (await this.o.bundled.names()).includes(name)) {
      throw new Error(`'${name}' is a bundled decoder (in ${this.o.bundled.where}): it cannot be removed, only hidden by one of yours with the same name`);
    }
    return this.o.yours.remove(name);
  }

  async exportFile(name: string): Promise<Uint8Array> {
    if (storeRefIsPath(name) || (await this.o.yours.has(name))) return this.o.yours.exportFile(name);
    const found = await this.o.bundled.read(checkDecoderName(name));
    if (!found) throw await this.notFound(name);
    readBundledDecoderFile(found.file, found.bytes);
    return found.bytes;
  }

  importFile(bytes: Uint8Array, name?: string): Promise<DecoderMeta> {
    return this.o.yours.importFile(bytes, name);
  }

  async rename(from: string, to: string): Promise<DecoderMeta> {
    checkDecoderName(to);
    if (!(await this.o.yours.has(checkDecoderName(from)))) {
      if ((await this.o.bundled.names()).includes(from)) {
        throw new Error(`'${from}' is a bundled decoder (in ${this.o.bundled.where}): it is read-only; export it and import the file under a new name to have a copy of your own`);
      }
      throw await this.notFound(from);
    }
    if (from === to) return (await this.o.yours.list()).find((m) => m.name === from)!;
    if (await this.o.yours.has(to)) throw new Error(`a decoder of yours is already named '${to}': delete or rename that one first`);
    const meta = await this.o.yours.importFile(await this.o.yours.exportFile(from), to);
    await this.o.yours.remove(from);
    return meta;
  }
}

export function createDecoderCatalog(options: DecoderCatalogOptions): DecoderCatalog {
  return new Catalog(options);
}

export function isDecoderCatalog(x: unknown): x is DecoderCatalog {
  return !!x && typeof (x as DecoderCatalog).open === 'function' && typeof (x as DecoderCatalog).entries === 'function';
}

// The index of bundled decoders (`public/decoders/index.json`): what the browser lists without
// downloading every file. Node lists the files themselves and writes the index (`decoders index`).

export const BUNDLED_INDEX_FILE = 'index.json';
export const BUNDLED_INDEX_FORMAT = 'mgan-studio-bundled-decoders';

export interface BundledIndexEntry {
  name: string;
  /** File name inside the bundled folder. */
  file: string;
  bytes: number;
  quantization?: string;
  /** The decoder's meta (thumbnail and training record included): listing needs nothing else. */
  meta: DecoderMeta;
}

export interface BundledIndex {
  format: typeof BUNDLED_INDEX_FORMAT;
  version: 1;
  decoders: BundledIndexEntry[];
}

export function makeBundledIndex(entries: BundledIndexEntry[]): BundledIndex {
  return { format: BUNDLED_INDEX_FORMAT, version: 1, decoders: [...entries].sort((a, b) => a.name.localeCompare(b.name)) };
}

/** Checks a parsed index; `what` names it in errors. */
export function parseBundledIndex(json: unknown, what: string): BundledIndexEntry[] {
  const bad = (why: string) => new Error(`${what} is not an index of bundled decoders: ${why}`);
  const x = json as Partial<BundledIndex> | undefined;
  if (!x || typeof x !== 'object' || x.format !== BUNDLED_INDEX_FORMAT || x.version !== 1) throw bad(`no '${BUNDLED_INDEX_FORMAT}' version 1 header`);
  if (!Array.isArray(x.decoders)) throw bad('no decoder list');
  return x.decoders.map((e, i) => {
    if (!e || typeof e !== 'object' || typeof e.name !== 'string' || typeof e.file !== 'string' || !Number.isInteger(e.bytes)) throw bad(`entry ${i} lacks name, file or bytes`);
    checkDecoderName(e.name);
    if (e.file !== `${e.name}${DECODER_FILE_EXTENSION}`) throw bad(`entry '${e.name}' names the file '${e.file}', expected '${e.name}${DECODER_FILE_EXTENSION}'`);
    return { ...e, meta: checkDecoderMeta(e.meta, `${what} entry '${e.name}'`) };
  });
}
