/**
 * What a number field holds while the user types: any text. It becomes a param value only when
 * it parses and passes the param's own check (src/graph/params), so a half-typed "4" on the way
 * to "48" is shown as out of range instead of being stored or thrown.
 */
import type { NumberParamSpec, SeedParamSpec } from '../graph/types';
import { MAX_SEED, paramProblem } from './store/graph-ops';

export type NumericSpec = NumberParamSpec | SeedParamSpec;

export type DraftResult = { ok: true; value: number } | { ok: false; message: string };

function bounds(spec: NumericSpec): { min?: number; max?: number; integer: boolean } {
  return spec.type === 'seed' ? { min: 0, max: MAX_SEED, integer: true } : { min: spec.min, max: spec.max, integer: spec.integer === true };
}

/** "allowed: 16 to 2048, whole numbers" — the range shown next to a rejected value. */
export function allowedRange(spec: NumericSpec): string {
  const { min, max, integer } = bounds(spec);
  const kind = integer ? 'whole numbers' : 'numbers';
  if (min !== undefined && max !== undefined) return `allowed: ${min} to ${max}${integer ? ', whole numbers' : ''}`;
  if (min !== undefined) return `allowed: ${kind} from ${min}`;
  if (max !== undefined) return `allowed: ${kind} up to ${max}`;
  return `allowed: ${kind}`;
}

/** The typed text as a value of the param, or a one-line message saying what is wrong and what is allowed. */
export function parseNumberDraft(spec: NumericSpec, text: string): DraftResult {
  const trimmed = text.trim();
  const value = trimmed === '' ? Number.NaN : Number(trimmed);
  if (Number.isNaN(value)) {
    return { ok: false, message: `${trimmed === '' ? 'empty' : `'${trimmed}' is not a number`} · ${allowedRange(spec)}` };
  }
  const problem = paramProblem(spec, value);
  if (problem) return { ok: false, message: `${problem.text.replace(/^= /, '')} · ${allowedRange(spec)}` };
  return { ok: true, value };
}

/** ArrowUp / ArrowDown: one step from the stored value, kept inside the range. */
export function stepValue(spec: NumericSpec, value: number, direction: 1 | -1, step: number): number {
  const { min, max, integer } = bounds(spec);
  let next = value + direction * step;
  // Float steps accumulate binary noise (0.1 + 0.2); round to the step's decimals.
  const decimals = Math.min(12, (String(step).split('.')[1] ?? '').length);
  next = integer ? Math.round(next) : Number(next.toFixed(decimals));
  if (min !== undefined) next = Math.max(min, next);
  if (max !== undefined) next = Math.min(max, next);
  return next;
}
