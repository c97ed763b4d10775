/**
 * Graphs in links: `#graph=v2.<crc>.<data>`, where data is lz-string's
 * compressToEncodedURIComponent of the compact JSON and crc the CRC-32 of data (8 hex digits). The
 * fragment never reaches a server, and every character is URL-safe. The checksum makes a cut or
 * edited link fail as damaged instead of decompressing to some other graph.
 *
 * Links made before the checksum (`#graph=<data>`, no version) are still opened: they carry nothing
 * to check, so only damage that breaks decompression or the JSON is caught in them.
 */
import * as lzModule from 'lz-string';
import { serializeDocumentCompact } from './document';
import { DEFAULT_GRAPH_LIMITS, JsonLimitError, parseLimitedJson } from '../formats/limits';
import { crc32 } from '../formats/png-chunks';
import { ShareCodecError } from './share-errors';
import type { GraphDocument } from './types';

// lz-string is CommonJS: bundlers expose its functions as named exports, Node's ESM loader only as `default`.
type LzString = typeof lzModule;
const lz: LzString = (lzModule as unknown as { default?: LzString }).default ?? lzModule;

export const GRAPH_FRAGMENT_PREFIX = '#graph=';
/** The link format written now; the first field of the fragment's value. */
export const GRAPH_LINK_VERSION = 'v2';
const ENCODED_ALPHABET = /^[A-Za-z0-9+\-$]*$/;
const VERSIONED = /^v(\d+)\.([0-9a-f]{8})\.(.*)$/s;
/**
 * The longest link data accepted. A 1000-node graph takes about 34 k characters; the cap bounds
 * what a hostile link can make lz-string expand to before the document's own size limit applies.
 */
export const MAX_LINK_DATA_CHARS = 200_000;

const DAMAGED = 'the graph link is damaged';

function checksum(data: string): string {
  return crc32(new TextEncoder().encode(data)).toString(16).padStart(8, '0');
}

/** `#graph=v2.<crc>.<data>` for a JSON text (encodeGraphFragment for a document). */
export function encodeGraphJson(json: string): string {
  const data = lz.compressToEncodedURIComponent(json);
  return `${GRAPH_FRAGMENT_PREFIX}${GRAPH_LINK_VERSION}.${checksum(data)}.${data}`;
}

export function encodeGraphFragment(doc: GraphDocument): string {
  return encodeGraphJson(serializeDocumentCompact(doc));
}

/**
 * The parsed (not yet validated) document from a location hash (`#graph=...`, `graph=...`) or a
 * whole URL holding one. Throws ShareCodecError for a missing prefix or damaged data.
 */
export function decodeGraphFragment(hash: string, maxBytes: number = DEFAULT_GRAPH_LIMITS.maxBytes): unknown {
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
  let data = payload;
  const versioned = VERSIONED.exec(payload);
  if (versioned) {
    const [, version, sum, rest] = versioned;
    if (`v${version}` !== GRAPH_LINK_VERSION) {
      throw new ShareCodecError(`this graph link has format v${version}, which this MGAN Studio does not read (it reads ${GRAPH_LINK_VERSION}): update MGAN Studio to open it`);
    }
    data = rest;
    if (!ENCODED_ALPHABET.test(data) || checksum(data) !== sum) {
      throw new ShareCodecError(`${DAMAGED}: its checksum does not match (was it cut or edited?)`);
    }
  } else if (payload.includes('.')) {
    // Only versioned links hold dots: this one lost part of its version or checksum.
    throw new ShareCodecError(`${DAMAGED}: its version and checksum are unreadable (was it cut or edited?)`);
  }
  if (!ENCODED_ALPHABET.test(data)) {
    throw new ShareCodecError(`${DAMAGED}: it contains characters a graph link never has (was it cut or edited?)`);
  }
  if (data.length > MAX_LINK_DATA_CHARS) {
    throw new ShareCodecError(`the graph link is ${data.length} characters long, more than the ${MAX_LINK_DATA_CHARS} a link may hold: share the graph as a .json file instead`);
  }
  let json: string | null;
  try {
    json = lz.decompressFromEncodedURIComponent(data);
  } catch {
    json = null;
  }
  if (!json) throw new ShareCodecError(`${DAMAGED}: its data could not be decompressed (was it cut or edited?)`);
  try {
    return parseLimitedJson(json, maxBytes);
  } catch (e) {
    if (e instanceof JsonLimitError) throw new ShareCodecError(`the graph in this link cannot be opened: ${e.message}`);
    throw new ShareCodecError(`${DAMAGED}: its data is not valid JSON (was it cut or edited?)`);
  }
}
