// The labelled contact sheet's title: read whole (wrapped, not cut) however narrow the grid.
import { describe, expect, it } from 'vitest';
import { composeContactSheet, contactSheetLayout, MAX_LABEL_CHARS, wrapTitle } from '../../src/formats/contact-sheet';
import { textWidth } from '../../src/formats/bitmap-font';

const TITLE = 'starry_night: one relu4_1 channel each';
const tile = (width: number, height: number) => ({ width, height, data: new Uint8ClampedArray(width * height * 4).fill(128) });
const TITLE_INK = [160, 200, 255];

function inkRows(sheet: { width: number; height: number; data: Uint8ClampedArray }): number[] {
  const rows: number[] = [];
  for (let y = 0; y < sheet.height; y++) {
    for (let x = 0; x < sheet.width; x++) {
      const i = (y * sheet.width + x) * 4;
      if (TITLE_INK.every((v, c) => sheet.data[i + c] === v)) {
        rows.push(y);
        break;
      }
    }
  }
  return rows;
}

describe('contact sheet title', () => {
  it('breaks at spaces, splits a word longer than a line, keeps a title that fits as it is', () => {
    expect(wrapTitle(TITLE, 26)).toEqual(['starry_night: one relu4_1', 'channel each']);
    expect(wrapTitle('abcdefghij kl', 4)).toEqual(['abcd', 'efgh', 'ij', 'kl']);
    expect(wrapTitle('a  b', 10)).toEqual(['a  b']);
    expect(wrapTitle('', 10)).toEqual([]);
  });

  it('a title longer than a label fits whole on one line over a wide grid (the Fig. 7 sheet)', () => {
    const sizes = Array.from({ length: 16 }, () => ({ width: 64, height: 64 }));
    const labels = sizes.map((_, i) => `ch ${i}`);
    expect([...TITLE].length).toBeGreaterThan(MAX_LABEL_CHARS);
    const layout = contactSheetLayout(sizes, labels, TITLE);
    expect(layout.title.map((l) => l.text)).toEqual([TITLE]);
    expect(layout.title[0].x + textWidth(TITLE, layout.scale)).toBeLessThanOrEqual(layout.width);
    // The same grid with a short title: the title row takes the same height, the sheet the same width.
    const short = contactSheetLayout(sizes, labels, 'ch');
    expect([layout.width, layout.height]).toEqual([short.width, short.height]);
  });

  it('over a narrow grid the title wraps onto more lines, every word drawn inside the sheet', () => {
    const tiles = [tile(16, 16), tile(16, 16)];
    const labels = ['ch 1', 'ch 2'];
    const layout = contactSheetLayout(tiles, labels, TITLE);
    expect(layout.title.map((l) => l.text).join(' ')).toBe(TITLE);
    expect(layout.title.length).toBe(2);
    for (const line of layout.title) expect(line.x + textWidth(line.text, layout.scale)).toBeLessThanOrEqual(layout.width);
    // The tiles start below the last title line.
    const last = layout.title[layout.title.length - 1];
    expect(Math.min(...layout.tiles.map((t) => t.y))).toBeGreaterThan(last.y + 7);

    const sheet = composeContactSheet(tiles.map((image, i) => ({ image, label: labels[i] })), TITLE);
    expect([sheet.width, sheet.height]).toEqual([layout.width, layout.height]);
    // Title ink on both lines' rows, none below them.
    const rows = inkRows(sheet);
    expect(rows.some((y) => y >= layout.title[0].y && y < layout.title[0].y + 7)).toBe(true);
    expect(rows.some((y) => y >= last.y && y < last.y + 7)).toBe(true);
    expect(Math.max(...rows)).toBeLessThan(last.y + 7);
  });
});
