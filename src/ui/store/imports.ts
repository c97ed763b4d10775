/**
 * Graphs and files coming into the editor: share links, graph files (JSON, or a PNG holding a graph),
 * shared decoders (`.mgan`), and plain images dropped on the canvas (they become image-source nodes).
 */
import type { GraphDocument } from '../../graph/types';

import type { DecoderSample } from '../../platform/common/decoder-sample';
import { checkImageBlob } from '../../platform/common/image-header';
import { addNode } from './graph-ops';
import type { GraphStore } from './graph-store';
import type { GraphLibrary, OpenOptions } from './library';
import { readGraphFile, type LoadResult } from './sharing';
import type { OpenedImage } from './link-images';
import type { ToastStore } from './toasts';
import type { DecoderMeta } from '../../formats/decoder-meta';

/** Where an image picker puts the user's own files. */
export interface ImageLibrary {
  /** Stores the file and returns the param value that refers to it. */
  storeImage(file: File): Promise<string>;
  /** A stored file opened for re-encoding (a share link's embedded copy); undefined when it is gone. */
  openStored?(key: string): Promise<OpenedImage | undefined>;
  /** The name the file had when it was dropped or picked. */
  nameOf?(key: string): Promise<string | undefined>;
}

/** The browser's decoders, as the editor needs them (the platform's DecoderCatalog fits, plus a sampler). */
export interface DecoderLibrary {
  /** Stores a shared `.mgan` file; rejects with a clear message when it is not a decoder. */
  importFile(bytes: Uint8Array, name?: string): Promise<{ name: string }>;
  /** Yours and the bundled ones; a bundled one yours hides is `hidden`, a damaged one has `error`. */
  entries(): Promise<DecoderEntry[]>;
  /** One shareable `.mgan` file (yours or bundled). */
  exportFile?(name: string): Promise<Uint8Array>;
  /** Yours only: a bundled decoder is read-only. */
  remove?(name: string): Promise<void>;
  rename?(from: string, to: string): Promise<{ name: string }>;
  /** A small bundled photo decoded through the decoder a name means (src/platform/common/decoder-sample.ts). */
  sample?(name: string): Promise<DecoderSample>;
}

/** A decoder as listed: its meta (texture thumbnail, training record), or why it is unusable. */
export interface DecoderEntry {
  name: string;
  origin: DecoderOrigin;
  hidden?: boolean;
  error?: string;
  meta?: DecoderMeta;
  /** Bundled: the file's size and storage. */
  bytes?: number;
  quantization?: string;
}

/** Where a decoder comes from: stored in this browser, or shipped with the site. */
export type DecoderOrigin = 'yours' | 'bundled';

export interface DecoderChoice {
  name: string;
  origin: DecoderOrigin;
}

/** First bytes of a shared decoder file (src/platform/common/decoder-store.ts), to tell one from a graph or image. */
const DECODER_FILE_MAGIC = 'MGANDEC1';

export class GraphImports {
  private readonly decoderListeners = new Set<() => void>();

  constructor(
    private readonly store: GraphStore,
    private readonly library: GraphLibrary,
    private readonly toasts: ToastStore,
    private readonly images: ImageLibrary,
    private readonly decoders: DecoderLibrary | undefined,
    /** Opens a document as a new named graph. */
    private readonly openAsNew: (doc: GraphDocument, name: string, warnings: string[], options: OpenOptions) => void,
    /** Moves just-added nodes off the cards they would cover. */
    private readonly clearOfCards: (doc: GraphDocument, ids: string[]) => GraphDocument,
  ) {}

  /**
   * Opens a share link's graph (read by readShareHash) as a new named graph, paused like any graph
   * from outside: on start, and when a link is pasted into a tab that has the editor open
   * (hashchange). The graph the tab had stays saved with its versions, and the new graph's Versions
   * panel leads back to it. A damaged link only shows why, leaving the open graph as it was.
   */
  openShared(shared: LoadResult): boolean {
    if (!shared.ok) {
      this.toasts.show(shared.message, 'error');
      return false;
    }
    const before = this.store.doc.nodes.length ? this.library.current() : undefined;
    this.openAsNew(shared.doc, `Shared graph ${new Date().toLocaleString()}`, shared.warnings, { from: 'outside' });
    if (before) {
      this.library.openedOverGraph(before);
      this.toasts.show(`Opened the shared graph; '${before.name}' is kept (Versions, or the ▾ list of graphs).`);
    }
    return true;
  }

  /** Applies a load result: a graph opens as a new named graph, a failure only shows its message. */
  applyLoad(result: LoadResult, name: string, options: OpenOptions = {}): boolean {
    if (!result.ok) {
      this.toasts.show(result.message, 'error');
      return false;
    }
    this.openAsNew(result.doc, name, result.warnings, options);
    this.toasts.show(`Opened '${name}'.`);
    return true;
  }

  /**
   * Opens a graph file. Dropped on the canvas (`at` given), an image that holds no graph becomes
   * an image-source node there instead.
   */
  async importFile(file: File, at?: { x: number; y: number }): Promise<boolean> {
    if (await isDecoderFile(file)) return this.importDecoder(file);
    const read = await readGraphFile(file);
    if (!read.ok && read.noGraph && at) return this.addImageSource(file, at);
    return this.applyLoad(read, file.name.replace(/\.(json|png)$/i, ''), { from: 'outside' });
  }

  /** Stores a shared decoder (`.mgan`) in this browser; the graph is left as it is. */
  async importDecoder(file: File): Promise<boolean> {
    if (!this.decoders) {
      this.toasts.show(`Cannot import '${file.name}': this editor has no decoder store.`, 'error');
      return false;
    }
    try {
      const { name } = await this.decoders.importFile(new Uint8Array(await file.arrayBuffer()));
      this.decodersChanged();
      this.toasts.show(`decoder '${name}' imported; use it in an MGAN decoder node (param decoder)`, 'info', 6000);
      return true;
    } catch (e) {
      this.toasts.show(`Could not import '${file.name}': ${e instanceof Error ? e.message : e}`, 'error');
      return false;
    }
  }

  /** The decoders a name can pick: yours and the bundled ones yours do not hide (empty when there is no store). */
  async decoderChoices(): Promise<DecoderChoice[]> {
    if (!this.decoders) return [];
    return (await this.decoders.entries()).filter((e) => !e.hidden && !e.error).map(({ name, origin }) => ({ name, origin }));
  }

  /** Called after a decoder is imported, renamed or deleted (pickers and the Decoders panel refresh their lists). */
  readonly subscribeDecoders = (l: () => void) => {
    this.decoderListeners.add(l);
    return () => this.decoderListeners.delete(l);
  };

  /** Tells the lists that the decoders changed. */
  decodersChanged(): void {
    for (const l of this.decoderListeners) l();
  }

  private async addImageSource(file: File, at: { x: number; y: number }): Promise<boolean> {
    try {
      await checkImageBlob(file, `'${file.name}'`);
    } catch (e) {
      this.toasts.show(`${(e as Error).message}; nothing was loaded.`, 'error');
      return false;
    }
    try {
      (await createImageBitmap(file)).close();
    } catch {
      this.toasts.show(`'${file.name}' is not an image the browser can decode, nor a graph; nothing was loaded.`, 'error');
      return false;
    }
    const key = await this.images.storeImage(file);
    this.store.edit((d) => {
      const added = addNode(d, 'image-source', at, { asset: key });
      return this.clearOfCards(added.doc, [added.id]);
    });
    this.toasts.show(`Added '${file.name}' as an image source.`);
    return true;
  }
}

/** A `.mgan` by name, or any file that starts with the decoder file's magic. */
async function isDecoderFile(file: File): Promise<boolean> {
  if (/\.mgan$/i.test(file.name)) return true;
  const head = new Uint8Array(await file.slice(0, DECODER_FILE_MAGIC.length).arrayBuffer());
  return new TextDecoder().decode(head) === DECODER_FILE_MAGIC;
}
