/** Text that stays readable on a coloured background (WCAG relative luminance and contrast ratio). */

const DARK_TEXT = '#0b1220';
const LIGHT_TEXT = '#ffffff';

/** WCAG relative luminance of a `#rrggbb` colour. */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** Dark or white text, whichever contrasts more with `background` (`#rrggbb`; anything else gets dark text). */
export function textOn(background: string): string {
  if (!/^#[0-9a-f]{6}$/i.test(background)) return DARK_TEXT;
  const l = luminance(background);
  return (l + 0.05) / (luminance(DARK_TEXT) + 0.05) >= 1.05 / (l + 0.05) ? DARK_TEXT : LIGHT_TEXT;
}
