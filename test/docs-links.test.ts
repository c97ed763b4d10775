/**
 * The documentation only points at things the repository has: relative links and images in
 * README.md and docs/*.md resolve (anchors included), repository paths and source file names quoted
 * in them exist, and no source, test or doc names a markdown file that is not in the repository.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Build output, caches and installed packages: not part of the repository. */
const NOT_IN_REPO = new Set(['node_modules', '.git', '.cache', 'dist', 'out', 'coverage']);
/** Top-level folders whose paths the docs quote (`src/graph/index.ts`, `presets/thumbs/`). */
const REPO_ROOTS = ['src', 'test', 'bench', 'bin', 'presets', 'public', 'docs', '.ci'];

function walk(dir: string, found: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (NOT_IN_REPO.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, found);
    else found.push(relative(ROOT, path));
  }
  return found;
}

const repoFiles = walk(ROOT);
const repoBasenames = new Set(repoFiles.map((f) => basename(f)));
const docFiles = ['README.md', ...repoFiles.filter((f) => f.startsWith('docs/') && f.endsWith('.md'))];

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text } of outsideFences(markdown)) {
    const heading = /^#{1,6}\s+(.*)$/.exec(text);
    if (!heading) continue;
    const slug = heading[1]
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

interface Line {
  text: string;
  line: number;
  fenced: boolean;
}

function lines(markdown: string): Line[] {
  let fenced = false;
  return markdown.split('\n').map((text, i) => {
    if (/^\s*```/.test(text)) {
      fenced = !fenced;
      return { text: '', line: i + 1, fenced: true };
    }
    return { text, line: i + 1, fenced };
  });
}

function outsideFences(markdown: string): Line[] {
  return lines(markdown).filter((l) => !l.fenced);
}

/** Words of code: inline code spans outside fences, every line inside them. */
function codeWords(markdown: string): Array<{ word: string; line: number }> {
  const words: Array<{ word: string; line: number }> = [];
  for (const l of lines(markdown)) {
    const spans = l.fenced ? [l.text] : [...l.text.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    for (const span of spans) {
      for (const raw of span.split(/[\s"'(),;=]+/)) {
        const word = raw.replace(/[.:]+$/, '');
        if (word) words.push({ word, line: l.line });
      }
    }
  }
  return words;
}

/** What in `text` (the content of `file`, a path from the repository root) points at nothing. */
function linkProblems(file: string, text: string): string[] {
  const problems: string[] = [];
  for (const l of outsideFences(text)) {
    const targets = [
      ...[...l.text.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]),
      ...[...l.text.matchAll(/<img\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]),
    ];
    for (const target of targets) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto:
      const [path, anchor] = target.split('#');
      const resolved = path ? join(dirname(file), decodeURIComponent(path)) : file;
      if (!existsSync(join(ROOT, resolved))) {
        problems.push(`${file}:${l.line}: link '${target}' points at ${resolved}, which the repository does not have`);
        continue;
      }
      if (anchor && resolved.endsWith('.md') && !anchorsOf(readFileSync(join(ROOT, resolved), 'utf8')).has(anchor)) {
        problems.push(`${file}:${l.line}: link '${target}': ${resolved} has no heading with anchor #${anchor}`);
      }
    }
  }
  for (const { word, line } of codeWords(text)) {
    const root = word.split('/')[0];
    if (REPO_ROOTS.includes(root) && word.includes('/') && /^[\w./-]+$/.test(word) && !/\bNAME\b/.test(word)) {
      if (!existsSync(join(ROOT, word))) problems.push(`${file}:${line}: quotes the path '${word}', which the repository does not have`);
    } else if (/^[\w.-]+\.tsx?$/.test(word) && !repoBasenames.has(word)) {
      problems.push(`${file}:${line}: quotes the source file '${word}', which the repository does not have`);
    }
  }
  return problems;
}

/**
 * Files that `text` (the content of `file`) names but the repository lacks: any `*.md` by name, and
 * any path from the repository root with an extension (`src/graph/index.ts`; `NAME` marks a
 * placeholder, as in `presets/NAME.json`).
 */
function citationProblems(file: string, text: string): string[] {
  const problems: string[] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/[\w.-]+\.md\b/g)) {
      if (!repoBasenames.has(m[0])) problems.push(`${file}:${i + 1}: names '${m[0]}', which the repository does not have`);
    }
    for (const m of line.matchAll(/(?<![\w./-])(?:src|test|bench|bin|presets|public|docs)\/[\w./-]*\.[a-z]+\b/g)) {
      if (!/\bNAME\b/.test(m[0]) && !existsSync(join(ROOT, m[0]))) problems.push(`${file}:${i + 1}: cites '${m[0]}', which the repository does not have`);
    }
  });
  return problems;
}

describe('documentation links', () => {
  it('finds the README and the docs', () => {
    expect(docFiles).toContain('README.md');
    expect(docFiles).toContain('docs/index.md');
    expect(docFiles).toContain('docs/nodes.md');
  });

  it('every relative link, image, quoted path and source file name in README.md and docs/*.md exists', () => {
    expect(docFiles.flatMap((f) => linkProblems(f, readFileSync(join(ROOT, f), 'utf8')))).toEqual([]);
  });

  it('no source, test, bench, script, config or doc cites a file the repository does not have', () => {
    const texts = repoFiles.filter((f) => f !== 'package-lock.json' && (/\.(ts|tsx|js|json|md|css|html)$/.test(f) || f.startsWith('.ci/')));
    expect(texts.length).toBeGreaterThan(100);
    expect(texts.flatMap((f) => citationProblems(f, readFileSync(join(ROOT, f), 'utf8')))).toEqual([]);
  });

  it('the checks catch a missing file, a missing anchor, a missing path and a made-up source file', () => {
    const gone = 'nowhere';
    const text = [
      '# Title',
      '[fine](index.md#use-it) [fine too](../README.md) ![fine](editor-canvas.png) [web](https://example.com/x)',
      `[gone](${gone}-page.png) [no anchor](index.md#no-such-heading) <img src="${gone}.png">`,
      `run \`npx vitest run test/graph\` and read \`src/graph/${gone}.ts\`; \`${gone}-module.ts\`; \`presets/NAME.json\``,
      '```sh',
      `npm run bench -- graph   # bench/graph.ts, bench/${gone}.ts`,
      '```',
    ].join('\n');
    expect(linkProblems('docs/index.md', text)).toEqual([
      `docs/index.md:3: link '${gone}-page.png' points at docs/${gone}-page.png, which the repository does not have`,
      "docs/index.md:3: link 'index.md#no-such-heading': docs/index.md has no heading with anchor #no-such-heading",
      `docs/index.md:3: link '${gone}.png' points at docs/${gone}.png, which the repository does not have`,
      `docs/index.md:4: quotes the path 'src/graph/${gone}.ts', which the repository does not have`,
      `docs/index.md:4: quotes the source file '${gone}-module.ts', which the repository does not have`,
      `docs/index.md:6: quotes the path 'bench/${gone}.ts', which the repository does not have`,
    ]);
    const comment = `/** Layers as in ${gone.toUpperCase()}.md; see src/graph/index.ts and src/method/${gone}.ts, presets/NAME.json. */`;
    expect(citationProblems('src/graph/index.ts', comment)).toEqual([
      `src/graph/index.ts:1: names '${gone.toUpperCase()}.md', which the repository does not have`,
      `src/graph/index.ts:1: cites 'src/method/${gone}.ts', which the repository does not have`,
    ]);
    expect(anchorsOf('# The runtime and the backends\n```\n# not a heading\n```\n## Backends\n## `nodes --markdown`: Backends')).toEqual(
      new Set(['the-runtime-and-the-backends', 'backends', 'nodes---markdown-backends']),
    );
  });
});
