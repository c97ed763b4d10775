#!/usr/bin/env node
// `npm run bench -- NAME [args]` runs bench/NAME.ts (or bench/NAME/index.ts); it prints one JSON line per measurement.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Benches use the clone's own .cache (weights, decoders) as the tests do, unless told otherwise.
process.env.MGAN_STUDIO_CACHE ||= join(root, '.cache');
const [name, ...args] = process.argv.slice(2);
const candidates = name ? [join(root, 'bench', `${name}.ts`), join(root, 'bench', name, 'index.ts')] : [];
const file = candidates.find((f) => existsSync(f));
if (!file) {
  console.error(name ? `no benchmark named '${name}' in bench/` : 'usage: npm run bench -- NAME [args]');
  process.exit(2);
}
const mod = await import(file);
if (typeof mod.default === 'function') await mod.default(args);
