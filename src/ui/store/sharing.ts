/**
 * Getting graphs in and out of the editor: `.json` files, `#graph=` share links, PNGs with the
 * graph embedded. Every reader returns either a document or a message for the user; none of them
 * touches the current graph, so a bad file or link leaves it as it was.
 */
import { DEFAULT_GRAPH_LIMITS, tooLargeMessage } from '../../formats/limits';
import type { GraphDocument } from '../../graph/types';
import { decodeGraphFragment, embedGraphInPng, encodeGraphFragment, extractGraphFromPng, parseGraphText } from './graph-ops';

export type LoadResult = { ok: true; doc: GraphDocument; warnings: string[] } | { ok: false; message: string; noGraph?: boolean };

export const SHARE_PREFIX = '#graph=';

export function shareUrl(doc: GraphDocument, base: string): string {
  return `${base.split('#')[0]}${encodeGraphFragment(doc)}`;
}

/** Reads a `#graph=` fragment; undefined when the hash holds no graph at all. */
export function readShareHash(hash: string): LoadResult | undefined {
  if (!hash.startsWith(SHARE_PREFIX)) return undefined;
  const decoded = decodeGraphFragment(hash);
  if (!decoded.ok) return { ok: false, message: `This share link is damaged and could not be opened: ${decoded.message}` };
  return decoded;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function isPng(bytes: Uint8Array): boolean {
  return PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

/** Reads a dropped or picked file: a graph `.json`, or a PNG this tool saved. */
export async function readGraphFile(file: File): Promise<LoadResult> {
  const looksJson = file.name.toLowerCase().endsWith('.json') || file.type === 'application/json';
  // Refused unread: the document limit applies to the text, and a huge file should not be loaded to learn that.
  if (looksJson && file.size > DEFAULT_GRAPH_LIMITS.maxBytes) {
    return { ok: false, message: `'${file.name}' is not a valid graph: ${tooLargeMessage(file.size, DEFAULT_GRAPH_LIMITS.maxBytes)}` };
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (isPng(bytes)) {
    const found = extractGraphFromPng(bytes);
    if (!found.ok) return { ok: false, noGraph: found.noGraph, message: `'${file.name}': ${found.message}` };
    return found;
  }
  if (looksJson) {
    const parsed = parseGraphText(new TextDecoder().decode(bytes));
    if (!parsed.ok) return { ok: false, message: `'${file.name}' is not a valid graph: ${parsed.message}` };
    return parsed;
  }
  return {
    ok: false,
    // Any other image may still be wanted as an input (a drop on the canvas adds it as an image source).
    noGraph: file.type.startsWith('image/'),
    message: `'${file.name}' is neither a graph (.json) nor a PNG saved by MGAN Studio; nothing was loaded.`,
  };
}

/** Encodes RGBA pixels as a PNG with the graph embedded in a text chunk. */
export async function previewPng(
  pixels: { width: number; height: number; data: Uint8ClampedArray },
  doc: GraphDocument,
): Promise<Uint8Array> {
  const canvas = document.createElement('canvas');
  canvas.width = pixels.width;
  canvas.height = pixels.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas to encode the PNG');
  ctx.putImageData(new ImageData(new Uint8ClampedArray(pixels.data), pixels.width, pixels.height), 0, 0);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('the browser could not encode the PNG');
  return embedGraphInPng(new Uint8Array(await blob.arrayBuffer()), doc);
}

export function downloadBytes(bytes: Uint8Array | string, filename: string, type: string): void {
  const blob = new Blob([bytes as BlobPart], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
