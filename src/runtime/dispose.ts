/**
 * Releasing what nodes output. The runtime owns every output value and calls `disposeValue` when the
 * cache evicts it: tensors, arrays and plain objects of them, and anything with a `dispose()` method.
 */
import * as tf from '@tensorflow/tfjs';

function isTensor(v: unknown): v is tf.Tensor {
  return v instanceof tf.Tensor;
}

function hasDispose(v: unknown): v is { dispose(): void } {
  return typeof (v as { dispose?: unknown }).dispose === 'function';
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Disposes every tensor (or disposable) reachable through arrays and plain objects; visits each once. */
export function disposeValue(value: unknown, seen: Set<unknown> = new Set()): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (isTensor(value)) {
    if (!value.isDisposed) value.dispose();
  } else if (hasDispose(value)) {
    value.dispose();
  } else if (Array.isArray(value)) {
    for (const item of value) disposeValue(item, seen);
  } else if (value instanceof Map) {
    for (const item of value.values()) disposeValue(item, seen);
  } else if (isPlainObject(value)) {
    for (const item of Object.values(value)) disposeValue(item, seen);
  }
}
