/**
 * Serves the built editor (the package's dist/) over HTTP on this machine, the way `vite preview`
 * does: the samples and bundled decoders from public/ (the package ships them once, not in dist/ too),
 * the VGG19 weights from the user's data folder at /weights/vgg19/, and the two cross-origin isolation
 * headers WASM threads need. Static files only (sirv), nothing written.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import sirv from 'sirv';
import { vgg19CacheDir } from './weights-store';

export interface EditorServerOptions {
  /** The package's root (dist/ and public/ inside). */
  packageRoot: string;
  /** The user's data folder (weights inside). */
  cacheDir: string;
  host: string;
  /** 0 = any free port. */
  port: number;
}

export const CROSS_ORIGIN_ISOLATION: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export class EditorNotBuiltError extends Error {}

/** Starts the server; resolves with it and its URL once it listens. */
export async function startEditorServer(options: EditorServerOptions): Promise<{ server: Server; url: string }> {
  const dist = join(options.packageRoot, 'dist');
  if (!existsSync(join(dist, 'index.html'))) {
    throw new EditorNotBuiltError(`the editor is not built (no ${join(dist, 'index.html')}): in a clone run \`npm run build\` first`);
  }
  const weights = sirv(vgg19CacheDir(options.cacheDir), { dev: true });
  const site = sirv(dist, { dev: true });
  const assets = sirv(join(options.packageRoot, 'public'), { dev: true });
  const server = createServer((req, res) => {
    for (const [name, value] of Object.entries(CROSS_ORIGIN_ISOLATION)) res.setHeader(name, value);
    const notFound = () => {
      res.statusCode = 404;
      res.end('not found');
    };
    const url = req.url ?? '/';
    if (url.startsWith('/weights/vgg19/')) {
      req.url = url.slice('/weights/vgg19'.length);
      weights(req, res, notFound);
      return;
    }
    site(req, res, () => assets(req, res, notFound));
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolveListen());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { server, url: `http://${options.host === '0.0.0.0' ? 'localhost' : options.host}:${port}/` };
}
