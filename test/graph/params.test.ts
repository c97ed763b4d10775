import { describe, expect, it } from 'vitest';
import { coerceParam, ParamValueError, resolveParams } from '../../src/graph/params';
import { blendSpec, noiseSpec } from './fixtures';

const param = (name: string) => noiseSpec.params.find((p) => p.name === name)!;

describe('resolveParams', () => {
  it('fills defaults in spec order and keeps given values', () => {
    const { params, issues } = resolveParams(noiseSpec, { seed: 42, octaves: 2 }, 'n1');
    expect(issues).toEqual([]);
    expect(Object.entries(params)).toEqual([
      ['width', 64],
      ['octaves', 2],
      ['scale', 0.5],
      ['seed', 42],
      ['color', false],
    ]);
  });

  it('names the node type when there is no node id', () => {
    const { issues } = resolveParams(noiseSpec, { octaves: 0 });
    expect(issues[0].message).toBe("node type 'noise': param 'octaves' = 0 is below its minimum 1");
  });

  it('rejects a non-finite number and a fractional seed', () => {
    const { params, issues } = resolveParams(noiseSpec, { scale: Number.POSITIVE_INFINITY, seed: 1.5 }, 'n');
    expect(issues.map((i) => i.message)).toEqual([
      "node 'n' (noise): param 'scale' = Infinity is not a finite number",
      "node 'n' (noise): param 'seed' = 1.5 is not an integer",
    ]);
    // bad values fall back to the defaults so the rest of the document stays usable
    expect(params.scale).toBe(0.5);
    expect(params.seed).toBe(1);
  });
});

describe('coerceParam', () => {
  it('turns CLI text into typed values', () => {
    expect(coerceParam(param('octaves'), ' 6 ')).toBe(6);
    expect(coerceParam(param('scale'), '0.25')).toBe(0.25);
    expect(coerceParam(param('seed'), '4294967295')).toBe(4294967295);
    expect(coerceParam(param('color'), 'TRUE')).toBe(true);
    expect(coerceParam(param('color'), 'off')).toBe(false);
    expect(coerceParam(blendSpec.params[0], 'multiply')).toBe('multiply');
  });

  it('throws a clear ParamValueError for text that does not fit', () => {
    expect(() => coerceParam(param('octaves'), 'six')).toThrow("param 'octaves': \"six\" is not an integer");
    expect(() => coerceParam(param('scale'), '')).toThrow("param 'scale': \"\" is not a number");
    expect(() => coerceParam(param('octaves'), '40')).toThrow("param 'octaves' = 40 is above its maximum 8");
    expect(() => coerceParam(param('octaves'), '2.5')).toThrow("param 'octaves' = 2.5 is not an integer");
    expect(() => coerceParam(param('color'), 'maybe')).toThrow("param 'color': \"maybe\" is not true or false");
    expect(() => coerceParam(blendSpec.params[0], 'overlay')).toThrow(/is not one of "mix", "multiply", "screen"/);
    try {
      coerceParam(param('seed'), '-3');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ParamValueError);
      expect((e as ParamValueError).param).toBe('seed');
    }
  });
});
