/**
 * `npm run thumbnail -- RUN_DIR --out presets/thumbs/NAME.png [--scale N] [--title TEXT] NODE=LABEL...`
 * lays the PNGs a preset's run wrote (`mgan-studio run NAME --out RUN_DIR`, one per image-out node)
 * side by side as a preset thumbnail: each `NODE=LABEL` takes RUN_DIR/NODE.png, enlarged `--scale`
 * times (nearest neighbour, so a small run's pixels stay visible), labelled LABEL, in the labelled
 * contact sheet the sweeps use. How a thumbnail's run was made (its `--set` lines) is recorded in
 * docs/presets.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { composeContactSheet, type RgbaImage } from '../src/formats/contact-sheet';
import { encodeRgbaPng } from '../src/platform/node/image-io';

/** `image` enlarged `scale` times, each pixel a scale × scale block. */
export function enlarge(image: RgbaImage, scale: number): RgbaImage {
  const width = image.width * scale;
  const height = image.height * scale;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = (Math.floor(y / scale) * image.width + Math.floor(x / scale)) * 4;
      data.set(image.data.subarray(from, from + 4), (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

function readPng(path: string): RgbaImage {
  let png: PNG;
  try {
    png = PNG.sync.read(readFileSync(path));
  } catch (e) {
    throw new Error(`${path}: not a readable PNG (${(e as Error).message}); run the preset with --out first`);
  }
  return { width: png.width, height: png.height, data: new Uint8ClampedArray(png.data) };
}

function main(args: string[]): void {
  const value = (flag: string) => {
    const i = args.indexOf(flag);
    if (i < 0) return undefined;
    const [, v] = args.splice(i, 2);
    return v;
  };
  const out = value('--out');
  const scale = Number(value('--scale') ?? 1);
  const title = value('--title') ?? '';
  const [runDir, ...pairs] = args;
  if (!out || !runDir || !pairs.length || !Number.isInteger(scale) || scale < 1 || pairs.some((p) => !p.includes('='))) {
    throw new Error('usage: npm run thumbnail -- RUN_DIR --out FILE.png [--scale N] [--title TEXT] NODE=LABEL...');
  }
  const tiles = pairs.map((pair) => {
    const [node, ...label] = pair.split('=');
    return { image: enlarge(readPng(join(runDir, `${node}.png`)), scale), label: label.join('=') };
  });
  const sheet = composeContactSheet(tiles, title);
  writeFileSync(out, encodeRgbaPng(sheet.data, sheet.width, sheet.height));
  process.stdout.write(`wrote ${out} (${sheet.width}x${sheet.height})\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}
