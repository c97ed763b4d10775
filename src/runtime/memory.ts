/**
 * TensorFlow.js memory figures for the editor's toolbar (src/ui never imports tfjs itself).
 */
import * as tf from '@tensorflow/tfjs';

export interface TensorMemory {
  numTensors: number;
  numBytes: number;
  /** Bytes on the GPU (WebGL/WebGPU backends report it). */
  gpuBytes?: number;
}

export function tensorMemory(): TensorMemory {
  const m = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number; numBytesInGPUAllocated?: number };
  return { numTensors: m.numTensors, numBytes: m.numBytes, gpuBytes: m.numBytesInGPUAllocated ?? m.numBytesInGPU };
}
