/** Number fields: what typed text becomes, and the message when the param does not allow it. */
import { describe, expect, it } from 'vitest';
import type { NumberParamSpec, SeedParamSpec } from '../../src/graph/types';
import { nodeRegistry } from '../../src/nodes/registry';
import { allowedRange, parseNumberDraft, stepValue } from '../../src/ui/number-input';

function spec(type: string, name: string): NumberParamSpec | SeedParamSpec {
  const p = nodeRegistry.get(type)!.params.find((q) => q.name === name)!;
  if (p.type !== 'number' && p.type !== 'seed') throw new Error(`${type}.${name} is not numeric`);
  return p;
}

describe('number field drafts', () => {
  const size = spec('mdan-optimiser', 'size');
  const iterations = spec('mdan-optimiser', 'iterations');
  const lr = spec('mdan-optimiser', 'lr');
  const seed = spec('mdan-optimiser', 'seed');

  it('accepts a value in range and refuses its out-of-range prefixes with the allowed range', () => {
    expect(parseNumberDraft(size, '48')).toEqual({ ok: true, value: 48 });
    expect(parseNumberDraft(size, '4')).toEqual({ ok: false, message: '4 is below its minimum 16 · allowed: 16 to 2048, whole numbers' });
    expect(parseNumberDraft(size, '12800')).toEqual({ ok: false, message: '12800 is above its maximum 2048 · allowed: 16 to 2048, whole numbers' });
    expect(parseNumberDraft(size, '48.5')).toMatchObject({ ok: false, message: expect.stringContaining('not an integer') });
  });

  it('refuses a negative iteration count and text that is not a number', () => {
    expect(parseNumberDraft(iterations, '-')).toEqual({ ok: false, message: "'-' is not a number · allowed: 1 to 10000, whole numbers" });
    expect(parseNumberDraft(iterations, '-3')).toMatchObject({ ok: false, message: expect.stringMatching(/^-3 is below its minimum 1 · /) });
    expect(parseNumberDraft(iterations, '  ')).toMatchObject({ ok: false, message: expect.stringMatching(/^empty · allowed/) });
  });

  it('takes floats, exponents and their in-between prefixes', () => {
    expect(parseNumberDraft(lr, '0.005')).toEqual({ ok: true, value: 0.005 });
    expect(parseNumberDraft(lr, '5e-3')).toEqual({ ok: true, value: 0.005 });
    expect(parseNumberDraft(lr, '0')).toMatchObject({ ok: false, message: expect.stringContaining('below its minimum 0.0001') });
    expect(allowedRange(lr)).toBe('allowed: 0.0001 to 1');
  });

  it('checks seeds against the unsigned 32-bit range', () => {
    expect(parseNumberDraft(seed, '4294967295')).toEqual({ ok: true, value: 4294967295 });
    expect(parseNumberDraft(seed, '4294967296')).toMatchObject({ ok: false, message: expect.stringContaining('above its maximum 4294967295') });
    expect(parseNumberDraft(seed, '-1')).toMatchObject({ ok: false });
  });

  it('names a one-sided range', () => {
    expect(allowedRange(spec('video-source', 'start'))).toBe('allowed: numbers from 0');
  });

  it('steps inside the range without float noise', () => {
    expect(stepValue(lr, 0.02, 1, 0.001)).toBe(0.021);
    expect(stepValue(lr, 0.0001, -1, 0.001)).toBe(0.0001);
    expect(stepValue(size, 2048, 1, 8)).toBe(2048);
    expect(stepValue(seed, 0, -1, 1)).toBe(0);
  });
});
