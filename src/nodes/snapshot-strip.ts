/**
 * The MGAN trainer's snapshots at chosen batch counts as one labelled strip (the paper's Fig. 6: the
 * decoder after 100, 300 and 1000 batches), built as the training goes and read as an Image.
 */
import type * as tf from '@tensorflow/tfjs';
import { composeContactSheet, type SheetTile } from '../formats/contact-sheet';
import { imageTensorToRgba, rgbaToImageTensor } from '../method/image/image-tensor';
import { ParamError } from './types';

/** A param listing batch counts ("100, 300, 1000") as sorted whole numbers; a ParamError naming a bad entry. */
export function parseBatchCounts(text: string, param: string, nodeType: string): number[] {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  const counts = parts.map(Number);
  const bad = parts.find((_, i) => !Number.isInteger(counts[i]) || counts[i] < 1);
  if (bad !== undefined) throw new ParamError(undefined, param, `${nodeType}: ${param} lists batch counts (whole numbers from 1, e.g. 100, 300, 1000); '${bad}' is not one`);
  return [...new Set(counts)].sort((a, b) => a - b);
}

export class SnapshotStrip {
  private readonly tiles: SheetTile[] = [];
  private readonly steps = new Set<number>();

  constructor(readonly counts: readonly number[]) {}

  /** Whether `step` is one the strip keeps (and has not kept yet). */
  wants(step: number): boolean {
    return this.counts.includes(step) && !this.steps.has(step);
  }

  /** Keeps a copy of `image` (the caller still owns it) under "after N batches". */
  async add(image: tf.Tensor3D, step: number, note = ''): Promise<void> {
    if (this.steps.has(step)) return;
    this.steps.add(step);
    const [height, width] = image.shape;
    this.tiles.push({ image: { width, height, data: await imageTensorToRgba(image) }, label: `${step} batch${step === 1 ? '' : 'es'}${note}` });
  }

  /** The counts asked for that the training never reached. */
  missed(lastStep: number): number[] {
    return this.counts.filter((c) => c > lastStep);
  }

  get size(): number {
    return this.tiles.length;
  }

  /** The strip as an image [H, W, 3] in [0, 1] (the caller owns it). */
  image(title: string): tf.Tensor3D {
    const sheet = composeContactSheet(this.tiles, title);
    return rgbaToImageTensor(sheet.data, sheet.width, sheet.height);
  }
}
