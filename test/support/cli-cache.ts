import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { TEST_VGG19_DIR } from './vgg19';

/**
 * CLI runs of the enclosing describe get a fresh data folder of their own (MDAN targets, stored
 * decoders and discriminators never leak between test files) and the test VGG19 weights; both
 * variables are restored afterwards. `before` runs first (e.g. a requirement check).
 */
export function useTemporaryCliCache(prefix: string, before?: () => void): void {
  const saved = { cache: process.env.MGAN_STUDIO_CACHE, vgg: process.env.MGAN_STUDIO_VGG19_DIR };
  let cache: string | undefined;
  beforeAll(() => {
    before?.();
    cache = mkdtempSync(join(tmpdir(), prefix));
    process.env.MGAN_STUDIO_CACHE = cache;
    process.env.MGAN_STUDIO_VGG19_DIR = TEST_VGG19_DIR;
  });
  afterAll(() => {
    for (const [key, value] of [['MGAN_STUDIO_CACHE', saved.cache], ['MGAN_STUDIO_VGG19_DIR', saved.vgg]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    if (cache) rmSync(cache, { recursive: true, force: true });
  });
}
