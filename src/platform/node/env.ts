/**
 * The NodeEnv for Node (CLI, tests, benches): images from bundled samples (public/samples),
 * file paths and http(s) URLs, decoded with pngjs / jpeg-js. Paths and URLs go through the access
 * rules of `options.access` (docs/security.md).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { decodeEmbeddedImage, isDataUrl } from '../../graph/embedded-images';
import { EMBEDDED_IMAGE, type ImageRef, type NodeEnv } from '../../nodes/types';
import type { NodeServices } from '../../services/node-services';
import { IMAGE_SAMPLE_NAMES, findSample } from '../../nodes/sample-index';
import { checkRead } from './access';
import { decodeImage, readImageFile } from './image-io';
import { fetchUrl } from './net-fetch';
import { createNodeServices, defaultServicesOptions, type NodeServicesOptions } from './services';

const isUrl = (s: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(s) || /^(data|blob):/i.test(s);

/** The absolute path of a bundled sample's file (any kind, video included). */
export function samplePath(name: string, projectRoot = defaultServicesOptions().projectRoot): string {
  return join(projectRoot, 'public', 'samples', findSample(name).file);
}

/** The Node environment: every service is there (tests and benches use them without checks). */
export function createNodeEnv(options: Partial<NodeServicesOptions> = {}): NodeEnv & { services: Required<NodeServices> } {
  const opts = defaultServicesOptions(options);
  const services = createNodeServices(opts);

  async function readBytes(pathOrUrl: string, signal?: AbortSignal): Promise<Uint8Array> {
    if (isUrl(pathOrUrl)) return fetchUrl(pathOrUrl, opts.access, signal);
    const real = await checkRead(opts.access, pathOrUrl);
    try {
      return await readFile(real);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new Error(`cannot read '${pathOrUrl}': ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : (e as Error).message}`);
    }
  }

  async function loadImage(ref: ImageRef, signal?: AbortSignal): Promise<tf.Tensor3D> {
    switch (ref.kind) {
      case 'sample':
        findSample(ref.name, ['style', 'photo']);
        return readImageFile(samplePath(ref.name, opts.projectRoot));
      case 'path':
        return readImageFile(await checkRead(opts.access, ref.path), ref.path);
      case 'url': {
        if (isDataUrl(ref.url)) {
          // Carried in the graph (an editor's embedded photo): decoded here, nothing fetched.
          return decodeImage(decodeEmbeddedImage(ref.url, EMBEDDED_IMAGE).bytes, EMBEDDED_IMAGE);
        }
        return decodeImage(await fetchUrl(ref.url, opts.access, signal), ref.url);
      }
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
