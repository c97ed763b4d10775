/** Every graph in `presets/`, bundled at build time, with the gallery's fields read from `meta`. */
import type { GraphDocument } from '../graph/types';

export interface PresetEntry {
  /** File name without `.json` ("perlin-noise"). */
  id: string;
  title: string;
  description: string;
  /** The paper figure it reproduces, if any. */
  figure?: string;
  thumbnail?: string;
  doc: GraphDocument;
}

const files = import.meta.glob<GraphDocument>('../../presets/*.json', { eager: true, import: 'default' });
// Thumbnails referenced as `meta.thumbnail: "presets/thumbs/NAME.png"` are bundled as asset URLs.
const thumbs = import.meta.glob<string>('../../presets/**/*.{png,jpg,jpeg,webp}', { eager: true, query: '?url', import: 'default' });

function thumbnailUrl(ref: string | undefined): string | undefined {
  if (!ref) return undefined;
  if (/^(data:|https?:)/.test(ref)) return ref;
  return thumbs[`../../${ref.replace(/^\.?\//, '')}`];
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v : undefined;
}

export function presetEntries(): PresetEntry[] {
  return Object.entries(files)
    .map(([path, doc]) => {
      const id = path.split('/').pop()!.replace(/\.json$/, '');
      const meta = doc.meta ?? {};
      return {
        id,
        title: text(meta.title) ?? text(meta.name) ?? id,
        description: text(meta.description) ?? '',
        figure: text(meta.figure) ?? text(meta.paperFigure),
        thumbnail: thumbnailUrl(text(meta.thumbnail)),
        doc,
      };
    })
    .sort((a, b) => a.title.localeCompare(b.title));
}
