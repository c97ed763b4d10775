/**
 * Direct access to the WASM backend's memory for kernels written in JavaScript: where a tensor's values
 * start, and a view of the whole heap. A JS loop over that memory beats WASM kernels that copy or index
 * element by element (transposes before reductions, per-element index arithmetic in gathers and
 * depthToSpace), and it needs no copy in or out.
 */
import type * as tf from '@tensorflow/tfjs';

/** The parts of tfjs-backend-wasm's BackendWasm these kernels use. */
export interface WasmBackendLike {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(id: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: 'float32' | 'int32'): tf.TensorInfo;
}

/**
 * A float view of the whole heap. Take it after the last `makeOutput` of a kernel: growing the memory
 * replaces the buffer, and older views go stale.
 */
export function heapF32(backend: WasmBackendLike): Float32Array {
  return new Float32Array(backend.wasm.HEAPU8.buffer);
}

export function heapI32(backend: WasmBackendLike): Int32Array {
  return new Int32Array(backend.wasm.HEAPU8.buffer);
}

/** Index of a tensor's first value in a 4-byte view of the heap. */
export function heapIndex(backend: WasmBackendLike, t: tf.TensorInfo): number {
  return backend.dataIdMap.get(t.dataId).memoryOffset / 4;
}
