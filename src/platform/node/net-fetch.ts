/**
 * Fetching a URL a graph names (Node): http(s) only, every address the host resolves to checked at
 * connect time (so a name cannot switch to a private address between the check and the request),
 * redirects followed by hand and checked the same way, a deadline for the whole answer and a size
 * cap. Errors are one line naming the URL in our words; a library's own texts never reach the user.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { AccessError, checkAddress, parseFetchUrl, type AccessPolicy } from './access';

const MAX_REDIRECTS = 5;

/** A fetch that failed for a reason outside the access rules (network, HTTP status, limits). */
export class FetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FetchError';
  }
}

const NETWORK_REASONS: Record<string, string> = {
  ENOTFOUND: 'the host name does not resolve (check the spelling, or the network)',
  EAI_AGAIN: 'the host name could not be resolved now (no network?)',
  ECONNREFUSED: 'the server refused the connection',
  ECONNRESET: 'the server closed the connection',
  EPIPE: 'the server closed the connection',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host cannot be reached',
  ENETUNREACH: 'the network cannot be reached',
  EPROTO: 'the secure connection failed',
};

/** Our words for a network error (never the library's message). */
export function networkReason(e: unknown): string {
  // Connecting to every address of a host fails as one AggregateError: its parts hold the code.
  const parts = (e as { errors?: unknown[] } | undefined)?.errors;
  const code = (e as NodeJS.ErrnoException)?.code ?? (parts?.[0] as NodeJS.ErrnoException | undefined)?.code ?? '';
  if (NETWORK_REASONS[code]) return NETWORK_REASONS[code];
  if (/^(CERT_|ERR_TLS_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/.test(code)) return `the server's certificate was not accepted (${code})`;
  if (code === 'ERR_INVALID_URL') return 'the address is not a valid URL';
  if (code) return `network error (${code})`;
  // No code (fetch's own refusals, e.g. "bad port"): its short message is all there is.
  const message = e instanceof Error ? e.message.split('\n')[0] : '';
  return message ? `network error (${message})` : 'network error';
}

const mb = (bytes: number) => (bytes < 2 ** 20 ? `${bytes} bytes` : `${Math.round((bytes / 2 ** 20) * 10) / 10} MB`);

/** A lookup that refuses private addresses unless the policy allows the host. */
function guardedLookup(policy: AccessPolicy, url: string, host: string): LookupFunction {
  return ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err);
      try {
        for (const a of addresses) checkAddress(policy, url, host, a.address);
      } catch (refused) {
        return callback(refused);
      }
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  }) as unknown as LookupFunction;
}

interface Answer {
  status: number;
  statusText: string;
  location?: string;
  body?: Uint8Array;
}

function requestOnce(target: URL, url: string, policy: AccessPolicy, signal: AbortSignal): Promise<Answer> {
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  // An address typed in the URL is never looked up: check it here.
  if (isIP(host)) checkAddress(policy, url, host, host);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<Answer>((resolve, reject) => {
    const req = send(target, {
      method: 'GET',
      headers: { 'user-agent': 'mgan-studio', accept: '*/*' },
      lookup: guardedLookup(policy, url, target.hostname),
      signal,
    });
    req.on('error', reject);
    req.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        return resolve({ status, statusText: res.statusMessage ?? '', location: res.headers.location });
      }
      if (status < 200 || status >= 300) {
        res.resume();
        return resolve({ status, statusText: res.statusMessage ?? '' });
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > policy.fetchMaxBytes) {
        setImmediate(() => res.destroy());
        return reject(new FetchError(`the file is ${mb(declared)}, more than the ${mb(policy.fetchMaxBytes)} limit (raise it with --fetch-max-mb)`));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > policy.fetchMaxBytes) {
          // Settle first: destroying the stream fires its own events, which must not win.
          reject(new FetchError(`the file is larger than the ${mb(policy.fetchMaxBytes)} limit (raise it with --fetch-max-mb)`));
          res.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', reject);
      res.on('aborted', () => reject(new FetchError('the server closed the connection before the whole file arrived')));
      res.on('end', () => {
        if (!res.complete) return reject(new FetchError('the server closed the connection before the whole file arrived'));
        const body = Buffer.concat(chunks, size);
        resolve({ status, statusText: res.statusMessage ?? '', body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) });
      });
    });
    req.end();
  });
}

/**
 * The body of an http(s) URL under the policy's rules. Throws AccessError (not allowed), FetchError
 * (failed, with the URL named), or the signal's own reason when the caller cancelled.
 */
export async function fetchUrl(url: string, policy: AccessPolicy, signal?: AbortSignal): Promise<Uint8Array> {
  const deadline = AbortSignal.timeout(policy.fetchTimeoutMs);
  const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
  let target = parseFetchUrl(url);
  try {
    for (let hop = 0; ; hop++) {
      const answer = await requestOnce(target, url, policy, combined);
      if (answer.location !== undefined) {
        if (hop >= MAX_REDIRECTS) throw new FetchError(`more than ${MAX_REDIRECTS} redirects`);
        let next: URL;
        try {
          next = new URL(answer.location, target);
        } catch {
          throw new FetchError(`the server redirected to an invalid address`);
        }
        if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new FetchError(`the server redirected to a ${next.protocol} URL; only http(s) is fetched`);
        target = next;
        continue;
      }
      if (!answer.body) throw new FetchError(`HTTP ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''}`);
      return answer.body;
    }
  } catch (e) {
    if (signal?.aborted) throw signal.reason;
    const redirected = target.href !== new URL(url).href ? ` (redirected to '${target.href}')` : '';
    if (e instanceof AccessError) throw new AccessError(redirected ? `${e.message}${redirected}` : e.message);
    if (deadline.aborted) {
      throw new FetchError(`cannot fetch '${url}'${redirected}: no complete answer within ${policy.fetchTimeoutMs / 1000} s (raise the limit with --fetch-timeout SECONDS)`);
    }
    const reason = e instanceof FetchError ? e.message : networkReason(e);
    throw new FetchError(`cannot fetch '${url}'${redirected}: ${reason}`);
  }
}
