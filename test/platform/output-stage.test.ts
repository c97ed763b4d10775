/** All-or-nothing output folders, on real files in a sandbox under the temp folder. */
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openOutputStage, specialFolderProblem } from '../../src/platform/node/output-stage';
import { runCli } from '../cli/run-cli';

const box = mkdtempSync(join(tmpdir(), 'mgan-stage-'));
let out: string;
let n = 0;
beforeEach(() => {
  out = join(box, `out${n++}`);
});
afterAll(() => rmSync(box, { recursive: true, force: true }));

describe('openOutputStage', () => {
  it('writes into a hidden folder inside the output folder and moves everything in on commit', async () => {
    mkdirSync(join(out, 'clip'), { recursive: true });
    writeFileSync(join(out, 'a.png'), 'old a');
    writeFileSync(join(out, 'clip', 'frame_00009.png'), 'old frame of a longer run');
    writeFileSync(join(out, 'notes.txt'), 'the user keeps this');
    const stage = await openOutputStage(out);
    expect(stage.dir.startsWith(join(stage.outDir, '.mgan-stage-'))).toBe(true);
    await writeFile(join(stage.dir, 'a.png'), 'new a');
    mkdirSync(join(stage.dir, 'clip'));
    await writeFile(join(stage.dir, 'clip', 'frame_00001.png'), 'new frame');
    // Before the commit nothing visible changed.
    expect(readFileSync(join(out, 'a.png'), 'utf8')).toBe('old a');
    expect(await stage.commit()).toEqual(['a.png', 'clip']);
    expect(readFileSync(join(out, 'a.png'), 'utf8')).toBe('new a');
    expect(readdirSync(join(out, 'clip'))).toEqual(['frame_00001.png']);
    expect(readdirSync(out).sort()).toEqual(['a.png', 'clip', 'notes.txt']);
  });

  it('discard leaves the previous outputs, and removes an output folder it created', async () => {
    writeFileSync(join(box, 'keep.png'), 'x');
    mkdirSync(out);
    writeFileSync(join(out, 'a.png'), 'old a');
    const stage = await openOutputStage(out);
    await writeFile(join(stage.dir, 'a.png'), 'new a');
    await stage.discard();
    expect(readdirSync(out)).toEqual(['a.png']);
    expect(readFileSync(join(out, 'a.png'), 'utf8')).toBe('old a');

    const nested = join(out, 'new', 'deeper');
    const created = await openOutputStage(nested);
    await created.discard();
    expect(existsSync(join(out, 'new'))).toBe(false);
    expect(existsSync(out)).toBe(true);
  });

  it('is all or nothing: a folder where a result file goes stops the commit and puts everything back', async () => {
    mkdirSync(join(out, 'b.png'), { recursive: true });
    writeFileSync(join(out, 'b.png', 'mine.txt'), 'the user keeps this');
    writeFileSync(join(out, 'a.png'), 'old a');
    const stage = await openOutputStage(out);
    await writeFile(join(stage.dir, 'a.png'), 'new a');
    await writeFile(join(stage.dir, 'b.png'), 'new b');
    await expect(stage.commit()).rejects.toThrow(/'.*out\d+\/b\.png' is a folder, not an earlier result; move it away or choose another output folder; the previous outputs were kept/);
    expect(readFileSync(join(out, 'a.png'), 'utf8')).toBe('old a');
    expect(readFileSync(join(out, 'b.png', 'mine.txt'), 'utf8')).toBe('the user keeps this');
    expect(readdirSync(out).sort()).toEqual(['a.png', 'b.png']);
  });

  it('replaces a link in the output folder, never what it points to', async () => {
    const precious = join(box, `precious${n}`);
    mkdirSync(join(precious, 'inner'), { recursive: true });
    writeFileSync(join(precious, 'inner', 'data.txt'), 'precious');
    writeFileSync(join(box, `precious${n}.png`), 'precious png');
    mkdirSync(out);
    symlinkSync(precious, join(out, 'clip'));
    symlinkSync(join(box, `precious${n}.png`), join(out, 'a.png'));
    const stage = await openOutputStage(out);
    mkdirSync(join(stage.dir, 'clip'));
    await writeFile(join(stage.dir, 'clip', 'frame_00001.png'), 'frame');
    await writeFile(join(stage.dir, 'a.png'), 'new a');
    await stage.commit();
    expect(lstatSync(join(out, 'clip')).isSymbolicLink()).toBe(false);
    expect(readdirSync(join(out, 'clip'))).toEqual(['frame_00001.png']);
    expect(readFileSync(join(precious, 'inner', 'data.txt'), 'utf8')).toBe('precious');
    expect(readFileSync(join(box, `precious${n}.png`), 'utf8')).toBe('precious png');
    expect(readFileSync(join(out, 'a.png'), 'utf8')).toBe('new a');
  });

  it("removes staging folders of processes that are gone, not of live ones", async () => {
    mkdirSync(out);
    // A pid that is surely not running: a child that has exited.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    mkdirSync(join(out, `.mgan-stage-${dead}-abc`));
    writeFileSync(join(out, `.mgan-stage-${dead}-abc`, 'a.png'), 'half');
    const live = await openOutputStage(out);
    const again = await openOutputStage(out);
    expect(existsSync(join(out, `.mgan-stage-${dead}-abc`))).toBe(false);
    expect(existsSync(live.dir)).toBe(true);
    await again.discard();
    await live.discard();
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('an output folder on a system file system', () => {
  it('is refused at once (/proc, /sys, /dev), a temp folder and /dev/shm are not', async () => {
    for (const dir of ['/proc/x', '/proc/self/fd/out', '/sys/kernel/x/y', '/dev/x']) {
      expect(await specialFolderProblem(dir)).toMatch(/is on a system file system \(\/(proc|sys|dev)\b.*choose another output folder/);
    }
    expect(await specialFolderProblem(join(tmpdir(), 'no', 'such', 'folder'))).toBeUndefined();
    expect(await specialFolderProblem('/dev/shm/mgan-out')).toBeUndefined();
    await expect(openOutputStage('/proc/x')).rejects.toThrow(/system file system/);
  });

  it('run --out /proc/x exits 2 before running anything', async () => {
    const result = await runCli('run', 'perlin-noise', '--out', '/proc/x');
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/'\/proc\/x' is on a system file system \(\/proc\).*nothing was run/);
    expect(result.err).not.toMatch(/backend:/);
  });
});
