/**
 * Dropped photos in a share link. A file dropped in the editor stays in this browser's storage, so a
 * link carries only its key; here each such photo is re-encoded small enough to travel inside the link
 * (a data: URL in the node's url param, src/graph/embedded-images.ts): scaled down and/or saved as a
 * JPEG until it fits its share of the link's budget. The encoding itself is the platform's (a canvas
 * in the browser); this module only decides what to try, so it is the same wherever it runs.
 */
import { droppedFiles, embedDroppedFiles, embeddedImageUrl, type EmbeddedImageType } from '../../graph/embedded-images';
import { GRAPH_FRAGMENT_PREFIX, MAX_LINK_DATA_CHARS } from '../../graph/share-url';
import type { GraphDocument, NodeTypeLookup } from '../../graph/types';
import { fitSize } from '../../formats/fit-size';

/** At most this many bytes per embedded image, after re-encoding. */
export const LINK_IMAGE_MAX_BYTES = 64 * 1024;
/**
 * All embedded images together. Base64 and the link's compression make each byte of a JPEG about 1.6
 * characters of link data (measured), and a link may hold at most MAX_LINK_DATA_CHARS (200 000), so
 * this leaves room for the graph itself. When the link still comes out too long, the photos are
 * encoded again with smaller shares.
 */
export const LINK_IMAGES_TOTAL_BYTES = 112 * 1024;
/** How much smaller each share gets when a link with the photos came out too long. */
const BUDGET_RETRY_FACTOR = 0.7;
const MAX_BUDGET_RETRIES = 3;
/** Below this many bytes per image the photos would be unrecognisable: the link then carries none. */
export const LINK_IMAGE_MIN_BYTES = 4 * 1024;
/** Images are not scaled below this longest side. */
export const LINK_IMAGE_MIN_SIDE = 32;
/** JPEG qualities tried at each size, best first. */
const JPEG_QUALITIES = [0.92, 0.8, 0.65, 0.5];
/** Each smaller size tried is this fraction of the last. */
const SCALE_STEP = 0.75;

/** Bytes each of `count` photos may take in one link (0 when they cannot all travel); `scale` shrinks each share. */
export function linkImageBudget(count: number, scale = 1): number {
  if (count <= 0) return 0;
  const share = Math.floor(Math.min(LINK_IMAGE_MAX_BYTES, LINK_IMAGES_TOTAL_BYTES / count) * scale);
  return share >= LINK_IMAGE_MIN_BYTES ? share : 0;
}

/** The characters of link data in a share URL (what MAX_LINK_DATA_CHARS bounds). */
export function linkDataChars(url: string): number {
  const at = url.indexOf(GRAPH_FRAGMENT_PREFIX);
  return at < 0 ? url.length : url.length - at - GRAPH_FRAGMENT_PREFIX.length;
}

/** Encodes the image at a size, as a type (quality for JPEG, 0-1). */
export type ImageEncoder = (width: number, height: number, type: EmbeddedImageType, quality?: number) => Promise<Uint8Array>;

export interface FittedImage {
  type: EmbeddedImageType;
  width: number;
  height: number;
  bytes: Uint8Array;
  /** JPEG quality used (undefined for PNG). */
  quality?: number;
}

/**
 * The largest, best encoding of an image that fits `budget` bytes: from the longest side `startSide`
 * (or the image's own, if smaller) down by quarters to LINK_IMAGE_MIN_SIDE, PNG first when
 * `lossless` is preferred (the source was a PNG), then JPEG at falling quality. Undefined when even
 * the smallest does not fit.
 */
export async function fitImage(
  natural: { width: number; height: number },
  options: { startSide: number; budget: number; lossless: boolean },
  encode: ImageEncoder,
): Promise<FittedImage | undefined> {
  let side = Math.min(Math.max(natural.width, natural.height), Math.max(1, options.startSide));
  for (;;) {
    // Rounded as image-source rounds its maxSide, so a copy at the node's size matches the node's own.
    const { width, height } = fitSize(natural.width, natural.height, side, 1);
    const tries: Array<[EmbeddedImageType, number | undefined]> = [...(options.lossless ? [['image/png', undefined] as [EmbeddedImageType, undefined]] : []), ...JPEG_QUALITIES.map((q) => ['image/jpeg', q] as [EmbeddedImageType, number])];
    for (const [type, quality] of tries) {
      const bytes = await encode(width, height, type, quality);
      if (bytes.length <= options.budget) return { type, width, height, bytes, ...(quality !== undefined ? { quality } : {}) };
    }
    if (side <= LINK_IMAGE_MIN_SIDE) return undefined;
    side = Math.max(LINK_IMAGE_MIN_SIDE, Math.floor(side * SCALE_STEP));
  }
}

/** A stored photo opened for re-encoding (the platform decodes it once). */
export interface OpenedImage {
  width: number;
  height: number;
  /** The file's own type ("image/png", "image/jpeg", ...). */
  type: string;
  /** The file's size in bytes. */
  bytes: number;
  encode: ImageEncoder;
  close(): void;
}

/** What the platform provides to read dropped photos back (the browser: IndexedDB and a canvas). */
export interface LinkImageSource {
  /** The dropped file under `key`, opened; undefined when this browser no longer holds it. Rejects when it cannot be decoded. */
  open(key: string): Promise<OpenedImage | undefined>;
}

/** One dropped photo and what a link can do with it. */
export interface LinkImagePlan {
  nodeId: string;
  key: string;
  /** embedded: a copy fits; missing: this browser no longer holds the file; unfit: it cannot travel (why in `message`). */
  status: 'embedded' | 'missing' | 'unfit';
  original?: { width: number; height: number; bytes: number; type: string };
  embedded?: Omit<FittedImage, 'bytes'> & { bytes: number };
  /** One line for the user: what the receiver gets. */
  message: string;
}

export interface SharePlan {
  files: LinkImagePlan[];
  /** The link as it is: dropped photos do not travel. */
  plainUrl: string;
  /** The link with every photo that fits embedded (undefined when none fits or it is too long). */
  embeddedUrl?: string;
  /** Why there is no embedded link, when there is none. */
  noEmbedReason?: string;
}

/** What the receiver's node sees, next to what the sender's sees (`used`: the size its run uses). */
function receiverGets(fitted: FittedImage, used: { width: number; height: number }, natural: { width: number; height: number }): string {
  if (fitted.width < used.width || fitted.height < used.height) return `your run uses ${used.width}×${used.height}, so the receiver's result is smaller and softer`;
  const scaled = fitted.width !== natural.width || fitted.height !== natural.height;
  if (fitted.type === 'image/png' && !scaled) return 'the same pixels as yours';
  return `the same size as yours, the pixels slightly different (${[scaled ? 'scaled by the browser' : '', fitted.type === 'image/jpeg' ? 'JPEG' : ''].filter(Boolean).join(', ')})`;
}

function describeFit(f: FittedImage): string {
  return `${f.width}×${f.height} ${f.type === 'image/png' ? 'PNG' : `JPEG (quality ${Math.round((f.quality ?? 0) * 100)})`}, ${formatKB(f.bytes.length)}`;
}

export function formatKB(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
}

/**
 * What Copy share link can offer for `doc`: the plain link, and the link with each dropped photo
 * embedded as small as its share of the budget needs. `linkFor` makes a link of a document;
 * `usedSide` is the longest side the node itself would use (its maxSide), so a copy is never larger
 * than what the sender's own run sees.
 */
export async function planShareLink(
  doc: GraphDocument,
  types: NodeTypeLookup,
  source: LinkImageSource,
  linkFor: (doc: GraphDocument) => string,
  usedSide: (nodeId: string) => number,
): Promise<SharePlan> {
  const plainUrl = linkFor(doc);
  let scale = 1;
  for (let attempt = 0; ; attempt++) {
    const { plans, copies } = await embedCopies(doc, types, source, usedSide, scale);
    if (!copies.size) return { files: plans, plainUrl, noEmbedReason: 'no dropped photo can be embedded' };
    const embeddedUrl = linkFor(embedDroppedFiles(doc, types, copies));
    const chars = linkDataChars(embeddedUrl);
    if (chars <= MAX_LINK_DATA_CHARS) return { files: plans, plainUrl, embeddedUrl };
    if (attempt === MAX_BUDGET_RETRIES) {
      return { files: plans, plainUrl, noEmbedReason: `with the photos the link would hold ${chars.toLocaleString('en-US')} characters, more than a link may (${MAX_LINK_DATA_CHARS.toLocaleString('en-US')})` };
    }
    scale *= BUDGET_RETRY_FACTOR;
  }
}

/** Each dropped photo of `doc` re-encoded into its share of the budget (scaled by `scale`), and what the receiver gets. */
async function embedCopies(
  doc: GraphDocument,
  types: NodeTypeLookup,
  source: LinkImageSource,
  usedSide: (nodeId: string) => number,
  scale: number,
): Promise<{ plans: LinkImagePlan[]; copies: Map<string, string> }> {
  const files = droppedFiles(doc, types);
  const budget = linkImageBudget(files.length, scale);
  const plans: LinkImagePlan[] = [];
  const copies = new Map<string, string>();
  for (const file of files) {
    const base = { nodeId: file.nodeId, key: file.key };
    let opened: OpenedImage | undefined;
    try {
      opened = await source.open(file.key);
    } catch (e) {
      plans.push({ ...base, status: 'unfit', message: `its file cannot be read back: ${e instanceof Error ? e.message : e}` });
      continue;
    }
    if (!opened) {
      plans.push({ ...base, status: 'missing', message: 'this browser no longer holds its file: drop it again to share it' });
      continue;
    }
    try {
      const original = { width: opened.width, height: opened.height, bytes: opened.bytes, type: opened.type };
      if (!file.embedParam) {
        plans.push({ ...base, status: 'unfit', original, message: `a ${file.nodeType} node cannot carry an embedded copy` });
        continue;
      }
      if (!budget) {
        plans.push({ ...base, status: 'unfit', original, message: `${files.length} dropped photos are too many to embed in one link` });
        continue;
      }
      const side = usedSide(file.nodeId);
      const natural = Math.max(opened.width, opened.height);
      const startSide = side > 0 ? Math.min(side, natural) : natural;
      const fitted = await fitImage(opened, { startSide, budget, lossless: opened.type === 'image/png' }, opened.encode);
      if (!fitted) {
        plans.push({ ...base, status: 'unfit', original, message: `even at ${LINK_IMAGE_MIN_SIDE} px it does not fit its ${formatKB(budget)} share of the link` });
        continue;
      }
      copies.set(file.nodeId, embeddedImageUrl(fitted.type, fitted.bytes));
      const { bytes, ...rest } = fitted;
      const used = fitSize(opened.width, opened.height, startSide, 1);
      plans.push({
        ...base,
        status: 'embedded',
        original,
        embedded: { ...rest, bytes: bytes.length },
        message: `embedded at ${describeFit(fitted)}; ${receiverGets(fitted, used, opened)}`,
      });
    } finally {
      opened.close();
    }
  }
  return { plans, copies };
}
