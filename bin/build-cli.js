#!/usr/bin/env node
// Builds the CLI to JavaScript in dist-cli/ (run by `prepack`, so the published package needs no tsx):
// our sources bundled with esbuild, every npm dependency left as an import, and one chunk per command
// so that `--help` and `--version` load no command (and no TensorFlow.js).
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist-cli');
rmSync(outdir, { recursive: true, force: true });
/** tfjs-core's ESM dist files (side-effect registrations, see tfjs-lean.ts) go into the bundle: Node cannot import them. */
const bundleTfjsCoreDist = {
  name: 'bundle-tfjs-core-dist',
  setup(build) {
    build.onResolve({ filter: /^@tensorflow\/tfjs-core\/dist\// }, (args) => ({
      path: join(root, 'node_modules', `${args.path}.js`),
    }));
  },
};

const result = await esbuild.build({
  // main.js: the CLI; nodes-api.js: `mgan-studio/nodes` for node packages (package.json's exports).
  // Entries of one build share their chunks, so a package's nodes use the very modules the CLI runs.
  entryPoints: { main: join(root, 'src/cli/main.ts'), 'nodes-api': join(root, 'src/nodes/api.ts') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  plugins: [bundleTfjsCoreDist],
  // tfjs-core and the backends the CLI uses instead of the umbrella package (src/cli/tfjs-lean.ts).
  alias: process.env.MGAN_STUDIO_TFJS_UMBRELLA ? {} : { '@tensorflow/tfjs': join(root, 'src/cli/tfjs-lean.ts') },
  chunkNames: 'chunks/[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
});
const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
console.log(`built dist-cli/ (${Object.keys(result.metafile.outputs).length} files, ${(bytes / 1e6).toFixed(2)} MB)`);
