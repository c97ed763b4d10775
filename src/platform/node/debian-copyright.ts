/**
 * Reads a Debian package's copyright file (/usr/share/doc/PKG/copyright) to say under which licence
 * one of its files is shipped. Machine-readable files (DEP-5) are paragraphs of `Files:` globs with
 * `Copyright:` and `License:`; the last paragraph whose globs match a file's path in the upstream
 * source tree wins, as the format specifies (`*` matches across slashes). A free-form file (no
 * `Files:` fields) gives no answer per file, and the caller names the whole file instead.
 */

export interface CopyrightParagraph {
  files: string[];
  copyright: string;
  /** The short licence name (the `License:` field's first line). */
  licence: string;
}

/** The `Files:` paragraphs of a DEP-5 copyright file, in order (none for a free-form file). */
export function parseDebianCopyright(text: string): CopyrightParagraph[] {
  const paragraphs: CopyrightParagraph[] = [];
  for (const block of text.replace(/\r\n/g, '\n').split(/\n[ \t]*\n/)) {
    const fields = new Map<string, string>();
    let current = '';
    for (const line of block.split('\n')) {
      const field = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
      if (field && !/^\s/.test(line)) {
        current = field[1].toLowerCase();
        fields.set(current, field[2]);
      } else if (current && /^\s/.test(line)) {
        fields.set(current, `${fields.get(current)}\n${line.trim()}`);
      }
    }
    const files = fields.get('files');
    if (files === undefined) continue;
    paragraphs.push({
      files: files.split(/\s+/).filter(Boolean),
      copyright: (fields.get('copyright') ?? '').split('\n').map((s) => s.trim()).filter(Boolean).join('; '),
      licence: (fields.get('license') ?? '').split('\n')[0].trim(),
    });
  }
  return paragraphs;
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** The paragraph covering `upstreamPath` (a path in the upstream source tree), or undefined when none does. */
export function copyrightOf(paragraphs: CopyrightParagraph[], upstreamPath: string): CopyrightParagraph | undefined {
  let found: CopyrightParagraph | undefined;
  for (const p of paragraphs) if (p.files.some((g) => globToRegExp(g).test(upstreamPath))) found = p;
  return found;
}
