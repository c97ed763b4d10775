import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { embedGraphInPng } from '../../graph/share-png';
import type { GraphDocument } from '../../graph/types';
import { nodeRegistry } from '../../nodes/registry';
import { initBackend } from '../../runtime/backend';
import { createNodeEnv } from '../../platform/node/env';
import { encodePng } from '../../platform/node/image-io';
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

export const runCommand: CliCommand = {
  name: 'run',
  summary: 'run a graph document and write every image-out node to DIR/<nodeId>.png (graph embedded)',
  usage: 'run <graph.json> [--out DIR] [--set NODE_ID.PARAM=VALUE]... [--backend wasm|cpu|webgpu] [--json]',
  details: [
    'options:',
    '  --out, -o DIR        where PNGs (and video-out files) go; default out/',
    '  --set ID.PARAM=VALUE override a parameter (repeatable); checked like the document',
    '  --backend NAME       wasm (default), cpu, or webgpu (needs the optional `webgpu` package)',
    '  --json               print one JSON summary on stdout (backend, node states and times, files written, exit code)',
    'Long nodes (MDAN, training, video) run too; progress goes to stderr once a second.',
  ].join('\n'),
  async run(args, io: CliIO) {
    const { values, positionals } = parseCommandArgs(args, {
      out: { type: 'string', short: 'o', default: 'out' },
      set: { type: 'string', multiple: true, default: [] },
      backend: { type: 'string' },
      json: { type: 'boolean' },
    });
    const file = onePositional(positionals, 'graph file');
    const backend = values.backend as BackendName | undefined;
    if (backend !== undefined && !CLI_BACKENDS.includes(backend)) {
      throw new UsageError(`--backend ${backend}: expected one of ${CLI_BACKENDS.join(', ')}`);
    }
    const overrides = (values.set ?? []).map(parseOverride);
    const summary: RunSummary = { file, nodes: [], written: [], exitCode: EXIT_OK };
    // --json: stdout holds exactly one JSON object; progress and messages stay on stderr.
    const human: CliIO = values.json ? { out: () => undefined, err: io.err } : io;
    summary.exitCode = await runGraphFile(file, { outDir: resolve(values.out!), overrides, backend }, human, summary);
    if (values.json) io.out(JSON.stringify(summary));
    return summary.exitCode;
  },
};

/** What `run --json` prints. */
export interface RunSummary {
  file: string;
  backend?: string;
  totalMs?: number;
  nodes: Array<{ id: string; type: string; state: string; ms?: number; cached?: boolean; error?: string; warnings?: string[] }>;
  written: Array<{ node: string; path: string; width: number; height: number }>;
  exitCode: number;
}

async function runGraphFile(
  file: string,
  options: { outDir: string; overrides: ParamOverride[]; backend?: BackendName },
  io: CliIO,
  summary: RunSummary,
): Promise<number> {
  const { outDir, overrides, backend } = options;
  const loaded = await loadDocument(file, nodeRegistry, io);
  if (!loaded.document) return EXIT_INVALID;
  const applied = applyOverrides(loaded.document, overrides, nodeRegistry);
  if (!applied.document) {
    printIssues(io, file, { errors: applied.errors, warnings: [], migrations: [] });
    return EXIT_INVALID;
  }
  const doc = applied.document;

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

  const runtime = new GraphRuntime({ registry: nodeRegistry, env: createNodeEnv({ outDir }) });
  const progress = reportProgress(runtime.status$, doc, io);
  // Ctrl-C cancels the run (long nodes stop at their next iteration) and writes nothing.
  let interrupted = false;
  const onInterrupt = () => {
    interrupted = true;
    io.err('interrupted: cancelling the run');
    runtime.cancel();
  };
  process.once('SIGINT', onInterrupt);
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
        return { id: n.id, type: n.type, state: st.state, ms: st.ms, cached: st.cached, error: st.error, warnings: st.warnings };
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
        io.err('cancelled while writing: the remaining images were not written');
        return EXIT_INTERRUPTED;
      }
      const path = join(outDir, `${id}.png`);
      try {
        await mkdir(outDir, { recursive: true });
        await writeFile(path, png);
      } catch (e) {
        io.err(`error: cannot write '${path}': ${(e as Error).message}`);
        return EXIT_FAILED;
      }
      io.out(`wrote ${path} (${image!.shape[1]}x${image!.shape[0]})`);
      summary.written.push({ node: id, path, width: image!.shape[1], height: image!.shape[0] });
    }
    if (!images.length) io.err(`note: the graph has no ${IMAGE_OUT_TYPE} node, so no PNG was written`);
    return EXIT_OK;
  } finally {
    process.off('SIGINT', onInterrupt);
    progress.unsubscribe();
    runtime.dispose();
  }
}
