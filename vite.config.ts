import { createReadStream, existsSync, statSync } from 'node:fs';
import { join, normalize, resolve } from 'node:path';
import { defineConfig, type Connect, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { defaultCacheDir } from './src/platform/node/user-data';

const WEIGHTS_DIR = resolve(defaultCacheDir(), 'weights/vgg19');

/**
 * Serves `/weights/vgg19/*` from the user's installed weights (`npx mgan-studio weights` fills it),
 * in `vite` dev and `vite preview`, so MDAN runs in the browser without internet. The weights are
 * never part of the build output.
 */
function localWeights(): Plugin {
  const serve: Connect.NextHandleFunction = (req, res, next) => {
    const url = (req.url ?? '').split('?')[0]!;
    const at = url.indexOf('/weights/vgg19/');
    if (at < 0) return next();
    const name = decodeURIComponent(url.slice(at + '/weights/vgg19/'.length));
    const file = normalize(join(WEIGHTS_DIR, name));
    if (!file.startsWith(WEIGHTS_DIR) || !existsSync(file) || !statSync(file).isFile()) return next();
    res.setHeader('Content-Type', name.endsWith('.json') ? 'application/json' : 'application/octet-stream');
    res.setHeader('Content-Length', String(statSync(file).size));
    createReadStream(file).pipe(res);
  };
  return {
    name: 'mgan-local-weights',
    configureServer: (server) => void server.middlewares.use(serve),
    configurePreviewServer: (server) => void server.middlewares.use(serve),
  };
}

/**
 * Cross-origin isolation: with these two headers the page gets SharedArrayBuffer, which WASM's threads
 * need (src/platform/browser/wasm-threads.ts). A static host must send them too (docs/runtime.md).
 * `require-corp` also means cross-origin images load only with CORS (fetch does) or a CORP header.
 */
const CROSS_ORIGIN_ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// The editor is a static site; `base: './'` lets the built site open from any folder or sub-path.
export default defineConfig({
  base: './',
  plugins: [react(), localWeights()],
  root: '.',
  server: { headers: CROSS_ORIGIN_ISOLATION },
  preview: { headers: CROSS_ORIGIN_ISOLATION },
  build: { outDir: 'dist', target: 'es2022', chunkSizeWarningLimit: 4000 },
  // The runtime worker (src/worker/runtime-worker.ts) is a module worker: it loads the WASM
  // backend and its thread script on demand, which needs ES chunks.
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['@tensorflow/tfjs-backend-wasm'] },
});
