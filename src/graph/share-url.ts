/**
 * Graphs in links: `#graph=<lz-string compressToEncodedURIComponent(JSON)>`. The fragment never
 * reaches a server, and the encoding uses only URL-safe characters.
 */
import * as lzModule from 'lz-string';
import { serializeDocumentCompact } from './document';
import { ShareCodecError } from './share-errors';
import type { GraphDocument } from './types';

// lz-string is CommonJS: bundlers expose its functions as named exports, Node's ESM loader only as `default`.
type LzString = typeof lzModule;
const lz: LzString = (lzModule as unknown as { default?: LzString }).default ?? lzModule;

export const GRAPH_FRAGMENT_PREFIX = '#graph=';
const ENCODED_ALPHABET = /^[A-Za-z0-9+\-$]*$/;

export function encodeGraphFragment(doc: GraphDocument): string {
  return GRAPH_FRAGMENT_PREFIX + lz.compressToEncodedURIComponent(serializeDocumentCompact(doc));
}

/**
 * The parsed (not yet validated) document from a location hash (`#graph=...`, `graph=...`) or a
 * whole URL holding one. Throws ShareCodecError for a missing prefix or damaged data.
 */
export function decodeGraphFragment(hash: string): unknown {
  const at = hash.indexOf(GRAPH_FRAGMENT_PREFIX);
  let payload: string;
  if (at >= 0) payload = hash.slice(at + GRAPH_FRAGMENT_PREFIX.length);
  else if (hash.startsWith('graph=')) payload = hash.slice('graph='.length);
  else throw new ShareCodecError(`this link holds no graph (expected a fragment starting with '${GRAPH_FRAGMENT_PREFIX}')`);
  payload = payload.trim();
  // Links pasted through chat apps or forms may come back percent-encoded ('$' → %24) or with '+' as space.
  if (payload.includes('%')) {
    try {
      payload = decodeURIComponent(payload);
    } catch {
      // left as is: the alphabet check below reports it
    }
  }
  payload = payload.replace(/ /g, '+');
  if (payload === '') throw new ShareCodecError('the graph link is empty (nothing after #graph=)');
  if (!ENCODED_ALPHABET.test(payload)) {
    throw new ShareCodecError('the graph link is damaged: it contains characters a graph link never has (was it cut or edited?)');
  }
  let json: string | null;
  try {
    json = lz.decompressFromEncodedURIComponent(payload);
  } catch {
    json = null;
  }
  if (!json) throw new ShareCodecError('the graph link is damaged: its data could not be decompressed (was it cut or edited?)');
  try {
    return JSON.parse(json) as unknown;
  } catch {
    throw new ShareCodecError('the graph link is damaged: its data is not valid JSON (was it cut or edited?)');
  }
}
