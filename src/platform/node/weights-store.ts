/**
 * VGG19 weights in Node: installed (copied or downloaded, every file checked against the manifest)
 * into `<cacheDir>/weights/vgg19`, and loaded from there by the `vgg19` service.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Vgg19, Vgg19Service, VggLayer } from '../../method/vgg/vgg19';
import { VGG19_CONV_LAYERS, convLayerOf } from '../../method/vgg/vgg19';
import {
  VGG19_MANIFEST_FILE,
  fetchWeightFile,
  loadVgg19,
  parseVgg19Manifest,
  verifyWeightFile,
  vgg19FilesFor,
  type WeightFileFetcher,
} from '../../method/vgg/vgg19-weights';
import { writeFileAtomic } from './fs-atomic';
import { DEFAULT_VGG19_WEIGHTS_URL, fetchBytes, isUrl } from '../common/weights-source';
import { fsErrorReason } from './fs-errors';
import { networkReason } from './net-fetch';

export function vgg19CacheDir(cacheDir: string): string {
  return join(cacheDir, 'weights', 'vgg19');
}

/** Reads files from a folder or a base URL. */
export function sourceFetcher(from: string, fetchImpl: typeof fetch = fetch): WeightFileFetcher {
  if (isUrl(from)) {
    return (filename) =>
      fetchBytes(from, filename, fetchImpl).catch((e: Error & { cause?: unknown }) => {
        // fetch's own "fetch failed" hides why (no such host, refused, certificate): its cause says it.
        throw e instanceof TypeError && e.cause ? new Error(`cannot download '${filename}': ${networkReason(e.cause)}`) : e;
      });
  }
  const dir = resolve(from);
  return async (filename) => {
    const path = join(dir, filename);
    try {
      return new Uint8Array(await readFile(path));
    } catch (e) {
      throw new Error(`${fsErrorReason(e)} (${path})`);
    }
  };
}

export interface InstallResult {
  dir: string;
  files: number;
  bytes: number;
}

export interface InstallOptions {
  /** Project cache folder (weights go to `<cacheDir>/weights/vgg19`). */
  cacheDir: string;
  fetchImpl?: typeof fetch;
  /** Called after each verified file (for CLI progress). */
  onFile?: (filename: string, bytes: number) => void;
}

/**
 * Copies or downloads every VGG19 file from `from` (a folder or base URL; default: the pinned GitHub
 * source) into the cache, verifying each file's size and md5 before it is written. The manifest is
 * written last, so an interrupted install never looks complete.
 */
export async function installWeights(from: string = DEFAULT_VGG19_WEIGHTS_URL, options: InstallOptions): Promise<InstallResult> {
  const fetchFile = sourceFetcher(from, options.fetchImpl);
  const manifestBytes = await fetchWeightFile(fetchFile, VGG19_MANIFEST_FILE).catch((e: Error) => {
    throw new Error(`${e.message} (source: ${from})`);
  });
  const manifest = parseVgg19Manifest(manifestBytes);
  const dir = vgg19CacheDir(options.cacheDir);
  let bytes = 0;
  const entries = vgg19FilesFor(manifest);
  for (const entry of entries) {
    const data = await fetchWeightFile(fetchFile, entry.filename);
    verifyWeightFile(entry, data);
    await writeFileAtomic(join(dir, entry.filename), data);
    bytes += data.byteLength;
    options.onFile?.(entry.filename, data.byteLength);
  }
  await writeFileAtomic(join(dir, VGG19_MANIFEST_FILE), manifestBytes);
  return { dir, files: entries.length, bytes };
}

function notInstalledError(dir: string): Error {
  return new Error(
    `VGG19 weights are not installed (looked in ${dir}): run \`npx mgan-studio weights --from <folder|url>\`, ` +
      `or \`npx mgan-studio weights\` to download them from ${DEFAULT_VGG19_WEIGHTS_URL}`,
  );
}

/** Verifies every installed file (size + md5); throws an error naming the first bad one. */
export async function checkInstalledWeights(cacheDir: string): Promise<InstallResult> {
  const dir = vgg19CacheDir(cacheDir);
  if (!existsSync(join(dir, VGG19_MANIFEST_FILE))) throw notInstalledError(dir);
  const fetchFile = sourceFetcher(dir);
  const manifest = parseVgg19Manifest(await fetchWeightFile(fetchFile, VGG19_MANIFEST_FILE));
  let bytes = 0;
  const entries = vgg19FilesFor(manifest);
  for (const entry of entries) {
    const data = await fetchWeightFile(fetchFile, entry.filename);
    verifyWeightFile(entry, data);
    bytes += data.byteLength;
  }
  return { dir, files: entries.length, bytes };
}

export interface NodeVgg19ServiceOptions {
  /** Project cache folder; the weights are read from `<cacheDir>/weights/vgg19`. */
  cacheDir: string;
  /** Read the 8-bit files from this folder instead of the cache (`$MGAN_STUDIO_VGG19_DIR` for the CLI, `--weights` for the benches). */
  weightsDir?: string;
}

/** One model per folder per process; a deeper request replaces the cached entry (older holders keep theirs). */
const loaded = new Map<string, { depth: number; model: Promise<Vgg19> }>();

export function createNodeVgg19Service(options: NodeVgg19ServiceOptions): Vgg19Service {
  const dir = resolve(options.weightsDir ?? vgg19CacheDir(options.cacheDir));
  return {
    async load(deepest: VggLayer): Promise<Vgg19> {
      const depth = VGG19_CONV_LAYERS.indexOf(convLayerOf(deepest));
      if (depth < 0) throw new Error(`'${deepest}' is not a VGG19 layer (relu1_1 ... relu5_4)`);
      const cached = loaded.get(dir);
      if (cached && cached.depth >= depth) return cached.model;
      if (!existsSync(join(dir, VGG19_MANIFEST_FILE))) throw notInstalledError(dir);
      const model = loadVgg19(sourceFetcher(dir), deepest);
      loaded.set(dir, { depth, model });
      model.catch(() => {
        if (loaded.get(dir)?.model === model) loaded.delete(dir);
      });
      return model;
    },
  };
}
