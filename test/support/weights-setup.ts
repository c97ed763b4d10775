/**
 * Vitest global setup: makes sure the VGG19 weights are in the project cache once per run, before any
 * test file starts. Installs them with the CLI's own installer (every file checked by size and md5)
 * from `$MGAN_STUDIO_WEIGHTS_FROM` (a folder or URL) if set, else from the copy `npx mgan-studio weights`
 * installed into the user's data folder (read, never written), else from the pinned public source.
 * When that fails the run stops with one line saying what to do: tests never skip for want of weights.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { VGG19_MANIFEST_FILE } from '../../src/method/vgg/vgg19-weights';
import { DEFAULT_VGG19_WEIGHTS_URL } from '../../src/platform/common/weights-source';
import { userDataDir } from '../../src/platform/node/user-data';
import { installWeights } from '../../src/platform/node/weights-store';
import { stopRun } from './requirements';
import { TEST_CACHE_DIR, TEST_VGG19_DIR } from './vgg19';

export const WEIGHTS_FROM_ENV = 'MGAN_STUDIO_WEIGHTS_FROM';

/** A download that stalls (a firewall dropping packets) fails instead of hanging the run. */
const DOWNLOAD_TIMEOUT_MS = 60_000;
const fetchWithTimeout: typeof fetch = (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });

export async function setup(): Promise<void> {
  // installWeights writes the manifest last: its presence means a complete install.
  if (existsSync(join(TEST_VGG19_DIR, VGG19_MANIFEST_FILE))) return;
  const fromEnv = process.env[WEIGHTS_FROM_ENV];
  const userCopy = join(userDataDir(), 'weights', 'vgg19');
  const from = fromEnv || (existsSync(join(userCopy, VGG19_MANIFEST_FILE)) ? userCopy : DEFAULT_VGG19_WEIGHTS_URL);
  console.log(`Installing the VGG19 weights for the tests from ${from} into ${TEST_VGG19_DIR}`);
  try {
    await installWeights(from, { cacheDir: TEST_CACHE_DIR, fetchImpl: fetchWithTimeout });
  } catch (e) {
    const reason = (e as Error).message;
    stopRun(
      fromEnv
        ? `The tests need the VGG19 weights: installing them from ${WEIGHTS_FROM_ENV}=${fromEnv} failed (${reason}). Point it at a folder holding manifest.json and the weight files, or run \`npx mgan-studio weights --from <folder>\`.`
        : `The tests need the VGG19 weights and installing them from ${from} failed (${reason}). Run \`npx mgan-studio weights --from <folder>\` with a copy of them, or set ${WEIGHTS_FROM_ENV}=<folder>.`,
    );
  }
}
