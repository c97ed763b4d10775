// `mgan-studio weights`: exit codes and messages (installing itself is covered in vgg19-weights.test.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { weightsCommand } from '../../src/cli/commands/weights';
import { PROJECT_ROOT, defaultServicesOptions } from '../../src/platform/node/services';

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await weightsCommand(args, { log: (l) => out.push(l), error: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('mgan-studio weights', () => {
  it('--check on an empty cache fails (1) and says how to install', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'vgg19-cli-'));
    const r = await run(['--check', '--cache', cache]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/not installed \(looked in .*weights\/vgg19\): run `npx mgan-studio weights --from/);
    await rm(cache, { recursive: true, force: true });
  });
  it('a source without the files fails (1) naming the file and the source', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'vgg19-cli-'));
    const r = await run(['--from', join(cache, 'nowhere'), '--cache', cache]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/'manifest.json' could not be read.*\(source: .*nowhere\)/);
    await rm(cache, { recursive: true, force: true });
  });
  it('bad arguments exit 2 with the usage; --help prints it', async () => {
    expect((await run(['--frm', 'x'])).code).toBe(2);
    expect((await run(['--from'])).err).toMatch(/--from needs a value/);
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/raw\.githubusercontent\.com\/neuralpixels\/neuralpixels\/3e5506de/);
  });

  it('tests install into the clone\'s own .cache (vitest.config.ts sets $MGAN_STUDIO_CACHE), never the user\'s folder', () => {
    const root = resolve(import.meta.dirname, '../..');
    expect(PROJECT_ROOT).toBe(root);
    expect(defaultServicesOptions({}).projectRoot).toBe(root);
    expect(defaultServicesOptions({}).cacheDir).toBe(join(root, '.cache'));
  });

  it('a download that cannot connect names the cause (refused, unknown host), not "fetch failed"', async () => {
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as { port: number }).port;
    await new Promise((done) => server.close(done));
    const cache = await mkdtemp(join(tmpdir(), 'vgg19-net-'));
    try {
      const refused = await run(['--from', `http://127.0.0.1:${port}/vgg19/`, '--cache', cache]);
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(/cannot download 'manifest\.json': the server refused the connection/);
      const unknown = await run(['--from', 'http://no-such-host.invalid/vgg19/', '--cache', cache]);
      expect(unknown.err).toMatch(/cannot download 'manifest\.json': the host name (does not resolve|could not be resolved now)/);
      expect(unknown.err).not.toMatch(/fetch failed/);
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  });
});
