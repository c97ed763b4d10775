/**
 * What the built CLI imports for `@tensorflow/tfjs` (bin/build-cli.js points the name here): tfjs-core
 * and the CPU backend, the only parts of the umbrella package Node runs (WASM and WebGPU load on demand
 * in runtime/backend.ts). The umbrella adds WebGL, layers, the converter and data: 250 MB installed
 * that a headless run never touches. The code base keeps importing '@tensorflow/tfjs' (the editor
 * needs WebGL), so this file is the one place that knows the difference.
 */
export * from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// What the umbrella adds to core on import: gradients and chained ops (`x.clipByValue()`). tfjs keeps
// its engine, kernel and gradient registries and the Tensor class in globals, so these register into
// the one engine the CPU and WASM backends use (the build bundles them; Node cannot load core's ESM dist).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';

/** Keras layers models are a library feature of the full `@tensorflow/tfjs`, not used by the CLI. */
export function loadLayersModel(): never {
  throw new Error('Keras layers models need the full @tensorflow/tfjs package (npm install @tensorflow/tfjs); the CLI loads VGG19 from its own weight files');
}
