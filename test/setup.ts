// Every Node test runs on the WASM backend, the CLI's default, on MGAN_STUDIO_THREADS threads
// (vitest.config.ts sets 1: two test processes run at once on two cores).
import { initBackend } from '../src/runtime/backend';
import { installNodeWasmThreads } from '../src/platform/node/wasm-threads';

installNodeWasmThreads();
await initBackend('wasm');
