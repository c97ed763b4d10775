import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// Tests keep their data (VGG19 weights, decoders) in the clone's own .cache, never in the user's
// data folder; every test process and CLI child inherits this.
process.env.MGAN_STUDIO_CACHE = resolve(import.meta.dirname, '.cache');

// Browser tests: build the editor once, serve `dist` with `vite preview`, drive Debian's Chromium
// (SwiftShader WebGPU) with playwright-core. One file at a time: Chromium on two cores is slow enough.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    environment: 'node',
    // The weights first: the editor's MDAN and decoder tests load them from the served cache.
    globalSetup: ['test/support/weights-setup.ts', 'test/e2e/global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 240_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
