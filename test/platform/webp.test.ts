import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImageHeader } from '../../src/platform/common/image-header';
import { createImageFolderService } from '../../src/platform/node/image-folder';
import { decodeImage, readImageFile } from '../../src/platform/node/image-io';
import { requireFfmpeg } from '../support/requirements';

const PHOTO = resolve(import.meta.dirname, '../../public/samples/photos/coffee.png');

describe('WebP photos', () => {
  const dir = mkdtempSync(join(tmpdir(), 'webp-'));
  const lossy = join(dir, 'lossy.webp');
  const lossless = join(dir, 'lossless.webp');
  beforeAll(() => {
    requireFfmpeg();
    for (const [file, args] of [[lossy, ['-quality', '90']], [lossless, ['-lossless', '1']]] as const) {
      const made = spawnSync('ffmpeg', ['-v', 'error', '-y', '-i', PHOTO, '-c:v', 'libwebp', ...args, file]);
      if (made.status !== 0) throw new Error(`ffmpeg could not write ${file}: ${made.stderr}`);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists WebP photos in an image folder (the image-set node) beside PNG and JPEG', async () => {
    const listed = await createImageFolderService().listImages(dir);
    expect(listed.map((f) => f.slice(f.lastIndexOf('/') + 1))).toEqual(['lossless.webp', 'lossy.webp']);
  });

  it('reads the size from the header (lossy VP8, lossless VP8L) and decodes to the PNG\'s pixels', async () => {
    const png = await readImageFile(PHOTO);
    const [h, w] = png.shape;
    for (const [file, tolerance] of [[lossless, 0], [lossy, 0.03]] as const) {
      const bytes = new Uint8Array(readFileSync(file));
      expect(readImageHeader(bytes)).toMatchObject({ format: 'webp', width: w, height: h });
      const image = await readImageFile(file);
      expect(image.shape).toEqual([h, w, 3]);
      const diff = tf.tidy(() => tf.mean(tf.abs(tf.sub(image, png))).dataSync()[0]);
      if (tolerance === 0) expect(diff).toBeLessThan(1 / 255);
      else expect(diff).toBeLessThan(tolerance);
      image.dispose();
    }
    png.dispose();
  });

  it('a damaged WebP is one line naming the file', async () => {
    const bytes = new Uint8Array(readFileSync(lossy));
    await expect(decodeImage(bytes.slice(0, 200), 'cut.webp')).rejects.toThrow(/^'cut\.webp' is a damaged WEBP/);
    const noStart = bytes.slice();
    noStart[23] = 0;
    await expect(decodeImage(noStart, 'bad.webp')).rejects.toThrow(/'bad\.webp' is a damaged WebP: no VP8 start code/);
  });
});
