/**
 * Sweeps: one node run over a list of values of one of its params, to compare the results side by
 * side (which VGG layer D sees, how many channels it has, how large its patches are). A sweep is
 * written `NODE.PARAM=a,b,c` (the CLI's `--sweep`) or kept in a document's `meta.sweep`
 * (`{"node", "param", "values"}`), so a preset can name the comparison it was made for. Values are
 * converted and checked exactly like `--set`.
 */
import { setParam, GraphEditError } from './edit';
import { coerceParam, paramProblem, ParamValueError } from './params';
import { downstreamOf } from './topo';
import type { GraphDocument, NodeTypeLookup, ParamValue } from './types';

/** A contact sheet of more tiles than this is unreadable, and each value is a whole run. */
export const MAX_SWEEP_VALUES = 16;

export interface SweepSpec {
  node: string;
  param: string;
  values: ParamValue[];
}

/** A sweep that cannot run: the message is one line naming the node, param or value at fault. */
export class SweepError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SweepError';
  }
}

/** How a value is written in a spec and under its tile. */
export function sweepValueText(value: ParamValue): string {
  return value === null ? 'null' : String(value);
}

/** `node.param=a,b,c` */
export function sweepText(spec: SweepSpec): string {
  return `${spec.node}.${spec.param}=${spec.values.map(sweepValueText).join(',')}`;
}

function paramSpecOf(doc: GraphDocument, types: NodeTypeLookup, nodeId: string, param: string, where: string) {
  const node = doc.nodes.find((n) => n.id === nodeId);
  if (!node) {
    const ids = doc.nodes.map((n) => n.id);
    const shown = ids.slice(0, 10).join(', ') + (ids.length > 10 ? ` and ${ids.length - 10} more` : '');
    throw new SweepError(`${where}: no node '${nodeId.slice(0, 64)}' (nodes: ${shown || 'none'})`);
  }
  const type = types.get(node.type);
  if (!type) throw new SweepError(`${where}: node '${nodeId}' has the unknown type '${node.type}'; it cannot run`);
  const spec = type.params.find((p) => p.name === param);
  if (!spec) {
    throw new SweepError(`${where}: node '${nodeId}' (${node.type}) has no param '${param.slice(0, 64)}' (its params: ${type.params.map((p) => p.name).join(', ') || 'none'})`);
  }
  return spec;
}

function checkCount(count: number, where: string): void {
  if (count === 0) throw new SweepError(`${where}: no values to sweep over`);
  if (count > MAX_SWEEP_VALUES) throw new SweepError(`${where}: ${count} values, more than the ${MAX_SWEEP_VALUES} a sweep may have`);
}

function checkDistinct(values: ParamValue[], where: string): void {
  const seen = new Set<string>();
  for (const v of values) {
    const key = JSON.stringify(v);
    if (seen.has(key)) throw new SweepError(`${where}: the value ${sweepValueText(v)} is given twice`);
    seen.add(key);
  }
}

/**
 * Parses `NODE.PARAM=a,b,c` for `doc`: each value (spaces around it trimmed) is converted to the
 * param's type and checked against its range and options. Throws SweepError.
 */
export function parseSweepSpec(text: string, doc: GraphDocument, types: NodeTypeLookup): SweepSpec {
  const where = `--sweep ${text.length > 120 ? `${text.slice(0, 117)}...` : text}`;
  const match = /^([^.=]+)\.([^=]+)=([\s\S]*)$/.exec(text);
  if (!match) throw new SweepError(`${where}: expected NODE_ID.PARAM=VALUE,VALUE,...`);
  return sweepFromText(match[1], match[2], match[3], doc, types, where);
}

/** A sweep of `node`.`param` over a comma list of values as text (what `--sweep` and the editor's form give). */
export function sweepFromText(nodeId: string, param: string, list: string, doc: GraphDocument, types: NodeTypeLookup, where: string): SweepSpec {
  const spec = paramSpecOf(doc, types, nodeId, param, where);
  const texts = list.split(',').map((v) => v.trim());
  if (texts.length === 1 && texts[0] === '') checkCount(0, where);
  checkCount(texts.length, where);
  const values = texts.map((t, i) => {
    if (t === '') throw new SweepError(`${where}: value ${i + 1} is empty`);
    try {
      return coerceParam(spec, t);
    } catch (e) {
      if (e instanceof ParamValueError) throw new SweepError(`${where}: node '${nodeId}': ${e.message}`);
      throw e;
    }
  });
  checkDistinct(values, where);
  return { node: nodeId, param, values };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Checks a sweep given as data (a document's `meta.sweep`, the editor's form) against `doc`. */
export function checkSweep(raw: unknown, doc: GraphDocument, types: NodeTypeLookup, where = 'meta.sweep'): SweepSpec {
  if (!isRecord(raw) || typeof raw.node !== 'string' || typeof raw.param !== 'string' || !Array.isArray(raw.values)) {
    throw new SweepError(`${where} must be an object {"node": "ID", "param": "NAME", "values": [...]}`);
  }
  const spec = paramSpecOf(doc, types, raw.node, raw.param, where);
  checkCount(raw.values.length, where);
  const values = raw.values.map((v) => {
    const problem = paramProblem(spec, v);
    if (problem) throw new SweepError(`${where}: node '${raw.node}': param '${raw.param}' ${problem.text}`);
    return v as ParamValue;
  });
  checkDistinct(values, where);
  return { node: raw.node, param: raw.param, values };
}

/** The sweep a document names in `meta.sweep`, checked; undefined when it names none. */
export function sweepOfDocument(doc: GraphDocument, types: NodeTypeLookup): SweepSpec | undefined {
  return doc.meta.sweep === undefined ? undefined : checkSweep(doc.meta.sweep, doc, types);
}

/** One document per value: `doc` with the swept param set to it. */
export function sweepDocuments(doc: GraphDocument, spec: SweepSpec, types: NodeTypeLookup): GraphDocument[] {
  return spec.values.map((value) => {
    try {
      return setParam(doc, spec.node, spec.param, value, types);
    } catch (e) {
      if (e instanceof GraphEditError) throw new SweepError(`sweep ${spec.node}.${spec.param}: ${e.message}`);
      throw e;
    }
  });
}

/**
 * The output nodes (of type `outputType`) whose image depends on the swept node: each gets a
 * contact sheet. Throws SweepError when none does (the sweep would show nothing change).
 */
export function sweepOutputs(doc: GraphDocument, spec: SweepSpec, outputType: string): string[] {
  const affected = downstreamOf(doc, [spec.node]);
  affected.add(spec.node);
  const outputs = doc.nodes.filter((n) => n.type === outputType && affected.has(n.id)).map((n) => n.id);
  if (!outputs.length) throw new SweepError(`sweep ${spec.node}.${spec.param}: no ${outputType} node depends on '${spec.node}', so there is nothing to compare; connect one`);
  return outputs;
}
