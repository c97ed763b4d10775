import * as esbuild from 'esbuild';
const r = await esbuild.build({ entryPoints: ['src/cli/main.ts'], bundle: true, platform: 'node', format: 'esm', splitting: true, outdir: '/tmp/pkgwork/out', packages: 'external', metafile: true, write: false });
const ins = r.metafile.inputs;
const memo = new Map();
function heavy(f, seen = new Set()) {
  if (memo.has(f)) return memo.get(f);
  if (seen.has(f)) return false; seen.add(f);
  const i = ins[f]; if (!i) return false;
  let h = i.imports.some(x => x.external && /@tensorflow|rxjs/.test(x.path) && x.kind === 'import-statement');
  for (const x of i.imports) if (!x.external && x.kind === 'import-statement' && heavy(x.path, seen)) { h = true; }
  memo.set(f, h); return h;
}
for (const f of Object.keys(ins)) if (f.startsWith('src/cli') || process.argv[2]) console.log(heavy(f) ? 'HEAVY' : 'light', f, ins[f].imports.filter(x=>!x.external && x.kind==='import-statement' && heavy(x.path)).map(x=>x.path).join(' '));
