/**
 * `mgan-studio run` on graphs from someone else, in sandboxes under the temp folder: reads outside the
 * allowed folders (traversal, absolute paths, links), output names that are not plain file names, URLs
 * to private hosts and to a stalling server, and runs that fail or are interrupted (Ctrl-C) after
 * some outputs were written: the previous outputs must stay as they were.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

const REPO = resolve('.');
let box: string;
let server: Server;
let base: string;

function png(width: number, height: number, shade = 100): Buffer {
  const image = new PNG({ width, height });
  for (let i = 0; i < image.data.length; i += 4) image.data.set([shade, (i * 7) % 256, 90, 255], i);
  return PNG.sync.write(image);
}

beforeAll(async () => {
  box = mkdtempSync(join(tmpdir(), 'mgan-safety-'));
  server = createServer((req, res) => {
    if (req.url === '/a.png') return void res.writeHead(200, { 'content-type': 'image/png' }).end(png(6, 4));
    if (req.url === '/stall') return; // never answers
    res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
  rmSync(box, { recursive: true, force: true });
});

let count = 0;
/** A fresh sandbox: `graphs/` (the graph's folder, the current folder) and `private/` beside it. */
function sandbox(): { root: string; graphs: string; secret: string } {
  const root = join(box, `s${count++}`);
  mkdirSync(join(root, 'graphs'), { recursive: true });
  mkdirSync(join(root, 'private'));
  writeFileSync(join(root, 'private', 'secret.png'), png(5, 5, 250));
  return { root, graphs: join(root, 'graphs'), secret: join(root, 'private', 'secret.png') };
}

/** Runs the CLI in-process with `cwd` as the current folder (relative paths and the access rules start there). */
async function cli(cwd: string, ...argv: string[]): ReturnType<typeof runCli> {
  const before = process.cwd();
  process.chdir(cwd);
  try {
    return await runCli(...argv);
  } finally {
    process.chdir(before);
  }
}

const n = (id: string, type: string, params: Record<string, unknown> = {}) => ({ id, type, params });
const e = (from: string, fromPort: string, to: string, toPort: string) => ({ from: { node: from, port: fromPort }, to: { node: to, port: toPort } });
/** One node feeding an image-out 'result'. */
const toResult = (source: ReturnType<typeof n>, port = 'image') => ({ schemaVersion: 1, nodes: [source, n('result', 'image-out')], edges: [e(source.id, port, 'result', 'image')] });

function writeGraph(dir: string, doc: unknown, name = 'graph.json'): string {
  writeFileSync(join(dir, name), JSON.stringify(doc));
  return name;
}

/** Every path under `dir`, relative, sorted: what a run left behind. */
function tree(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const rel = `${prefix}${d.name}`;
    return d.isDirectory() && !d.isSymbolicLink() ? [`${rel}/`, ...tree(join(dir, d.name), `${rel}/`)] : [rel];
  }).sort();
}

describe('reads a graph may make', () => {
  it('refuses a path outside the graph and current folders, naming node, param, path and the flag; --allow-read and --trust allow it', async () => {
    const s = sandbox();
    const graph = writeGraph(s.graphs, toResult(n('src', 'image-source', { path: '../private/secret.png', maxSide: 0 })));
    const refused = await cli(s.graphs, 'run', graph, '--out', 'out');
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(
      /graph\.json: error: node 'src' \(image-source\): param 'path': reading '\.\.\/private\/secret\.png' is not allowed: it is outside the folders this graph may read .*; allow it with --allow-read .*private, or use --trust/,
    );
    expect(refused.err.split('\n').every((line) => !/^\s+at /.test(line))).toBe(true);
    expect(existsSync(join(s.graphs, 'out'))).toBe(false);

    const allowed = await cli(s.graphs, 'run', graph, '--out', 'out', '--allow-read', '../private');
    expect(allowed.err).not.toMatch(/error/);
    expect(allowed.code).toBe(0);
    expect(PNG.sync.read(readFileSync(join(s.graphs, 'out', 'result.png'))).width).toBe(5);
    expect((await cli(s.graphs, 'run', graph, '--out', 'out2', '--trust')).code).toBe(0);
    expect((await cli(s.graphs, 'run', graph, '--allow-read', 'no-such-folder')).err).toMatch(/--allow-read no-such-folder: no such folder/);
  });

  it('the folder of the graph file counts, wherever the current folder is', async () => {
    const s = sandbox();
    writeFileSync(join(s.graphs, 'photo.png'), png(3, 2));
    writeGraph(s.graphs, toResult(n('src', 'image-source', { path: join(s.graphs, 'photo.png') })));
    const r = await cli(join(s.root, 'private'), 'run', join(s.graphs, 'graph.json'), '--out', join(s.root, 'out'));
    expect(r.code).toBe(0);
  });

  it('refuses links that lead out, in a path param and inside a folder param', async () => {
    const s = sandbox();
    symlinkSync(s.secret, join(s.graphs, 'innocent.png'));
    mkdirSync(join(s.graphs, 'photos'));
    writeFileSync(join(s.graphs, 'photos', 'a.png'), png(8, 8));
    symlinkSync(s.secret, join(s.graphs, 'photos', 'b.png'));
    const viaLink = await cli(s.graphs, 'run', writeGraph(s.graphs, toResult(n('src', 'image-source', { path: 'innocent.png' }))), '--out', 'out');
    expect(viaLink.code).toBe(2);
    expect(viaLink.err).toMatch(/param 'path': reading 'innocent\.png' \(a link that leads to '.*private\/secret\.png'\) is not allowed/);
    const set = { schemaVersion: 1, nodes: [n('set', 'image-set', { samples: '', folder: 'photos' })], edges: [] };
    const viaFolder = await cli(s.graphs, 'run', writeGraph(s.graphs, set, 'set.json'), '--out', 'out');
    expect(viaFolder.code).toBe(2);
    expect(viaFolder.err).toMatch(/node 'set' \(image-set\): param 'folder': reading 'photos\/b\.png' \(a link that leads to/);
    expect(existsSync(join(s.graphs, 'out'))).toBe(false);
  });

  it('checks every path-like param: image-set paths, video-source path, mgan-decoder decoder', async () => {
    const s = sandbox();
    const cases: Array<[unknown, RegExp]> = [
      [{ schemaVersion: 1, nodes: [n('set', 'image-set', { samples: '', paths: 'ok.png, ../private/secret.png' })], edges: [] }, /node 'set' \(image-set\): param 'paths': reading '\.\.\/private\/secret\.png'/],
      [{ schemaVersion: 1, nodes: [n('vid', 'video-source', { path: '/etc' })], edges: [] }, /node 'vid' \(video-source\): param 'path': reading '\/etc' is not allowed.*--allow-read \/etc/],
      [
        {
          schemaVersion: 1,
          nodes: [n('noise', 'perlin-noise', { width: 16, height: 16 }), n('dec', 'mgan-decoder', { decoder: '../private/brick.mgan' })],
          edges: [e('noise', 'image', 'dec', 'image')],
        },
        /node 'dec' \(mgan-decoder\): param 'decoder': reading '\.\.\/private\/brick\.mgan' is not allowed/,
      ],
    ];
    for (const [doc, message] of cases) {
      const r = await cli(s.graphs, 'run', writeGraph(s.graphs, doc), '--out', 'out');
      expect(r.err).toMatch(message);
      expect(r.code).toBe(2);
    }
  });
});

describe('writes a graph may make', () => {
  it("video-out name '..' is refused before anything runs: the folder holding --out is not deleted", async () => {
    const s = sandbox();
    writeFileSync(join(s.graphs, 'keep.txt'), 'mine');
    const doc = { schemaVersion: 1, nodes: [n('src', 'video-source', { path: 'frames' }), n('v', 'video-out', { name: '..' })], edges: [e('src', 'frames', 'v', 'frames')] };
    const graph = writeGraph(s.graphs, doc);
    const before = tree(s.root);
    const r = await cli(s.graphs, 'run', graph, '--out', 'out');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/node 'v' \(video-out\): param 'name' = "\.\." is not a plain file name/);
    expect(tree(s.root)).toEqual(before);
    doc.nodes[1].params.name = 'clip';
    const set = await cli(s.graphs, 'run', writeGraph(s.graphs, doc, 'clip.json'), '--set', 'v.name=../../x');
    expect(set.code).toBe(2);
    expect(set.err).toMatch(/v\.name=\.\.\/\.\.\/x.*not a plain file name/);
  });
});

describe('URLs a graph may fetch', () => {
  it('refuses a loopback server unless --allow-net names it', async () => {
    const s = sandbox();
    const graph = writeGraph(s.graphs, toResult(n('src', 'image-source', { url: `${base}/a.png` })));
    const refused = await cli(s.graphs, 'run', graph, '--out', 'out');
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/node 'src' \(image-source\): param 'url': fetching 'http:\/\/127\.0\.0\.1:\d+\/a\.png' is not allowed: '127\.0\.0\.1' is a private, loopback or link-local address; allow it with --allow-net 127\.0\.0\.1/);
    const allowed = await cli(s.graphs, 'run', graph, '--out', 'out', '--allow-net', '127.0.0.1');
    expect(allowed.code).toBe(0);
    expect(PNG.sync.read(readFileSync(join(s.graphs, 'out', 'result.png'))).width).toBe(6);
    expect((await cli(s.graphs, 'run', graph, '--allow-net', 'http://x/')).err).toMatch(/--allow-net http:\/\/x\/: expected a host name/);
  });

  it('an image embedded in the graph (a data: URL, as the editor embeds a dropped photo) runs with no --allow-net and fetches nothing', async () => {
    const s = sandbox();
    const bytes = png(7, 3, 60);
    const url = `data:image/png;base64,${bytes.toString('base64')}`;
    const graph = writeGraph(s.graphs, toResult(n('src', 'image-source', { url, maxSide: 0 })));
    const r = await cli(s.graphs, 'run', graph, '--out', 'out');
    expect(r.err).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const out = PNG.sync.read(readFileSync(join(s.graphs, 'out', 'result.png')));
    expect([out.width, out.height]).toEqual([7, 3]);
    expect([...out.data.subarray(0, 8)]).toEqual([...PNG.sync.read(bytes).data.subarray(0, 8)]);
    // Other data: URLs are refused before the run; bytes that are no image fail naming the node and param.
    const html = await cli(s.graphs, 'run', writeGraph(s.graphs, toResult(n('src', 'image-source', { url: 'data:text/html;base64,PGgxPg==' })), 'html.json'), '--out', 'out');
    expect(html.code).toBe(2);
    expect(html.err).toMatch(/node 'src' \(image-source\): param 'url' = "data:text\/html;base64,PGgxPg==" is not an image the graph may embed: it holds 'text\/html'/);
    const junk = `data:image/png;base64,${Buffer.from('not a png at all').toString('base64')}`;
    const broken = await cli(s.graphs, 'run', writeGraph(s.graphs, toResult(n('src', 'image-source', { url: junk })), 'junk.json'), '--out', 'out');
    expect(broken.code).toBe(1);
    expect(broken.err).toMatch(/src.*param 'url': 'the image embedded in the graph' is not a PNG or JPEG image/);
    expect(broken.err.split('\n').every((line) => !/^\s+at /.test(line))).toBe(true);
  });

  it('a stalling server fails the run after --fetch-timeout, naming node, param and URL', async () => {
    const s = sandbox();
    const graph = writeGraph(s.graphs, toResult(n('src', 'image-source', { url: `${base}/stall` })));
    const started = Date.now();
    const r = await cli(s.graphs, 'run', graph, '--out', 'out', '--allow-net', '127.0.0.1', '--fetch-timeout', '1');
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error: node 'src': param 'url': cannot fetch 'http:\/\/127\.0\.0\.1:\d+\/stall': no complete answer within 1 s \(raise the limit with --fetch-timeout SECONDS\)/);
    expect(r.err).not.toMatch(/terminated|fetch failed|at .*\.ts:\d+/);
    expect(r.err).toMatch(/nothing written/);
    expect(existsSync(join(s.graphs, 'out'))).toBe(false);
    expect((await cli(s.graphs, 'run', graph, '--fetch-timeout', 'soon')).err).toMatch(/--fetch-timeout soon: expected a positive number/);
  });
});

describe('all or nothing', () => {
  it('a run whose second output cannot be put in place leaves every previous output as it was', async () => {
    const s = sandbox();
    const out = join(s.graphs, 'out');
    mkdirSync(join(out, 'b.png'), { recursive: true });
    writeFileSync(join(out, 'a.png'), 'previous a');
    const doc = {
      schemaVersion: 1,
      nodes: [n('noise', 'perlin-noise', { width: 8, height: 8 }), n('a', 'image-out'), n('b', 'image-out')],
      edges: [e('noise', 'image', 'a', 'image'), e('noise', 'image', 'b', 'image')],
    };
    const r = await cli(s.graphs, 'run', writeGraph(s.graphs, doc), '--out', 'out');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/b\.png' is a folder, not an earlier result.*previous outputs were kept; nothing written/);
    expect(readFileSync(join(out, 'a.png'), 'utf8')).toBe('previous a');
    expect(tree(out)).toEqual(['a.png', 'b.png/']);
  });

  it('a video that fails after some frames were written leaves the previous frames, WebM and PNGs', async () => {
    const s = sandbox();
    mkdirSync(join(s.graphs, 'frames'));
    writeFileSync(join(s.graphs, 'frames', 'f1.png'), png(8, 8));
    writeFileSync(join(s.graphs, 'frames', 'f2.png'), png(8, 8));
    writeFileSync(join(s.graphs, 'frames', 'f3.png'), png(6, 8)); // a frame of another size: video-out fails here
    const out = join(s.graphs, 'out');
    mkdirSync(join(out, 'clip'), { recursive: true });
    writeFileSync(join(out, 'clip', 'frame_00001.png'), 'previous frame');
    writeFileSync(join(out, 'clip.webm'), 'previous webm');
    writeFileSync(join(out, 'still.png'), 'previous still');
    const doc = {
      schemaVersion: 1,
      nodes: [
        n('src', 'video-source', { path: 'frames', maxSide: 16 }),
        n('v', 'video-out', { name: 'clip', webm: false }),
        n('noise', 'perlin-noise', { width: 8, height: 8 }),
        n('still', 'image-out'),
      ],
      edges: [e('src', 'frames', 'v', 'frames'), e('noise', 'image', 'still', 'image')],
    };
    const r = await cli(s.graphs, 'run', writeGraph(s.graphs, doc), '--out', 'out');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error: node 'v': .*frames\/f3\.png: frame is 6x8, but the folder's first frame is 8x8/);
    expect(r.err).toMatch(/nothing written/);
    expect(tree(out)).toEqual(['clip.webm', 'clip/', 'clip/frame_00001.png', 'still.png']);
    expect(readFileSync(join(out, 'clip', 'frame_00001.png'), 'utf8')).toBe('previous frame');
    expect(readFileSync(join(out, 'still.png'), 'utf8')).toBe('previous still');

    // The same graph with good frames replaces the whole frame folder and the PNG at once.
    rmSync(join(s.graphs, 'frames', 'f3.png'));
    const ok = await cli(s.graphs, 'run', 'graph.json', '--out', 'out');
    expect(ok.code).toBe(0);
    expect(tree(out)).toEqual(['clip.webm', 'clip/', 'clip/frame_00001.png', 'clip/frame_00002.png', 'still.png']);
    expect(ok.out).toMatch(/wrote .*out\/clip\n?/);
  });

  it('Ctrl-C while a URL stalls, after video-out wrote its frames: exit 130, previous outputs untouched', async () => {
    const s = sandbox();
    mkdirSync(join(s.graphs, 'frames'));
    for (let i = 1; i <= 3; i++) writeFileSync(join(s.graphs, 'frames', `f${i}.png`), png(8, 8, i * 50));
    const out = join(s.graphs, 'out');
    mkdirSync(join(out, 'clip'), { recursive: true });
    writeFileSync(join(out, 'clip', 'frame_00001.png'), 'previous frame');
    writeFileSync(join(out, 'result.png'), 'previous result');
    const doc = {
      schemaVersion: 1,
      nodes: [
        n('src', 'video-source', { path: 'frames', maxSide: 16 }),
        n('v', 'video-out', { name: 'clip', webm: false }),
        n('slow', 'image-source', { url: `${base}/stall` }),
        n('result', 'image-out'),
      ],
      edges: [e('src', 'frames', 'v', 'frames'), e('slow', 'image', 'result', 'image')],
    };
    writeGraph(s.graphs, doc);
    const child = spawn(process.execPath, [join(REPO, 'bin/mgan-studio.js'), 'run', 'graph.json', '--out', 'out', '--allow-net', '127.0.0.1'], {
      cwd: s.graphs,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const exited = new Promise<number | null>((ok) => child.on('close', (code) => ok(code)));
    await new Promise<void>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`video-out never finished:\n${stderr}`)), 90_000);
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (/done v \(video-out\)/.test(stderr)) {
          clearTimeout(timer);
          ok();
        }
      });
    });
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/cancelled: nothing written/);
    expect(tree(out)).toEqual(['clip/', 'clip/frame_00001.png', 'result.png']);
    expect(readFileSync(join(out, 'clip', 'frame_00001.png'), 'utf8')).toBe('previous frame');
    expect(readFileSync(join(out, 'result.png'), 'utf8')).toBe('previous result');
  });
});
