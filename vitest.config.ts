import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// Tests keep their data (VGG19 weights, decoders) in the clone's own .cache, never in the user's
// data folder; every test process and CLI child inherits this.
process.env.MGAN_STUDIO_CACHE = resolve(import.meta.dirname, '.cache');

// Unit and integration tests run in Node on the WASM backend (docs/runtime.md, "Backends").
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'node',
    // Installs the VGG19 weights into the project cache once per run when they are missing.
    globalSetup: ['test/support/weights-setup.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores: tfjs tests are CPU bound, so run files in at most two forks, each (and every CLI it
    // spawns) on one WASM thread; test/runtime/wasm-threads.test.ts asks for more explicitly.
    pool: 'forks',
    maxWorkers: 2,
    env: { MGAN_STUDIO_THREADS: '1' },
  },
});
