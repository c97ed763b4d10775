/**
 * What a graph run in Node may read and reach (docs/security.md): local files only inside the
 * allowed folders (by real path, so a symbolic link cannot lead out), and http(s) hosts that are not
 * private, loopback or link-local unless the user names them. The CLI builds the policy from its
 * flags and checks a document before running it; the Node env checks again at every read.
 */
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { externalReferences } from '../../graph/resources';
import type { GraphDocument, NodeTypeLookup } from '../../graph/types';

export const DEFAULT_FETCH_TIMEOUT_MS = 30_000;
export const DEFAULT_FETCH_MAX_BYTES = 256 * 2 ** 20;

export interface AccessPolicy {
  /** Everything allowed: any file, any host (`run --trust`, for one's own graphs; and library use). */
  trust: boolean;
  /** Absolute folders a graph may read inside (compared by real path). */
  readRoots: string[];
  /** Host names or addresses that may be reached even when they resolve to private addresses. */
  allowNet: string[];
  /** A URL must have answered in full within this many ms. */
  fetchTimeoutMs: number;
  /** A URL's body may be at most this many bytes. */
  fetchMaxBytes: number;
  /** Where relative paths start (default: the current folder at the time of the read). */
  cwd?: string;
}

/** Read or fetch refused by the access rules; the message says which flag allows it. */
export class AccessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccessError';
  }
}

/** No restriction on files or hosts; the fetch timeout and size cap still apply. */
export function trustedAccess(overrides: Partial<AccessPolicy> = {}): AccessPolicy {
  return { trust: true, readRoots: [], allowNet: [], fetchTimeoutMs: DEFAULT_FETCH_TIMEOUT_MS, fetchMaxBytes: DEFAULT_FETCH_MAX_BYTES, ...overrides };
}

/** The CLI's policy for one graph file: its folder and the current folder, plus what the flags allow. */
export function graphAccess(
  graphFile: string,
  options: { allowRead?: string[]; allowNet?: string[]; trust?: boolean; fetchTimeoutMs?: number; fetchMaxBytes?: number; cwd?: string } = {},
): AccessPolicy {
  const cwd = options.cwd ?? process.cwd();
  const roots = [dirname(resolve(cwd, graphFile)), cwd, ...(options.allowRead ?? []).map((d) => resolve(cwd, d))];
  return {
    cwd,
    trust: options.trust ?? false,
    readRoots: [...new Set(roots)],
    allowNet: (options.allowNet ?? []).map(normalHost),
    fetchTimeoutMs: options.fetchTimeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS,
    fetchMaxBytes: options.fetchMaxBytes ?? DEFAULT_FETCH_MAX_BYTES,
  };
}

// ---- files ----------------------------------------------------------------------------------

/**
 * The real path of `path` (symbolic links resolved). A path that does not exist yet resolves through
 * its deepest existing folder, so a missing file is still placed (and refused) correctly.
 */
export async function realPathOf(path: string, cwd = process.cwd()): Promise<string> {
  const absolute = resolve(cwd, path);
  const rest: string[] = [];
  let at = absolute;
  for (;;) {
    try {
      return join(await realpath(at), ...rest);
    } catch {
      const parent = dirname(at);
      if (parent === at) return absolute;
      rest.unshift(basename(at));
      at = parent;
    }
  }
}

/** Whether `path` is `root` or inside it (both absolute, already real). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

async function realRoots(policy: AccessPolicy): Promise<string[]> {
  return Promise.all(policy.readRoots.map((r) => realPathOf(r)));
}

/** The folder to suggest for `--allow-read`: the file's folder, or the folder itself. */
async function suggestedFolder(real: string): Promise<string> {
  const info = await stat(real).catch(() => undefined);
  return info?.isDirectory() ? real : dirname(real);
}

/**
 * Checks that the graph may read `path` (relative to the policy's current folder) and returns its
 * real path, which the caller should read (so a link swapped in later is not followed). Throws
 * AccessError naming `path` as the user gave it.
 */
export async function checkRead(policy: AccessPolicy, path: string): Promise<string> {
  return checkReadAs(policy, resolve(policy.cwd ?? process.cwd(), path), path);
}

async function checkReadAs(policy: AccessPolicy, absolute: string, shown: string): Promise<string> {
  const real = await realPathOf(absolute);
  if (policy.trust) return real;
  const roots = await realRoots(policy);
  if (roots.some((root) => isInside(root, real))) return real;
  const via = real !== absolute ? ` (a link that leads to '${real}')` : '';
  throw new AccessError(
    `reading '${shown}'${via} is not allowed: it is outside the folders this graph may read (${roots.join(', ')}); ` +
      `allow it with --allow-read ${await suggestedFolder(real)}, or use --trust for a graph you wrote yourself`,
  );
}

/** Checks a folder and every link inside it (the entries a folder param will read). Returns the real folder. */
export async function checkReadFolder(policy: AccessPolicy, folder: string): Promise<string> {
  const real = await checkRead(policy, folder);
  if (policy.trust) return real;
  const info = await stat(real).catch(() => undefined);
  if (!info?.isDirectory()) return real;
  for (const name of await readdir(real)) {
    const entry = join(real, name);
    if ((await lstat(entry)).isSymbolicLink()) await checkReadAs(policy, entry, join(folder, name));
  }
  return real;
}

// ---- network --------------------------------------------------------------------------------

/** Addresses a shared graph must not reach unasked: this machine, its networks, cloud metadata. */
const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata services live here)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved and broadcast
] as const) {
  PRIVATE.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // old site-local
  ['ff00::', 8], // multicast
] as const) {
  PRIVATE.addSubnet(net, bits, 'ipv6');
}

/** Whether an IP address is private, loopback, link-local or otherwise not on the public internet. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  // IPv4-mapped IPv6 addresses are checked against the IPv4 ranges by BlockList itself.
  return PRIVATE.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** A URL's host as typed in a URL: lower case, IPv6 without brackets, no trailing dot. */
export function normalHost(host: string): string {
  return host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

/** Whether `--allow-net` names this host (or `--trust` is on). */
export function hostAllowed(policy: AccessPolicy, host: string): boolean {
  return policy.trust || policy.allowNet.includes(normalHost(host));
}

function privateRefusal(url: string, host: string, address: string): AccessError {
  const what = normalHost(host) === address ? `'${address}' is` : `'${normalHost(host)}' resolves to ${address},`;
  return new AccessError(
    `fetching '${url}' is not allowed: ${what} a private, loopback or link-local address; ` +
      `allow it with --allow-net ${normalHost(host)} if you trust this graph`,
  );
}

/** Parses a URL a graph names; only http and https are fetched. */
export function parseFetchUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AccessError(`'${url}' is not a valid URL: give an http:// or https:// address`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new AccessError(`'${url}' uses ${parsed.protocol}, but only http:// and https:// URLs are fetched`);
  }
  return parsed;
}

/** Throws AccessError when `address` (one the host resolved to) may not be reached. */
export function checkAddress(policy: AccessPolicy, url: string, host: string, address: string): void {
  if (!hostAllowed(policy, host) && isPrivateAddress(address)) throw privateRefusal(url, host, address);
}

/**
 * Checks a URL before a run: scheme, and every address its host resolves to. A host that does not
 * resolve passes here: fetching it fails later with a message saying so.
 */
export async function checkUrl(policy: AccessPolicy, url: string): Promise<URL> {
  const parsed = parseFetchUrl(url);
  if (hostAllowed(policy, parsed.hostname)) return parsed;
  const host = normalHost(parsed.hostname);
  const addresses = isIP(host) ? [host] : await lookup(host, { all: true, verbatim: true }).then((a) => a.map((x) => x.address), () => []);
  for (const address of addresses) checkAddress(policy, url, parsed.hostname, address);
  return parsed;
}

// ---- a whole document -----------------------------------------------------------------------

export interface AccessProblem {
  nodeId: string;
  nodeType: string;
  param: string;
  message: string;
}

/**
 * Every file and URL the document's params name, checked against the policy before anything runs
 * (`mgan-studio run` refuses the graph with exit 2). Folders are checked with the links inside them.
 */
export async function checkDocumentAccess(doc: GraphDocument, types: NodeTypeLookup, policy: AccessPolicy): Promise<AccessProblem[]> {
  const problems: AccessProblem[] = [];
  for (const ref of externalReferences(doc, types)) {
    try {
      if (ref.kind === 'url') await checkUrl(policy, ref.value);
      else await checkReadFolder(policy, ref.value);
    } catch (e) {
      if (!(e instanceof AccessError)) throw e;
      problems.push({ nodeId: ref.nodeId, nodeType: ref.nodeType, param: ref.param, message: e.message });
    }
  }
  return problems;
}
