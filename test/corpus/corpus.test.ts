/**
 * The bad-input corpus: every case of every file in ./kinds runs through the CLI in-process
 * (`main(argv)`, current folder = a fresh sandbox), each bounded in time. Checked for each: the exit
 * code; a message line matching the case's, with no line showing a stack trace, `undefined`,
 * `[object Object]` or a library's internal text; nothing written on refusal; nothing written
 * outside the sandbox. Cases that run or validate a graph file go through the document loader
 * (src/graph) and both share codecs (link, PNG chunk) too, which must agree with the CLI.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/io';
import { ShareCodecError } from '../../src/graph/share-errors';
import { embedGraphJsonInPng, extractGraphFromPng } from '../../src/graph/share-png';
import { decodeGraphFragment, encodeGraphJson } from '../../src/graph/share-url';
import { parseDocument, validateDocument, type ValidationResult } from '../../src/graph/validate';
import { nodeRegistry } from '../../src/nodes/registry';
import { graphLimitsFromEnv } from '../../src/platform/node/limits';
import { PROJECT_ROOT } from '../../src/platform/node/services';
import type { CorpusCase } from './case';

// Every kind file's cases; files in kinds/ that export no `cases` are helpers the kinds share.
const kinds = import.meta.glob<{ cases?: CorpusCase[] }>('./kinds/*.ts', { eager: true });
const CASES: CorpusCase[] = Object.values(kinds).flatMap((m) => m.cases ?? []);

const DEFAULT_TIMEOUT_MS = 20_000;

/** Text no user should ever read: stack frames, JavaScript's and libraries' internals. */
const FORBIDDEN: Array<[string, RegExp]> = [
  ['a stack frame', /^\s*at\s+\S.*(\(.*:\d+:\d+\)|:\d+:\d+|<anonymous>)\s*$/],
  ['undefined', /\bundefined\b/],
  ['[object Object]', /\[object \w+\]/],
  ['a JavaScript error name', /\b(TypeError|RangeError|ReferenceError|SyntaxError)\b/],
  ['a stack overflow', /Maximum call stack/i],
  ['a V8 message', /Cannot read propert|is not a function|Unexpected token|Unexpected end of JSON|is not valid JSON$/],
  ['a Node errno message', /\bE[A-Z]{3,}: /],
  ['a pngjs message', /have should not go down|waitng on finished stream|Invalid (file signature|IHDR|filter)|Crc error|Unrecognised content/i],
  ['an ffmpeg internal prefix', /\[[^\]]*@ 0x[0-9a-f]+\]/i],
  ['a jpeg-js message', /SOI not found|marker was not found|maxResolutionInMP|unknown (JPEG )?marker/i],
];

/** Problems with one line of output, or undefined. */
function badLine(line: string): string | undefined {
  for (const [what, re] of FORBIDDEN) if (re.test(line)) return `${what} in: ${line.slice(0, 300)}`;
  return undefined;
}

interface Snapshot {
  files: Map<string, string>;
}

function snapshot(dir: string): Snapshot {
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) {
        files.set(`${relative(dir, p)}/`, 'dir');
        walk(p);
      } else {
        files.set(relative(dir, p), entry.isFile() ? createHash('md5').update(readFileSync(p)).digest('hex') : 'other');
      }
    }
  };
  walk(dir);
  return { files };
}

function changes(before: Snapshot, after: Snapshot): string[] {
  const out: string[] = [];
  for (const [p, h] of after.files) if (before.files.get(p) !== h) out.push(before.files.has(p) ? `changed ${p}` : `created ${p}`);
  for (const p of before.files.keys()) if (!after.files.has(p)) out.push(`removed ${p}`);
  return out;
}

/** The project folder's top level and its cache's: a case must change neither. */
function projectState(): string {
  const cache = join(PROJECT_ROOT, '.cache');
  const list = (d: string) => (existsSync(d) ? readdirSync(d).sort().join(',') : '-');
  return `${list(PROJECT_ROOT)} | ${list(cache)} | ${list(join(cache, 'decoders'))}`;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms (a hang)`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

interface Outcome {
  code: number;
  lines: string[];
}

/** Runs one case's argv in `sandbox` with its environment; restores the current folder and environment after. */
async function runCli(c: CorpusCase, sandbox: string): Promise<Outcome> {
  const lines: string[] = [];
  const io: CliIO = { out: (t) => lines.push(...t.split('\n')), err: (t) => lines.push(...t.split('\n')) };
  const env = { MGAN_STUDIO_CACHE: join(sandbox, '.cache'), ...c.env };
  const saved = new Map(Object.keys(env).map((k) => [k, process.env[k]]));
  const cwd = process.cwd();
  // Libraries that print on their own would bypass `io`: their lines are checked too.
  const consoleSaved = { log: console.log, warn: console.warn, error: console.error, info: console.info };
  const capture = (...args: unknown[]) => lines.push(...args.map(String).join(' ').split('\n'));
  Object.assign(console, { log: capture, warn: capture, error: capture, info: capture });
  try {
    Object.assign(process.env, env);
    process.chdir(sandbox);
    const code = await withTimeout(main(c.args, io), c.timeoutMs ?? DEFAULT_TIMEOUT_MS, c.name);
    return { code, lines };
  } finally {
    process.chdir(cwd);
    Object.assign(console, consoleSaved);
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** A loader's verdict: refused (with the messages) or accepted. */
interface Verdict {
  refused: boolean;
  messages: string[];
}

function verdictOf(result: ValidationResult): Verdict {
  return { refused: !result.document, messages: result.errors.map((e) => e.message) };
}

function shareVerdict(load: () => unknown, limits: ReturnType<typeof graphLimitsFromEnv>): Verdict {
  let raw: unknown;
  try {
    raw = load();
  } catch (e) {
    if (!(e instanceof ShareCodecError)) throw e;
    return { refused: true, messages: [e.message] };
  }
  return verdictOf(validateDocument(raw, nodeRegistry, { limits }));
}

let tinyPng: Uint8Array;
let root: string;
let projectBefore: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'mgan-corpus-'));
  const png = new PNG({ width: 2, height: 2 });
  tinyPng = new Uint8Array(PNG.sync.write(png));
  projectBefore = projectState();
});
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('the bad-input corpus', () => {
  it('has cases of every kind, with unique names', () => {
    expect(CASES.length).toBeGreaterThan(0);
    const names = CASES.map((c) => `${c.kind}: ${c.name}`);
    expect(new Set(names).size).toBe(names.length);
    const counts = new Map<string, number>();
    for (const c of CASES) counts.set(c.kind, (counts.get(c.kind) ?? 0) + 1);
    // Printed for docs/security.md ("The bad-input corpus").
    process.stderr.write(`corpus: ${CASES.length} cases: ${[...counts].map(([k, n]) => `${k} ${n}`).join(', ')}\n`);
  });

  CASES.forEach((c, index) => {
    it(`${c.kind}: ${c.name}`, async () => {
      const caseDir = join(root, String(index));
      const sandbox = join(caseDir, 'sandbox');
      mkdirSync(sandbox, { recursive: true });
      for (const [name, content] of Object.entries(c.files ?? {})) {
        const path = join(sandbox, name);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, content);
      }
      const before = snapshot(sandbox);
      const { code, lines } = await runCli(c, sandbox);
      const shown = `\n--- output (exit ${code}) ---\n${lines.slice(0, 40).join('\n')}`;

      expect(code, `exit code${shown}`).toBe(c.expect.exitCode);
      // One line matches; a pattern spanning lines ("…[\s\S]*nothing written") is matched against the whole output.
      const matched = lines.some((l) => c.expect.message.test(l)) || c.expect.message.test(lines.join('\n'));
      expect(matched, `no output matches ${c.expect.message}${shown}`).toBe(true);
      const bad = lines.map(badLine).filter(Boolean);
      expect(bad, `forbidden output${shown}`).toEqual([]);

      const written = changes(before, snapshot(sandbox));
      if (c.expect.noOutput ?? c.expect.exitCode !== 0) expect(written, `written on refusal${shown}`).toEqual([]);
      expect(readdirSync(caseDir), 'written beside the sandbox').toEqual(['sandbox']);
      expect(readdirSync(root).every((n) => /^\d+$/.test(n)), 'written in the corpus folder').toBe(true);
      expect(projectState(), 'written into the project').toBe(projectBefore);

      // The document loader and the share codecs must agree with the CLI on a graph file it ran or validated.
      const file = (c.args[0] === 'run' || c.args[0] === 'validate') && c.args[1] !== undefined ? c.args[1] : undefined;
      const content = file !== undefined ? c.files?.[file] : undefined;
      if (content === undefined) return;
      let limits;
      try {
        limits = graphLimitsFromEnv({ ...c.env });
      } catch {
        return; // the CLI refused the setting itself (checked above)
      }
      const json = typeof content === 'string' ? content : Buffer.from(content).toString('utf8');
      if (Buffer.byteLength(json) > limits.maxBytes) return; // refused unread by size: nothing for a loader to parse
      const loaded = verdictOf(parseDocument(json, nodeRegistry, { limits }));
      for (const m of loaded.messages) expect(badLine(m), 'loader message').toBeUndefined();
      if (loaded.refused) {
        expect(code, `the loader refused it (${loaded.messages[0]}), the CLI did not`).toBe(2);
        expect(lines.some((l) => l.includes(loaded.messages[0])), `the CLI did not print the loader's first error: ${loaded.messages[0]}`).toBe(true);
      }
      if (json.length > 100_000) return; // beyond what a link holds
      const viaLink = shareVerdict(() => decodeGraphFragment(encodeGraphJson(json), limits.maxBytes), limits);
      const viaPng = shareVerdict(() => extractGraphFromPng(embedGraphJsonInPng(tinyPng, json), limits.maxBytes), limits);
      for (const [how, v] of [['link', viaLink], ['PNG', viaPng]] as const) {
        expect(v.refused, `${how} verdict differs from the loader's: ${v.messages[0] ?? 'accepted'} vs ${loaded.messages[0] ?? 'accepted'}`).toBe(loaded.refused);
        for (const m of v.messages) expect(badLine(m), `${how} message`).toBeUndefined();
      }
    });
  });

  it('left the project as it was', () => {
    expect(projectState()).toBe(projectBefore);
    expect(statSync(root).isDirectory()).toBe(true);
  });
});
