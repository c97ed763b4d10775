/**
 * The bundled samples' catalogue (`public/samples/index.json`), shared by `image-source` (its
 * `sample` select), the Node env (reads files under public/samples) and the browser env (fetches
 * `samples/<file>`). Sample names are file names without extension.
 */
import index from '../../public/samples/index.json';

export type SampleKind = 'style' | 'photo' | 'video';

export interface SampleEntry {
  /** Path relative to the samples folder, e.g. "styles/starry_night.jpg". */
  file: string;
  kind: SampleKind;
  width: number;
  height: number;
  bytes: number;
}

export interface SampleIndex {
  version: number;
  samples: Record<string, SampleEntry>;
}

export const SAMPLE_INDEX: SampleIndex = index as SampleIndex;

/** Names of the bundled still images (styles first, then photos), for image pickers. */
export const IMAGE_SAMPLE_NAMES: readonly string[] = Object.entries(SAMPLE_INDEX.samples)
  .filter(([, s]) => s.kind !== 'video')
  .map(([name]) => name);

/** The entry for `name`, or an error listing what exists (optionally only of `kinds`). */
export function findSample(name: string, kinds?: readonly SampleKind[]): SampleEntry {
  const entry = SAMPLE_INDEX.samples[name];
  if (entry && (!kinds || kinds.includes(entry.kind))) return entry;
  const known = Object.entries(SAMPLE_INDEX.samples)
    .filter(([, s]) => !kinds || kinds.includes(s.kind))
    .map(([n]) => n);
  throw new Error(`unknown sample '${name}' (bundled: ${known.join(', ')})`);
}
