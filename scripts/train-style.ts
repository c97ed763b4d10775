/**
 * `npm run train-style -- --texture SAMPLE|FILE --name NAME --set TRAINING_SET_DIR --out DIR
 * [--inverter FILE|none] [--photos N] [--epochs 1] [--batch 16] [--crop 128] [--stride 64]
 * [--max-side 256] [--mdan-size 128] [--mdan-iterations 100] [--checkpoint-every 10]
 * [--max-minutes M] [--threads 1]` trains a style's decoder on the CPU, for hours, across runs
 * (docs/decoders.md, "Training a bundled style on the CPU").
 *
 * It is the mgan-train preset (presets/mgan-train.json) with these settings, run by `mgan-studio run`
 * in a child process: the trainer node, its MDAN target cache and its checkpoints, nothing of its own.
 * OUT keeps the run's state apart from the user's: OUT/cache (MDAN targets, checkpoints, the trained
 * decoder), OUT/start (the inverter G starts from, as the only "bundled" decoder the run sees),
 * OUT/graph.json (what runs), OUT/losses.tsv (the trainer's progress lines: step and losses).
 * Running the same command again continues: cached targets are not redone and training resumes from
 * the last checkpoint. `--max-minutes` stops the child like Ctrl-C (it saves a checkpoint first).
 * At the end OUT/NAME.mgan (8-bit, with its training record) is written, ready for public/decoders.
 *
 * G starts from `--inverter FILE` (a vgg19-inverter.mgan), by default public/decoders' bundled one
 * when there is one; `--inverter none` starts from random weights. The checkpoint's key includes the
 * inverter: resume with the same choice.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { INVERTER_DECODER } from '../src/method/mgan/inverter';
import { SAMPLE_INDEX } from '../src/nodes/sample-index';
import { trainingPhotoPaths } from '../src/platform/node/training-set';
import { defaultCacheDir } from '../src/platform/node/user-data';
import { vgg19CacheDir } from '../src/platform/node/weights-store';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'bin', 'mgan-studio.js');
const USAGE =
  'usage: npm run train-style -- --texture SAMPLE|FILE --name NAME --set TRAINING_SET_DIR --out DIR [--inverter FILE|none] [--photos N] [--epochs 1] [--batch 16] [--crop 128] [--stride 64] [--max-side 256] [--mdan-size 128] [--mdan-iterations 100] [--checkpoint-every 10] [--max-minutes M] [--threads 1]';

function arg(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}

interface GraphNode {
  id: string;
  params: Record<string, unknown>;
}

/** Runs the CLI with the run's private folders; stderr goes through, progress lines are also handed to `onLine`. */
function runCli(cliArgs: string[], env: NodeJS.ProcessEnv, onLine: (line: string) => void, stopAfterMs: number): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...cliArgs], { env, stdio: ['ignore', 'inherit', 'pipe'] });
    let rest = '';
    child.stderr.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      lines.forEach(onLine);
    });
    // Ctrl-C or a budget: the child saves its checkpoint, then exits (130).
    const stop = () => child.kill('SIGINT');
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    const timer = stopAfterMs > 0 ? setTimeout(stop, stopAfterMs) : undefined;
    child.on('error', fail);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done(code ?? (signal ? 130 : 1));
    });
  });
}

async function main(args: string[]): Promise<number> {
  const textureArg = arg(args, 'texture', '');
  const name = arg(args, 'name', '');
  const set = arg(args, 'set', '');
  const outArg = arg(args, 'out', '');
  if (!textureArg || !name || !set || !outArg) throw new Error(USAGE);
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`--name '${name}': use letters, digits, '_' and '-' only`);
  const out = resolve(outArg);
  const num = (key: string, fallback: number) => {
    const v = Number(arg(args, key, String(fallback)));
    if (!Number.isFinite(v) || v < 0) throw new Error(`--${key} must be a number >= 0, got '${arg(args, key, '')}'`);
    return v;
  };
  const isSample = SAMPLE_INDEX.samples[textureArg]?.kind === 'style' || SAMPLE_INDEX.samples[textureArg]?.kind === 'photo';
  if (!isSample && !existsSync(textureArg)) throw new Error(`--texture '${textureArg}' is neither a bundled sample nor a file`);
  const texturePath = isSample ? '' : resolve(textureArg);
  const textureName = isSample ? textureArg : basename(textureArg).replace(/\.[^.]+$/, '');

  // The train split only; --photos N takes the first N (small runs).
  let photos = await trainingPhotoPaths(set);
  const count = num('photos', 0);
  if (count > 0) photos = photos.slice(0, count);
  if (photos.length === 0) throw new Error(`training set '${set}' has no photos to train on`);

  const inverterArg = arg(args, 'inverter', '');
  const bundledInverter = join(ROOT, 'public', 'decoders', `${INVERTER_DECODER}.mgan`);
  const inverter = inverterArg === 'none' ? '' : inverterArg ? resolve(inverterArg) : existsSync(bundledInverter) ? bundledInverter : '';
  if (inverter && !existsSync(inverter)) throw new Error(`--inverter '${inverterArg}' does not exist (pass a vgg19-inverter.mgan, or none)`);

  const cache = join(out, 'cache');
  const start = join(out, 'start');
  await mkdir(cache, { recursive: true });
  await rm(start, { recursive: true, force: true });
  await mkdir(start, { recursive: true });
  if (inverter) await copyFile(inverter, join(start, `${INVERTER_DECODER}.mgan`));

  const doc = JSON.parse(await readFile(join(ROOT, 'presets', 'mgan-train.json'), 'utf8')) as { nodes: GraphNode[]; meta?: unknown };
  const node = (id: string) => {
    const n = doc.nodes.find((x) => x.id === id);
    if (!n) throw new Error(`presets/mgan-train.json has no node '${id}'`);
    return n;
  };
  Object.assign(node('texture').params, { sample: isSample ? textureArg : '', path: texturePath });
  Object.assign(node('photos').params, { samples: '', folder: '', paths: photos.map((p) => resolve(p)).join(', '), maxSide: num('max-side', 256) });
  Object.assign(node('trainer').params, {
    epochs: num('epochs', 1),
    batchSize: num('batch', 16),
    cropSize: num('crop', 128),
    stride: num('stride', 64),
    mdanSize: num('mdan-size', 128),
    mdanIterations: num('mdan-iterations', 100),
    checkpointEvery: num('checkpoint-every', 10),
    snapshotEvery: 0,
    maxMinutes: 0,
    saveAs: name,
    // The run's decoder store is OUT/cache/decoders, which hides nothing of the user's.
    replaceBundled: true,
    textureName,
    upsampling: 'resize',
    startFromInverter: Boolean(inverter),
  });
  const graph = join(out, 'graph.json');
  await writeFile(graph, `${JSON.stringify(doc, null, 2)}\n`);

  const env = {
    ...process.env,
    MGAN_STUDIO_CACHE: cache,
    MGAN_STUDIO_BUNDLED_DECODERS: start,
    MGAN_STUDIO_VGG19_DIR: process.env.MGAN_STUDIO_VGG19_DIR ?? vgg19CacheDir(defaultCacheDir()),
  };
  const losses = join(out, 'losses.tsv');
  if (!existsSync(losses)) await writeFile(losses, 'time\tstep\ttotal\tlosses\n');
  const started = Date.now();
  process.stdout.write(`${photos.length} photos, texture ${textureName}, G starts from ${inverter || 'random weights'}; state in ${out}\n`);
  const code = await runCli(
    ['run', graph, '--out', join(out, 'run'), '--threads', String(num('threads', 1)), '--trust'],
    env,
    (line) => {
      const m = /^\s*trainer[^:]*: iteration (\d+)\/(\d+).*?((?:\w+=[-\d.e+]+\s*)+)/.exec(line);
      if (m) void appendFile(losses, `${new Date().toISOString()}\t${m[1]}\t${m[2]}\t${m[3].trim()}\n`);
    },
    num('max-minutes', 0) * 60_000,
  );
  if (code === 130) {
    process.stderr.write(`train-style: stopped after ${Math.round((Date.now() - started) / 60_000)} min; run the same command again to continue from the last checkpoint\n`);
    return code;
  }
  if (code !== 0) throw new Error(`the training failed (exit ${code}; the run's own message is above)`);
  const record = join(out, 'record.json');
  await writeFile(record, JSON.stringify({ texture: textureName, photos: photos.map((p) => basename(p).replace(/\.[^.]+$/, '')) }));
  const file = join(out, `${name}.mgan`);
  const exported = await runCli(['decoders', 'export', name, '--quantize', 'uint8', '--record', record, '--out', file], env, () => undefined, 0);
  if (exported !== 0) throw new Error(`exporting '${name}' from ${cache} failed (exit ${exported})`);
  process.stdout.write(`wrote ${file}: copy it to public/decoders/ and run npx mgan-studio decoders index\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`train-style: ${e.message}\n`);
    process.exit(1);
  },
);
