/** Serves the built editor (`dist`) with `vite preview` on a free loopback port (browser tests, screenshots, canvas bench). */
import { createServer } from 'node:net';
import { preview, type PreviewServer } from 'vite';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** `outDir`: another build than `dist` (the canvas bench compares two). */
export async function serveBuiltSite(outDir?: string): Promise<{ server: PreviewServer; url: string }> {
  const port = await freePort();
  const server = await preview({ logLevel: 'warn', preview: { host: '127.0.0.1', port, strictPort: true, open: false }, ...(outDir ? { build: { outDir } } : {}) });
  return { server, url: `http://127.0.0.1:${port}/` };
}
