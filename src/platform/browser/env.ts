/**
 * The NodeEnv for the browser editor: bundled samples and URLs are fetched (samples relative to
 * `baseUrl`), files the user dropped are Blobs in IndexedDB under `asset:<key>`; all are decoded
 * with createImageBitmap and a canvas, then turned into tensors by the same helper Node uses.
 */
import type * as tf from '@tensorflow/tfjs';
import { get, set } from 'idb-keyval';
import { decodeEmbeddedImage, isDataUrl } from '../../graph/embedded-images';
import { EMBEDDED_IMAGE, type ImageRef, type NodeEnv } from '../../nodes/types';
import { IMAGE_SAMPLE_NAMES, findSample } from '../../nodes/sample-index';
import { rgbaToImageTensor } from '../../method/image/image-tensor';
import { DEFAULT_MAX_PIXELS, checkImageBlob } from '../common/image-header';
import { createBrowserServices, type BrowserServicesOptions } from './services';

const ASSET_PREFIX = 'asset:';

/** URL of a bundled sample's file (any kind), relative to the site's base URL. */
export function sampleUrl(name: string, baseUrl: string): string {
  return new URL(`samples/${findSample(name).file}`, new URL(baseUrl, globalThis.location?.href)).href;
}

/**
 * Stores a picked or dropped image file in IndexedDB and returns its key, to put in
 * `image-source`'s `asset` param. The key is derived from the content, so the same file
 * dropped twice gets the same key (and the runtime's cache hits).
 */
export async function storeAsset(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  const key = Array.from(digest.slice(0, 12), (b) => b.toString(16).padStart(2, '0')).join('');
  await set(ASSET_PREFIX + key, file);
  return key;
}

/** A dropped file stored by storeAsset, or undefined when this browser no longer holds it. */
export function readAsset(key: string): Promise<Blob | undefined> {
  return get<Blob>(ASSET_PREFIX + key);
}

/** The file name a stored asset was dropped or picked with, when it was stored as a File. */
export async function readAssetName(key: string): Promise<string | undefined> {
  const blob = await readAsset(key);
  return blob instanceof File && blob.name ? blob.name : undefined;
}

async function fetchBlob(url: string, what: string, signal?: AbortSignal): Promise<Blob> {
  let res: Response;
  try {
    res = await fetch(url, { signal });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new Error(`cannot fetch ${what}: ${e instanceof Error ? e.message : e}`);
  }
  if (!res.ok) throw new Error(`cannot fetch ${what}: HTTP ${res.status} ${res.statusText}`);
  return res.blob();
}

/**
 * Decodes an image Blob to float32 [H, W, 3] in [0, 1], with no colour-space conversion. The header
 * is checked first (damage, a size over the pixel cap), before the browser allocates the pixels.
 */
export async function decodeImageBlob(blob: Blob, what: string, maxPixels = DEFAULT_MAX_PIXELS): Promise<tf.Tensor3D> {
  await checkImageBlob(blob, what, maxPixels);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch (e) {
    throw new Error(`${what} is not an image the browser can decode (${blob.type || 'unknown type'}, ${blob.size} bytes)`);
  }
  try {
    const { width, height } = bitmap;
    if (width * height > maxPixels) throw new Error(`${what} is ${width}x${height} pixels, more than the ${maxPixels.toLocaleString('en-US')} allowed: scale it down first`);
    const canvas: OffscreenCanvas | HTMLCanvasElement =
      typeof OffscreenCanvas !== 'undefined'
        ? new OffscreenCanvas(width, height)
        : Object.assign(document.createElement('canvas'), { width, height });
    const ctx = canvas.getContext('2d', { willReadFrequently: true }) as
      | OffscreenCanvasRenderingContext2D
      | CanvasRenderingContext2D
      | null;
    if (!ctx) throw new Error(`cannot decode ${what}: no 2-D canvas context`);
    ctx.drawImage(bitmap, 0, 0);
    return rgbaToImageTensor(ctx.getImageData(0, 0, width, height).data, width, height);
  } finally {
    bitmap.close();
  }
}

export function createBrowserEnv(options: BrowserServicesOptions): NodeEnv {
  const services = createBrowserServices(options);

  async function readBytes(pathOrUrl: string, signal?: AbortSignal): Promise<Uint8Array> {
    const url = new URL(pathOrUrl, new URL(options.baseUrl, globalThis.location?.href)).href;
    return new Uint8Array(await (await fetchBlob(url, `'${pathOrUrl}'`, signal)).arrayBuffer());
  }

  async function loadImage(ref: ImageRef, signal?: AbortSignal): Promise<tf.Tensor3D> {
    switch (ref.kind) {
      case 'sample': {
        findSample(ref.name, ['style', 'photo']);
        const blob = await fetchBlob(sampleUrl(ref.name, options.baseUrl), `sample '${ref.name}'`, signal);
        return decodeImageBlob(blob, `sample '${ref.name}'`);
      }
      case 'url': {
        if (isDataUrl(ref.url)) {
          // Carried in the graph (a share link's embedded photo): decoded here, nothing fetched.
          const { type, bytes } = decodeEmbeddedImage(ref.url, EMBEDDED_IMAGE);
          return decodeImageBlob(new Blob([bytes as BlobPart], { type }), EMBEDDED_IMAGE);
        }
        return decodeImageBlob(await fetchBlob(ref.url, `'${ref.url}'`, signal), `'${ref.url}'`);
      }
      case 'asset': {
        const blob = await readAsset(ref.key);
        if (!blob) throw new Error(`image asset '${ref.key}' is not in this browser's storage any more: pick the file again`);
        return decodeImageBlob(blob, blob instanceof File && blob.name ? `'${blob.name}'` : `image asset '${ref.key}'`);
      }
      case 'path':
        throw new Error(`a file path ('${ref.path}') cannot be read in the browser: drop the file on the node or use 'url'`);
    }
  }

  /** A dropped or picked file is stored as a File, which keeps its name. */
  async function describeImage(ref: ImageRef): Promise<string | undefined> {
    if (ref.kind !== 'asset') return undefined;
    const name = await readAssetName(ref.key);
    return name === undefined ? undefined : `'${name}'`;
  }

  return {
    platform: 'browser',
    loadImage,
    describeImage,
    readBytes,
    sampleNames: () => [...IMAGE_SAMPLE_NAMES],
    services,
  };
}
