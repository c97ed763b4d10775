/**
 * Trained MDAN discriminators kept by name, so a D trained on earlier images starts MDAN runs in other
 * graphs and later sessions (the paper's Fig. 10): the mdan-optimiser node's `saveDiscriminatorAs`
 * saves, the discriminator node's `load` opens, `mgan-studio discriminators` lists and removes. Node
 * keeps one JSON file per D in the user's data folder (src/platform/node/discriminator-store.ts), the
 * browser one IndexedDB record (src/platform/browser/discriminator-store.ts).
 */
import type { MdanDiscriminator, MdanDiscriminatorHeader } from '../method/mdan/discriminator';

/** One stored D as listed: what it is without its weights, or why it cannot be loaded. */
export interface StoredDiscriminator extends Partial<MdanDiscriminatorHeader> {
  name: string;
  /** What its stored form takes (the file on Node). */
  bytes: number;
  /** When it was saved (ISO 8601); undefined where nothing says. */
  savedAt?: string;
  /** Its architecture in words: "64 channels, depth 1, 8×8 patches on 256-channel features". */
  architecture?: string;
  /** Why it cannot be loaded (a damaged file); then the architecture fields are absent. */
  error?: string;
}

export interface DiscriminatorStore {
  /** Stores a copy of `discriminator`'s config, sampling and weights under `name` (a plain file name), replacing one of that name. */
  save(discriminator: MdanDiscriminator, name: string): Promise<void>;
  /** A new D with the stored config, sampling and weights; an error naming the D and what to do when it is missing or damaged. */
  load(name: string): Promise<MdanDiscriminator>;
  /** The stored names, sorted. */
  list(): Promise<string[]>;
  /** Every stored D with its size, architecture and when it was saved, sorted by name; a damaged one with its error. */
  entries(): Promise<StoredDiscriminator[]>;
  /** Deletes the stored D `name` (a plain file name, never a path); an error saying what is stored when there is none. */
  remove(name: string): Promise<void>;
}
