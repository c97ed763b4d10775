import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The editor is a static site; `base: './'` lets the built site open from any folder or sub-path.
export default defineConfig({
  base: './',
  plugins: [react()],
  root: '.',
  build: { outDir: 'dist', target: 'es2022', chunkSizeWarningLimit: 4000 },
  optimizeDeps: { exclude: ['@tensorflow/tfjs-backend-wasm'] },
});
