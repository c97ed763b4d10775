/**
 * Builds the editor and serves `dist` on a free loopback port for the browser tests (once Chromium is
 * known to be there). When the build bundles no `starry_night` decoder (none trained into
 * public/decoders yet), a test decoder (an untrained generator, 8-bit) is written into dist/decoders
 * with its index, so the bundled-decoder path is tested either way; it never lands in public/.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type PreviewServer } from 'vite';
import { writeBundledIndex } from '../../src/platform/node/bundled-decoders';
import { testDecoderFile } from '../decoders/test-decoder-file';
import { requireChromium, stopRun } from '../support/requirements';
import { serveBuiltSite } from './serve';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

let server: PreviewServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  try {
    requireChromium();
  } catch (e) {
    stopRun((e as Error).message);
  }
  await build({ logLevel: 'warn' });
  const bundled = join('dist', 'decoders');
  if (!existsSync(join(bundled, 'starry_night.mgan'))) {
    writeFileSync(join(bundled, 'starry_night.mgan'), await testDecoderFile('starry_night'));
    await writeBundledIndex(bundled);
  }
  const served = await serveBuiltSite();
  server = served.server;
  project.provide('baseUrl', served.url);
}

export async function teardown(): Promise<void> {
  await server?.close();
}
