/**
 * Trained MDAN discriminators kept by name, so a D trained on earlier images starts MDAN runs in other
 * graphs and later sessions (the paper's Fig. 10): the mdan-optimiser node's `saveDiscriminatorAs`
 * saves, the discriminator node's `load` opens. Node keeps one JSON file per D in the user's data
 * folder (src/platform/node/discriminator-store.ts), the browser one IndexedDB record
 * (src/platform/browser/discriminator-store.ts).
 */
import type { MdanDiscriminator } from '../method/mdan/discriminator';

export interface DiscriminatorStore {
  /** Stores a copy of `discriminator`'s config, sampling and weights under `name` (a plain file name), replacing one of that name. */
  save(discriminator: MdanDiscriminator, name: string): Promise<void>;
  /** A new D with the stored config, sampling and weights; an error naming the D and what to do when it is missing or damaged. */
  load(name: string): Promise<MdanDiscriminator>;
  /** The stored names, sorted. */
  list(): Promise<string[]>;
}
