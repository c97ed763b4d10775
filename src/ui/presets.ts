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
        thumbnail: text(meta.thumbnail),
        doc,
      };
    })
    .sort((a, b) => a.title.localeCompare(b.title));
}
