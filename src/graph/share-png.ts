/**
 * Graphs inside PNGs: every image MGAN Studio saves carries its graph in an iTXt chunk with the
 * keyword `mgan-studio-graph` (UTF-8 text, so titles in any script survive), and dropping such an
 * image on the canvas restores the graph.
 */
import { serializeDocumentCompact } from './document';
import { DEFAULT_GRAPH_LIMITS, JsonLimitError, parseLimitedJson, tooLargeMessage } from '../formats/limits';
import { encodePngChunk, joinPng, PngFormatError, readPngChunks as readAnyPngChunks, type PngChunk } from '../formats/png-chunks';
import { ShareCodecError } from './share-errors';
import type { GraphDocument } from './types';

export const PNG_GRAPH_KEYWORD = 'mgan-studio-graph';

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/** The keyword of a tEXt / iTXt / zTXt chunk (text before the first NUL). */
function textKeyword(chunk: PngChunk): string | undefined {
  if (chunk.type !== 'tEXt' && chunk.type !== 'iTXt' && chunk.type !== 'zTXt') return undefined;
  const nul = chunk.data.indexOf(0);
  return nul < 0 ? undefined : latin1(chunk.data.subarray(0, nul));
}

/** iTXt: keyword \0, compression flag 0, method 0, empty language tag \0, empty translated keyword \0, UTF-8 text. */
function encodeITxt(keyword: string, text: string): Uint8Array {
  const head = Uint8Array.from([...keyword].map((c) => c.charCodeAt(0)).concat([0, 0, 0, 0, 0]));
  const body = new TextEncoder().encode(text);
  const data = new Uint8Array(head.length + body.length);
  data.set(head, 0);
  data.set(body, head.length);
  return encodePngChunk('iTXt', data);
}

/** The text of our chunk; iTXt is UTF-8 after four header fields, tEXt is Latin-1. */
function chunkText(chunk: PngChunk): string {
  const afterKeyword = chunk.data.indexOf(0) + 1;
  if (chunk.type === 'tEXt') return latin1(chunk.data.subarray(afterKeyword));
  if (chunk.type === 'zTXt' || chunk.data[afterKeyword] !== 0) {
    throw new ShareCodecError(`this PNG's ${PNG_GRAPH_KEYWORD} chunk is compressed, which MGAN Studio does not write or read`);
  }
  let at = afterKeyword + 2;
  for (let field = 0; field < 2; field++) {
    const nul = chunk.data.indexOf(0, at);
    if (nul < 0) throw new ShareCodecError(`this PNG's ${PNG_GRAPH_KEYWORD} chunk is damaged (malformed iTXt header)`);
    at = nul + 1;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(chunk.data.subarray(at));
  } catch {
    throw new ShareCodecError(`this PNG's ${PNG_GRAPH_KEYWORD} chunk is damaged (its text is not UTF-8)`);
  }
}

/** A copy of `png` holding `doc`, replacing any graph it held before. Pixels are untouched. */
export function embedGraphInPng(png: Uint8Array, doc: GraphDocument): Uint8Array {
  return embedGraphJsonInPng(png, serializeDocumentCompact(doc));
}

/** The PNG's chunks; bytes that are no PNG are a share error like any other. */
function readPngChunks(png: Uint8Array): PngChunk[] {
  try {
    return readAnyPngChunks(png);
  } catch (e) {
    throw e instanceof PngFormatError ? new ShareCodecError(e.message) : e;
  }
}

/** A copy of `png` holding the JSON text `json` as its graph (embedGraphInPng for a document). */
export function embedGraphJsonInPng(png: Uint8Array, json: string): Uint8Array {
  const kept = readPngChunks(png).filter((c) => textKeyword(c) !== PNG_GRAPH_KEYWORD);
  const graph = encodeITxt(PNG_GRAPH_KEYWORD, json);
  // Before IEND, the last chunk: text chunks may go anywhere after IHDR.
  return joinPng([...kept.slice(0, -1).map((c) => c.raw), graph, kept[kept.length - 1].raw]);
}

/**
 * The parsed (not yet validated) document embedded in a PNG, or undefined when it holds none.
 * Throws ShareCodecError for non-PNG bytes or a damaged graph chunk.
 */
export function extractGraphFromPng(png: Uint8Array, maxBytes: number = DEFAULT_GRAPH_LIMITS.maxBytes): unknown | undefined {
  const chunk = readPngChunks(png).find((c) => textKeyword(c) === PNG_GRAPH_KEYWORD);
  if (!chunk) return undefined;
  if (!chunk.crcOk) throw new ShareCodecError(`this PNG's ${PNG_GRAPH_KEYWORD} chunk is damaged (checksum mismatch)`);
  if (chunk.data.length > maxBytes) throw new ShareCodecError(`the graph in this PNG cannot be opened: ${tooLargeMessage(chunk.data.length, maxBytes)}`);
  try {
    return parseLimitedJson(chunkText(chunk), maxBytes);
  } catch (e) {
    if (e instanceof ShareCodecError) throw e;
    if (e instanceof JsonLimitError) throw new ShareCodecError(`the graph in this PNG cannot be opened: ${e.message}`);
    throw new ShareCodecError(`this PNG's ${PNG_GRAPH_KEYWORD} chunk is damaged (its text is not valid JSON)`);
  }
}
