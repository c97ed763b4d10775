import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELD_OUT_FOLDER, TRAIN_FOLDER, splitOf } from '../../src/method/training-set/manifest';
import { createImageFolderService } from '../../src/platform/node/image-folder';
import { decodeImageBytes, encodeRgbaPng } from '../../src/platform/node/image-io';
import {
  buildTrainingSet,
  folderSource,
  heldOutPhotoPaths,
  licenceTable,
  photoFileName,
  readTrainingSet,
  trainingPhotoPaths,
} from '../../src/platform/node/training-set';

/** A photo-like RGBA image: a smooth colour field over the whole tonal range, sensor-like noise, a seed of its own. */
function photoLike(width: number, height: number, seed: number, brighten = 0): Uint8ClampedArray {
  let s = seed * 7919 + 1;
  const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647);
  const fx = 2 + 5 * rand();
  const fy = 2 + 5 * rand();
  const phase = 6 * rand();
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = x / width;
      const v = y / height;
      const base = 127 + 120 * Math.sin(fx * u * 3 + phase) * Math.cos(fy * v * 3 - phase);
      const p = (y * width + x) * 4;
      data[p] = base + brighten + 12 * (rand() - 0.5);
      data[p + 1] = base * 0.8 + 40 * v + brighten + 12 * (rand() - 0.5);
      data[p + 2] = 255 - base + brighten + 12 * (rand() - 0.5);
      data[p + 3] = 255;
    }
  }
  return data;
}

/** Black text-like strokes on white: two tones. */
function twoTone(width: number, height: number): Uint8ClampedArray {
  const data = new Uint8ClampedArray(width * height * 4).fill(255);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if ((x % 17 < 3 && y % 23 < 15) || y % 23 === 0) data.fill(0, (y * width + x) * 4, (y * width + x) * 4 + 3);
  return data;
}

describe('training set builder (fixture folder)', () => {
  let dir: string;
  let out: string;
  const photos: Array<[string, number, number]> = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mgan-training-set-'));
    const src = join(dir, 'pkg');
    out = join(dir, 'set');
    await mkdir(join(src, 'scenes'), { recursive: true });
    await mkdir(join(src, 'special'), { recursive: true });
    // 20 distinct photos: large ones are shrunk to 384, smaller ones (longest side >= 200) kept as they are.
    for (let i = 0; i < 20; i++) {
      const [w, h] = i % 3 === 0 ? [600, 400] : i % 3 === 1 ? [300, 220] : [260, 390];
      const file = i < 18 ? `scenes/photo${i}.png` : `special/photo${i}.png`;
      photos.push([file, w, h]);
      await writeFile(join(src, file), encodeRgbaPng(photoLike(w, h, i + 1), w, h));
    }
    // Left out: a near-duplicate (photo0 smaller and brighter), text, a board by its name, a tiny photo.
    await writeFile(join(src, 'scenes/copy-of-photo0.png'), encodeRgbaPng(photoLike(450, 300, 1, 6), 450, 300));
    await writeFile(join(src, 'scenes/page.png'), encodeRgbaPng(twoTone(400, 300), 400, 300));
    await writeFile(join(src, 'scenes/left01.png'), encodeRgbaPng(photoLike(400, 300, 99), 400, 300));
    await writeFile(join(src, 'scenes/tiny.png'), encodeRgbaPng(photoLike(120, 90, 98), 120, 90));
    await writeFile(
      join(src, 'copyright'),
      [
        'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/',
        '',
        'Files: *',
        'Copyright: 2020, Ann Example',
        '           2021, Bo Example',
        'License: CC0-1.0',
        ' The whole text would be here.',
        '',
        'Files: special/*',
        'Copyright: 2019, Cy Example',
        'License: CC-BY-4.0',
        '',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the photos at longest side 384 (never enlarged), with their licences, and leaves out duplicates, text, boards and tiny files', async () => {
    const { manifest, skipped } = await buildTrainingSet({ out, sources: [await folderSource('fixture', join(dir, 'pkg'))] });
    expect(manifest.photos.map((p) => p.file).sort()).toEqual(photos.map(([f]) => photoFileName('fixture', f)).sort());
    for (const [file, w, h] of photos) {
      const p = manifest.photos.find((q) => q.file === photoFileName('fixture', file))!;
      const k = Math.min(1, 384 / Math.max(w, h));
      expect([p.width, p.height]).toEqual([Math.round(w * k), Math.round(h * k)]);
      expect(p.licence).toBe(file.startsWith('special/') ? 'CC-BY-4.0' : 'CC0-1.0');
      expect(p.copyright).toBe(file.startsWith('special/') ? '2019, Cy Example' : '2020, Ann Example; 2021, Bo Example');
      const png = decodeImageBytes(await readFile(join(out, p.split === 'train' ? TRAIN_FOLDER : HELD_OUT_FOLDER, p.file)), p.file);
      expect(png.shape).toEqual([p.height, p.width, 3]);
      png.dispose();
    }
    const reasons = Object.fromEntries(skipped.map((s) => [s.source.replace(/^.*[\\/]/, ''), s.reason]));
    expect(reasons['copy-of-photo0.png']).toMatch(/near-duplicate of .*photo0\.png/);
    expect(reasons['page.png']).toMatch(/few tones/);
    expect(reasons['left01.png']).toMatch(/its name says/);
    expect(reasons['tiny.png']).toMatch(/too small/);
    expect(licenceTable(manifest)).toMatch(/\| fixture \| 20 \| CC-BY-4.0, CC0-1.0 \|/);
  });

  it('splits by name, the same on every build, and never hands a held-out photo to training', async () => {
    const manifest = await readTrainingSet(out);
    const held = manifest.photos.filter((p) => p.split === 'heldout');
    expect(held.length).toBeGreaterThan(0);
    expect(held.length).toBeLessThan(manifest.photos.length / 2);
    for (const p of manifest.photos) expect(p.split).toBe(splitOf(p.file));
    expect((await readdir(join(out, HELD_OUT_FOLDER))).sort()).toEqual(held.map((p) => p.file).sort());
    const train = await trainingPhotoPaths(out);
    expect(train).toHaveLength(manifest.photos.length - held.length);
    for (const p of held) expect(train.some((t) => t.endsWith(p.file))).toBe(false);
    expect((await heldOutPhotoPaths(out)).map((p) => p.replace(/^.*[\\/]/, '')).sort()).toEqual(held.map((p) => p.file).sort());
    // An image set reading the held-out folder, or the whole set, is refused; the train folder is read.
    const folders = createImageFolderService();
    await expect(folders.listImages(join(out, HELD_OUT_FOLDER))).rejects.toThrow(/held-out photos, which training never reads: use '.*train'/);
    await expect(folders.listImages(out)).rejects.toThrow(/is a training set: train on its 'train' folder/);
    expect(await folders.listImages(join(out, TRAIN_FOLDER))).toHaveLength(train.length);
    // A rebuild gives the same split and removes nothing it keeps.
    const again = await buildTrainingSet({ out, sources: [await folderSource('fixture', join(dir, 'pkg'))] });
    expect(again.manifest.photos.map((p) => [p.file, p.split])).toEqual(manifest.photos.map((p) => [p.file, p.split]));
  });

  it('takes a reviewed window capture cut to its photo, and still leaves out other tutorial captures by name', async () => {
    const src = join(dir, 'captures');
    await mkdir(join(src, 'doc'), { recursive: true });
    await writeFile(join(src, 'copyright'), 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nCopyright: 2022, Di Example\nLicense: Apache-2.0\n');
    // A 300x242 capture: a flat title bar and border around a photo (the reviewed box is 292x206 at 4,30).
    const capture = photoLike(300, 242, 41);
    for (let y = 0; y < 242; y++) for (let x = 0; x < 300; x++) if (y < 30 || x < 4 || x >= 296 || y >= 236) capture.fill(200, (y * 300 + x) * 4, (y * 300 + x) * 4 + 3);
    await writeFile(join(src, 'doc/Warp_Affine_Tutorial_Original_Image.jpg'), encodeRgbaPng(capture, 300, 242));
    await writeFile(join(src, 'doc/Other_Tutorial_Original_Image.jpg'), encodeRgbaPng(photoLike(300, 242, 42), 300, 242));
    const { manifest, skipped } = await buildTrainingSet({ out: join(dir, 'captures-set'), sources: [await folderSource('opencv-doc', src)] });
    expect(manifest.photos.map((p) => [p.file, p.width, p.height])).toEqual([['opencv-doc--doc_Warp_Affine_Tutorial_Original_Image.png', 292, 206]]);
    const kept = decodeImageBytes(await readFile(join(dir, 'captures-set', manifest.photos[0].split === 'train' ? TRAIN_FOLDER : HELD_OUT_FOLDER, manifest.photos[0].file)), 'kept');
    // No frame grey left on the cut's edges: its first row is the photo's row 30.
    const top = Array.from((await kept.slice([0, 0, 0], [1, 292, 3]).data()).map((v) => Math.round(v * 255)));
    expect(top.filter((v) => v === 200).length).toBeLessThan(top.length / 4);
    kept.dispose();
    expect(skipped.map((s) => [s.source.replace(/^.*[\\/]/, ''), s.reason])).toEqual([['Other_Tutorial_Original_Image.jpg', expect.stringMatching(/its name says/)]]);
  });
});
