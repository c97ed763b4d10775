import { defineConfig } from 'vitest/config';

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
