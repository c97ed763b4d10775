// npm run thumbnail: a preset run's image-out PNGs side by side, enlarged and labelled.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { contactSheetLayout } from '../../src/formats/contact-sheet';
import { enlarge } from '../../scripts/preset-thumbnail';

const ROOT = join(__dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'mgan-thumbnail-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writePng(path: string, width: number, height: number, rgb: [number, number, number]): void {
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) png.data.set([...rgb, 255], i * 4);
  writeFileSync(path, PNG.sync.write(png));
}

const thumbnail = (...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/preset-thumbnail.ts'), ...args], { encoding: 'utf8' });

describe('preset thumbnail', () => {
  it('enlarges each pixel into a block', () => {
    const image = { width: 2, height: 1, data: new Uint8ClampedArray([255, 0, 0, 255, 0, 0, 255, 255]) };
    const big = enlarge(image, 2);
    expect([big.width, big.height]).toEqual([4, 2]);
    const reds = [...Array(8).keys()].map((i) => big.data[i * 4]);
    expect(reds).toEqual([255, 255, 0, 0, 255, 255, 0, 0]);
  });

  it('lays the named outputs side by side, enlarged, in a labelled sheet; a missing one is one line', () => {
    writePng(join(dir, 'out_a.png'), 8, 4, [255, 0, 0]);
    writePng(join(dir, 'out_b.png'), 8, 4, [0, 0, 255]);
    const out = join(dir, 'thumb.png');
    const r = thumbnail(dir, '--out', out, '--scale', '3', '--title', 'reduced', 'out_a=red', 'out_b=blue');
    expect(r.status, r.stderr).toBe(0);
    const sheet = PNG.sync.read(readFileSync(out));
    const layout = contactSheetLayout([{ width: 24, height: 12 }, { width: 24, height: 12 }], ['red', 'blue'], 'reduced');
    expect([sheet.width, sheet.height]).toEqual([layout.width, layout.height]);
    const at = (x: number, y: number) => [...sheet.data.subarray((y * sheet.width + x) * 4, (y * sheet.width + x) * 4 + 3)];
    const [a, b] = layout.tiles;
    expect(at(a.x, a.y)).toEqual([255, 0, 0]);
    expect(at(a.x + 23, a.y + 11)).toEqual([255, 0, 0]);
    expect(at(b.x + 12, b.y + 6)).toEqual([0, 0, 255]);

    const missing = thumbnail(dir, '--out', out, 'out_c=none');
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/out_c\.png: not a readable PNG/);
  });
});
