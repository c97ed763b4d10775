/**
 * The layering the architecture relies on: every row of the table in docs/layout.md ("Layers: who may
 * use whom"), checked on every import of src/ (static, `export … from`, type-only and `import()`).
 * The rules are read from the table itself, so the table and the check cannot drift apart.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..');
const SRC = join(ROOT, 'src');

interface Import {
  /** The imported module as written. */
  spec: string;
  /** For a relative import: the file (or, when none exists, the path) it names, relative to src/. */
  target?: string;
  dynamic: boolean;
}

interface LayerRule {
  /** A folder of src/ ("method", "platform/node"). */
  layer: string;
  /** Folders or files of src/ it may import, besides its own. */
  uses: string[];
  /** Packages it must not import, from the words of the "never" column. */
  forbiddenPackages: RegExp[];
  /** The row as written, for messages. */
  row: string;
}

/** What the words of the table's "never" column mean as package names. */
const PACKAGE_WORDS: Array<[RegExp, RegExp]> = [
  [/TensorFlow\.js/, /^@tensorflow\//],
  [/React/, /^(react|react-dom|@xyflow\/react)(\/|$)/],
  [/RxJS/, /^rxjs(\/|$)/],
  [/\bfiles\b/, /^(node:)?(fs|path|os|child_process)(\/|$)/],
  [/IndexedDB/, /^idb-keyval(\/|$)/],
  [/any package/, /^[^.]/],
];

/** The rows of the table under "## Layers" in docs/layout.md. */
function parseLayerTable(markdown: string): LayerRule[] {
  const section = markdown.split(/^## /m).find((s) => s.startsWith('Layers'));
  if (!section) throw new Error('docs/layout.md has no "## Layers" section');
  const rows = section.split('\n').filter((line) => /^\|\s*`/.test(line));
  return rows.map((row) => {
    const [layerCell, usesCell, neverCell] = row.split('|').slice(1).map((c) => c.trim());
    const ticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    return {
      layer: ticked(layerCell)[0],
      uses: ticked(usesCell),
      forbiddenPackages: PACKAGE_WORDS.filter(([word]) => word.test(neverCell)).map(([, pkg]) => pkg),
      row,
    };
  });
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

const files = sourceFiles(SRC).map((f) => relative(SRC, f));
const known = new Set(files);

/** Every import of a source text: `import … from`, `export … from`, `import '…'` and `import('…')`. */
function importsOfText(text: string, file: string): Import[] {
  const resolveSpec = (spec: string): string | undefined => {
    if (!spec.startsWith('.')) return undefined;
    const base = normalize(join(dirname(file), spec));
    return [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), base].find((p) => known.has(p)) ?? `${base}.ts`;
  };
  const statics = [...text.matchAll(/^\s*(?:import|export)\b[^'";]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'/gm)].map((m) => m[1] ?? m[2]);
  const dynamics = [...text.matchAll(/\bimport\(\s*(?:\/\*[^*]*\*\/\s*)?['"]([^'"]+)['"]\s*[,)]/g)].map((m) => m[1]);
  return [
    ...statics.map((spec) => ({ spec, target: resolveSpec(spec), dynamic: false })),
    ...dynamics.map((spec) => ({ spec, target: resolveSpec(spec), dynamic: true })),
  ];
}

const realImports = new Map(files.map((f) => [f, importsOfText(readFileSync(join(SRC, f), 'utf8'), f)]));
const rules = parseLayerTable(readFileSync(join(ROOT, 'docs/layout.md'), 'utf8'));

/** The rule of the deepest layer holding `file`. */
function ruleOf(file: string, table: LayerRule[]): LayerRule | undefined {
  return table.filter((r) => file.startsWith(`${r.layer}/`)).sort((a, b) => b.layer.length - a.layer.length)[0];
}

/** Every import that breaks a row of the table, as "FILE imports 'SPEC': ROW's rule". */
function layerViolations(imports: Map<string, Import[]>, table: LayerRule[]): string[] {
  const found: string[] = [];
  for (const [file, list] of imports) {
    const rule = ruleOf(file, table);
    if (!rule) {
      found.push(`${file} is in no layer of the table`);
      continue;
    }
    for (const i of list) {
      const how = i.dynamic ? `import('${i.spec}')` : `imports '${i.spec}'`;
      if (i.target?.startsWith('../')) continue; // data outside src/ (the samples' index), no layer
      if (i.target) {
        const inside = (prefix: string) => i.target === prefix || i.target!.startsWith(`${prefix}/`);
        if (!inside(rule.layer) && !rule.uses.some(inside)) found.push(`${file} ${how}: \`${rule.layer}\` may use only ${rule.uses.join(', ') || 'nothing'}`);
      } else if (rule.forbiddenPackages.some((p) => p.test(i.spec))) {
        found.push(`${file} ${how}: \`${rule.layer}\` never uses that package`);
      }
    }
  }
  return found;
}

function withPlanted(file: string, line: string): Map<string, Import[]> {
  const copy = new Map(realImports);
  copy.set(file, [...(copy.get(file) ?? []), ...importsOfText(line, file)]);
  return copy;
}

describe('source layout', () => {
  it('has a row in the layer table for every folder of src/, and every layer it names exists', () => {
    const folders = new Set(files.map((f) => (f.startsWith('platform/') ? f.split('/').slice(0, 2).join('/') : f.split('/')[0])));
    expect(rules.map((r) => r.layer).sort()).toEqual([...folders].sort());
    for (const rule of rules) {
      for (const used of rule.uses) expect(existsSync(join(SRC, used)), `${used} in row ${rule.row}`).toBe(true);
    }
  });

  it('keeps every row of the table: no import of src/ goes where its layer may not', () => {
    expect(layerViolations(realImports, rules)).toEqual([]);
  });

  it('reads static, re-exported, type-only, side-effect and import() imports', () => {
    const text = [
      "import { a } from './a';",
      "import type {\n  B,\n  C,\n} from '../graph/types';",
      "export { d } from '../util/hash';",
      "import './styles.css';",
      "const m = await import('../method/image/augment');",
      "const w = await import(/* @vite-ignore */ 'webgpu');",
      'const message = `input from ${from}`;',
    ].join('\n');
    expect(importsOfText(text, 'nodes/x.ts')).toEqual([
      { spec: './a', target: 'nodes/a.ts', dynamic: false },
      { spec: '../graph/types', target: 'graph/types.ts', dynamic: false },
      { spec: '../util/hash', target: 'util/hash.ts', dynamic: false },
      { spec: './styles.css', target: 'nodes/styles.css.ts', dynamic: false },
      { spec: '../method/image/augment', target: 'method/image/augment.ts', dynamic: true },
      { spec: 'webgpu', target: undefined, dynamic: true },
    ]);
  });

  // The five breaks the table once had, planted one at a time into the real import graph: each must
  // be reported, statically imported or through import().
  const breaks: Array<[string, string, string]> = [
    ['method → graph (VGG19 weight manifest)', 'method/vgg/vgg19-weights.ts', "import { parseLimitedJson } from '../../graph/limits';"],
    ['method → graph (EXIF in a PNG)', 'method/image/exif-orientation.ts', "import { readPngChunks } from '../../graph/png-chunks';"],
    ['nodes → platform (service contracts)', 'nodes/mgan-decoder.ts', "import type { DecoderCatalog } from '../platform/common/decoder-catalog';"],
    ['platform → runtime (a global setter)', 'platform/node/wasm-threads.ts', "import { setWasmThreading } from '../../runtime/wasm-threading';"],
    ['ui → method', 'ui/heatmap.ts', "import { D_SCORE_LIMIT } from '../method/mdan/score-scale';"],
    ['ui → method through import()', 'ui/store/link-images.ts', "const { fitSize } = await import('../../method/image/fit-size');"],
    ['cli → method', 'cli/commands/run.ts', "import { composeContactSheet } from '../../method/image/contact-sheet';"],
  ];
  it.each(breaks)('reports a planted break: %s', (_, file, line) => {
    const found = layerViolations(withPlanted(file, line), rules);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(file);
  });

  it('reports a forbidden package, and a file in no layer', () => {
    expect(layerViolations(withPlanted('ui/heatmap.ts', "import * as tf from '@tensorflow/tfjs';"), rules)).toEqual([
      "ui/heatmap.ts imports '@tensorflow/tfjs': `ui` never uses that package",
    ]);
    expect(layerViolations(withPlanted('method/noise/noise.ts', "const { readFile } = await import('node:fs/promises');"), rules)).toEqual([
      "method/noise/noise.ts import('node:fs/promises'): `method` never uses that package",
    ]);
    expect(layerViolations(new Map([['stray.ts', []]]), rules)).toEqual(['stray.ts is in no layer of the table']);
  });

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
      for (const { target: w } of realImports.get(v) ?? []) {
        if (!w || !realImports.has(w)) continue;
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
});
