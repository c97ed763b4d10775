// Every Node test runs on the WASM backend, the CLI's default, on MGAN_STUDIO_THREADS threads
// (vitest.config.ts sets 1: two test processes run at once on two cores).
import { initBackend } from '../src/runtime/backend';
import { nodeWasmThreading } from '../src/platform/node/wasm-threads';

await initBackend('wasm', { wasmThreading: nodeWasmThreading });
