/** The access rules for graphs run headless, on real files and links in a sandbox under the temp folder. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../src/graph/types';
import { nodeRegistry } from '../../src/nodes/registry';
import {
  AccessError,
  checkDocumentAccess,
  checkRead,
  checkReadFolder,
  checkUrl,
  graphAccess,
  isInside,
  isPrivateAddress,
  trustedAccess,
} from '../../src/platform/node/access';

let box: string;
let graphDir: string;
let outside: string;
beforeAll(() => {
  box = mkdtempSync(join(tmpdir(), 'mgan-access-'));
  graphDir = join(box, 'graphs');
  outside = join(box, 'private');
  mkdirSync(join(graphDir, 'photos'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(graphDir, 'photo.png'), 'inside');
  writeFileSync(join(outside, 'secret.png'), 'outside');
  symlinkSync(join(outside, 'secret.png'), join(graphDir, 'link.png'));
  symlinkSync(outside, join(graphDir, 'linked-folder'));
  writeFileSync(join(graphDir, 'photos', 'a.png'), 'a');
  symlinkSync(join(outside, 'secret.png'), join(graphDir, 'photos', 'b.png'));
});
afterAll(() => rmSync(box, { recursive: true, force: true }));

/** The policy `mgan-studio run graphs/g.json` has when run from `cwd`. */
const policyFor = (cwd: string, extra: Parameters<typeof graphAccess>[1] = {}) => graphAccess(join(graphDir, 'g.json'), { cwd, ...extra });

describe('reading files', () => {
  it("allows the graph's folder and the current folder, by real path", async () => {
    const policy = policyFor(outside);
    expect(await checkRead(policy, join(graphDir, 'photo.png'))).toBe(join(graphDir, 'photo.png'));
    // Relative paths resolve from the current folder, which is allowed too.
    expect(await checkRead(policy, 'secret.png')).toBe(join(outside, 'secret.png'));
    // A missing file inside is allowed here (reading it then says it is missing).
    expect(await checkRead(policy, join(graphDir, 'nope', 'x.png'))).toBe(join(graphDir, 'nope', 'x.png'));
  });

  it('refuses traversal, absolute paths and links that lead out, saying which flag allows it', async () => {
    const policy = policyFor(graphDir);
    await expect(checkRead(policy, '../private/secret.png')).rejects.toThrow(
      new RegExp(`reading '\\.\\./private/secret\\.png' is not allowed: it is outside the folders this graph may read .*allow it with --allow-read ${outside}, or use --trust`),
    );
    await expect(checkRead(policy, '/etc/passwd')).rejects.toThrow(/--allow-read \/etc\b/);
    await expect(checkRead(policy, 'link.png')).rejects.toThrow(/reading 'link\.png' \(a link that leads to '.*private\/secret\.png'\) is not allowed/);
    await expect(checkRead(policy, 'linked-folder/secret.png')).rejects.toBeInstanceOf(AccessError);
    // A missing file outside is refused all the same (no probing around the disk).
    await expect(checkRead(policy, '../private/missing.png')).rejects.toBeInstanceOf(AccessError);
  });

  it('--allow-read and --trust widen it', async () => {
    expect(await checkRead(policyFor(graphDir, { allowRead: [outside] }), '../private/secret.png')).toBe(join(outside, 'secret.png'));
    expect(await checkRead(policyFor(graphDir, { trust: true }), '/etc/hostname')).toBe('/etc/hostname');
    expect(await checkRead(trustedAccess(), 'link.png'.replace('link', join(graphDir, 'link')))).toBe(join(outside, 'secret.png'));
  });

  it('a folder is checked with every link inside it', async () => {
    const policy = policyFor(graphDir);
    await expect(checkReadFolder(policy, 'photos')).rejects.toThrow(/reading 'photos\/b\.png' \(a link that leads to/);
    rmSync(join(graphDir, 'photos', 'b.png'));
    expect(await checkReadFolder(policy, 'photos')).toBe(join(graphDir, 'photos'));
    symlinkSync(join(outside, 'secret.png'), join(graphDir, 'photos', 'b.png'));
  });

  it('isInside compares whole path segments', () => {
    expect(isInside('/a/b', '/a/b')).toBe(true);
    expect(isInside('/a/b', '/a/b/c')).toBe(true);
    expect(isInside('/a/b', '/a/bc')).toBe(false);
    expect(isInside('/a/b', '/a')).toBe(false);
    expect(isInside('/a/b', '/a/b/../c')).toBe(false);
  });
});

describe('network targets', () => {
  it('classifies private, loopback and link-local addresses (v4, v6, v4-mapped)', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:a9fe:a9fe']) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '93.184.216.34', '2606:4700::1111']) expect(isPrivateAddress(a), a).toBe(false);
  });

  it('refuses non-http schemes and private hosts unless --allow-net names them', async () => {
    const policy = policyFor(graphDir);
    await expect(checkUrl(policy, 'file:///etc/passwd')).rejects.toThrow(/uses file:, but only http:\/\/ and https:\/\/ URLs are fetched/);
    await expect(checkUrl(policy, 'not a url')).rejects.toThrow(/is not a valid URL/);
    await expect(checkUrl(policy, 'http://169.254.169.254/latest/meta-data')).rejects.toThrow(
      /fetching 'http:\/\/169\.254\.169\.254\/latest\/meta-data' is not allowed: '169\.254\.169\.254' is a private, loopback or link-local address; allow it with --allow-net 169\.254\.169\.254/,
    );
    // Other spellings of a loopback address are caught too (URL parsing normalises them).
    await expect(checkUrl(policy, 'http://0x7f.1/x.png')).rejects.toThrow(/'127\.0\.0\.1' is a private/);
    await expect(checkUrl(policy, 'http://[::ffff:127.0.0.1]/x.png')).rejects.toBeInstanceOf(AccessError);
    // A name is resolved and every address checked.
    await expect(checkUrl(policy, 'http://localhost:8080/x.png')).rejects.toThrow(/'localhost' resolves to (127\.0\.0\.1|::1), a private.*--allow-net localhost/);
    expect((await checkUrl(policyFor(graphDir, { allowNet: ['LOCALHOST'] }), 'http://localhost:8080/x.png')).port).toBe('8080');
    expect((await checkUrl(policyFor(graphDir, { allowNet: ['127.0.0.1'] }), 'http://127.0.0.1/x.png')).hostname).toBe('127.0.0.1');
    expect((await checkUrl(policyFor(graphDir, { trust: true }), 'http://10.0.0.1/x.png')).hostname).toBe('10.0.0.1');
  });
});

describe('checkDocumentAccess', () => {
  it('names node, param and path for every refused reference', async () => {
    const doc: GraphDocument = {
      schemaVersion: 1,
      nodes: [
        { id: 'img', type: 'image-source', version: 1, params: { path: 'photo.png', url: 'http://127.0.0.1/x.png' }, position: { x: 0, y: 0 } },
        { id: 'set', type: 'image-set', version: 1, params: { paths: 'photo.png,../private/secret.png', folder: 'photos' }, position: { x: 0, y: 0 } },
        { id: 'dec', type: 'mgan-decoder', version: 1, params: { decoder: '../private/d.mgan' }, position: { x: 0, y: 0 } },
      ],
      edges: [],
      meta: {},
    };
    const problems = await checkDocumentAccess(doc, nodeRegistry, policyFor(graphDir));
    expect(problems.map((p) => `${p.nodeId}.${p.param}`)).toEqual(['img.url', 'set.paths', 'set.folder', 'dec.decoder']);
    expect(problems[1].message).toMatch(/'\.\.\/private\/secret\.png'/);
    expect(await checkDocumentAccess(doc, nodeRegistry, policyFor(graphDir, { trust: true }))).toEqual([]);
  });
});
