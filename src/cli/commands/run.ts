import { stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { embedGraphInPng } from '../../graph/share-png';
import { MAX_SWEEP_VALUES, parseSweepSpec, sweepDocuments, sweepOfDocument, sweepOutputs, sweepText, sweepValueText, SweepError, type SweepSpec } from '../../graph/sweep';
import type { GraphDocument } from '../../graph/types';
import { composeContactSheet } from '../../formats/contact-sheet';
import { nodeRegistry, type NodeRegistry } from '../../nodes/registry';
import { describeSource, traceWiring } from '../../nodes/patch-wiring';
import { initBackend } from '../../runtime/backend';
import { DEFAULT_FETCH_MAX_BYTES, DEFAULT_FETCH_TIMEOUT_MS, checkDocumentAccess, graphAccess, type AccessPolicy } from '../../platform/node/access';
import { createNodeEnv } from '../../platform/node/env';
import { encodePng, encodeRgbaPng } from '../../platform/node/image-io';
import { openOutputStage, specialFolderProblem, type OutputStage } from '../../platform/node/output-stage';
import { nodeWasmThreading } from '../../platform/node/wasm-threads';
import { GraphRuntime } from '../../runtime/runtime';
import { runSweep } from '../../runtime/sweep';
import type { BackendName, NodeStatus } from '../../runtime/types';
import { onePositional, parseCommandArgs } from '../args';
import { NODES_HELP, NODES_OPTION, registryWith } from '../node-packages';
import { findGraph } from '../presets';
import { applyOverrides, loadDocument, parseOverride, printIssues, type ParamOverride } from '../document';
import { EXIT_FAILED, EXIT_INTERRUPTED, EXIT_INVALID, EXIT_OK, UsageError, type CliIO } from '../io';
import { reportProgress } from '../progress';
import type { CommandBody } from './types';

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

export const runCommand: CommandBody = {
  details: [
    'options:',
    '  --out, -o DIR        where PNGs (and video-out files) go; default out/',
    '  --set ID.PARAM=VALUE override a parameter (repeatable); checked like the document',
    `  --sweep ID.PARAM=A,B,... run once per value (at most ${MAX_SWEEP_VALUES}, checked like --set) and write`,
    '                       DIR/<image-out id>-sweep.png, a contact sheet with each value written under its',
    "                       image; a graph whose meta names a sweep runs it unless given --sweep off",
    '  --backend NAME       wasm (default), cpu, or webgpu (needs the optional `webgpu` package)',
    '  --threads N          WASM threads (default: $MGAN_STUDIO_THREADS, else every core; at most 8); 1 = single-threaded',
    '  --json               print one JSON summary on stdout (backend, node states and times, files written, exit code)',
    NODES_HELP,
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
      sweep: { type: 'string' },
      backend: { type: 'string' },
      threads: { type: 'string' },
      json: { type: 'boolean' },
      'allow-read': { type: 'string', multiple: true, default: [] },
      'allow-net': { type: 'string', multiple: true, default: [] },
      trust: { type: 'boolean' },
      'fetch-timeout': { type: 'string' },
      'fetch-max-mb': { type: 'string' },
      ...NODES_OPTION,
    });
    const file = await findGraph(onePositional(positionals, 'graph file or preset name'));
    const { backend, threads } = parseBackendFlags(values);
    const overrides = (values.set ?? []).map(parseOverride);
    const access = await accessFromFlags(file, values);
    const registry = await registryWith(values.nodes);
    const summary: RunSummary = { file, nodes: [], written: [], exitCode: EXIT_OK };
    // --json: stdout holds exactly one JSON object; progress and messages stay on stderr.
    const human: CliIO = values.json ? { out: () => undefined, err: io.err } : io;
    summary.exitCode = await runGraphFile(file, { outDir: resolve(values.out!), overrides, sweep: values.sweep, backend, threads, access, registry }, human, summary);
    if (values.json) io.out(JSON.stringify(summary));
    return summary.exitCode;
  },
};

/** --backend and --threads, checked. */
export function parseBackendFlags(values: { backend?: string; threads?: string }): { backend?: BackendName; threads?: number } {
  const backend = values.backend as BackendName | undefined;
  if (backend !== undefined && !CLI_BACKENDS.includes(backend)) {
    throw new UsageError(`--backend ${backend}: expected one of ${CLI_BACKENDS.join(', ')}`);
  }
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    throw new UsageError(`--threads ${values.threads}: expected a whole number of at least 1`);
  }
  return { backend, threads };
}

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
  /** WASM threads the backend computes on. */
  threads?: number;
  totalMs?: number;
  /** The sweep that ran (`node.param=a,b,c`), if any. */
  sweep?: string;
  /** With a sweep, `value` is the index of the swept value the run was for. */
  nodes: Array<{ id: string; type: string; state: string; ms?: number; cached?: boolean; error?: string; warnings?: string[]; notes?: string[]; value?: number }>;
  written: Array<{ node: string; path: string; width: number; height: number }>;
  exitCode: number;
}

export interface RunFileOptions {
  outDir: string;
  overrides: ParamOverride[];
  /** `--sweep`: a spec, `off`, or undefined (the document's own sweep, if it names one). */
  sweep?: string;
  backend?: BackendName;
  /** WASM threads (Node); undefined = the default. */
  threads?: number;
  access: AccessPolicy;
  /** The built-in node types and those of the `--nodes` packages. */
  registry: NodeRegistry;
}

/** The sweep to run: `--sweep` (checked against the document after --set), else the document's `meta.sweep`. Throws SweepError. */
function chooseSweep(flag: string | undefined, doc: GraphDocument, overrides: ParamOverride[], io: CliIO, registry: NodeRegistry): SweepSpec | undefined {
  if (flag === 'off') return undefined;
  const spec = flag === undefined ? sweepOfDocument(doc, registry) : parseSweepSpec(flag, doc, registry);
  if (!spec) return undefined;
  if (overrides.some((o) => o.nodeId === spec.node && o.param === spec.param)) {
    throw new SweepError(`--set ${spec.node}.${spec.param} and a sweep of the same param: drop one of them`);
  }
  if (flag === undefined) io.err(`sweep from the document: ${sweepText(spec)} (--sweep off runs the graph once)`);
  return spec;
}

function nodeRows(doc: GraphDocument, statuses: Map<string, NodeStatus>, value?: number): RunSummary['nodes'] {
  return doc.nodes
    .filter((n) => statuses.has(n.id))
    .map((n) => {
      const st = statuses.get(n.id)!;
      return { id: n.id, type: n.type, state: st.state, ms: st.ms, cached: st.cached, error: st.error, warnings: st.warnings, notes: st.notes, ...(value === undefined ? {} : { value }) };
    });
}

/** Prints why a run failed; the exit code (2 for a bad parameter found while running, else 1). */
function reportFailure(statuses: Map<string, NodeStatus>, io: CliIO, prefix = ''): number {
  const failed = [...statuses.values()].filter((s) => s.state === 'error');
  for (const s of failed) io.err(`${prefix}error: node '${s.nodeId}': ${s.error}`);
  for (const s of statuses.values()) if (s.state === 'waiting' || s.state === 'cancelled') io.err(`${prefix}not run: node '${s.nodeId}': ${s.error ?? s.state}`);
  io.err('nothing written');
  return failed.some((s) => s.errorName === 'ParamError') ? EXIT_INVALID : EXIT_FAILED;
}

async function runGraphFile(file: string, options: RunFileOptions, io: CliIO, summary: RunSummary): Promise<number> {
  const loaded = await loadDocument(file, options.registry, io);
  if (!loaded.document) return EXIT_INVALID;
  return runGraphDocument(file, loaded.document, options, io, summary);
}

/** A param a wire sets (Fig. 2 wiring) takes no value from the command line: say where to set it instead. */
function warnIfWired(doc: GraphDocument, nodeId: string, param: string, what: string, registry: NodeRegistry, io: CliIO): void {
  const wired = traceWiring(doc, nodeId, registry).find((s) => s.name === param);
  if (wired) io.err(`warning: ${what} changes nothing: the wire from ${describeSource(wired.from)} sets it; set it on that node`);
}

/** Runs a document (`file` names it in messages) and writes its outputs into `options.outDir`; the exit code. */
export async function runGraphDocument(file: string, document: GraphDocument, options: RunFileOptions, io: CliIO, summary: RunSummary): Promise<number> {
  const { outDir, overrides, backend, threads, access, registry } = options;
  const special = await specialFolderProblem(outDir);
  if (special) {
    io.err(`error: ${special}; nothing was run`);
    return EXIT_INVALID;
  }
  const applied = applyOverrides(document, overrides, registry);
  if (!applied.document) {
    printIssues(io, file, { errors: applied.errors, warnings: [], migrations: [] });
    return EXIT_INVALID;
  }
  const doc = applied.document;
  for (const o of overrides) warnIfWired(doc, o.nodeId, o.param, `--set ${o.nodeId}.${o.param}`, registry, io);
  let sweep: SweepSpec | undefined;
  let docs = [doc];
  let sheets: string[] = [];
  try {
    sweep = chooseSweep(options.sweep, doc, overrides, io, registry);
    if (sweep) {
      docs = sweepDocuments(doc, sweep, registry);
      sheets = sweepOutputs(doc, sweep, IMAGE_OUT_TYPE);
      const names = new Set(doc.nodes.filter((n) => n.type === IMAGE_OUT_TYPE && !sheets.includes(n.id)).map((n) => `${n.id}.png`));
      const clash = sheets.find((id) => names.has(`${id}-sweep.png`));
      if (clash) throw new SweepError(`the sheet '${clash}-sweep.png' would overwrite the output of image-out '${clash}-sweep'; rename one of them`);
      summary.sweep = sweepText(sweep);
      warnIfWired(doc, sweep.node, sweep.param, `the sweep of ${sweep.node}.${sweep.param}`, registry, io);
    }
  } catch (e) {
    if (!(e instanceof SweepError)) throw e;
    io.err(`${file}: error: ${e.message}`);
    return EXIT_INVALID;
  }
  // Every file and URL the graph names with each value that runs, checked before anything runs (a
  // sweep the document names but that is not run, `--sweep off`, reaches nothing).
  const refused = new Map<string, string>();
  for (const variant of docs) {
    const { sweep: _notRun, ...meta } = variant.meta;
    for (const p of await checkDocumentAccess({ ...variant, meta }, registry, access)) {
      const line = `${file}: error: node '${p.nodeId}' (${p.nodeType}): param '${p.param}': ${p.message}`;
      refused.set(line, line);
    }
  }
  if (refused.size) {
    for (const line of refused.values()) io.err(line);
    io.err('nothing was run or written');
    return EXIT_INVALID;
  }

  let backendName: string;
  // PROD silences tfjs's "install tfjs-node" banner on the cpu backend (tfjs-node cannot install here).
  tf.env().set('PROD', true);
  try {
    const info = await initBackend(backend, { threads, wasmThreading: nodeWasmThreading });
    backendName = info.name;
    summary.backend = info.name;
    if (info.threads) summary.threads = info.threads;
    const onThreads = info.threads ? `, ${info.threads} thread${info.threads > 1 ? 's' : ''}${info.threadsReason ? ` (${info.threadsReason})` : ''}` : '';
    io.out(`backend: ${info.name}${onThreads}${info.fallbackReason ? ` (fallback: ${info.fallbackReason})` : ''}`);
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
  const runtime = new GraphRuntime({ registry, env: createNodeEnv({ outDir: stage.dir, access }) });
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
  const cancelledWhileWriting = () => {
    io.err('cancelled while writing: nothing written');
    return EXIT_INTERRUPTED;
  };
  /** Writes one file into the staging folder; false (with the message printed) when it cannot. */
  const stageFile = async (name: string, bytes: Uint8Array): Promise<boolean> => {
    try {
      await writeFile(join(stage.dir, name), bytes);
      return true;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      io.err(`error: cannot write '${join(outDir, name)}'${code ? ` (${code})` : ''}; nothing written`);
      return false;
    }
  };
  try {
    const started = performance.now();
    const written: RunSummary['written'] = [];
    if (sweep) {
      const values = sweep.values.map(sweepValueText);
      const result = await runSweep(
        runtime,
        docs,
        sheets.map((id) => ({ node: id, port: 'image' })),
        { onValue: (i, n) => io.err(`sweep ${sweep!.node}.${sweep!.param} = ${values[i]} (${i + 1}/${n})`) },
      );
      summary.totalMs = Math.round((performance.now() - started) * 10) / 10;
      progress.unsubscribe();
      for (const step of result.steps) {
        summary.nodes.push(...nodeRows(docs[step.index], step.statuses, step.index));
        io.out(`${sweep.node}.${sweep.param} = ${values[step.index]}:`);
        for (const line of timingTable(docs[step.index], step.statuses)) io.out(`  ${line}`);
      }
      io.out(`total ${summary.totalMs.toFixed(1)} ms on ${backendName} for ${result.steps.length} of ${docs.length} values`);
      if (interrupted || (!result.ok && result.cancelled)) {
        io.err('cancelled: nothing written');
        return EXIT_INTERRUPTED;
      }
      if (!result.ok) return reportFailure(result.failed.statuses, io, `${sweep.node}.${sweep.param} = ${values[result.failed.index]}: `);
      // Outputs the sweep does not change run once, after it (what they need is mostly cached).
      const others = doc.nodes.filter((n) => n.type === IMAGE_OUT_TYPE && !sheets.includes(n.id)).map((n) => n.id);
      if (others.length) {
        const statuses = await runtime.run({ targets: others, includeLong: true });
        summary.nodes.push(...nodeRows(docs[docs.length - 1], statuses));
        if (interrupted) return cancelledWhileWriting();
        if ([...statuses.values()].some((s) => s.state !== 'done')) return reportFailure(statuses, io);
      }
      // The sheet carries the graph with its sweep, so dropping it on the editor brings both back.
      const embedded: GraphDocument = { ...doc, meta: { ...doc.meta, sweep: { node: sweep.node, param: sweep.param, values: sweep.values } } };
      for (const id of sheets) {
        const sheet = composeContactSheet(
          result.images.map((row, i) => ({ image: row[id], label: values[i] })),
          `${sweep.node}.${sweep.param}`,
        );
        if (!(await stageFile(`${id}-sweep.png`, embedGraphInPng(encodeRgbaPng(sheet.data, sheet.width, sheet.height), embedded)))) return EXIT_FAILED;
        if (interrupted) return cancelledWhileWriting();
        written.push({ node: id, path: join(outDir, `${id}-sweep.png`), width: sheet.width, height: sheet.height });
      }
    } else {
      runtime.setDocument(doc);
      const statuses = await runtime.run({ includeLong: true });
      summary.totalMs = Math.round((performance.now() - started) * 10) / 10;
      progress.unsubscribe();
      summary.nodes = nodeRows(doc, statuses);
      for (const line of timingTable(doc, statuses)) io.out(line);
      io.out(`total ${summary.totalMs.toFixed(1)} ms on ${backendName}`);
      if (interrupted) {
        io.err('cancelled: nothing written');
        return EXIT_INTERRUPTED;
      }
      if ([...statuses.values()].some((s) => s.state === 'error')) return reportFailure(statuses, io);
    }

    // Outputs the sweep does not change (or every output, without a sweep): one PNG each, from the last run.
    const last = docs[docs.length - 1];
    const outputs = last.nodes.filter((n) => n.type === IMAGE_OUT_TYPE && !sheets.includes(n.id));
    const images = outputs.map((n) => ({ id: n.id, image: imageOutResult(runtime, last, n.id) }));
    const missing = images.filter((i) => !i.image);
    if (missing.length) {
      io.err(`error: no image reached ${missing.map((m) => `'${m.id}'`).join(', ')}; nothing written`);
      return EXIT_FAILED;
    }
    for (const { id, image } of images) {
      const png = embedGraphInPng(await encodePng(image!), doc);
      if (interrupted) return cancelledWhileWriting();
      if (!(await stageFile(`${id}.png`, png))) return EXIT_FAILED;
      written.push({ node: id, path: join(outDir, `${id}.png`), width: image!.shape[1], height: image!.shape[0] });
    }
    if (interrupted) return cancelledWhileWriting();
    let names: string[];
    try {
      names = await stage.commit();
      committed = true;
    } catch (e) {
      io.err(`error: ${(e as Error).message}; nothing written`);
      return EXIT_FAILED;
    }
    for (const w of written) {
      io.out(`wrote ${w.path} (${w.width}x${w.height})`);
      summary.written.push(w);
    }
    const pngs = new Set(written.map((w) => w.path));
    for (const name of names) if (!pngs.has(join(outDir, name))) io.out(`wrote ${join(outDir, name)}`);
    if (!written.length && !names.length) io.err(`note: the graph has no ${IMAGE_OUT_TYPE} node, so no PNG was written`);
    return EXIT_OK;
  } finally {
    process.off('SIGINT', onInterrupt);
    progress.unsubscribe();
    runtime.dispose();
    if (!committed) await stage.discard().catch(() => undefined);
  }
}
