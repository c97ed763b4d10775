/**
 * Images a graph carries inside itself, and files it names that only one browser holds.
 *
 * A file dropped in the editor lives in that browser's storage; the graph names it by a key (a
 * `browser-asset` param), which a share link cannot carry. The editor can embed a small copy instead:
 * the node's URL param (one marked `embedsImage`) then holds a `data:` URL of a PNG or JPEG, which both platforms decode from the
 * graph itself, with nothing fetched (so it is no external reference: docs/security.md). Pure: no
 * browser or file system here.
 */
import type { GraphDocument, NodeTypeLookup } from './types';

/** Image types a data: URL in a graph may hold: what both platforms decode. */
export const EMBEDDED_IMAGE_TYPES = ['image/png', 'image/jpeg'] as const;
export type EmbeddedImageType = (typeof EMBEDDED_IMAGE_TYPES)[number];

/**
 * The largest image a graph may embed (decoded bytes). The editor embeds far smaller ones (a share
 * link's budget, docs/editor.md); this bounds what a graph from elsewhere can make us decode.
 */
export const MAX_EMBEDDED_IMAGE_BYTES = 4 * 1024 * 1024;

const DATA_URL = /^data:([^,;]*)((?:;[^,;]*)*),/i;

export function isDataUrl(text: string): boolean {
  return /^data:/i.test(text.trim());
}

/** Decoded size of a base64 data: URL's payload, without decoding it. */
export function dataUrlBytes(text: string): number {
  const comma = text.indexOf(',');
  const payload = text.slice(comma + 1).replace(/\s+/g, '');
  const padding = payload.endsWith('==') ? 2 : payload.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((payload.length * 3) / 4) - padding);
}

/** Why `text` is not an image a graph may embed (the tail of a sentence), or undefined when it is one. */
export function embeddedImageProblem(text: string): string | undefined {
  const m = DATA_URL.exec(text.trim());
  if (!m) return 'is not a data: URL (data:image/png;base64,...)';
  const type = m[1]!.toLowerCase();
  if (!(EMBEDDED_IMAGE_TYPES as readonly string[]).includes(type)) return `holds '${type || 'text/plain'}', but an embedded image must be ${EMBEDDED_IMAGE_TYPES.join(' or ')}`;
  if (!m[2]!.toLowerCase().split(';').includes('base64')) return 'is not base64-encoded (data:image/...;base64,...)';
  const payload = text.trim().slice(m[0].length).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(payload) || payload.length % 4 !== 0) return 'has a damaged base64 payload';
  const bytes = dataUrlBytes(text);
  if (bytes > MAX_EMBEDDED_IMAGE_BYTES) return `holds ${(bytes / 1048576).toFixed(1)} MB, more than the ${MAX_EMBEDDED_IMAGE_BYTES / 1048576} MB an embedded image may have`;
  return undefined;
}

/** The type and bytes of an embedded image; throws an Error starting with `what` when it is not one. */
export function decodeEmbeddedImage(text: string, what: string): { type: EmbeddedImageType; bytes: Uint8Array } {
  const problem = embeddedImageProblem(text);
  if (problem) throw new Error(`${what} ${problem}`);
  const trimmed = text.trim();
  const comma = trimmed.indexOf(',');
  const type = trimmed.slice(5, comma).split(';')[0]!.toLowerCase() as EmbeddedImageType;
  const binary = atob(trimmed.slice(comma + 1).replace(/\s+/g, ''));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return { type, bytes };
}

/** A base64 data: URL of image bytes. */
export function embeddedImageUrl(type: EmbeddedImageType, bytes: Uint8Array): string {
  let binary = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return `data:${type};base64,${btoa(binary)}`;
}

export interface DroppedFile {
  nodeId: string;
  nodeType: string;
  /** The `browser-asset` param holding the key. */
  param: string;
  key: string;
  /** The node's URL param, where an embedded copy goes (undefined: this node cannot carry one). */
  embedParam?: string;
}

/** Every file a graph names that lives only in the storage of the browser it was dropped in. */
export function droppedFiles(doc: GraphDocument, types: NodeTypeLookup): DroppedFile[] {
  const found: DroppedFile[] = [];
  for (const node of doc.nodes) {
    const spec = types.get(node.type);
    if (!spec) continue;
    const embedParam = spec.params.find((p) => p.type === 'string' && p.resource === 'url' && p.embedsImage)?.name;
    for (const param of spec.params) {
      if (param.type !== 'string' || param.resource !== 'browser-asset') continue;
      const key = String(node.params[param.name] ?? '').trim();
      if (key) found.push({ nodeId: node.id, nodeType: node.type, param: param.name, key, ...(embedParam ? { embedParam } : {}) });
    }
  }
  return found;
}

export interface EmbeddedImage {
  nodeId: string;
  nodeType: string;
  param: string;
  /** Decoded size. */
  bytes: number;
}

/** Every image the graph carries in a data: URL (what a paused graph shows instead of a URL). */
export function embeddedImages(doc: GraphDocument, types: NodeTypeLookup): EmbeddedImage[] {
  const found: EmbeddedImage[] = [];
  for (const node of doc.nodes) {
    const spec = types.get(node.type);
    if (!spec) continue;
    for (const param of spec.params) {
      const value = node.params[param.name];
      if (param.type === 'string' && param.resource === 'url' && param.embedsImage && typeof value === 'string' && isDataUrl(value)) {
        found.push({ nodeId: node.id, nodeType: node.type, param: param.name, bytes: dataUrlBytes(value) });
      }
    }
  }
  return found;
}

/**
 * The document with each dropped file in `copies` (node id → data: URL) carried in the node's URL
 * param instead of its browser-only key. Nodes not in `copies` are left as they are.
 */
export function embedDroppedFiles(doc: GraphDocument, types: NodeTypeLookup, copies: ReadonlyMap<string, string>): GraphDocument {
  const byNode = new Map(droppedFiles(doc, types).map((f) => [f.nodeId, f]));
  return {
    ...doc,
    nodes: doc.nodes.map((node) => {
      const file = byNode.get(node.id);
      const url = copies.get(node.id);
      if (!file?.embedParam || url === undefined) return node;
      return { ...node, params: { ...node.params, [file.param]: '', [file.embedParam]: url } };
    }),
  };
}
