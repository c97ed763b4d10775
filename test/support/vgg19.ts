/**
 * The one place tests get the VGG19 weights from: the project's installed cache
 * (`<cache>/weights/vgg19`, where `npx mgan-studio weights` puts them). The Vitest global setup
 * (test/support/weights-setup.ts) installs them there before any test runs.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultServicesOptions } from '../../src/platform/node/services';
import { createNodeVgg19Service, vgg19CacheDir } from '../../src/platform/node/weights-store';

/** The project cache the CLI uses (`.cache`, or `$MGAN_STUDIO_CACHE`). */
export const TEST_CACHE_DIR = defaultServicesOptions().cacheDir;

/** The installed weights: `manifest.json` and one file per tensor. */
export const TEST_VGG19_DIR = vgg19CacheDir(TEST_CACHE_DIR);

/** One installed weight file's bytes (a `WeightFileFetcher`). */
export async function readTestWeightFile(filename: string): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await readFile(join(TEST_VGG19_DIR, filename)));
}

/** The `vgg19` service on the installed weights (one model per test file's process). */
export const testVgg19 = createNodeVgg19Service({ cacheDir: TEST_CACHE_DIR });
