/**
 * How long a long node will take before it runs: its work (src/runtime/estimate.ts) at the speed
 * this browser measured for the backend (SpeedMemory, fed by every timed run), else a hint to run
 * it once.
 */
import type { GraphDocument } from '../../graph/types';
import { nodeRegistry } from '../../nodes/registry';
import { estimateSeconds, measuredFactor, workOf } from '../../runtime/estimate';
import { formatDuration } from '../../runtime/time-left';
import type { BackendName } from '../../runtime/types';
import type { SpeedMemory } from './speed';

/** A long node's time before it runs: one line for the card, the breakdown for its tooltip. */
export interface NodeEstimate {
  text: string;
  detail: string;
  /** The whole run's seconds, when the work is counted. */
  seconds?: number;
}

/** How the editor names each backend (toolbar, estimates). */
export const BACKEND_LABEL: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU' };

/** Records a timed run's pace as this backend's speed (ms per iteration of `nodeId`'s work). */
export function recordSpeed(speed: SpeedMemory, doc: GraphDocument, nodeId: string, msPerIteration: number, backend: BackendName | undefined): void {
  const parts = workOf(doc, nodeId, nodeRegistry);
  const factor = parts && measuredFactor(parts, msPerIteration);
  if (factor !== undefined && backend) speed.record(backend, factor);
}

/**
 * A speed factor in words: the factor is this machine's time over the reference's for the same
 * work, so above 1 is slower ("2.8x slower than the reference machine").
 */
export function speedWords(factor: number): string {
  if (factor >= 1.05) return `${factor.toPrecision(2)}x slower than the reference machine`;
  if (factor <= 1 / 1.05) return `${(1 / factor).toPrecision(2)}x faster than the reference machine`;
  return 'about as fast as the reference machine';
}

export function estimateNode(speed: SpeedMemory, doc: GraphDocument, nodeId: string, backend: BackendName | undefined): NodeEstimate | undefined {
  const parts = workOf(doc, nodeId, nodeRegistry);
  if (!parts?.length || !backend) return undefined;
  const name = BACKEND_LABEL[backend];
  const measured = speed.speed(backend);
  if (!measured) {
    return {
      text: `time: known after a first run on ${name}`,
      detail: `No speed measured for ${name} in this browser yet: it depends on the GPU. Run the node once (a few iterations, then stop is enough); later estimates use that pace.`,
    };
  }
  const e = estimateSeconds(parts, measured.factor);
  const lines = e.parts.map((p) => `${p.label}: ${p.seconds === undefined ? 'count known only when it runs' : formatDuration(p.seconds * 1000)}`);
  lines.push(`${name} here: ${speedWords(measured.factor)} (${measured.note}); the reference machine: Node WASM on a 2-core machine, docs/editor.md`);
  const text =
    e.seconds !== undefined
      ? `takes ≈ ${formatDuration(e.seconds * 1000)} on ${name}`
      : e.secondsPerIteration !== undefined
        ? `takes ≈ ${formatDuration(e.secondsPerIteration * 1000)} per ${e.each ?? 'step'} on ${name}`
        : `time: known when it runs`;
  return { text, detail: lines.join('\n'), seconds: e.seconds };
}

/**
 * Run all's time, summed over the long nodes it runs: a running node's time left (from its pace),
 * each one still to run at its estimate. Undefined while any of them has no number yet.
 */
export function totalSeconds(longNodes: Array<{ state: string; msLeft?: number; estimate?: NodeEstimate }>): number | undefined {
  let total = 0;
  for (const n of longNodes) {
    if (n.state === 'done') continue;
    const seconds = n.state === 'running' || n.state === 'paused' ? (n.msLeft === undefined ? n.estimate?.seconds : n.msLeft / 1000) : n.estimate?.seconds;
    if (seconds === undefined) return undefined;
    total += seconds;
  }
  return total;
}
