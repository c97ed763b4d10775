/** Loading a graph document for a command and applying `--set NODE_ID.PARAM=VALUE` overrides. */
import { readFile } from 'node:fs/promises';
import type { GraphIssue } from '../graph/issues';
import { coerceParam } from '../graph/params';
import type { GraphDocument, NodeTypeLookup } from '../graph/types';
import { parseDocument, validateDocument, type ValidationResult } from '../graph/validate';
import { UsageError, type CliIO } from './io';

export async function readTextFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : (e as Error).message;
    throw new UsageError(`cannot read ${what} '${path}': ${why}`);
  }
}

export function printIssues(io: CliIO, file: string, result: Pick<ValidationResult, 'errors' | 'warnings' | 'migrations'>): void {
  for (const m of result.migrations) io.err(`${file}: migrated: ${m}`);
  for (const w of result.warnings) io.err(`${file}: warning: ${w.message}`);
  for (const e of result.errors) io.err(`${file}: error: ${e.message}`);
}

/** Issue codes the editor tolerates (it keeps the node) but a headless run cannot. */
const FATAL_HEADLESS = new Set(['unknown-type']);

/**
 * Reads, parses and validates; prints every issue. `document` is set only when there are no errors;
 * an unknown node type is an error here (the editor keeps such a node, the CLI cannot run it).
 */
export async function loadDocument(path: string, types: NodeTypeLookup, io: CliIO): Promise<ValidationResult> {
  const parsed = parseDocument(await readTextFile(path, 'graph file'), types);
  const fatal = parsed.warnings.filter((w) => FATAL_HEADLESS.has(w.code)).map((w) => ({ ...w, severity: 'error' as const }));
  const result: ValidationResult = fatal.length
    ? { errors: [...parsed.errors, ...fatal], warnings: parsed.warnings.filter((w) => !FATAL_HEADLESS.has(w.code)), migrations: parsed.migrations }
    : parsed;
  printIssues(io, path, result);
  return result;
}

export interface ParamOverride {
  nodeId: string;
  param: string;
  text: string;
}

export function parseOverride(arg: string): ParamOverride {
  const match = /^([^.=]+)\.([^=]+)=([\s\S]*)$/.exec(arg);
  if (!match) throw new UsageError(`--set ${arg}: expected NODE_ID.PARAM=VALUE`);
  return { nodeId: match[1], param: match[2], text: match[3] };
}

/**
 * Applies overrides to a copy of `doc` and validates the result again (ranges, options). Returns the
 * new document, or the issues naming the override at fault.
 */
export function applyOverrides(
  doc: GraphDocument,
  overrides: ParamOverride[],
  types: NodeTypeLookup,
): { document?: GraphDocument; errors: GraphIssue[] } {
  const errors: GraphIssue[] = [];
  const next: GraphDocument = { ...doc, nodes: doc.nodes.map((n) => ({ ...n, params: { ...n.params } })) };
  for (const o of overrides) {
    const where = `--set ${o.nodeId}.${o.param}=${o.text}`;
    const node = next.nodes.find((n) => n.id === o.nodeId);
    if (!node) {
      errors.push({ severity: 'error', code: 'set-node', message: `${where}: no node '${o.nodeId}' (nodes: ${next.nodes.map((n) => n.id).join(', ')})` });
      continue;
    }
    const spec = types.get(node.type)?.params.find((p) => p.name === o.param);
    if (!spec) {
      const names = types.get(node.type)?.params.map((p) => p.name).join(', ') || 'none';
      errors.push({ severity: 'error', code: 'set-param', message: `${where}: node '${node.id}' (${node.type}) has no param '${o.param}' (its params: ${names})`, nodeId: node.id, param: o.param });
      continue;
    }
    try {
      node.params[o.param] = coerceParam(spec, o.text);
    } catch (e) {
      errors.push({ severity: 'error', code: 'set-value', message: `${where}: ${(e as Error).message}`, nodeId: node.id, param: o.param });
    }
  }
  if (errors.length) return { errors };
  const result = validateDocument(next, types);
  if (!result.document) return { errors: result.errors.map((e) => ({ ...e, message: `after --set: ${e.message}` })) };
  return { document: result.document, errors: [] };
}
