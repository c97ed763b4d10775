// Every Node test runs on the WASM backend, the CLI's default.
import { initBackend } from '../src/runtime/backend';

await initBackend('wasm');
