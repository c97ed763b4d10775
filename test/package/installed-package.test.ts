/**
 * The package as a user gets it: `npm pack` (which builds the editor and the CLI at prepack), then the
 * tarball installed into an empty folder, then the installed `mgan-studio` run there: --version,
 * decode on a photo, run a preset by name, a node package loaded with --nodes, editor serving its page. Its data folder is the clone's
 * .cache ($MGAN_STUDIO_CACHE from vitest.config.ts), where the weights are.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PNG } from 'pngjs';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function ok(result: SpawnSyncReturns<string>, what: string): SpawnSyncReturns<string> {
  if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status}): ${result.stderr || result.error?.message}`);
  return result;
}

describe('the packed package, installed into an empty folder', () => {
  const work = mkdtempSync(join(tmpdir(), 'mgan-package-'));
  const app = join(work, 'app');
  const bin = join(app, 'node_modules', '.bin', 'mgan-studio');
  let files: string[] = [];
  const cli = (...args: string[]) => spawnSync(bin, args, { cwd: app, encoding: 'utf8', timeout: 300_000 });

  beforeAll(() => {
    // --prefer-offline: what `npm ci` put in npm's cache is used, the registry only for the rest.
    const packed = ok(spawnSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8', timeout: 400_000 }), 'npm pack');
    const info = JSON.parse(packed.stdout.slice(packed.stdout.lastIndexOf('[\n  {'))) as Array<{ filename: string; files: Array<{ path: string }> }>;
    files = info[0].files.map((f) => f.path);
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'user-app', version: '1.0.0', private: true }));
    ok(
      spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(work, info[0].filename)], { cwd: app, encoding: 'utf8', timeout: 400_000 }),
      'npm install of the tarball',
    );
  }, 900_000);

  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('ships the built CLI, the editor, presets, samples, decoders, README and LICENSE, and no tests or sources', () => {
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'bin/mgan-studio.js', 'dist-cli/main.js', 'dist-cli/nodes-api.js', 'dist/index.html', 'presets/perlin-noise.json', 'public/decoders/index.json']));
    expect(files.filter((f) => /^(src|test|bench|docs|\.ci)\//.test(f) || f.startsWith('dist/samples/') || f.startsWith('dist/decoders/'))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules', 'mgan-studio', 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest.private).toBeUndefined();
    expect(Object.keys(manifest.dependencies as object)).not.toContain('@tensorflow/tfjs');
    // Every package the built CLI imports is a dependency (not a devDependency the install lacks).
    const built = join(app, 'node_modules', 'mgan-studio', 'dist-cli');
    const imported = new Set<string>();
    for (const file of readdirSync(built, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'))) {
      const code = readFileSync(join(built, file), 'utf8');
      // Static imports (`import {...} from "x";`, `import "x";`) start a line; dynamic ones are `import("x")`.
      for (const m of code.matchAll(/^\s*import\b[^"';]*?(?:from\s*)?"([^"]+)";|\bimport\("([^"]+)"\)/gm)) {
        const spec = m[1] ?? m[2];
        if (spec.startsWith('.') || spec.startsWith('node:')) continue;
        imported.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
      }
    }
    expect([...imported].filter((name) => !(name in (manifest.dependencies as object)))).toEqual([]);
    expect(imported.has('@tensorflow/tfjs-core')).toBe(true);
    expect(existsSync(join(app, 'node_modules', 'tsx'))).toBe(false);
    expect(existsSync(join(app, 'node_modules', '@tensorflow', 'tfjs-backend-webgl'))).toBe(false);
  });

  it('--version prints the version', () => {
    const result = ok(cli('--version'), '--version');
    expect(result.stdout.trim()).toBe(VERSION);
  });

  it('decode PHOTO writes <photo>-<decoder>.png with the bundled decoder', () => {
    const photo = join(app, 'holiday snap.png');
    writeFileSync(photo, readFileSync(join(ROOT, 'public/samples/photos/coffee.png')));
    const result = ok(cli('decode', photo, '--max-side', '64', '--threads', '1', '-o', 'styled', '--json'), 'decode');
    const summary = JSON.parse(result.stdout) as { written: Array<{ path: string; width: number }>; exitCode: number };
    expect(summary.exitCode).toBe(0);
    expect(summary.written.map((w) => w.path)).toEqual([join(app, 'styled', 'holiday-snap-starry_night.png')]);
    expect(readFileSync(summary.written[0].path).subarray(1, 4).toString()).toBe('PNG');
  });

  it('run NAME finds the bundled preset', () => {
    const result = ok(cli('run', 'perlin-noise', '--threads', '1', '-o', 'noise'), 'run perlin-noise');
    expect(result.stdout).toMatch(/wrote .*noise\/out_noise\.png \(256x256\)/);
    expect(existsSync(join(app, 'noise', 'out_photo.png'))).toBe(true);
  });

  it('run --nodes DIR loads the example node package, as its author publishes it (JavaScript), from a folder outside any project', async () => {
    // The example built to JavaScript the way a package ships to npm; `mgan-studio/nodes` and
    // `@tensorflow/tfjs` stay imports, and resolve to the installed MGAN Studio's own.
    const example = join(ROOT, 'examples/nodes-image-filter');
    const pkg = join(work, 'nodes-image-filter');
    await esbuild.build({ entryPoints: [join(example, 'index.ts')], outfile: join(pkg, 'index.js'), bundle: true, format: 'esm', platform: 'node', external: ['mgan-studio/nodes', '@tensorflow/tfjs'], logLevel: 'error' });
    const manifest = JSON.parse(readFileSync(join(example, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ ...manifest, exports: './index.js' }));
    const graph = join(work, 'posterize-photo.json');
    writeFileSync(graph, readFileSync(join(example, 'posterize-photo.json')));
    const result = ok(cli('run', graph, '--nodes', pkg, '--threads', '1', '-o', 'posterized'), 'run --nodes');
    expect(result.stdout).toMatch(/wrote .*posterized\/out\.png \(64x43\)/);
    const png = readFileSync(join(app, 'posterized', 'out.png'));
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([64, 43]);
    // posterized to 3 levels: every channel of every pixel is black, half or full.
    const { data } = PNG.sync.read(png);
    const values = new Set(Array.from(data).filter((_, i) => i % 4 !== 3));
    expect([...values].every((v) => [0, 127, 128, 255].includes(v))).toBe(true);
    // The TypeScript sources themselves need a clone (tsx); the installed CLI says so in one line.
    const ts = cli('run', graph, '--nodes', example, '--threads', '1', '-o', 'posterized-ts');
    expect(ts.status).toBe(2);
    expect(ts.stderr).toMatch(/is TypeScript \(index\.ts\); the installed MGAN Studio loads JavaScript/);
  });

  it('editor serves the built editor from the package (page, bundled decoders, weights) and prints the URL', async () => {
    const child = spawn(bin, ['editor', '--port', '0', '--no-open', '--json'], { cwd: app });
    try {
      const url = await new Promise<string>((found, failed) => {
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          const line = text.split('\n').find((l) => l.startsWith('{'));
          if (line) found((JSON.parse(line) as { url: string }).url);
        });
        child.once('exit', (code) => failed(new Error(`editor exited (${code}) before printing its URL`)));
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(page.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
      expect(await page.text()).toMatch(/<title>MGAN Studio<\/title>/);
      expect((await fetch(new URL('decoders/index.json', url))).status).toBe(200);
      expect((await fetch(new URL('weights/vgg19/manifest.json', url))).status).toBe(200);
      expect((await fetch(new URL('weights/vgg19/../../package.json', url))).status).not.toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('moves an old in-package .cache (earlier versions) into the user\'s data folder once, nothing lost', () => {
    const old = join(app, 'node_modules', 'mgan-studio', '.cache');
    const files = { 'decoders/mine/decoder.json': '{"fake":true}', 'mgan-checkpoints/abc/state.json': 'step 40' };
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(join(old, rel, '..'), { recursive: true });
      writeFileSync(join(old, rel), text);
    }
    const xdg = join(work, 'xdg');
    const env = { ...process.env, MGAN_STUDIO_CACHE: '', XDG_DATA_HOME: xdg };
    const first = spawnSync(bin, ['decoders', 'list'], { cwd: app, encoding: 'utf8', env });
    expect(first.stderr).toMatch(/moved your MGAN Studio data \(2 files\) from .*mgan-studio\/\.cache to .*xdg\/mgan-studio/);
    for (const [rel, text] of Object.entries(files)) expect(readFileSync(join(xdg, 'mgan-studio', rel), 'utf8')).toBe(text);
    expect(existsSync(old)).toBe(false);
    const second = spawnSync(bin, ['decoders', 'list'], { cwd: app, encoding: 'utf8', env });
    expect(second.stderr).not.toMatch(/moved/);
  });

  it('--help and --version never load TensorFlow.js (they work with it gone)', () => {
    const tfjs = join(app, 'node_modules', '@tensorflow');
    renameSync(tfjs, `${tfjs}-away`);
    try {
      expect(ok(cli('--help'), '--help').stdout).toMatch(/^ {2}decode +stylise/m);
      expect(ok(cli('--version'), '--version').stdout.trim()).toBe(VERSION);
      expect(cli('rnu').stderr).toMatch(/did you mean 'run'\?/);
    } finally {
      renameSync(`${tfjs}-away`, tfjs);
    }
  });
});
