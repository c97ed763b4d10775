/**
 * Corpus kind "network": `url` params with schemes other than http(s), malformed URLs, private,
 * loopback and link-local targets (in their many spellings), and a local server that stalls, sends
 * too much, hangs up, redirects where it should not, or serves a hostile weights manifest.
 *
 * The server is started when this module loads (on a loopback port, not keeping the process alive),
 * so the cases stay plain data: URLs with its port in them.
 */
import { createServer } from 'node:http';
import { md5Hex } from '../../../src/method/vgg/vgg19-weights';
import type { CorpusCase } from '../case';
import { graphJson, literal, pngBytes } from './build';

const PNG = pngBytes(6, 4);
const bytes = new TextEncoder().encode('eight bytes, md5-checked');
const HOSTILE_MANIFEST = JSON.stringify({
  weights: { 'conv1_1/kernel': { filename: '../../../x', size: bytes.length, shape: [bytes.length], quantization: { dtype: 'uint8', scale: 1, min_value: 0 }, checksum: md5Hex(bytes) } },
});

const server = createServer((req, res) => {
  const url = req.url ?? '/';
  if (url === '/a.png') return void res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
  if (url === '/stall') return; // never answers
  if (url === '/stall-body') return void res.writeHead(200, { 'content-length': 100_000 }).write(PNG.subarray(0, 20));
  if (url === '/hang-up') {
    res.writeHead(200, { 'content-length': 100_000 }).write(PNG.subarray(0, 20));
    return void setTimeout(() => res.destroy(), 20);
  }
  if (url === '/big') {
    res.writeHead(200, { 'content-type': 'image/png' });
    for (let i = 0; i < 8; i++) res.write(Buffer.alloc(1000));
    return void res.end();
  }
  if (url === '/text') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('not an image');
  if (url === '/to-localhost') return void res.writeHead(302, { location: `http://localhost:${port()}/a.png` }).end();
  if (url === '/to-file') return void res.writeHead(302, { location: 'file:///etc/passwd' }).end();
  if (url === '/to-metadata') return void res.writeHead(301, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
  if (url === '/weights/manifest.json') return void res.writeHead(200).end(HOSTILE_MANIFEST);
  res.writeHead(404, 'Not Found').end();
});
await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
server.unref();
const port = () => (server.address() as { port: number }).port;
const BASE = `http://127.0.0.1:${port()}`;

/** image-source (or video-source) with `url`, feeding an output. */
function urlGraph(url: string, type: 'image-source' | 'video-source' = 'image-source'): string {
  return type === 'image-source'
    ? graphJson([{ id: 'src', type, params: { url } }, { id: 'result', type: 'image-out' }], [['src', 'image', 'result', 'image']])
    : graphJson([{ id: 'src', type, params: { url } }, { id: 'v', type: 'video-out', params: { webm: false } }], [['src', 'frames', 'v', 'frames']]);
}

const BAD_URLS = [
  'ftp://example.org/x.png',
  'file:///etc/passwd',
  'gopher://127.0.0.1:70/_x',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'blob:http://example.org/3f1c',
  'ws://example.org/x.png',
  'http://',
  'not a url',
  'http://[::1',
  '//example.org/x.png',
];

/** An embedded PNG that is only the PNG signature: well-formed as a data: URL, no image inside. */
const EMBEDDED_PNG = 'data:image/png;base64,iVBORw0KGgo=';

const badUrls: CorpusCase[] = (['image-source', 'video-source'] as const).flatMap((type) =>
  BAD_URLS.map((url) => ({
    name: `${type}.url ${JSON.stringify(url)} is not an http(s) URL`,
    kind: 'network',
    files: { 'graph.json': urlGraph(url, type) },
    args: ['run', 'graph.json', '--out', 'out'],
    expect: {
      exitCode: 2,
      // image-source's url may hold an image embedded in the graph (a data: URL, not fetched), so another
      // data: URL is refused there as no image it may embed; video-source's url only fetches.
      message:
        url.startsWith('data:') && type === 'image-source'
          ? new RegExp(`node 'src' \\(${type}\\): param 'url' = "${literal(url)}" is not an image the graph may embed`)
          : new RegExp(`node 'src' \\(${type}\\): param 'url': '${literal(url)}' (uses \\S+, but only http:// and https:// URLs are fetched|is not a valid URL)`),
      noOutput: true,
    },
  })),
);

/** Images embedded in image-source's url: decoded from the graph, so no fetch rule applies, but their own limits do. */
const embedded: CorpusCase[] = [
  {
    name: 'image-source.url: an embedded PNG that is only a signature fails its run, naming node and param',
    kind: 'network',
    files: { 'graph.json': urlGraph(EMBEDDED_PNG) },
    args: ['run', 'graph.json', '--out', 'out'],
    expect: { exitCode: 1, message: /node 'src': param 'url': 'the image embedded in the graph' /, noOutput: true },
  },
  ...['data:text/html;base64,PGgxPg==', 'data:image/svg+xml;base64,PHN2Zz4=', 'data:image/png,raw', 'data:image/png;base64,!!!!'].map((url) => ({
    name: `image-source.url ${JSON.stringify(url)} is not an image a graph may embed`,
    kind: 'network',
    files: { 'graph.json': urlGraph(url) },
    args: ['run', 'graph.json', '--out', 'out'],
    expect: { exitCode: 2, message: new RegExp(`node 'src' \\(image-source\\): param 'url' = "${literal(url)}" is not an image the graph may embed: it `), noOutput: true },
  })),
  {
    name: 'image-source.url: an embedded PNG runs with no --allow-net',
    kind: 'network',
    files: { 'graph.json': urlGraph(`data:image/png;base64,${Buffer.from(PNG).toString('base64')}`) },
    args: ['run', 'graph.json', '--out', 'out'],
    expect: { exitCode: 0, message: /wrote .*result\.png \(6x4\)/ },
  },
];

/** Private, loopback and link-local targets, in the spellings URL parsing turns into them. */
const PRIVATE: Array<[string, string]> = [
  ['http://127.0.0.1/x.png', '127.0.0.1'],
  ['http://127.1/x.png', '127.0.0.1'],
  ['http://0x7f000001/x.png', '127.0.0.1'],
  ['http://2130706433/x.png', '127.0.0.1'],
  ['http://0177.0.0.1/x.png', '127.0.0.1'],
  ['http://localhost/x.png', 'localhost'],
  ['http://LOCALHOST./x.png', 'localhost'],
  ['http://0.0.0.0/x.png', '0.0.0.0'],
  ['http://10.0.0.1/x.png', '10.0.0.1'],
  ['http://172.16.0.1/x.png', '172.16.0.1'],
  ['http://192.168.1.1/x.png', '192.168.1.1'],
  ['http://100.64.0.1/x.png', '100.64.0.1'],
  ['http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
  ['https://169.254.169.254/x.png', '169.254.169.254'],
  ['http://[::1]/x.png', '::1'],
  ['http://[::]/x.png', '::'],
  ['http://[fe80::1]/x.png', 'fe80::1'],
  ['http://[fd00::1]/x.png', 'fd00::1'],
  ['http://[::ffff:127.0.0.1]/x.png', '::ffff:7f00:1'],
  ['http://[::ffff:a9fe:a9fe]/x.png', '::ffff:a9fe:a9fe'],
  ['http://user:pass@127.0.0.1:8080/x.png', '127.0.0.1'],
];

const privateTargets: CorpusCase[] = PRIVATE.map(([url, host]) => ({
  name: `image-source.url ${url} is a private address`,
  kind: 'network',
  files: { 'graph.json': urlGraph(url) },
  args: ['run', 'graph.json', '--out', 'out'],
  expect: { exitCode: 2, message: new RegExp(`node 'src' \\(image-source\\): param 'url': fetching '${literal(url)}' is not allowed: .*private, loopback or link-local address; allow it with --allow-net ${literal(host)}`), noOutput: true },
}));

const allowLoopback = ['--allow-net', '127.0.0.1'];
const run = ['run', 'graph.json', '--out', 'out'];

const served: CorpusCase[] = [
  {
    name: 'video-source.url to a private address',
    kind: 'network',
    files: { 'graph.json': urlGraph('http://169.254.169.254/v.webm', 'video-source') },
    args: run,
    expect: { exitCode: 2, message: /node 'src' \(video-source\): param 'url': fetching 'http:\/\/169\.254\.169\.254\/v\.webm' is not allowed/, noOutput: true },
  },
  {
    name: '--allow-net naming another host does not allow loopback',
    kind: 'network',
    files: { 'graph.json': urlGraph(`${BASE}/a.png`) },
    args: [...run, '--allow-net', 'example.org'],
    expect: { exitCode: 2, message: /'127\.0\.0\.1' is a private, loopback or link-local address; allow it with --allow-net 127\.0\.0\.1/, noOutput: true },
  },
  {
    name: '--allow-net with a scheme or path is a usage error',
    kind: 'network',
    files: { 'graph.json': urlGraph(`${BASE}/a.png`) },
    args: [...run, '--allow-net', 'http://127.0.0.1/'],
    expect: { exitCode: 2, message: /--allow-net http:\/\/127\.0\.0\.1\/: expected a host name or IP address/, noOutput: true },
  },
  ...(['image-source', 'video-source'] as const).flatMap((type) =>
    ['/stall', '/stall-body'].map((path) => ({
      name: `${type}.url to a server that stalls (${path}), --fetch-timeout 1`,
      kind: 'network',
      files: { 'graph.json': urlGraph(`${BASE}${path}`, type) },
      args: [...run, ...allowLoopback, '--fetch-timeout', '1'],
      expect: {
        exitCode: 1,
        message: new RegExp(`node 'src': param 'url': cannot fetch '${literal(BASE + path)}': no complete answer within 1 s \\(raise the limit with --fetch-timeout SECONDS\\)`),
        noOutput: true,
      },
      timeoutMs: 60_000,
    })),
  ),
  {
    name: 'a server that hangs up halfway',
    kind: 'network',
    files: { 'graph.json': urlGraph(`${BASE}/hang-up`) },
    args: [...run, ...allowLoopback],
    expect: { exitCode: 1, message: /param 'url': cannot fetch '.*\/hang-up': the server closed the connection before the whole file arrived/, noOutput: true },
  },
  {
    name: 'a file over --fetch-max-mb',
    kind: 'network',
    files: { 'graph.json': urlGraph(`${BASE}/big`) },
    args: [...run, ...allowLoopback, '--fetch-max-mb', '0.001'],
    expect: { exitCode: 1, message: /param 'url': cannot fetch '.*\/big': the file is larger than the 1049 bytes limit \(raise it with --fetch-max-mb\)/, noOutput: true },
  },
  {
    name: 'HTTP 404',
    kind: 'network',
    files: { 'graph.json': urlGraph(`${BASE}/nope.png`) },
    args: [...run, ...allowLoopback],
    expect: { exitCode: 1, message: /param 'url': cannot fetch '.*\/nope\.png': HTTP 404 Not Found/, noOutput: true },
  },
  {
    name: 'a URL that serves no image',
    kind: 'network',
    files: { 'graph.json': urlGraph(`${BASE}/text`) },
    args: [...run, ...allowLoopback],
    expect: { exitCode: 1, message: /param 'url': '.*\/text' is not a PNG or JPEG image/, noOutput: true },
  },
  {
    name: 'a redirect from an allowed host to localhost',
    kind: 'network',
    files: { 'graph.json': urlGraph(`${BASE}/to-localhost`) },
    args: [...run, ...allowLoopback],
    expect: { exitCode: 1, message: /param 'url': fetching '.*\/to-localhost' is not allowed: 'localhost' resolves to .*\(redirected to 'http:\/\/localhost:\d+\/a\.png'\)/, noOutput: true },
  },
  {
    name: 'a redirect to the cloud metadata address',
    kind: 'network',
    files: { 'graph.json': urlGraph(`${BASE}/to-metadata`) },
    args: [...run, ...allowLoopback],
    expect: { exitCode: 1, message: /'169\.254\.169\.254' is a private, loopback or link-local address.*redirected to 'http:\/\/169\.254\.169\.254\/latest\/meta-data\/'/, noOutput: true },
  },
  {
    name: 'a redirect to file:',
    kind: 'network',
    files: { 'graph.json': urlGraph(`${BASE}/to-file`) },
    args: [...run, ...allowLoopback],
    expect: { exitCode: 1, message: /cannot fetch '.*\/to-file': the server redirected to a file: URL; only http\(s\) is fetched/, noOutput: true },
  },
  {
    name: 'a served PNG from an allowed loopback server works',
    kind: 'network',
    files: { 'graph.json': urlGraph(`${BASE}/a.png`) },
    args: [...run, ...allowLoopback],
    expect: { exitCode: 0, message: /wrote .*result\.png \(6x4\)/ },
  },
  {
    name: 'weights --from a URL whose manifest names a file outside the cache',
    kind: 'network',
    args: ['weights', '--from', `${BASE}/weights/`, '--cache', 'cache'],
    expect: { exitCode: 1, message: /manifest\.json entry 'conv1_1\/kernel' has filename '\.\.\/\.\.\/\.\.\/x', which .*this manifest is refused/, noOutput: true },
  },
];

export const cases: CorpusCase[] = [...badUrls, ...embedded, ...privateTargets, ...served];
