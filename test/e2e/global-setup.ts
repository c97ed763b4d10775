/** Builds the editor and serves `dist` on a free loopback port for the browser tests. */
import { build, type PreviewServer } from 'vite';
import { serveBuiltSite } from './serve';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

let server: PreviewServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  await build({ logLevel: 'warn' });
  const served = await serveBuiltSite();
  server = served.server;
  project.provide('baseUrl', served.url);
}

export async function teardown(): Promise<void> {
  await server?.close();
}
