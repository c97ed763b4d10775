/**
 * Where the browser finds tfjs's WASM binaries: bundled by Vite as assets of the site (so the WASM
 * backend works offline and from any sub-path). Call before `initBackend` picks 'wasm'.
 */
import plainWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimdWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

export async function setBundledWasmPaths(): Promise<void> {
  // Loaded on demand, like backend.ts does: the WASM backend stays out of the main chunk.
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  setWasmPaths({
    'tfjs-backend-wasm.wasm': plainWasm,
    'tfjs-backend-wasm-simd.wasm': simdWasm,
    'tfjs-backend-wasm-threaded-simd.wasm': threadedSimdWasm,
  });
}
