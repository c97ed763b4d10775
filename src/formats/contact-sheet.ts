/**
 * A labelled contact sheet: images side by side in a grid, each with its label written under it and
 * a title on top. Plain RGBA in, RGBA out (no tensors, no canvas), so the CLI and the editor build
 * the same sheet pixel for pixel.
 */
import { drawText, GLYPH_GAP, GLYPH_HEIGHT, GLYPH_WIDTH, textWidth } from './bitmap-font';

export interface RgbaImage {
  width: number;
  height: number;
  /** 8-bit RGBA, row by row. */
  data: Uint8ClampedArray;
}

export interface SheetTile {
  image: RgbaImage;
  label: string;
}

export interface SheetLayout {
  width: number;
  height: number;
  /** Font pixel size. */
  scale: number;
  columns: number;
  /** The title, wrapped: one entry per line, top to bottom (none without a title). */
  title: Array<{ x: number; y: number; text: string }>;
  /** Where each tile's image and label go, in tile order. */
  tiles: Array<{ x: number; y: number; width: number; height: number; label: { x: number; y: number; text: string } }>;
}

/** Labels longer than this are cut (a path as a value would otherwise make every cell wide). */
export const MAX_LABEL_CHARS = 32;
/** Titles longer than this are cut; a title wider than the sheet wraps instead (see wrapTitle). */
export const MAX_TITLE_CHARS = 120;
const BACKGROUND = [24, 24, 28] as const;
const INK = [235, 235, 235] as const;
const TITLE_INK = [160, 200, 255] as const;

function clip(text: string, max = MAX_LABEL_CHARS): string {
  const chars = [...text.replace(/[\r\n\t]+/g, ' ')];
  return chars.length > max ? `${chars.slice(0, max - 2).join('')}..` : chars.join('');
}

/**
 * The title's lines, each at most `maxChars` characters: broken at spaces, a word longer than a line
 * split where it reaches the end.
 */
export function wrapTitle(text: string, maxChars: number): string[] {
  const limit = Math.max(1, maxChars);
  if ([...text].length <= limit) return text ? [text] : [];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ').filter(Boolean)) {
    let rest = [...word];
    const joined = line ? [...`${line} ${word}`] : rest;
    if (joined.length <= limit) {
      line = joined.join('');
      continue;
    }
    if (line) lines.push(line);
    while (rest.length > limit) {
      lines.push(rest.slice(0, limit).join(''));
      rest = rest.slice(limit);
    }
    line = rest.join('');
  }
  if (line) lines.push(line);
  return lines;
}

/** Up to 4 tiles in one row, more in a near-square grid (16 → 4 × 4). */
export function sheetColumns(count: number): number {
  return count <= 4 ? Math.max(1, count) : Math.ceil(Math.sqrt(count));
}

/**
 * Where everything goes: cells as wide as the widest image or label, images centred in them. The
 * title wraps to the grid's width, but never to fewer than MAX_LABEL_CHARS characters a line (a
 * narrow grid is widened to that), so a long title is read whole rather than cut.
 */
export function contactSheetLayout(sizes: Array<{ width: number; height: number }>, labels: string[], title = ''): SheetLayout {
  const largest = Math.max(1, ...sizes.map((s) => Math.max(s.width, s.height)));
  // Labels readable next to big tiles, still 1:1 pixels next to tiny ones.
  const scale = Math.min(4, Math.max(1, Math.floor(largest / 96)));
  const pad = 4 * scale;
  const lineHeight = GLYPH_HEIGHT * scale;
  const texts = labels.map((label) => clip(label));
  const cellWidth = Math.max(...sizes.map((s) => s.width), ...texts.map((t) => textWidth(t, scale)));
  const imageHeight = Math.max(...sizes.map((s) => s.height));
  const cellHeight = imageHeight + pad + lineHeight;
  const columns = sheetColumns(sizes.length);
  const rows = Math.ceil(sizes.length / columns);
  const gridWidth = pad + columns * (cellWidth + pad);
  const lineChars = Math.max(MAX_LABEL_CHARS, Math.floor(((gridWidth - 2 * pad) / scale + GLYPH_GAP) / (GLYPH_WIDTH + GLYPH_GAP)));
  const titleLines = wrapTitle(clip(title, MAX_TITLE_CHARS), lineChars);
  const lineGap = 2 * scale;
  const titleHeight = titleLines.length ? titleLines.length * lineHeight + (titleLines.length - 1) * lineGap : 0;
  const top = titleLines.length ? pad + titleHeight + pad : pad;
  const width = Math.max(gridWidth, pad * 2 + Math.max(0, ...titleLines.map((line) => textWidth(line, scale))));
  const height = top + rows * (cellHeight + pad);
  const tiles = sizes.map((size, i) => {
    const cellX = pad + (i % columns) * (cellWidth + pad);
    const cellY = top + Math.floor(i / columns) * (cellHeight + pad);
    return {
      x: cellX + Math.floor((cellWidth - size.width) / 2),
      y: cellY,
      width: size.width,
      height: size.height,
      label: { x: cellX + Math.floor((cellWidth - textWidth(texts[i], scale)) / 2), y: cellY + imageHeight + pad, text: texts[i] },
    };
  });
  const titleRows = titleLines.map((text, i) => ({ x: pad, y: pad + i * (lineHeight + lineGap), text }));
  return { width, height, scale, columns, title: titleRows, tiles };
}

/** The sheet's pixels: each tile copied unchanged into its cell, its label under it. */
export function composeContactSheet(tiles: SheetTile[], title = ''): RgbaImage {
  if (!tiles.length) throw new Error('a contact sheet needs at least one image');
  const layout = contactSheetLayout(
    tiles.map((t) => t.image),
    tiles.map((t) => t.label),
    title,
  );
  const sheet: RgbaImage = { width: layout.width, height: layout.height, data: new Uint8ClampedArray(layout.width * layout.height * 4) };
  for (let i = 0; i < sheet.data.length; i += 4) {
    sheet.data[i] = BACKGROUND[0];
    sheet.data[i + 1] = BACKGROUND[1];
    sheet.data[i + 2] = BACKGROUND[2];
    sheet.data[i + 3] = 255;
  }
  tiles.forEach(({ image }, i) => {
    const at = layout.tiles[i];
    for (let y = 0; y < image.height; y++) {
      const from = y * image.width * 4;
      sheet.data.set(image.data.subarray(from, from + image.width * 4), ((at.y + y) * sheet.width + at.x) * 4);
    }
    drawText(sheet, at.label.text, at.label.x, at.label.y, INK, layout.scale);
  });
  for (const line of layout.title) drawText(sheet, line.text, line.x, line.y, TITLE_INK, layout.scale);
  return sheet;
}
