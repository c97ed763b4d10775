/**
 * image-source: loads an image (a bundled sample, a dropped file, a path or a URL) as a float RGB
 * tensor, limited in size so the expensive nodes downstream stay affordable.
 */
import * as tf from '@tensorflow/tfjs';
import { isDataUrl } from '../graph/embedded-images';
import type { ParamValue } from '../graph/types';
import { fitSize, resizeToFit } from '../method/image/image-tensor';
import { IMAGE_SAMPLE_NAMES } from './sample-index';
import { EMBEDDED_IMAGE, ParamError, aboutParam, type ImageRef, type RunContext } from './types';
import { defineNode, param, type ParamsOf } from './define-node';

/** Which source the params select: asset (a dropped file), then path, then url, then sample. */
export function imageRefFromParams(params: Record<string, ParamValue>): ImageRef {
  const text = (name: string) => String(params[name] ?? '').trim();
  if (text('asset')) return { kind: 'asset', key: text('asset') };
  if (text('path')) return { kind: 'path', path: text('path') };
  const url = text('url');
  if (url) {
    if (!/^(https?:|blob:|data:)/i.test(url)) {
      throw new ParamError(undefined, 'url', `url must start with http(s):, blob: or data:, got '${url}'`);
    }
    return { kind: 'url', url };
  }
  const sample = text('sample');
  if (!sample) throw new ParamError(undefined, 'sample', 'no image chosen: set sample, path, url or drop a file');
  if (!IMAGE_SAMPLE_NAMES.includes(sample)) {
    throw new ParamError(undefined, 'sample', `unknown sample '${sample}' (bundled: ${IMAGE_SAMPLE_NAMES.join(', ')})`);
  }
  return { kind: 'sample', name: sample };
}

function describeRef(ref: ImageRef): string {
  switch (ref.kind) {
    case 'sample':
      return `sample '${ref.name}'`;
    case 'path':
      return `'${ref.path}'`;
    case 'url':
      return isDataUrl(ref.url) ? EMBEDDED_IMAGE : `'${ref.url}'`;
    case 'asset':
      return 'the dropped file';
  }
}

/** When flooring the sides to a multiple changed the picture's proportions: by how much, in words. */
export function aspectChange(w: number, h: number, width: number, height: number, multipleOf: number): string {
  const before = w / h;
  const after = width / height;
  const stretch = after / before - 1;
  if (Math.abs(stretch) < 0.01) return '';
  return `; its aspect ratio changes from ${before.toFixed(2)} to ${after.toFixed(2)} (each side floored to a multiple of ${multipleOf}): the picture is ${stretch > 0 ? 'widened' : 'narrowed'} by ${Math.round(Math.abs(stretch) * 100)}%`;
}

async function run(ctx: RunContext<ParamsOf<typeof params>>): Promise<{ image: tf.Tensor3D }> {
  const ref = imageRefFromParams(ctx.params);
  const { maxSide, multipleOf } = ctx.params;
  const loaded = await ctx.env.loadImage(ref, ctx.signal).catch((e: unknown) => {
    throw aboutParam(ref.kind, e);
  });
  try {
    const [h, w] = loaded.shape;
    const fitted = resizeToFit(loaded, maxSide, multipleOf);
    if (fitted.resized) {
      const { width, height } = fitSize(w, h, maxSide, multipleOf);
      const what = (await ctx.env.describeImage?.(ref).catch(() => undefined)) ?? describeRef(ref);
      ctx.warn(`${what} resized from ${w}x${h} to ${width}x${height} (maxSide ${maxSide}, multipleOf ${multipleOf})${aspectChange(w, h, width, height, multipleOf)}`);
    }
    return { image: fitted.image };
  } finally {
    loaded.dispose();
  }
}

const params = {
  sample: param.choice(['', ...IMAGE_SAMPLE_NAMES], { default: 'starry_night', doc: 'Bundled sample image (used when asset, path and url are empty).' }),
  path: param.string({ default: '', widget: 'path', resource: 'path', doc: 'PNG, JPEG or WebP file (command line).' }),
  url: param.string({ default: '', widget: 'url', resource: 'url', embedsImage: true, doc: 'URL of a PNG, JPEG or WebP, or the image embedded as a data: URL.' }),
  asset: param.string({ default: '', widget: 'image', resource: 'browser-asset', doc: "Key of a file dropped in the editor (set by the editor; kept in that browser's storage)." }),
  maxSide: param.number({ default: 512, min: 0, max: 8192, step: 1, integer: true, doc: 'Longest side in pixels after loading (0 = no limit); aspect ratio is kept.' }),
  multipleOf: param.number({ default: 1, min: 1, max: 256, step: 1, integer: true, doc: 'Both sides are floored to a multiple of this (1 = any size).' }),
};

export const imageSourceNode = defineNode({
  type: 'image-source',
  version: 1,
  title: 'Image source',
  category: 'Input',
  doc: `Loads an image: a bundled sample (CC0 / public domain, see \`public/samples/LICENSES.md\`),
a file you drop on the node or pick (browser), a file path (command line) or a URL. The output is
a float RGB image in [0, 1]; alpha is dropped.

Which source is used when several are set: **a dropped file** (\`asset\`), then **path**, then
**url**, then **sample**. Clear the earlier ones to fall back to a later one.

Why a size limit: every neural node downstream costs time in proportion to the pixel count (VGG19
at 256x256 takes about 1.7 s on the CPU, 512x512 about 6 s), so images are scaled down here, once,
keeping their aspect ratio. A warning on the node says when that happened.

- **sample**: one of the bundled images (styles: starry_night, brick, grass, gravel, hubble;
  photos: coffee, chelsea, astronaut, rocket).
- **path**: a PNG or JPEG file on disk (command line only); relative to the current folder.
- **url**: an http(s) URL of a PNG or JPEG (the server must allow cross-origin reads in the browser),
  or the image itself as a \`data:image/png;base64,...\` or \`data:image/jpeg;base64,...\` URL (at most
  4 MB), read from the graph with nothing fetched: the editor puts a dropped photo there when you
  embed it in a share link.
- **asset**: set by the editor when you drop or pick a file (a key in that browser's storage: a link
  or file does not carry the photo itself; Copy share link offers to embed it).
- **maxSide**: the longer side is scaled down to at most this many pixels (0 = keep the size).
- **multipleOf**: both sides are then floored to a multiple of this (e.g. 8 for a generator that
  halves the size three times); 1 = any size.`,
  inputs: [],
  outputs: [{ name: 'image', type: 'Image', description: 'The image, float32 [H, W, 3] in [0, 1].' }],
  params,
  run,
});
