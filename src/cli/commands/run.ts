import { stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { embedGraphInPng } from '../../graph/share-png';
import type { GraphDocument } from '../../graph/types';
import { nodeRegistry } from '../../nodes/registry';
import { initBackend } from '../../runtime/backend';
import { DEFAULT_FETCH_MAX_BYTES, DEFAULT_FETCH_TIMEOUT_MS, checkDocumentAccess, graphAccess, type AccessPolicy } from '../../platform/node/access';
import { createNodeEnv } from '../../platform/node/env';
import { encodePng } from '../../platform/node/image-io';
import { openOutputStage, type OutputStage } from '../../platform/node/output-stage';
import { GraphRuntime } from '../../runtime/runtime';
import type { BackendName, NodeStatus } from '../../runtime/types';
import { onePositional, parseCommandArgs } from '../args';
import { applyOverrides, loadDocument, parseOverride, printIssues, type ParamOverride } from '../document';
import { EXIT_FAILED, EXIT_INTERRUPTED, EXIT_INVALID, EXIT_OK, UsageError, type CliIO } from '../io';
import { reportProgress } from '../progress';
import type { CliCommand } from './types';

const CLI_BACKENDS: BackendName[] = ['wasm', 'cpu', 'webgpu'];
export const IMAGE_OUT_TYPE = 'image-out';

/** The image an image-out node stands for: its own output if it has one, else what feeds its input. */
function imageOutResult(runtime: GraphRuntime, doc: GraphDocument, nodeId: string): tf.Tensor3D | undefined {
  const def = nodeRegistry.get(IMAGE_OUT_TYPE);
  const own = def?.outputs[0] && runtime.getOutput(nodeId, def.outputs[0].name);
  if (own instanceof tf.Tensor) return own as tf.Tensor3D;
  const edge = doc.edges.find((e) => e.to.node === nodeId);
  const fed = edge && runtime.getOutput(edge.from.node, edge.from.port);
  return fed instanceof tf.Tensor ? (fed as tf.Tensor3D) : undefined;
}

function timingTable(doc: GraphDocument, statuses: Map<string, NodeStatus>): string[] {
  const rows = doc.nodes
    .filter((n) => statuses.has(n.id))
    .map((n) => {
      const s = statuses.get(n.id)!;
      const time = s.state === 'done' ? `${(s.ms ?? 0).toFixed(1)} ms${s.cached ? ' (cached)' : ''}` : s.state;
      return [n.id, n.type, time];
    });
  const w0 = Math.max(4, ...rows.map((r) => r[0].length));
  const w1 = Math.max(4, ...rows.map((r) => r[1].length));
  return [`${'node'.padEnd(w0)}  ${'type'.padEnd(w1)}  time`, ...rows.map((r) => `${r[0].padEnd(w0)}  ${r[1].padEnd(w1)}  ${r[2]}`)];
}

const DEFAULT_FETCH_TIMEOUT_S = DEFAULT_FETCH_TIMEOUT_MS / 1000;
const DEFAULT_FETCH_MAX_MB = DEFAULT_FETCH_MAX_BYTES / 2 ** 20;

export const runCommand: CliCommand = {
  name: 'run',
  summary: 'run a graph document and write every image-out node to DIR/<nodeId>.png (graph embedded)',
  usage:
    'run <graph.json> [--out DIR] [--set NODE_ID.PARAM=VALUE]... [--backend wasm|cpu|webgpu] [--json] ' +
    '[--allow-read DIR]... [--allow-net HOST]... [--trust] [--fetch-timeout SECONDS] [--fetch-max-mb MB]',
  details: [
    'options:',
    '  --out, -o DIR        where PNGs (and video-out files) go; default out/',
    '  --set ID.PARAM=VALUE override a parameter (repeatable); checked like the document',
    '  --backend NAME       wasm (default), cpu, or webgpu (needs the optional `webgpu` package)',
    '  --json               print one JSON summary on stdout (backend, node states and times, files written, exit code)',
    'what the graph may reach (see docs/security.md):',
    '  --allow-read DIR     let the graph read files inside DIR too (repeatable); by default only the',
    "                       graph file's folder and the current folder",
    '  --allow-net HOST     let URLs reach HOST even when it is private, loopback or link-local (repeatable)',
    '  --trust              your own graph: any file, any host',
    `  --fetch-timeout S    seconds a URL has to answer in full (default ${DEFAULT_FETCH_TIMEOUT_S})`,
    `  --fetch-max-mb MB    largest file a URL may deliver (default ${DEFAULT_FETCH_MAX_MB})`,
    'Long nodes (MDAN, training, video) run too; progress goes to stderr once a second.',
    'Outputs appear only when the whole graph ran: a failed or interrupted run leaves DIR as it was.',
  ].join('\n'),
  async run(args, io: CliIO) {
    const { values, positionals } = parseCommandArgs(args, {
      out: { type: 'string', short: 'o', default: 'out' },
      set: { type: 'string', multiple: true, default: [] },
      backend: { type: 'string' },
      json: { type: 'boolean' },
      'allow-read': { type: 'string', multiple: true, default: [] },
      'allow-net': { type: 'string', multiple: true, default: [] },
      trust: { type: 'boolean' },
      'fetch-timeout': { type: 'string' },
      'fetch-max-mb': { type: 'string' },
    });
    const file = onePositional(positionals, 'graph file');
    const backend = values.backend as BackendName | undefined;
    if (backend !== undefined && !CLI_BACKENDS.includes(backend)) {
      throw new UsageError(`--backend ${backend}: expected one of ${CLI_BACKENDS.join(', ')}`);
    }
    const overrides = (values.set ?? []).map(parseOverride);
    const access = await accessFromFlags(file, values);
    const summary: RunSummary = { file, nodes: [], written: [], exitCode: EXIT_OK };
    // --json: stdout holds exactly one JSON object; progress and messages stay on stderr.
    const human: CliIO = values.json ? { out: () => undefined, err: io.err } : io;
    summary.exitCode = await runGraphFile(file, { outDir: resolve(values.out!), overrides, backend, access }, human, summary);
    if (values.json) io.out(JSON.stringify(summary));
    return summary.exitCode;
  },
};

function positiveNumber(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!(Number.isFinite(value) && value > 0)) throw new UsageError(`${flag} ${text}: expected a positive number`);
  return value;
}

/** The access rules for this run from --allow-read, --allow-net, --trust and the fetch limits. */
async function accessFromFlags(
  file: string,
  values: { 'allow-read'?: string[]; 'allow-net'?: string[]; trust?: boolean; 'fetch-timeout'?: string; 'fetch-max-mb'?: string },
): Promise<AccessPolicy> {
  for (const dir of values['allow-read'] ?? []) {
    const info = await stat(dir).catch(() => undefined);
    if (!info?.isDirectory()) throw new UsageError(`--allow-read ${dir}: no such folder`);
  }
  for (const host of values['allow-net'] ?? []) {
    if (!/^[A-Za-z0-9.:\[\]_-]+$/.test(host)) throw new UsageError(`--allow-net ${host}: expected a host name or IP address (no scheme, port or path)`);
  }
  return graphAccess(file, {
    allowRead: values['allow-read'],
    allowNet: values['allow-net'],
    trust: values.trust ?? false,
    fetchTimeoutMs: positiveNumber('--fetch-timeout', values['fetch-timeout'], DEFAULT_FETCH_TIMEOUT_S) * 1000,
    fetchMaxBytes: Math.round(positiveNumber('--fetch-max-mb', values['fetch-max-mb'], DEFAULT_FETCH_MAX_MB) * 2 ** 20),
  });
}

/** What `run --json` prints. */
export interface RunSummary {
  file: string;
  backend?: string;
  totalMs?: number;
  nodes: Array<{ id: string; type: string; state: string; ms?: number; cached?: boolean; error?: string; warnings?: string[]; notes?: string[] }>;
  written: Array<{ node: string; path: string; width: number; height: number }>;
  exitCode: number;
}

async function runGraphFile(
  file: string,
  options: { outDir: string; overrides: ParamOverride[]; backend?: BackendName; access: AccessPolicy },
  io: CliIO,
  summary: RunSummary,
): Promise<number> {
  const { outDir, overrides, backend, access } = options;
  const loaded = await loadDocument(file, nodeRegistry, io);
  if (!loaded.document) return EXIT_INVALID;
  const applied = applyOverrides(loaded.document, overrides, nodeRegistry);
  if (!applied.document) {
    printIssues(io, file, { errors: applied.errors, warnings: [], migrations: [] });
    return EXIT_INVALID;
  }
  const doc = applied.document;
  // Every file and URL the graph names, checked before anything runs.
  const refused = await checkDocumentAccess(doc, nodeRegistry, access);
  if (refused.length) {
    for (const p of refused) io.err(`${file}: error: node '${p.nodeId}' (${p.nodeType}): param '${p.param}': ${p.message}`);
    io.err('nothing was run or written');
    return EXIT_INVALID;
  }

  let backendName: string;
  // PROD silences tfjs's "install tfjs-node" banner on the cpu backend (tfjs-node cannot install here).
  tf.env().set('PROD', true);
  try {
    const info = await initBackend(backend);
    backendName = info.name;
    summary.backend = info.name;
    io.out(`backend: ${info.name}${info.fallbackReason ? ` (fallback: ${info.fallbackReason})` : ''}`);
  } catch (e) {
    io.err(`error: ${(e as Error).message}`);
    return EXIT_FAILED;
  }

  let stage: OutputStage;
  try {
    stage = await openOutputStage(outDir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.err(`error: cannot use '${outDir}' as the output folder${code ? ` (${code})` : ''}; nothing was run`);
    return EXIT_FAILED;
  }
  // Nodes write (video-out) into the staging folder; results move into --out only when all is done.
  const runtime = new GraphRuntime({ registry: nodeRegistry, env: createNodeEnv({ outDir: stage.dir, access }) });
  const progress = reportProgress(runtime.status$, doc, io);
  // Ctrl-C cancels the run (long nodes stop at their next iteration) and writes nothing.
  let interrupted = false;
  const onInterrupt = () => {
    interrupted = true;
    io.err('interrupted: cancelling the run');
    runtime.cancel();
  };
  process.once('SIGINT', onInterrupt);
  let committed = false;
  try {
    runtime.setDocument(doc);
    const started = performance.now();
    const statuses = await runtime.run({ includeLong: true });
    const totalMs = performance.now() - started;
    progress.unsubscribe();
    summary.totalMs = Math.round(totalMs * 10) / 10;
    summary.nodes = doc.nodes
      .filter((n) => statuses.has(n.id))
      .map((n) => {
        const st = statuses.get(n.id)!;
        return { id: n.id, type: n.type, state: st.state, ms: st.ms, cached: st.cached, error: st.error, warnings: st.warnings, notes: st.notes };
      });
    for (const line of timingTable(doc, statuses)) io.out(line);
    io.out(`total ${totalMs.toFixed(1)} ms on ${backendName}`);

    if (interrupted) {
      io.err('cancelled: nothing written');
      return EXIT_INTERRUPTED;
    }
    const failed = [...statuses.values()].filter((s) => s.state === 'error');
    if (failed.length) {
      for (const s of failed) io.err(`error: node '${s.nodeId}': ${s.error}`);
      for (const s of statuses.values()) if (s.state === 'waiting' || s.state === 'cancelled') io.err(`not run: node '${s.nodeId}': ${s.error ?? s.state}`);
      io.err('nothing written');
      return failed.some((s) => s.errorName === 'ParamError') ? EXIT_INVALID : EXIT_FAILED;
    }

    const outputs = doc.nodes.filter((n) => n.type === IMAGE_OUT_TYPE);
    const images = outputs.map((n) => ({ id: n.id, image: imageOutResult(runtime, doc, n.id) }));
    const missing = images.filter((i) => !i.image);
    if (missing.length) {
      io.err(`error: no image reached ${missing.map((m) => `'${m.id}'`).join(', ')}; nothing written`);
      return EXIT_FAILED;
    }
    for (const { id, image } of images) {
      const png = embedGraphInPng(await encodePng(image!), doc);
      if (interrupted) {
        io.err('cancelled while writing: nothing written');
        return EXIT_INTERRUPTED;
      }
      try {
        await writeFile(join(stage.dir, `${id}.png`), png);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        io.err(`error: cannot write '${join(outDir, `${id}.png`)}'${code ? ` (${code})` : ''}; nothing written`);
        return EXIT_FAILED;
      }
    }
    if (interrupted) {
      io.err('cancelled while writing: nothing written');
      return EXIT_INTERRUPTED;
    }
    let names: string[];
    try {
      names = await stage.commit();
      committed = true;
    } catch (e) {
      io.err(`error: ${(e as Error).message}; nothing written`);
      return EXIT_FAILED;
    }
    for (const { id, image } of images) {
      const path = join(outDir, `${id}.png`);
      io.out(`wrote ${path} (${image!.shape[1]}x${image!.shape[0]})`);
      summary.written.push({ node: id, path, width: image!.shape[1], height: image!.shape[0] });
    }
    const pngs = new Set(images.map((i) => `${i.id}.png`));
    for (const name of names) if (!pngs.has(name)) io.out(`wrote ${join(outDir, name)}`);
    if (!images.length) io.err(`note: the graph has no ${IMAGE_OUT_TYPE} node, so no PNG was written`);
    return EXIT_OK;
  } finally {
    process.off('SIGINT', onInterrupt);
    progress.unsubscribe();
    runtime.dispose();
    if (!committed) await stage.discard().catch(() => undefined);
  }
}
