/**
 * Parameter checking: fills defaults and checks type, range, integer-ness and options against a
 * node type's ParamSpecs. Used when loading a document, on every edit and by the CLI's --set.
 */
import { embeddedImageProblem, isDataUrl } from './embedded-images';
import { printable } from '../formats/printable';
import { describeNode, graphError, graphWarning, type GraphIssue } from './issues';
import { fileNameProblem } from '../formats/file-name';
import type { NodeTypeSpec, ParamSpec, ParamValue } from './types';

/** The largest seed: seeds are unsigned 32-bit integers, the range every PRNG here accepts. */
export const MAX_SEED = 0xffffffff;

/** Thrown by coerceParam for text that is not a valid value of the param. */
export class ParamValueError extends Error {
  constructor(
    public readonly param: string,
    message: string,
  ) {
    super(message);
    this.name = 'ParamValueError';
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return `"${printable(value)}"`;
  if (value !== null && typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return String(value);
}

function expectedKind(spec: ParamSpec): string {
  switch (spec.type) {
    case 'number':
      return spec.integer ? 'an integer' : 'a number';
    case 'seed':
      return 'an integer seed';
    case 'string':
      return 'a string';
    case 'boolean':
      return 'true or false';
  }
}

/**
 * Why `value` is not acceptable for `spec`, as the tail of a sentence ("= 40 is above its maximum 8"),
 * or undefined when it is fine.
 */
export function paramProblem(spec: ParamSpec, value: unknown): { code: string; text: string } | undefined {
  const shown = `= ${show(value)}`;
  switch (spec.type) {
    case 'number':
    case 'seed': {
      if (typeof value !== 'number') return { code: 'param-type', text: `${shown} is not ${expectedKind(spec)}` };
      if (!Number.isFinite(value)) return { code: 'param-type', text: `${shown} is not a finite number` };
      const integer = spec.type === 'seed' || spec.integer === true;
      if (integer && !Number.isInteger(value)) return { code: 'param-type', text: `${shown} is not an integer` };
      const min = spec.type === 'seed' ? 0 : spec.min;
      const max = spec.type === 'seed' ? MAX_SEED : spec.max;
      if (min !== undefined && value < min) return { code: 'param-range', text: `${shown} is below its minimum ${min}` };
      if (max !== undefined && value > max) return { code: 'param-range', text: `${shown} is above its maximum ${max}` };
      return undefined;
    }
    case 'string':
      if (typeof value !== 'string') return { code: 'param-type', text: `${shown} is not a string` };
      if (spec.options && !spec.options.includes(value)) {
        return { code: 'param-option', text: `${shown} is not one of ${spec.options.map((o) => JSON.stringify(o)).join(', ')}` };
      }
      // Empty means "not set" (the node's default name); anything else names a file it writes.
      if (spec.resource === 'output-name' && value !== '') {
        const problem = fileNameProblem(value);
        if (problem) return { code: 'param-file-name', text: `${shown} is not a plain file name: it ${problem}` };
      }
      if (spec.resource === 'url' && spec.embedsImage && isDataUrl(value)) {
        const problem = embeddedImageProblem(value);
        if (problem) return { code: 'param-embedded-image', text: `${shown} is not an image the graph may embed: it ${problem}` };
      }
      return undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : { code: 'param-type', text: `${shown} is not true or false` };
  }
}

/**
 * Fills defaults and checks every param. The returned params hold exactly the spec's params, in spec
 * order (a bad value is replaced by the default there, alongside its error); params the type does not
 * know are dropped with a warning.
 */
export function resolveParams(
  spec: NodeTypeSpec,
  params: Record<string, unknown>,
  nodeId?: string,
): { params: Record<string, ParamValue>; issues: GraphIssue[] } {
  const node = describeNode(nodeId, spec.type);
  const resolved: Record<string, ParamValue> = {};
  const issues: GraphIssue[] = [];
  for (const paramSpec of spec.params) {
    const has = Object.prototype.hasOwnProperty.call(params, paramSpec.name) && params[paramSpec.name] !== undefined;
    const value = has ? params[paramSpec.name] : paramSpec.default;
    const problem = paramProblem(paramSpec, value);
    if (problem) {
      issues.push(graphError(problem.code, `${node}: param '${paramSpec.name}' ${problem.text}`, { nodeId, param: paramSpec.name }));
      resolved[paramSpec.name] = paramSpec.default;
    } else {
      resolved[paramSpec.name] = value as ParamValue;
    }
  }
  const known = new Set(spec.params.map((p) => p.name));
  for (const name of Object.keys(params)) {
    if (!known.has(name)) {
      const names = spec.params.map((p) => p.name).join(', ') || 'none';
      issues.push(graphWarning('unknown-param', `${node}: unknown param '${printable(name)}' ignored (its params: ${names})`, { nodeId, param: name }));
    }
  }
  return { params: resolved, issues };
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

/**
 * Text to a typed param value (the CLI's `--set NODE.PARAM=VALUE`), checked like resolveParams.
 * Throws ParamValueError naming the param and what it expected.
 */
export function coerceParam(spec: ParamSpec, text: string): ParamValue {
  let value: ParamValue;
  switch (spec.type) {
    case 'number':
    case 'seed': {
      const trimmed = text.trim();
      value = trimmed === '' ? Number.NaN : Number(trimmed);
      if (Number.isNaN(value)) throw new ParamValueError(spec.name, `param '${spec.name}': ${show(text)} is not ${expectedKind(spec)}`);
      break;
    }
    case 'boolean': {
      const word = text.trim().toLowerCase();
      if (TRUE_WORDS.has(word)) value = true;
      else if (FALSE_WORDS.has(word)) value = false;
      else throw new ParamValueError(spec.name, `param '${spec.name}': ${show(text)} is not true or false`);
      break;
    }
    case 'string':
      value = text;
      break;
  }
  const problem = paramProblem(spec, value);
  if (problem) throw new ParamValueError(spec.name, `param '${spec.name}' ${problem.text}`);
  return value;
}
