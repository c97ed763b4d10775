/** Notes and doc cards render markdown from graphs that may come from anyone: never as HTML. */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown, safeLinkTarget } from '../../src/ui/components/Markdown';

const html = (source: string) => renderToStaticMarkup(createElement(Markdown, { source }));

describe('Markdown', () => {
  it('renders headings, lists, emphasis, code and http(s) links', () => {
    const out = html('## Step 1\nD judges **patches**, not *pixels*: `relu3_1`.\n- one\n- [paper](https://example.org/p?a=1&b=2)');
    expect(out).toContain('<h4>Step 1</h4>');
    expect(out).toContain('<strong>patches</strong>');
    expect(out).toContain('<em>pixels</em>');
    expect(out).toContain('<code>relu3_1</code>');
    expect(out).toContain('<a href="https://example.org/p?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">paper</a>');
  });

  it('shows HTML as text, never as markup', () => {
    const out = html('<script>alert(1)</script> <img src=x onerror=alert(1)> **<b>x</b>**');
    expect(out).not.toMatch(/<script|<img|<b>/);
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('keeps links that are not http(s) as plain text', () => {
    for (const href of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<b>x</b>', 'file:///etc/passwd', '//evil.example', 'vbscript:x']) {
      const out = html(`[click](${href})`);
      expect(out, href).not.toContain('<a');
      expect(out, href).toContain('click');
      expect(safeLinkTarget(href)).toBe(false);
    }
    expect(safeLinkTarget('http://example.org')).toBe(true);
  });
});
