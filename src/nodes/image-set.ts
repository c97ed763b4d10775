/**
 * image-set: several images as one value (ImageSet = Tensor3D[]), for the MGAN trainer's photos:
 * bundled samples, files, or (Node) every PNG/JPEG of a folder.
 */
import type * as tf from '@tensorflow/tfjs';
import { splitPathList } from '../graph/resources';
import { fitSize, resizeToFit } from '../method/image/image-tensor';
import { SAMPLE_INDEX } from './sample-index';
import { ParamError, aboutParam, type ImageRef, type RunContext } from './types';
import { defineNode, param, type ParamsOf } from './define-node';

const namesOfKind = (kind: string) =>
  Object.entries(SAMPLE_INDEX.samples)
    .filter(([, s]) => s.kind === kind)
    .map(([n]) => n);

/** `samples` param: a comma list of sample names, or 'all-photos' / 'all-styles'. */
export function sampleNamesFromParam(text: string): string[] {
  const names: string[] = [];
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (part === 'all-photos') names.push(...namesOfKind('photo'));
    else if (part === 'all-styles') names.push(...namesOfKind('style'));
    else if (SAMPLE_INDEX.samples[part] && SAMPLE_INDEX.samples[part].kind !== 'video') names.push(part);
    else {
      const known = Object.entries(SAMPLE_INDEX.samples).filter(([, s]) => s.kind !== 'video').map(([n]) => n);
      throw new ParamError(undefined, 'samples', `image-set: unknown sample '${part}' (bundled: ${known.join(', ')}; or all-photos, all-styles)`);
    }
  }
  return [...new Set(names)];
}

/** How many images the params name, or undefined when a folder is read (its count is known only then). */
export function imageSetCount(params: Record<string, unknown>): number | undefined {
  if (String(params.folder ?? '').trim()) return undefined;
  let names: string[];
  try {
    names = sampleNamesFromParam(String(params.samples ?? ''));
  } catch {
    return undefined;
  }
  return names.length + splitPathList(String(params.paths ?? '')).length;
}

/** An image to load and the param that named it. */
type SetItem = { ref: ImageRef; param: string };

async function itemsFrom(ctx: RunContext<ParamsOf<typeof params>>): Promise<SetItem[]> {
  const items: SetItem[] = sampleNamesFromParam(ctx.params.samples).map((name) => ({ ref: { kind: 'sample', name }, param: 'samples' }));
  for (const path of splitPathList(ctx.params.paths)) items.push({ ref: { kind: 'path', path }, param: 'paths' });
  const folder = ctx.params.folder.trim();
  if (folder) {
    const folders = ctx.env.services.imageFolders;
    if (!folders) throw new ParamError(undefined, 'folder', 'image-set: folders can only be read on the command line (Node)');
    const listed = await folders.listImages(folder).catch((e: unknown) => {
      throw aboutParam('folder', e);
    });
    for (const path of listed) items.push({ ref: { kind: 'path', path }, param: 'folder' });
  }
  if (items.length === 0) throw new ParamError(undefined, 'samples', 'image-set: no images chosen: set samples, paths or folder');
  return items;
}

const params = {
  samples: param.string({ default: 'all-photos', doc: "Bundled samples: comma list, or 'all-photos' / 'all-styles'." }),
  paths: param.string({ default: '', widget: 'path', resource: 'path-list', doc: 'Comma-separated image files (command line).' }),
  folder: param.string({ default: '', widget: 'path', resource: 'path', doc: 'A folder of PNG/JPEG images (command line).' }),
  maxSide: param.number({ default: 256, min: 0, max: 4096, step: 1, integer: true, doc: 'Longest side after loading (0 = keep).' }),
  multipleOf: param.number({ default: 8, min: 1, max: 64, step: 1, integer: true, doc: 'Sides floored to a multiple of this.' }),
};

export const imageSetNode = defineNode({
  type: 'image-set',
  version: 1,
  title: 'Image set',
  category: 'Input',
  doc: `Several images as one **ImageSet**: the photos an MGAN trainer learns from (the paper used about
100 photos; the bundled ones are a small stand-in). Every image is scaled down to \`maxSide\` and floored
to a multiple of \`multipleOf\`, keeping its aspect ratio (a warning lists what was resized).

- **samples**: comma-separated bundled sample names (e.g. \`coffee, chelsea\`), or \`all-photos\` /
  \`all-styles\`.
- **paths**: comma-separated PNG/JPEG files (command line).
- **folder**: every PNG/JPEG in this folder, sorted by name (command line).
- **maxSide**: longest side in pixels (0 = keep). MDAN targets are made at the trainer's \`mdanSize\`
  anyway; this only bounds memory.
- **multipleOf**: both sides floored to a multiple of this (8 suits the decoder).

All sources are combined, samples first.`,
  inputs: [],
  outputs: [{ name: 'images', type: 'ImageSet', description: 'the images, each float32 [H, W, 3] in [0, 1]' }],
  params,
  async run(ctx) {
    const items = await itemsFrom(ctx);
    const { maxSide, multipleOf } = ctx.params;
    const images: tf.Tensor3D[] = [];
    const resized: string[] = [];
    try {
      for (const { ref, param } of items) {
        ctx.signal.throwIfAborted();
        const loaded = await ctx.env.loadImage(ref, ctx.signal).catch((e: unknown) => {
          throw aboutParam(param, e);
        });
        try {
          const fitted = resizeToFit(loaded, maxSide, multipleOf);
          if (fitted.resized) {
            const { width, height } = fitSize(loaded.shape[1], loaded.shape[0], maxSide, multipleOf);
            resized.push(`${ref.kind === 'sample' ? ref.name : ref.kind === 'path' ? ref.path : ref.kind} ${loaded.shape[1]}x${loaded.shape[0]} -> ${width}x${height}`);
          }
          images.push(fitted.image);
        } finally {
          loaded.dispose();
        }
        ctx.progress(images.length / items.length, { message: `loaded ${images.length}/${items.length}` });
      }
    } catch (e) {
      for (const img of images) img.dispose();
      throw e;
    }
    if (resized.length) ctx.warn(`image-set: resized ${resized.join(', ')}`);
    return { images };
  },
});
