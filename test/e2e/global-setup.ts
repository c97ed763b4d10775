/** Builds the editor and serves `dist` on a free loopback port for the browser tests (once Chromium is known to be there). */
import { build, type PreviewServer } from 'vite';
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
  const served = await serveBuiltSite();
  server = served.server;
  project.provide('baseUrl', served.url);
}

export async function teardown(): Promise<void> {
  await server?.close();
}
