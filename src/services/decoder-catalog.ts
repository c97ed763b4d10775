/**
 * The decoder store and catalog as nodes and the editor see them: the user's decoders (files under the
 * cache, or IndexedDB) and the bundled ones. Implemented in src/platform (common/decoder-catalog.ts,
 * node/ and browser/decoder-store.ts).
 */
import type { MganDecoder } from '../method/mgan/decoder';
import type { DecoderMeta } from '../formats/decoder-meta';

export interface DecoderStore {
  /** Saves under `name` (default decoder.meta.name); returns the stored meta. Overwrites a decoder of that name. */
  save(decoder: MganDecoder, name?: string): Promise<DecoderMeta>;
  /** A saved decoder by name, or (Node) a path to a decoder folder or `.mgan` file. The caller owns it. */
  load(nameOrPath: string): Promise<MganDecoder>;
  list(): Promise<DecoderMeta[]>;
  /** Whether a decoder is stored under this name (damaged or not): the bundled one of that name is then hidden. */
  has(name: string): Promise<boolean>;
  remove(name: string): Promise<void>;
  /** One shareable file holding weights and meta. */
  exportFile(name: string): Promise<Uint8Array>;
  /** Stores a shared file (under `name`, default the name inside); errors clearly on a file that is not a decoder. */
  importFile(bytes: Uint8Array, name?: string): Promise<DecoderMeta>;
}

export type DecoderOrigin = 'yours' | 'bundled';

/** One bundled decoder as listed: its meta, or why its file is unusable. */
export interface BundledDecoderListing {
  name: string;
  /** The file, as errors name it (a path in Node, a URL in the browser). */
  file: string;
  /** Size of the file in bytes. */
  bytes?: number;
  meta?: DecoderMeta;
  quantization?: string;
  error?: string;
}

/** The decoders shipped with MGAN Studio, wherever the platform finds them. */
export interface BundledDecoders {
  /** The folder or URL they come from, for messages. */
  readonly where: string;
  /** Every bundled name (no file is read or parsed). Throws naming the index when that is unreadable. */
  names(): Promise<string[]>;
  /** The bytes of NAME's file, or undefined when none is bundled under that name. Throws naming the file. */
  read(name: string): Promise<{ file: string; bytes: Uint8Array } | undefined>;
  list(): Promise<BundledDecoderListing[]>;
}

export interface OpenedDecoder {
  /** The caller owns it. */
  decoder: MganDecoder;
  /** 'file' for a decoder given by path (Node). */
  origin: DecoderOrigin | 'file';
  /** What the CLI and the node card show: "decoder 'starry_night' (bundled)". */
  label: string;
}

export interface CatalogEntry {
  name: string;
  origin: DecoderOrigin;
  meta?: DecoderMeta;
  /** Bundled: the file. */
  file?: string;
  bytes?: number;
  quantization?: string;
  /** Bundled: why the file cannot be used. */
  error?: string;
  /** Bundled: a decoder of yours has the same name, so this one is not used. */
  hidden?: boolean;
}

export interface DecoderCatalog extends DecoderStore {
  /**
   * Renames a decoder of yours (a bundled one is read-only). Refuses a name one of yours already has;
   * a bundled name is allowed (yours then hides that one). The decoder is stored under the new name
   * before the old is removed, so a failure never loses it.
   */
  rename(from: string, to: string): Promise<DecoderMeta>;
  /** A decoder by name (yours first, then bundled) or path, with where it came from. */
  open(nameOrPath: string): Promise<OpenedDecoder>;
  /** Yours and the bundled ones, each with its origin (a bundled one yours hides is marked, a damaged one has `error`). */
  entries(): Promise<CatalogEntry[]>;
  readonly bundled: BundledDecoders;
}
