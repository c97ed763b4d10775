/**
 * A trained MGAN decoder: VGG19 relu4_1 -> G, one forward pass per image (docs/method.md, "Decoding").
 * Handles any size (sides floored to a multiple of 8, with a message), optional low-frequency noise
 * added to the input (fights aliasing in flat regions, Fig. 13), and tiled decoding: overlapping
 * blocks blended with feathered weights, so memory stays bounded and there are no seams.
 * Video calls `decode(frame, { normalization: 'fixed', noiseSeed })` per frame.
 */
import * as tf from '@tensorflow/tfjs';
import type { Normalization } from './batch-norm';
import { GENERATOR_INPUT_LAYER, GENERATOR_SCALE, type MganGenerator, generatorInput } from './generator';
import { lowFrequencyNoise } from './noise-input';
import { HalfDecodeNetwork } from './half-decode';
import { halfPrecisionProblem } from '../kernels/webgpu-conv-f16';
import { DECODER_FORMAT, type DecoderMeta, type DecoderThumbnail, type VggConvention } from '../../formats/decoder-meta';
import type { Vgg19, VggLayer } from '../vgg/vgg19';

export interface DecodeOptions {
  /** Weight of low-frequency noise added to the input photo (0 = none). */
  noise?: number;
  noiseSeed?: number;
  /** Tile side in pixels (rounded to a multiple of 8, overlap added), or false/0 for one piece. */
  tile?: number | false;
  /** Default 'fixed' (running statistics recorded in training): stable across frames and tiles. */
  normalization?: Normalization;
  /** Called with notes the user should see ("resized to 200x304"). */
  onMessage?: (message: string) => void;
  signal?: AbortSignal;
  /** Tiled decodes report each finished tile. */
  onProgress?: (done: number, total: number) => void;
  /**
   * 'f32' (default) or 'f16': half precision on WebGPU devices with shader-f16 (half-decode.ts; within
   * HALF_PRECISION_TOLERANCE of f32). Elsewhere, or with 'batch' normalisation, it decodes in f32 and
   * says why once per decoder through `onMessage`.
   */
  precision?: DecodePrecision;
  /** Refuse untiled decodes above this many pixels (default 4 MP: VGG's full-resolution layers need ~1 GB). */
  maxUntiledPixels?: number;
}

export type DecodePrecision = 'f32' | 'f16';
export const DECODE_PRECISIONS: readonly DecodePrecision[] = ['f32', 'f16'];

/**
 * The most an f16 decode's pixel ([0, 1]) may differ from the f32 decode's (measured on the bundled
 * decoders: docs/decoders.md, "Half precision").
 */
export const HALF_PRECISION_TOLERANCE = { maxAbs: 0.01, meanAbs: 0.001 };

/** How far one decode's pixels are from another's: the largest and the mean absolute difference. */
export function pixelDifference(pixels: Float32Array, reference: Float32Array): { maxAbs: number; meanAbs: number } {
  if (pixels.length !== reference.length) throw new Error(`pixelDifference: ${pixels.length} pixels against ${reference.length}`);
  let maxAbs = 0;
  let sum = 0;
  pixels.forEach((v, i) => {
    const d = Math.abs(v - reference[i]);
    maxAbs = Math.max(maxAbs, d);
    sum += d;
  });
  return { maxAbs, meanAbs: sum / pixels.length };
}

export interface MganDecoder {
  meta: DecoderMeta;
  readonly generator: MganGenerator;
  /** image [H, W, 3] in [0, 1] -> stylised image [H', W', 3], H', W' the sides floored to multiples of 8. Caller owns it. */
  decode(image: tf.Tensor3D, options?: DecodeOptions): Promise<tf.Tensor3D>;
  dispose(): void;
}

export type VggLoader = (deepest: VggLayer) => Promise<Vgg19>;

export const DEFAULT_MAX_UNTILED_PIXELS = 2048 * 2048;
/** Overlap of neighbouring tiles, blended with feathered weights (pixels, multiple of 8). */
export const TILE_OVERLAP = 16;
/**
 * Context decoded around each tile and thrown away: VGG+G's receptive field is wide, so pixels near a
 * tile's edge would otherwise see zero padding instead of their neighbours (measured: 64 px of context
 * brings tiled output within ~1% of the one-piece decode).
 */
export const TILE_CONTEXT = 64;

export function checkConvention(meta: DecoderMeta, vgg: Vgg19): void {
  if (vgg.convention !== meta.vggConvention) {
    throw new Error(
      `decoder '${meta.name}' was trained with VGG19 convention '${meta.vggConvention}' but the loaded VGG19 uses ` +
        `'${vgg.convention}': load the matching VGG19 weights or retrain the decoder`,
    );
  }
}

/** Sides floored to a multiple of GENERATOR_SCALE; a message when that changed them. */
export function decodableSize(height: number, width: number): { height: number; width: number; message?: string } {
  const h = Math.floor(height / GENERATOR_SCALE) * GENERATOR_SCALE;
  const w = Math.floor(width / GENERATOR_SCALE) * GENERATOR_SCALE;
  if (h < GENERATOR_SCALE || w < GENERATOR_SCALE) {
    throw new Error(`image ${width}x${height} is too small to decode: both sides must be at least ${GENERATOR_SCALE} px`);
  }
  if (h === height && w === width) return { height, width };
  return { height: h, width: w, message: `image ${width}x${height} is not a multiple of ${GENERATOR_SCALE}: resized to ${w}x${h}` };
}

/** Tile starts along one axis: blocks of `tile`, neighbours overlapping by `overlap`, the last flush with the end. */
export function tileStarts(length: number, tile: number, overlap: number): number[] {
  if (tile >= length) return [0];
  const step = tile - overlap;
  const starts: number[] = [];
  for (let s = 0; s + tile < length; s += step) starts.push(s);
  starts.push(length - tile);
  return starts;
}

/** Feather weights along one axis of a tile: ramps up over the overlap where a neighbour precedes, down where one follows. */
function featherRamp(start: number, size: number, length: number, overlap: number): Float32Array {
  const w = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    let v = 1;
    if (start > 0) v = Math.min(v, (i + 0.5) / overlap);
    if (start + size < length) v = Math.min(v, (size - i - 0.5) / overlap);
    w[i] = Math.max(v, 1e-3);
  }
  return w;
}

class Decoder implements MganDecoder {
  private half?: HalfDecodeNetwork;
  private halfRefusalSaid = false;

  constructor(
    public meta: DecoderMeta,
    readonly generator: MganGenerator,
    private readonly loadVgg: VggLoader,
  ) {}

  async decode(image: tf.Tensor3D, options: DecodeOptions = {}): Promise<tf.Tensor3D> {
    const vgg = await this.loadVgg(GENERATOR_INPUT_LAYER);
    checkConvention(this.meta, vgg);
    const [h0, w0] = image.shape;
    const size = decodableSize(h0, w0);
    if (size.message) options.onMessage?.(size.message);
    const { height, width } = size;
    const half = this.halfNetwork(vgg, options);
    const tile = options.tile ? Math.max(2 * TILE_OVERLAP, Math.round(options.tile / GENERATOR_SCALE) * GENERATOR_SCALE) : 0;
    const input = tf.tidy(() => {
      let x = size.message ? tf.image.resizeBilinear(image, [height, width], true) : image;
      if (options.noise) {
        const noise = lowFrequencyNoise(height, width, options.noiseSeed ?? 0);
        x = tf.clipByValue(tf.add(x, tf.mul(noise, options.noise)), 0, 1);
      }
      return x === image ? tf.clone(image) : (x as tf.Tensor3D);
    });
    try {
      if (!tile || (tile >= height && tile >= width)) {
        const limit = options.maxUntiledPixels ?? DEFAULT_MAX_UNTILED_PIXELS;
        if (height * width > limit) {
          throw new Error(
            `image ${width}x${height} is too large to decode in one piece (limit ${(limit / 1e6).toFixed(1)} MP): set 'tile' (e.g. 512) to decode it in blocks`,
          );
        }
        return this.decodePiece(vgg, input, options.normalization, half);
      }
      return await this.decodeTiled(vgg, input, tile, options, half);
    } finally {
      input.dispose();
    }
  }

  /** The half-precision network when `options` ask for it and it can run; else a message (once) and undefined. */
  private halfNetwork(vgg: Vgg19, options: DecodeOptions): HalfDecodeNetwork | undefined {
    if (options.precision !== 'f16') return undefined;
    const problem = (options.normalization ?? 'fixed') === 'fixed' ? halfPrecisionProblem() : "it needs 'fixed' normalisation";
    if (problem) {
      if (!this.halfRefusalSaid) options.onMessage?.(`precision 'f16' is not available (${problem}): decoding in f32`);
      this.halfRefusalSaid = true;
      return undefined;
    }
    if (this.half && !this.half.uses(vgg)) this.half = (this.half.dispose(), undefined);
    return (this.half ??= HalfDecodeNetwork.build(vgg, this.generator));
  }

  private decodePiece(vgg: Vgg19, piece: tf.Tensor3D, normalization: Normalization = 'fixed', half?: HalfDecodeNetwork): tf.Tensor3D {
    return tf.tidy(() => {
      if (half) return tf.squeeze(half.decode(tf.expandDims(piece, 0) as tf.Tensor4D), [0]) as tf.Tensor3D;
      const features = generatorInput(vgg, tf.expandDims(piece, 0) as tf.Tensor4D);
      return tf.squeeze(this.generator.forward(features, { normalization }), [0]) as tf.Tensor3D;
    });
  }

  private async decodeTiled(vgg: Vgg19, input: tf.Tensor3D, tile: number, options: DecodeOptions, half?: HalfDecodeNetwork): Promise<tf.Tensor3D> {
    const [height, width] = input.shape;
    const th = Math.min(tile, height);
    const tw = Math.min(tile, width);
    const ys = tileStarts(height, th, TILE_OVERLAP);
    const xs = tileStarts(width, tw, TILE_OVERLAP);
    const sum = new Float32Array(height * width * 3);
    const weight = new Float32Array(height * width);
    let done = 0;
    for (const y0 of ys) {
      const wy = featherRamp(y0, th, height, TILE_OVERLAP);
      for (const x0 of xs) {
        if (options.signal?.aborted) throw options.signal.reason ?? new Error('decode cancelled');
        const wx = featherRamp(x0, tw, width, TILE_OVERLAP);
        const out = tf.tidy(() => {
          const cy = Math.max(0, y0 - TILE_CONTEXT);
          const cx = Math.max(0, x0 - TILE_CONTEXT);
          const ch = Math.min(height, y0 + th + TILE_CONTEXT) - cy;
          const cw = Math.min(width, x0 + tw + TILE_CONTEXT) - cx;
          const decoded = this.decodePiece(vgg, tf.slice(input, [cy, cx, 0], [ch, cw, 3]), options.normalization, half);
          return tf.slice(decoded, [y0 - cy, x0 - cx, 0], [th, tw, 3]);
        });
        const pixels = await out.data();
        out.dispose();
        for (let i = 0; i < th; i++) {
          const row = (y0 + i) * width;
          for (let j = 0; j < tw; j++) {
            const wgt = wy[i] * wx[j];
            const p = row + x0 + j;
            const q = (i * tw + j) * 3;
            weight[p] += wgt;
            sum[p * 3] += pixels[q] * wgt;
            sum[p * 3 + 1] += pixels[q + 1] * wgt;
            sum[p * 3 + 2] += pixels[q + 2] * wgt;
          }
        }
        done++;
        options.onProgress?.(done, ys.length * xs.length);
      }
    }
    for (let p = 0; p < weight.length; p++) {
      sum[p * 3] /= weight[p];
      sum[p * 3 + 1] /= weight[p];
      sum[p * 3 + 2] /= weight[p];
    }
    return tf.tensor3d(sum, [height, width, 3]);
  }

  dispose(): void {
    this.half?.dispose();
    this.generator.dispose();
  }
}

/** Wraps a trained generator as a decoder; `loadVgg` gives the (shared, cached) VGG19 encoder. */
export function createMganDecoder(generator: MganGenerator, meta: DecoderMeta, loadVgg: VggLoader): MganDecoder {
  return new Decoder(meta, generator, loadVgg);
}

export function isMganDecoder(x: unknown): x is MganDecoder {
  return !!x && typeof x === 'object' && typeof (x as MganDecoder).decode === 'function' && (x as MganDecoder).meta?.format === DECODER_FORMAT;
}

/** A small RGB thumbnail (longest side `side`) of the training texture, for the decoder's metadata. */
export async function makeThumbnail(texture: tf.Tensor3D, side = 64): Promise<DecoderThumbnail> {
  const [h, w] = texture.shape;
  const k = Math.min(1, side / Math.max(h, w));
  const height = Math.max(1, Math.round(h * k));
  const width = Math.max(1, Math.round(w * k));
  const small = tf.tidy(() => tf.cast(tf.round(tf.mul(tf.clipByValue(tf.image.resizeBilinear(texture, [height, width], true), 0, 1), 255)), 'int32'));
  const values = await small.data();
  small.dispose();
  let binary = '';
  for (let i = 0; i < values.length; i++) binary += String.fromCharCode(values[i]);
  return { width, height, rgbBase64: btoa(binary) };
}
