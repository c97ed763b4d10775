/**
 * Where the VGG19 8-bit weight files come from by default: the public repository that publishes
 * them, at a pinned commit (so the bytes always match the manifest's checksums).
 */
export const VGG19_WEIGHTS_REPO = 'neuralpixels/neuralpixels';
export const VGG19_WEIGHTS_COMMIT = '3e5506de0895cebe4cdec147d754adcfe5f2ff01';
export const VGG19_WEIGHTS_PATH = 'python/neuralpixels/pretrained/weights/vgg19/';
export const DEFAULT_VGG19_WEIGHTS_URL =
  `https://raw.githubusercontent.com/${VGG19_WEIGHTS_REPO}/${VGG19_WEIGHTS_COMMIT}/${VGG19_WEIGHTS_PATH}`;

export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** `base` with exactly one trailing slash, so `new URL(file, base)` stays inside it. */
export function asBaseUrl(base: string): string {
  return base.endsWith('/') ? base : `${base}/`;
}

/** Fetches `filename` under a base URL; a non-2xx answer is an error naming the URL. */
export async function fetchBytes(base: string, filename: string, fetchImpl: typeof fetch = fetch): Promise<Uint8Array> {
  const url = new URL(filename, asBaseUrl(base)).href;
  const response = await fetchImpl(url);
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${url}`);
  return new Uint8Array(await response.arrayBuffer());
}
