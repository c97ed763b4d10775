/** How text from a file (a graph, a decoder, a weight manifest) is quoted in a one-line message. */

/** Characters that would break a message over lines or reorder it on screen: controls, zero-width and bidi marks. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g;

/**
 * A string from the document as it appears in a message: at most `max` characters (a 5 MB node type
 * would otherwise become a 5 MB message) and one line, with invisible characters escaped.
 */
export function printable(text: string, max = 64): string {
  let shown = text;
  if (text.length > max) {
    const cut = /[\ud800-\udbff]/.test(text[max - 1]) ? max - 1 : max;
    shown = `${text.slice(0, cut)}… (${text.length} characters)`;
  }
  return shown.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
