/**
 * How well a trained decoder paints photos it never saw: `npm run bench -- decoder-quality
 * [--decoder starry_night|all] [--texture SAMPLE|PATH] [--photos NAME|PATH,...] [--size 128]
 * [--mdan-iterations N] [--picture FILE.png] [--held-out TRAINING_SET_DIR] [--backend wasm]`.
 * `--decoder all` measures every bundled style (not the inverter), one after the other; `--picture`
 * then writes one picture per style, FILE-NAME.png.
 *
 * For each unseen photo (the bundled photo samples, or --photos, less those the decoder's training
 * record names), at `--size` px on the longer side: the neural-patch closeness to the texture (mean
 * best cosine match of relu3_1 3x3 windows, src/method/mdan/neural-patch-closeness.ts) of the decode,
 * of the photo as it is, of the photo colour-matched to the texture (the "tint" to beat) and of the
 * MDAN result of the same photo (the mdan-optimiser node with its defaults, at the same size). The
 * texture is compared at twice `--size` on its longest side (docs/mdan.md). One JSON line per photo, then the means.
 * `--picture FILE` writes photo | MDAN | decode for the first three photos, one row each. `--held-out DIR`
 * decodes a training set's held-out photos (npm run dataset). Each line also has the lattice energy
 * (src/method/mgan/lattice.ts) of the decode, the photo and the MDAN result: the 4-px checker; and the
 * layout correlation (src/method/image/layout-correlation.ts) of the decode and of the MDAN result with
 * the photo: whether its light and dark areas are still there; and the edge correlation
 * (src/method/image/edge-correlation.ts) of each with the photo: whether the objects' outlines are. The
 * means line says whether the decoder passes the quality gate (docs/decoders.md, "Quality"): style gain
 * over the tint, layout and edges all high enough.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { resolveParams } from '../src/graph/params';
import { resizeLongestSide } from '../src/method/image/augment';
import { resizeToFit } from '../src/method/image/image-tensor';
import { matchColourHistogram, neuralPatchCloseness } from '../src/method/mdan/neural-patch-closeness';
import { edgeCorrelation } from '../src/method/image/edge-correlation';
import { layoutCorrelation } from '../src/method/image/layout-correlation';
import { latticeEnergy } from '../src/method/mgan/lattice';
import { trainingRecordOf } from '../src/formats/training-record';
import { mdanOptimiserNode } from '../src/nodes/mdan-optimiser';
import { isInverterDecoder } from '../src/formats/inverter-decoder';
import { SAMPLE_INDEX } from '../src/nodes/sample-index';
import type { ImageRef, NodeEnv } from '../src/nodes/types';
import { createNodeEnv } from '../src/platform/node/env';
import { encodePng } from '../src/platform/node/image-io';
import { heldOutPhotoPaths } from '../src/platform/node/training-set';
import { argValue, benchBackend, emit } from './lib';

const BENCH = 'decoder-quality';
/** Photos in the side-by-side picture. */
const PICTURE_ROWS = 3;
/** White between the picture's cells, px. */
const GAP = 6;
/**
 * The quality gate of a bundled style (issue 21): the decode's closeness to the texture at least this
 * much above the colour-matched photo's (painted in the style, not only tinted) ...
 */
export const MIN_STYLE_GAIN = 0.03;
/** ... its layout correlation with the photo at least this (the light and dark areas kept) ... */
export const MIN_LAYOUT = 0.6;
/**
 * ... and its edge correlation with the photo at least this (the objects' outlines kept: the scene
 * recognisable). Measured (docs/decoders.md): blue mush that loses the people and the dog 0.17 to 0.25;
 * MDAN stylisations where the scene is recognisable 0.41 to 0.93.
 */
export const MIN_EDGES = 0.35;

/** A sample name (bundled photo or style) or a file path, as an image reference. */
function imageRef(nameOrPath: string): ImageRef {
  return SAMPLE_INDEX.samples[nameOrPath] ? { kind: 'sample', name: nameOrPath } : { kind: 'path', path: nameOrPath };
}

/** "astronaut" for the sample, a path's file name without extension: how training records name photos. */
const photoName = (nameOrPath: string) => nameOrPath.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '');

/** The MDAN result of `photo` guided by it, with the mdan-optimiser node's defaults at `size` px. */
async function mdanOf(env: NodeEnv, texture: tf.Tensor3D, photo: tf.Tensor3D, size: number, iterations: number | undefined): Promise<tf.Tensor3D> {
  const resolved = resolveParams(mdanOptimiserNode, { size, ...(iterations ? { iterations } : {}) }, 'mdan');
  const out = await mdanOptimiserNode.run({
    nodeId: 'mdan',
    inputs: { texture, content: photo },
    params: resolved.params,
    signal: new AbortController().signal,
    control: { checkpoint: async () => undefined, paused: false },
    env,
    progress: () => undefined,
    preview: () => undefined,
    warn: (m) => process.stderr.write(`warning: ${m}\n`),
    note: () => undefined,
  });
  (out.discriminator as { dispose(): void }).dispose();
  return out.image as tf.Tensor3D;
}

/** Rows of equal-height cells side by side, rows stacked, on white; [H, W, 3]. */
function sideBySide(rows: tf.Tensor3D[][]): tf.Tensor3D {
  return tf.tidy(() => {
    const strips = rows.map((cells) => {
      const h = Math.max(...cells.map((c) => c.shape[0]));
      const padded = cells.flatMap((c, i) => {
        const cell = tf.pad(c, [[0, h - c.shape[0]], [0, 0], [0, 0]], 1);
        return i === 0 ? [cell] : [tf.ones([h, GAP, 3]), cell];
      });
      return tf.concat(padded, 1) as tf.Tensor3D;
    });
    const w = Math.max(...strips.map((s) => s.shape[1]));
    const stacked = strips.flatMap((s, i) => {
      const strip = tf.pad(s, [[0, 0], [0, w - s.shape[1]], [0, 0]], 1);
      return i === 0 ? [strip] : [tf.ones([GAP, w, 3]), strip];
    });
    return tf.pad(tf.concat(stacked, 0) as tf.Tensor3D, [[GAP, GAP], [GAP, GAP], [0, 0]], 1);
  });
}

const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

export default async function bench(args: string[]): Promise<void> {
  const backend = await benchBackend(args);
  const env = createNodeEnv();
  const asked = argValue(args, 'decoder', 'starry_night');
  if (asked !== 'all') return measureDecoder(env, backend, asked, args, argValue(args, 'picture', ''));
  const names = (await env.services.decoders.bundled.names()).filter((n) => !isInverterDecoder(n));
  if (names.length === 0) throw new Error('no bundled style to measure: public/decoders holds none');
  const picture = argValue(args, 'picture', '');
  for (const name of names) await measureDecoder(env, backend, name, args, picture && picture.replace(/(\.png)?$/i, `-${name}.png`));
}

/** The bench for one decoder (by name or path): a line per photo, the means, the picture. */
async function measureDecoder(env: ReturnType<typeof createNodeEnv>, backend: string, decoderName: string, args: string[], picture: string): Promise<void> {
  const size = Number(argValue(args, 'size', '128'));
  const iterationsArg = argValue(args, 'mdan-iterations', '');
  const iterations = iterationsArg ? Number(iterationsArg) : undefined;
  const catalog = env.services.decoders;
  const vggService = env.services.vgg19;

  const opened = await catalog.open(decoderName);
  const { decoder } = opened;
  const { record } = trainingRecordOf(decoder.meta);
  // The inverter learnt no texture: its layout and edges are a reference (a decode that keeps the scene), measured against any texture given.
  const textureName = argValue(args, 'texture', isInverterDecoder(decoderName) ? '' : (record?.texture ?? ''));
  if (!textureName) throw new Error(`${opened.label}: its training record names no texture: pass --texture SAMPLE|PATH`);
  const seen = new Set(record?.photos ?? []);
  if (!record?.photos) process.stderr.write(`warning: ${opened.label}: its training record does not name its photos, so seen ones cannot be left out: pass --photos\n`);
  const heldOut = argValue(args, 'held-out', '');
  const candidates = heldOut
    ? await heldOutPhotoPaths(heldOut)
    : argValue(args, 'photos', '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
  const photos = (candidates.length ? candidates : Object.entries(SAMPLE_INDEX.samples).filter(([, s]) => s.kind === 'photo').map(([n]) => n)).filter(
    (p) => !seen.has(photoName(p)),
  );
  if (photos.length === 0) throw new Error(`${opened.label} saw every candidate photo in training (${[...seen].join(', ')}): pass unseen ones with --photos`);
  if (photos.length < PICTURE_ROWS) process.stderr.write(`warning: only ${photos.length} unseen photo(s): ${photos.join(', ')}\n`);

  // The texture at twice the result's side, as docs/mdan.md measures (MDAN resizes its copy to the result's size).
  const textureFull = await env.loadImage(imageRef(textureName));
  const texture = resizeLongestSide(textureFull, 2 * size);
  textureFull.dispose();
  // The deepest layer MDAN's guidance needs: loaded once here, so no timing below includes loading weights.
  const vgg = await vggService.load('relu5_1');
  const rows: tf.Tensor3D[][] = [];
  const scores: Array<Record<string, number>> = [];
  for (const name of photos) {
    const full = await env.loadImage(imageRef(name));
    // Sides multiples of 16, so MDAN (relu5_1 guidance) and the decoder keep the same size.
    const photo = resizeToFit(full, size, 16).image;
    full.dispose();
    const started = performance.now();
    const decoded = await decoder.decode(photo, { normalization: 'fixed' });
    const decodeMs = performance.now() - started;
    const mdanStarted = performance.now();
    const mdan = await mdanOf(env, texture, photo, size, iterations);
    const mdanMs = performance.now() - mdanStarted;
    const matched = matchColourHistogram(photo, texture);
    const s = {
      decode: neuralPatchCloseness(vgg, decoded, texture),
      mdan: neuralPatchCloseness(vgg, mdan, texture),
      photo: neuralPatchCloseness(vgg, photo, texture),
      colourMatched: neuralPatchCloseness(vgg, matched, texture),
    };
    // The 4-px lattice (src/method/mgan/lattice.ts): the decode's against the photo's own.
    const lattice = { decodeLattice: await latticeEnergy(decoded), photoLattice: await latticeEnergy(photo), mdanLattice: await latticeEnergy(mdan) };
    const layout = {
      decodeLayout: await layoutCorrelation(decoded, photo),
      mdanLayout: await layoutCorrelation(mdan, photo),
      decodeEdges: await edgeCorrelation(decoded, photo),
      mdanEdges: await edgeCorrelation(mdan, photo),
    };
    scores.push({ ...s, ...lattice, ...layout, decodeMs });
    emit({
      bench: BENCH,
      case: `unseen/${photoName(name)}`,
      backend,
      ms: decodeMs,
      mdanMs: Math.round(mdanMs),
      size: `${photo.shape[1]}x${photo.shape[0]}`,
      decoder: opened.label,
      decode: round4(s.decode),
      mdan: round4(s.mdan),
      photo: round4(s.photo),
      colourMatched: round4(s.colourMatched),
      decodeOverTint: round4(s.decode - s.colourMatched),
      mdanOverTint: round4(s.mdan - s.colourMatched),
      decodeLattice: round4(lattice.decodeLattice),
      photoLattice: round4(lattice.photoLattice),
      mdanLattice: round4(lattice.mdanLattice),
      decodeLayout: round4(layout.decodeLayout),
      mdanLayout: round4(layout.mdanLayout),
      decodeEdges: round4(layout.decodeEdges),
      mdanEdges: round4(layout.mdanEdges),
    });
    matched.dispose();
    if (picture && rows.length < PICTURE_ROWS) rows.push([photo, mdan, decoded]);
    else tf.dispose([photo, mdan, decoded]);
  }
  const mean = (k: string) => round4(scores.reduce((a, s) => a + s[k], 0) / scores.length);
  emit({
    bench: BENCH,
    case: 'mean',
    backend,
    ms: mean('decodeMs'),
    photos: scores.length,
    decoder: opened.label,
    texture: textureName,
    mdanIterations: iterations ?? Number(mdanOptimiserNode.params.find((p) => p.name === 'iterations')!.default),
    decode: mean('decode'),
    mdan: mean('mdan'),
    photo: mean('photo'),
    colourMatched: mean('colourMatched'),
    decodeOverTint: round4(mean('decode') - mean('colourMatched')),
    mdanOverTint: round4(mean('mdan') - mean('colourMatched')),
    decodeLattice: mean('decodeLattice'),
    photoLattice: mean('photoLattice'),
    mdanLattice: mean('mdanLattice'),
    decodeLayout: mean('decodeLayout'),
    mdanLayout: mean('mdanLayout'),
    decodeEdges: mean('decodeEdges'),
    mdanEdges: mean('mdanEdges'),
    passes: mean('decode') - mean('colourMatched') >= MIN_STYLE_GAIN && mean('decodeLayout') >= MIN_LAYOUT && mean('decodeEdges') >= MIN_EDGES,
  });
  if (picture) {
    const image = sideBySide(rows);
    const file = resolve(picture);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, await encodePng(image));
    process.stderr.write(`wrote ${file} (${image.shape[1]}x${image.shape[0]}: photo | MDAN | decode, ${rows.length} unseen photo(s))\n`);
    image.dispose();
  }
  tf.dispose(rows.flat());
  texture.dispose();
  decoder.dispose();
}
