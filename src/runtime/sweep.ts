/**
 * Running a sweep: the same runtime runs one document per value in turn (so everything upstream of
 * the swept node is computed once and served from the cache after), and each output's image is read
 * back as plain RGBA for the contact sheet. Used by the CLI and the editor alike.
 */
import * as tf from '@tensorflow/tfjs';
import type { GraphDocument, PortRef } from '../graph/types';
import { imageTensorToRgba } from '../method/image/image-tensor';
import type { RgbaImage } from '../formats/contact-sheet';
import type { GraphRuntimeApi, SweepRunOptions, SweepRunResult, SweepStep } from './types';

export type { SweepRunOptions, SweepRunResult, SweepStep } from './types';

/**
 * Runs `docs` one after the other on `runtime` (long nodes included) and reads the image at each
 * of `outputs` after each run. The runtime is left holding the last document run.
 */
export async function runSweep(runtime: GraphRuntimeApi, docs: GraphDocument[], outputs: PortRef[], options: SweepRunOptions = {}): Promise<SweepRunResult> {
  const images: Array<Record<string, RgbaImage>> = [];
  const steps: SweepStep[] = [];
  for (let index = 0; index < docs.length; index++) {
    if (options.signal?.aborted) return { ok: false, failed: { index, statuses: new Map() }, steps, cancelled: true };
    options.onValue?.(index, docs.length);
    runtime.setDocument(docs[index]);
    const statuses = await runtime.run({ targets: [...new Set(outputs.map((o) => o.node))], includeLong: true });
    const step = { index, statuses };
    steps.push(step);
    const states = [...statuses.values()].map((s) => s.state);
    if (options.signal?.aborted || states.some((s) => s === 'cancelled')) return { ok: false, failed: step, steps, cancelled: true };
    if (states.some((s) => s !== 'done')) return { ok: false, failed: step, steps, cancelled: false };
    const row: Record<string, RgbaImage> = {};
    for (const { node, port } of outputs) {
      const value = runtime.getOutput(node, port);
      if (!(value instanceof tf.Tensor) || value.rank !== 3 || value.shape[2] !== 3) {
        const failed = new Map(statuses);
        failed.set(node, { nodeId: node, state: 'error', error: `no image reached '${node}'` });
        return { ok: false, failed: { index, statuses: failed }, steps, cancelled: false };
      }
      const image = value as tf.Tensor3D;
      // Read before the next value runs: the cache may drop this result then.
      row[node] = { width: image.shape[1], height: image.shape[0], data: await imageTensorToRgba(image) };
    }
    images.push(row);
  }
  return { ok: true, images, steps };
}
