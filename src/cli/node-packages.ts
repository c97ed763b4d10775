/**
 * `--nodes PKG|DIR`: node packages the user installed (docs/custom-nodes.md), loaded for this run only,
 * by name (an npm package, resolved from the current folder) or by folder. A graph never names code to
 * load: only this flag does.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { nodePackageOf, type NodePackage } from '../nodes/node-package';
import { createNodeRegistry, nodeRegistry, type NodeRegistry } from '../nodes/registry';
import { UsageError } from './io';

/** The `--nodes` option for parseCommandArgs. */
export const NODES_OPTION = { nodes: { type: 'string', multiple: true } } as const;

/** The line each command's help gives the option. */
export const NODES_HELP = '  --nodes PKG|DIR    load the node types of a node package (an installed npm package or a folder; repeatable)';

interface PackageJson {
  name?: unknown;
  main?: unknown;
  exports?: unknown;
}

/** The entry module of a package.json's `exports` ('.', a string, or its import/default condition). */
function exportsEntry(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (!exports || typeof exports !== 'object') return undefined;
  const map = exports as Record<string, unknown>;
  const root = '.' in map ? map['.'] : map;
  if (typeof root === 'string') return root;
  if (root && typeof root === 'object') {
    const conditions = root as Record<string, unknown>;
    for (const key of ['import', 'default', 'node']) if (typeof conditions[key] === 'string') return conditions[key] as string;
  }
  return undefined;
}

/** The package's name and entry module file in `dir`. */
function packageEntry(dir: string, shown: string): { name: string; entry: string } {
  const manifest = join(dir, 'package.json');
  let pkg: PackageJson = {};
  if (existsSync(manifest)) {
    try {
      pkg = JSON.parse(readFileSync(manifest, 'utf8')) as PackageJson;
    } catch (e) {
      throw new UsageError(`node package ${shown}: its package.json is not valid JSON (${(e as Error).message})`);
    }
  }
  const name = typeof pkg.name === 'string' && pkg.name ? pkg.name : basename(dir);
  const declared = exportsEntry(pkg.exports) ?? (typeof pkg.main === 'string' ? pkg.main : undefined);
  const candidates = declared ? [declared] : ['index.ts', 'index.js', 'index.mjs'];
  const entry = candidates.map((c) => resolve(dir, c)).find((p) => existsSync(p) && statSync(p).isFile());
  if (!entry) throw new UsageError(`node package ${shown} has no entry module (looked for ${candidates.join(', ')} in ${dir}; set "exports" or "main" in its package.json)`);
  if (!entry.startsWith(dir)) throw new UsageError(`node package ${shown}: its entry module ${declared} is outside its folder`);
  return { name, entry };
}

/** The folder of `spec`: a folder given as a path, or an npm package resolved from `cwd`. */
function packageDir(spec: string, cwd: string): { dir: string; shown: string } {
  const asPath = resolve(cwd, spec);
  if (/^[./]|[\\/]$/.test(spec) || (existsSync(asPath) && statSync(asPath).isDirectory())) {
    if (!existsSync(asPath) || !statSync(asPath).isDirectory()) throw new UsageError(`node package folder '${spec}' does not exist (--nodes takes an installed package name or a folder)`);
    return { dir: asPath, shown: `folder '${spec}'` };
  }
  try {
    const manifest = createRequire(join(cwd, 'package.json')).resolve(`${spec}/package.json`);
    return { dir: dirname(manifest), shown: `'${spec}'` };
  } catch {
    throw new UsageError(`node package '${spec}' is not installed here (npm install ${spec}), and no folder of that name exists`);
  }
}

/** The package's API module: a node package imports it as `mgan-studio/nodes`, wherever the package lies. */
const API_SPECIFIER = 'mgan-studio/nodes';
/** A clone runs the sources (through tsx); the installed package its built CLI, whose `exports` name the built API. */
const API_SOURCE = new URL('../nodes/api.ts', import.meta.url);
const fromSources = existsSync(API_SOURCE);
let apiResolves = false;

/** Where `specifier` resolves for a node package: the API, and in the built CLI also its TensorFlow.js. */
function packageImports(): Record<string, string> {
  if (fromSources) return { [API_SPECIFIER]: API_SOURCE.href };
  // The built CLI runs tfjs-core (tfjs-lean.ts), not the umbrella package: a package's
  // `@tensorflow/tfjs` is that same tfjs-core, so its tensors live in the CLI's engine.
  return { [API_SPECIFIER]: import.meta.resolve(API_SPECIFIER), '@tensorflow/tfjs': import.meta.resolve('@tensorflow/tfjs-core') };
}

/**
 * Lets the packages' `import … from 'mgan-studio/nodes'` reach this MGAN Studio's own API module (the
 * same module instances the CLI runs), also for a folder outside any npm project.
 */
function resolveApiForPackages(): void {
  if (apiResolves) return;
  apiResolves = true;
  const hook = `const imports = ${JSON.stringify(packageImports())};
export async function resolve(specifier, context, next) {
  return next(Object.hasOwn(imports, specifier) ? imports[specifier] : specifier, context);
}`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
}

/** Loads one node package (its entry module runs: it is code the user chose to install). */
export async function loadNodePackage(spec: string, cwd = process.cwd()): Promise<NodePackage> {
  const { dir, shown } = packageDir(spec, cwd);
  const { name, entry } = packageEntry(dir, shown);
  if (!fromSources && /\.[mc]?ts$/.test(entry)) {
    throw new UsageError(`node package ${shown} is TypeScript (${basename(entry)}); the installed MGAN Studio loads JavaScript: build the package to JavaScript (docs/custom-nodes.md) or run MGAN Studio from a clone`);
  }
  resolveApiForPackages();
  let module: unknown;
  try {
    module = await import(pathToFileURL(entry).href);
  } catch (e) {
    throw new UsageError(`node package ${shown} could not be loaded: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  try {
    return nodePackageOf(name, module);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** The built-in node types plus those of the `--nodes` packages. */
export async function registryWith(specs: string[] | undefined): Promise<NodeRegistry> {
  if (!specs?.length) return nodeRegistry;
  const packages: NodePackage[] = [];
  for (const spec of specs) packages.push(await loadNodePackage(spec));
  try {
    return createNodeRegistry(packages);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
