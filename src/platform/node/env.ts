/**
 * The NodeEnv for Node (CLI, tests, benches): images from bundled samples (public/samples),
 * file paths and http(s) URLs, decoded with pngjs / jpeg-js.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { ImageRef, NodeEnv } from '../../nodes/types';
import { IMAGE_SAMPLE_NAMES, findSample } from '../../nodes/sample-index';
import { decodeImageBytes, readImageFile } from './image-io';
import { createNodeServices, defaultServicesOptions, type NodeServicesOptions } from './services';

const isUrl = (s: string) => /^https?:\/\//i.test(s);

async function fetchBytes(url: string, signal?: AbortSignal): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url, { signal });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new Error(`cannot fetch '${url}': ${e instanceof Error ? e.message : e}`);
  }
  if (!res.ok) throw new Error(`cannot fetch '${url}': HTTP ${res.status} ${res.statusText}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** The absolute path of a bundled sample's file (any kind, video included). */
export function samplePath(name: string, projectRoot = defaultServicesOptions().projectRoot): string {
  return join(projectRoot, 'public', 'samples', findSample(name).file);
}

export function createNodeEnv(options: Partial<NodeServicesOptions> = {}): NodeEnv {
  const opts = defaultServicesOptions(options);
  const services = createNodeServices(opts);

  async function readBytes(pathOrUrl: string, signal?: AbortSignal): Promise<Uint8Array> {
    if (isUrl(pathOrUrl)) return fetchBytes(pathOrUrl, signal);
    try {
      return await readFile(resolve(pathOrUrl));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new Error(`cannot read '${pathOrUrl}': ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
  }

  async function loadImage(ref: ImageRef, signal?: AbortSignal): Promise<tf.Tensor3D> {
    switch (ref.kind) {
      case 'sample':
        findSample(ref.name, ['style', 'photo']);
        return readImageFile(samplePath(ref.name, opts.projectRoot));
      case 'path':
        return readImageFile(resolve(ref.path));
      case 'url':
        return decodeImageBytes(await fetchBytes(ref.url, signal), ref.url);
      case 'asset':
        throw new Error(
          `image asset '${ref.key}' is a file dropped in the browser editor; in Node set the 'path' or 'sample' param instead`,
        );
    }
  }

  return {
    platform: 'node',
    loadImage,
    readBytes,
    sampleNames: () => [...IMAGE_SAMPLE_NAMES],
    services,
  };
}
