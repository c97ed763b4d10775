/**
 * VGG features of the training crops that never change while G and D learn: G's input (relu4_1 of
 * each photo crop) and D's real batch (relu3_1 of each target crop). A crop's features do not depend
 * on the other crops of its batch (VGG has no batch statistics), so they are computed once per crop
 * and kept, up to a memory budget; crops beyond it are recomputed each time they come round. With a
 * budget the whole dataset fits in, every epoch after the first (and the auto-encoder pass, and the
 * statistics recalibration) skips two VGG passes over the batch.
 */
import * as tf from '@tensorflow/tfjs';
import { generatorInput } from './generator';
import type { MganDataset } from './dataset';
import { discriminatorFeatures } from './losses';
import type { Vgg19 } from '../vgg/vgg19';

/** Default budget: 256 MB holds 341 crops of 128² (relu4_1 0.5 MB + relu3_1 1 MB each). */
export const DEFAULT_CROP_FEATURE_BYTES = 256 * 2 ** 20;

type Kind = 'input' | 'real';

export class CropFeatureCache {
  private readonly kept: Record<Kind, Map<number, tf.Tensor3D>> = { input: new Map(), real: new Map() };
  private bytes = 0;

  constructor(
    private readonly vgg: Vgg19,
    private readonly data: MganDataset,
    private readonly budgetBytes = DEFAULT_CROP_FEATURE_BYTES,
  ) {}

  /** G's input for these crops: relu4_1 of the photo crops [B, crop/8, crop/8, 512]. The caller owns it. */
  input(ids: number[]): tf.Tensor4D {
    return this.features('input', ids, (missing) => generatorInput(this.vgg, this.data.cropsOf(missing, 'photos')));
  }

  /** D's real batch for these crops: relu3_1 of the target crops. The caller owns it. */
  real(ids: number[]): tf.Tensor4D {
    return this.features('real', ids, (missing) => discriminatorFeatures(this.vgg, this.data.cropsOf(missing, 'targets')));
  }

  /** Bytes of features kept. */
  get keptBytes(): number {
    return this.bytes;
  }

  dispose(): void {
    for (const kind of ['input', 'real'] as const) {
      tf.dispose([...this.kept[kind].values()]);
      this.kept[kind].clear();
    }
    this.bytes = 0;
  }

  private features(kind: Kind, ids: number[], compute: (missing: number[]) => tf.Tensor4D): tf.Tensor4D {
    const kept = this.kept[kind];
    const missing = [...new Set(ids.filter((id) => !kept.has(id)))];
    return tf.tidy(() => {
      const fresh = new Map<number, tf.Tensor3D>();
      if (missing.length) {
        const computed = tf.unstack(compute(missing)) as tf.Tensor3D[];
        missing.forEach((id, i) => {
          const bytes = computed[i].size * 4;
          if (this.bytes + bytes <= this.budgetBytes) {
            kept.set(id, tf.keep(computed[i]));
            this.bytes += bytes;
          } else {
            fresh.set(id, computed[i]);
          }
        });
      }
      return tf.stack(ids.map((id) => kept.get(id) ?? fresh.get(id)!)) as tf.Tensor4D;
    });
  }
}
