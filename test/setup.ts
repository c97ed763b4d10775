// Every Node test runs on the WASM backend, the CLI's default; on one thread, since vitest runs two
// test processes at once (MGAN_TEST_THREADS=N runs the whole suite on N threads instead).
import { initBackend } from '../src/runtime/backend';
import { installNodeWasmThreads } from '../src/platform/node/wasm-threads';

installNodeWasmThreads();
await initBackend('wasm', { threads: Number(process.env.MGAN_TEST_THREADS ?? 1) });
