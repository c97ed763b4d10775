/**
 * Corpus kind "paths": every path-like param of every node type pointed outside the folders a graph
 * may read (the sandbox is the current folder, so anything outside it), by traversal and by absolute
 * paths. Each is refused before anything runs (exit 2), naming node, param and path. Links that lead
 * out cannot be written as plain files; test/cli/safety.test.ts covers those.
 */
import type { CorpusCase } from '../case';
import { graphJson, literal, pngBytes, type NodeSpec } from './build';

const OUTSIDE = [
  '../secret.png',
  '../../../../../../etc/passwd',
  '/etc/passwd',
  '/proc/self/environ',
  'sub/../../outside.png',
  './../x.png',
  '..',
  '../',
  '/',
  '//etc//hostname',
  '/tmp',
  'a/b/../../../up.png',
  '/root/.ssh/id_rsa',
];

/** How each path-like param is used: the graph around it, and the node/param the message must name. */
const TARGETS: Array<{ id: string; type: string; param: string; graph: (path: string) => string; paths?: (p: string) => boolean }> = [
  {
    id: 'src',
    type: 'image-source',
    param: 'path',
    graph: (p) => graphJson([{ id: 'src', type: 'image-source', params: { path: p } }, { id: 'result', type: 'image-out' }], [['src', 'image', 'result', 'image']]),
  },
  {
    id: 'set',
    type: 'image-set',
    param: 'paths',
    graph: (p) => graphJson([{ id: 'set', type: 'image-set', params: { samples: '', paths: `ok.png, ${p}` } }]),
    // A comma list: a path holding a comma would be two paths.
    paths: (p) => !p.includes(','),
  },
  { id: 'set', type: 'image-set', param: 'folder', graph: (p) => graphJson([{ id: 'set', type: 'image-set', params: { samples: '', folder: p } }]) },
  {
    id: 'vid',
    type: 'video-source',
    param: 'path',
    graph: (p) => graphJson([{ id: 'vid', type: 'video-source', params: { path: p } }, { id: 'v', type: 'video-out', params: { webm: false } }], [['vid', 'frames', 'v', 'frames']]),
  },
  {
    id: 'dec',
    type: 'mgan-decoder',
    param: 'decoder',
    graph: (p) =>
      graphJson(
        [{ id: 'noise', type: 'perlin-noise', params: { width: 16, height: 16 } }, { id: 'dec', type: 'mgan-decoder', params: { decoder: p } } as NodeSpec],
        [['noise', 'image', 'dec', 'image']],
      ),
    // Without a folder separator (or .mgan) the value is a saved decoder's name, not a path.
    paths: (p) => /[\\/]/.test(p),
  },
];

const refusals: CorpusCase[] = TARGETS.flatMap((t) =>
  OUTSIDE.filter((p) => t.paths?.(p) ?? true).map((p) => ({
    name: `${t.type}.${t.param} = '${p}' is outside the allowed folders`,
    kind: 'paths',
    files: { 'graph.json': t.graph(p), 'ok.png': pngBytes(4, 4) },
    args: ['run', 'graph.json', '--out', 'out'],
    expect: {
      exitCode: 2,
      message: new RegExp(`node '${t.id}' \\(${t.type}\\): param '${t.param}': reading '${literal(p)}' .*is not allowed: .*--allow-read .*--trust`),
      noOutput: true,
    },
  })),
);

/** A decoder path ending in `.mgan` is a path too, wherever it points. */
const decoderFiles: CorpusCase[] = ['../brick.mgan', '/etc/brick.mgan'].map((p) => ({
  name: `mgan-decoder.decoder = '${p}' (a shared decoder file outside)`,
  kind: 'paths',
  files: { 'graph.json': TARGETS[4].graph(p) },
  args: ['run', 'graph.json', '--out', 'out'],
  expect: { exitCode: 2, message: new RegExp(`node 'dec' \\(mgan-decoder\\): param 'decoder': reading '${literal(p)}' is not allowed`), noOutput: true },
}));

/** The same reads, let through by --allow-read: they then fail only because the file is not there. */
const allowed: CorpusCase[] = [
  {
    name: 'image-source.path outside, allowed with --allow-read: reads (and finds no file)',
    kind: 'paths',
    files: { 'graph.json': TARGETS[0].graph('../mgan-corpus-no-such-secret.png') },
    args: ['run', 'graph.json', '--out', 'out', '--allow-read', '..'],
    expect: { exitCode: 1, message: /param 'path': cannot read image '\.\.\/mgan-corpus-no-such-secret\.png': no such file/, noOutput: true },
  },
  {
    name: 'image-source.path outside, allowed with --trust: reads (and finds no file)',
    kind: 'paths',
    files: { 'graph.json': TARGETS[0].graph('/mgan-corpus-no-such-file.png') },
    args: ['run', 'graph.json', '--out', 'out', '--trust'],
    expect: { exitCode: 1, message: /param 'path': cannot read image '\/mgan-corpus-no-such-file\.png': no such file/, noOutput: true },
  },
  {
    name: '--allow-read of a folder that does not exist',
    kind: 'paths',
    files: { 'graph.json': TARGETS[0].graph('ok.png'), 'ok.png': pngBytes(4, 4) },
    args: ['run', 'graph.json', '--out', 'out', '--allow-read', 'no-such-folder'],
    expect: { exitCode: 2, message: /--allow-read no-such-folder: no such folder/, noOutput: true },
  },
];

export const cases: CorpusCase[] = [...refusals, ...decoderFiles, ...allowed];
