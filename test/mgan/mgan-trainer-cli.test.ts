// Ctrl-C during `mgan-studio run` of a training graph writes the checkpoint before the process exits,
// and a second `run` (a new process) resumes from it. Real child processes: ~30 s on 2 cores.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_VGG19_DIR } from '../support/vgg19';

/** 64x48 texture, one 64x40 photo, 32 px crops of batch 2, pixel loss: 8 batches per epoch, 3 epochs. */
function tinyTrainingGraph() {
  return {
    schemaVersion: 1,
    nodes: [
      { id: 'texture', type: 'image-source', version: 1, params: { sample: 'starry_night', maxSide: 64, multipleOf: 8 }, position: { x: 0, y: 0 } },
      { id: 'photos', type: 'image-set', version: 1, params: { samples: 'coffee', maxSide: 64, multipleOf: 8 }, position: { x: 0, y: 200 } },
      {
        id: 'trainer',
        type: 'mgan-trainer',
        version: 1,
        params: { epochs: 3, batchSize: 2, cropSize: 32, stride: 32, loss: 'pixel', mdanIterations: 1, mdanSize: 64, snapshotEvery: 0, checkpointEvery: 0, seed: 1 },
        position: { x: 300, y: 100 },
      },
    ],
    edges: [
      { from: { node: 'texture', port: 'image' }, to: { node: 'trainer', port: 'texture' } },
      { from: { node: 'photos', port: 'images' }, to: { node: 'trainer', port: 'photos' } },
    ],
  };
}

/** Runs the CLI; `interruptWhen` sends SIGINT once stderr matches it. */
function runCli(graph: string, env: NodeJS.ProcessEnv, interruptWhen?: RegExp): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/mgan-studio.js', 'run', graph, '--out', join(env.MGAN_STUDIO_CACHE!, 'out')], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let interrupted = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (interruptWhen && !interrupted && interruptWhen.test(stderr)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('mgan-studio run: Ctrl-C during MGAN training', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mgan-cli-resume-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('saves a checkpoint before exiting, and the next run resumes from it and deletes it when done', { timeout: 300_000 }, async () => {
    const graph = join(dir, 'train.json');
    await writeFile(graph, JSON.stringify(tinyTrainingGraph()));
    const env = { ...process.env, MGAN_STUDIO_CACHE: join(dir, 'cache'), MGAN_STUDIO_VGG19_DIR: TEST_VGG19_DIR };

    const first = await runCli(graph, env, /iteration \d+\/24/);
    expect(first.stderr).toMatch(/interrupted: cancelling the run/);
    expect(first.code).toBe(130);
    const root = join(dir, 'cache', 'mgan-checkpoints');
    const [folder] = await readdir(root);
    const meta = JSON.parse(await readFile(join(root, folder, 'checkpoint.json'), 'utf8')) as { step: number };
    expect(meta.step).toBeGreaterThan(0);
    expect(meta.step).toBeLessThan(24);

    const second = await runCli(graph, env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain(`resuming the stopped run from its checkpoint at step ${meta.step}`);
    // Progress lines (one a second) show only steps after the checkpoint: none is redone.
    const shown = [...second.stderr.matchAll(/iteration (\d+)\/24/g)].map((m) => Number(m[1]));
    expect(shown.length).toBeGreaterThan(0);
    expect(Math.min(...shown)).toBeGreaterThan(meta.step);
    expect(second.stderr).toMatch(/done trainer \(mgan-trainer\)/);
    expect(existsSync(join(root, folder))).toBe(false);
  });
});
