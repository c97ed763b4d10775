/**
 * Fetching URLs a graph names, against real local servers: a loopback server the policy allows, one
 * that stalls (bounded by a short timeout), redirects, size caps and refused private addresses.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessError, trustedAccess, type AccessPolicy } from '../../src/platform/node/access';
import { FetchError, fetchUrl } from '../../src/platform/node/net-fetch';

let server: Server;
let base: string;
const BODY = Buffer.from('0123456789'.repeat(100));

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/ok') return void res.writeHead(200, { 'content-length': BODY.length }).end(BODY);
    if (url === '/missing') return void res.writeHead(404, 'Not Found').end();
    // Answers nothing at all: headers never come.
    if (url === '/stall') return;
    // Sends headers and part of the body, then stalls.
    if (url === '/stall-body') return void res.writeHead(200, { 'content-length': 1000 }).write('abc');
    // Declares the whole length, sends half, and hangs up.
    if (url === '/cut') {
      res.writeHead(200, { 'content-length': 1000 }).write('x'.repeat(500));
      return void setTimeout(() => res.destroy(), 20);
    }
    if (url === '/big-declared') return void res.writeHead(200, { 'content-length': 10_000 }).end(Buffer.alloc(10_000));
    if (url === '/big-chunked') {
      res.writeHead(200);
      for (let i = 0; i < 20; i++) res.write(Buffer.alloc(1000));
      return void res.end();
    }
    if (url === '/to-ok') return void res.writeHead(302, { location: '/ok' }).end();
    if (url === '/to-localhost') return void res.writeHead(302, { location: url.replace('/to-localhost', `http://localhost:${port()}/ok`) }).end();
    if (url === '/to-file') return void res.writeHead(302, { location: 'file:///etc/passwd' }).end();
    if (url === '/loop') return void res.writeHead(302, { location: '/loop' }).end();
    res.writeHead(500).end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${port()}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const port = () => (server.address() as { port: number }).port;
/** A policy that allows only the loopback address by name, as `--allow-net 127.0.0.1` does. */
const allowLoopback = (extra: Partial<AccessPolicy> = {}): AccessPolicy => ({ ...trustedAccess(), trust: false, allowNet: ['127.0.0.1'], fetchTimeoutMs: 5000, ...extra });

/** The error a fetch fails with (the test fails if it succeeds). */
async function failure(url: string, policy: AccessPolicy, signal?: AbortSignal): Promise<Error> {
  try {
    await fetchUrl(url, policy, signal);
  } catch (e) {
    return e as Error;
  }
  throw new Error(`fetching ${url} succeeded`);
}

describe('fetchUrl', () => {
  it('fetches from a host --allow-net names, following a redirect', async () => {
    expect(Buffer.from(await fetchUrl(`${base}/ok`, allowLoopback()))).toEqual(BODY);
    expect(Buffer.from(await fetchUrl(`${base}/to-ok`, allowLoopback()))).toEqual(BODY);
  });

  it('refuses a loopback server that is not allowed, before connecting', async () => {
    const e = await failure(`${base}/ok`, { ...trustedAccess(), trust: false });
    expect(e).toBeInstanceOf(AccessError);
    expect(e.message).toBe(`fetching '${base}/ok' is not allowed: '127.0.0.1' is a private, loopback or link-local address; allow it with --allow-net 127.0.0.1 if you trust this graph`);
  });

  it('checks every redirect hop: a hop to a host that is not allowed is refused', async () => {
    const e = await failure(`${base}/to-localhost`, allowLoopback());
    expect(e).toBeInstanceOf(AccessError);
    expect(e.message).toMatch(/'localhost' resolves to (127\.0\.0\.1|::1), a private.*--allow-net localhost.*\(redirected to 'http:\/\/localhost:\d+\/ok'\)/);
    expect((await failure(`${base}/to-file`, allowLoopback())).message).toMatch(/redirected to a file: URL; only http\(s\) is fetched/);
    expect((await failure(`${base}/loop`, allowLoopback())).message).toMatch(/more than 5 redirects/);
  });

  it('gives up on a stalling server after the timeout, naming the URL and the flag', async () => {
    for (const path of ['/stall', '/stall-body']) {
      const started = Date.now();
      const e = await failure(`${base}${path}`, allowLoopback({ fetchTimeoutMs: 300 }));
      expect(Date.now() - started).toBeLessThan(3000);
      expect(e).toBeInstanceOf(FetchError);
      expect(e.message).toBe(`cannot fetch '${base}${path}': no complete answer within 0.3 s (raise the limit with --fetch-timeout SECONDS)`);
    }
  });

  it('caps the size, by the declared length and while streaming', async () => {
    const policy = allowLoopback({ fetchMaxBytes: 5000 });
    expect((await failure(`${base}/big-declared`, policy)).message).toMatch(/big-declared': the file is 10000 bytes, more than the 5000 bytes limit \(raise it with --fetch-max-mb\)/);
    expect((await failure(`${base}/big-chunked`, policy)).message).toMatch(/big-chunked': the file is larger than the 5000 bytes limit/);
  });

  it('says in its own words what went wrong (no library texts)', async () => {
    const messages = [
      (await failure(`${base}/missing`, allowLoopback())).message,
      (await failure(`${base}/cut`, allowLoopback())).message,
      (await failure('http://127.0.0.1:1/x.png', allowLoopback())).message,
      (await failure('ftp://example.org/x', allowLoopback())).message,
    ];
    expect(messages[0]).toBe(`cannot fetch '${base}/missing': HTTP 404 Not Found`);
    expect(messages[1]).toMatch(/cut': the server closed the connection/);
    expect(messages[2]).toBe("cannot fetch 'http://127.0.0.1:1/x.png': the server refused the connection");
    expect(messages[3]).toMatch(/uses ftp:, but only http/);
    for (const m of messages) expect(m).not.toMatch(/terminated|fetch failed|socket hang up|ECONN|undefined/);
  });

  it("a cancel is the caller's own reason, not a network error", async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(new DOMException('cancelled by test', 'AbortError')), 50);
    const e = await failure(`${base}/stall`, allowLoopback(), ac.signal);
    expect(e.name).toBe('AbortError');
    expect(e.message).toBe('cancelled by test');
  });
});
