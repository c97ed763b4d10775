/**
 * A small markdown renderer for doc cards and notes: headings, paragraphs, lists, **bold**, *italic*,
 * `code` and links. Builds React elements (no innerHTML), so text from a graph can never inject
 * markup: `<script>` shows as the characters it is. Links open in a new tab without access to this
 * one (rel noopener), and only http(s) links become links: `javascript:`, `data:` and the like stay text.
 */
import type { ReactNode } from 'react';

/** Whether `href` is a web address a note may link to. */
export function safeLinkTarget(href: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(href.trim());
}

function inline(text: string, key: string): ReactNode[] {
  const out: ReactNode[] = [];
  const re = /(\*\*[^*]+\*\*|\*[^*]+\*|`[^`]+`|\[[^\]]+\]\([^)]+\))/g;
  let last = 0;
  let m: RegExpExecArray | null;
  let i = 0;
  while ((m = re.exec(text))) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const tok = m[0];
    const k = `${key}-${i++}`;
    if (tok.startsWith('**')) out.push(<strong key={k}>{tok.slice(2, -2)}</strong>);
    else if (tok.startsWith('`')) out.push(<code key={k}>{tok.slice(1, -1)}</code>);
    else if (tok.startsWith('[')) {
      const [, label, href] = /\[([^\]]+)\]\(([^)]+)\)/.exec(tok) ?? [];
      out.push(
        href && safeLinkTarget(href) ? (
          <a key={k} href={href.trim()} target="_blank" rel="noopener noreferrer">
            {label}
          </a>
        ) : (
          <span key={k} className="unsafe-link" title="only http(s) links are followed">
            {label} ({href})
          </span>
        ),
      );
    } else out.push(<em key={k}>{tok.slice(1, -1)}</em>);
    last = m.index + tok.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export function Markdown({ source }: { source: string }) {
  const blocks: ReactNode[] = [];
  const lines = source.split('\n');
  let para: string[] = [];
  let list: string[] = [];
  const flush = () => {
    if (para.length) blocks.push(<p key={blocks.length}>{inline(para.join(' '), `p${blocks.length}`)}</p>);
    if (list.length)
      blocks.push(
        <ul key={blocks.length}>
          {list.map((item, i) => (
            <li key={i}>{inline(item, `l${blocks.length}-${i}`)}</li>
          ))}
        </ul>,
      );
    para = [];
    list = [];
  };
  for (const raw of lines) {
    const line = raw.trimEnd();
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    const item = /^\s*(?:[-*]|\d+\.)\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      const level = Math.min(heading[1]!.length + 2, 6);
      const H = `h${level}` as 'h3';
      blocks.push(<H key={blocks.length}>{inline(heading[2]!, `h${blocks.length}`)}</H>);
    } else if (item) {
      if (para.length) flush();
      list.push(item[1]!);
    } else if (!line.trim()) flush();
    else if (list.length) list[list.length - 1] += ` ${line.trim()}`;
    else para.push(line.trim());
  }
  flush();
  return <div className="markdown">{blocks}</div>;
}
