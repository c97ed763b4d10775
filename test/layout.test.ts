/** The layering the architecture relies on, checked on the import statements of src/. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../src');

interface Import {
  /** The imported module as written. */
  spec: string;
  /** For a relative import: the file, relative to src/. */
  target?: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\b[^'";]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'/gm)].map((m) => {
    const spec = m[1] ?? m[2];
    if (!spec.startsWith('.')) return { spec };
    const base = resolve(dirname(file), spec);
    const found = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), base].find((p) => existsSync(p) && statSync(p).isFile());
    return { spec, target: found && relative(SRC, found) };
  });
}

const files = sourceFiles(SRC).map((f) => relative(SRC, f));
const imports = new Map(files.map((f) => [f, importsOf(join(SRC, f))]));

function violations(from: (file: string) => boolean, forbidden: (i: Import) => boolean): string[] {
  return [...imports].filter(([f]) => from(f)).flatMap(([f, list]) => list.filter(forbidden).map((i) => `${f} imports '${i.spec}'`));
}

describe('source layout', () => {
  it('has no import cycles (type-only imports included)', () => {
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const cycles: string[][] = [];
    const visit = (v: string) => {
      index.set(v, index.size);
      low.set(v, index.get(v)!);
      stack.push(v);
      onStack.add(v);
      for (const { target: w } of imports.get(v) ?? []) {
        if (!w || !imports.has(w)) continue;
        if (!index.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
      if (low.get(v) !== index.get(v)) return;
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) cycles.push(component);
    };
    for (const f of files) if (!index.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it('keeps the document model and the shared helpers free of the layers above them', () => {
    const outside = (allowed: string[]) => (i: Import) => !!i.target && !allowed.some((dir) => i.target!.startsWith(`${dir}/`));
    expect(violations((f) => f.startsWith('util/'), (i) => outside(['util'])(i) || !i.spec.startsWith('.'))).toEqual([]);
    expect(violations((f) => f.startsWith('graph/'), outside(['graph', 'util']))).toEqual([]);
  });

  it('keeps React and RxJS out of the document model, the method and the nodes, and TensorFlow.js out of the editor', () => {
    const uiLibrary = (i: Import) => /^(react|react-dom|rxjs|@xyflow\/react)(\/|$)/.test(i.spec);
    expect(violations((f) => /^(graph|method|nodes|util)\//.test(f), uiLibrary)).toEqual([]);
    expect(violations((f) => f.startsWith('ui/'), (i) => i.spec.startsWith('@tensorflow/'))).toEqual([]);
  });
});
