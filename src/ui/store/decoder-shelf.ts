/**
 * The editor's Decoders panel and decoder picker: the decoders of this browser and those bundled with
 * the site, each with its texture thumbnail and a sample (a small photo decoded through it, made once
 * per decoder and kept for the session); export, rename and delete for yours. Bundled ones are
 * read-only. Not React: the components call these methods.
 */
import type { DecoderSample } from '../../platform/common/decoder-sample';
import type { DecoderEntry, DecoderLibrary } from './imports';
import { downloadBytes } from './sharing';
import type { ToastStore } from './toasts';

/** One decoder as the panel lists it. */
export interface DecoderView extends DecoderEntry {
  /** Yours, with the name of a bundled one: that one is not used while yours exists. */
  hidesBundled?: boolean;
}

export class DecoderShelf {
  private readonly samples = new Map<string, Promise<DecoderSample>>();

  constructor(
    private readonly library: DecoderLibrary | undefined,
    private readonly toasts: ToastStore,
    /** Called after a decoder was renamed or deleted (pickers refresh). */
    private readonly changed: () => void,
  ) {}

  get available(): boolean {
    return !!this.library;
  }

  /** Yours first within a name, then the bundled one; the pairs marked. */
  async list(): Promise<DecoderView[]> {
    if (!this.library) return [];
    const entries = await this.library.entries();
    const bundled = new Set(entries.filter((e) => e.origin === 'bundled').map((e) => e.name));
    return entries.map((e) => (e.origin === 'yours' && bundled.has(e.name) ? { ...e, hidesBundled: true } : e));
  }

  /**
   * The sample of a decoder that a name reaches (a bundled one hidden by yours has none: the name
   * means yours). Made once per decoder (name, origin and creation time) and kept for the session.
   */
  sample(entry: DecoderView): Promise<DecoderSample> | undefined {
    const sampler = this.library?.sample;
    if (!sampler || entry.hidden || entry.error) return undefined;
    const key = `${entry.name}\u0000${entry.origin}\u0000${entry.meta?.createdAt ?? ''}`;
    let made = this.samples.get(key);
    if (!made) {
      made = sampler(entry.name);
      this.samples.set(key, made);
      // A failure is shown where the sample would be; the next look tries again.
      made.catch(() => this.samples.delete(key));
    }
    return made;
  }

  /** Downloads NAME.mgan (yours or bundled). */
  async export(name: string): Promise<boolean> {
    return this.attempt(`export '${name}'`, async () => {
      const bytes = await this.library!.exportFile!(name);
      downloadBytes(bytes, `${name}.mgan`, 'application/octet-stream');
      this.toasts.show(`Exported '${name}.mgan' (${(bytes.byteLength / 1e6).toFixed(1)} MB): drop it on another editor, or \`npx mgan-studio decoders import ${name}.mgan\`.`);
    });
  }

  /** Deletes a decoder of yours; a bundled one of the same name is used again. */
  async remove(name: string): Promise<boolean> {
    return this.attempt(`delete '${name}'`, async () => {
      await this.library!.remove!(name);
      this.changed();
      this.toasts.show(`Deleted your decoder '${name}'.`);
    });
  }

  async rename(from: string, to: string): Promise<boolean> {
    return this.attempt(`rename '${from}'`, async () => {
      const { name } = await this.library!.rename!(from, to.trim());
      this.changed();
      this.toasts.show(`Renamed '${from}' to '${name}'; graphs that name '${from}' need the new name.`);
    });
  }

  private async attempt(what: string, action: () => Promise<void>): Promise<boolean> {
    if (!this.library?.exportFile || !this.library.remove || !this.library.rename) {
      this.toasts.show(`Cannot ${what}: this editor has no decoder store.`, 'error');
      return false;
    }
    try {
      await action();
      return true;
    } catch (e) {
      this.toasts.show(`Could not ${what}: ${e instanceof Error ? e.message : e}`, 'error');
      return false;
    }
  }
}
