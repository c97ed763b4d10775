/** What the Decoders panel says of a decoder: what it learnt from and what that cost, in one line. */

import { trainingRecordOf } from '../formats/training-record';
import { formatDuration } from '../runtime/time-left';
import type { DecoderMeta } from '../formats/decoder-meta';

/** At most this many photo names; more are counted. */
const MAX_PHOTO_NAMES = 4;

/**
 * "texture starry_night · 2 photos (astronaut, chelsea) · 3 batches of 2 · 12 crops of 64 px · 4s on
 * test machine · 2026-11-27", from the training record; without one, what the trainer's settings say.
 */
export function trainingSummary(meta: Pick<DecoderMeta, 'record' | 'training'>): string {
  const { record, problem } = trainingRecordOf(meta);
  if (record) {
    const photos = `${record.photoCount} photo${record.photoCount === 1 ? '' : 's'}`;
    const named = record.photos?.length
      ? ` (${record.photos.slice(0, MAX_PHOTO_NAMES).join(', ')}${record.photos.length > MAX_PHOTO_NAMES ? `, … ${record.photos.length - MAX_PHOTO_NAMES} more` : ''})`
      : '';
    return [
      `texture ${record.texture ?? 'not named'}`,
      photos + named,
      `${record.steps} batches of ${record.batchSize}`,
      `${record.crops} crops of ${record.cropSize} px`,
      `${formatDuration(record.seconds * 1000)} on ${record.machine}`,
      record.date.slice(0, 10),
    ].join(' · ');
  }
  if (problem) return `training record unreadable: ${problem}`;
  const t = meta.training ?? {};
  const known = (['loss', 'epochs', 'steps', 'crops'] as const).filter((k) => t[k] !== undefined).map((k) => `${k} ${String(t[k])}`);
  return known.length ? `no training record; settings: ${known.join(', ')}` : 'no training record';
}

/** A texture thumbnail's largest side: anything bigger in a decoder's meta is not drawn. */
const MAX_THUMBNAIL_SIDE = 256;

/**
 * The texture thumbnail of a decoder's meta as RGBA pixels for a canvas, or undefined when it has
 * none or it is malformed (the meta comes from files others made: sizes and length are checked).
 */
export function thumbnailPixels(thumbnail: DecoderMeta['thumbnail'] | undefined): { width: number; height: number; data: Uint8ClampedArray } | undefined {
  if (!thumbnail || typeof thumbnail !== 'object') return undefined;
  const { width, height, rgbBase64 } = thumbnail;
  const side = (v: unknown) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= MAX_THUMBNAIL_SIDE;
  if (!side(width) || !side(height) || typeof rgbBase64 !== 'string') return undefined;
  let rgb: string;
  try {
    rgb = atob(rgbBase64);
  } catch {
    return undefined;
  }
  if (rgb.length !== width * height * 3) return undefined;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0, o = 0; i < rgb.length; i += 3, o += 4) {
    data[o] = rgb.charCodeAt(i);
    data[o + 1] = rgb.charCodeAt(i + 1);
    data[o + 2] = rgb.charCodeAt(i + 2);
    data[o + 3] = 255;
  }
  return { width, height, data };
}
