import { describe, expect, it } from 'vitest';
import { findDeepNesting, JsonLimitError, MAX_JSON_DEPTH, nestsDeeperThan, parseLimitedJson, stripBom } from '../../src/formats/limits';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('JSON limits', () => {
  it('finds nesting past the limit with its line and column, skipping brackets in strings and escapes', () => {
    expect(findDeepNesting(nested(MAX_JSON_DEPTH))).toBeUndefined();
    expect(findDeepNesting(nested(MAX_JSON_DEPTH + 1))).toEqual({ offset: MAX_JSON_DEPTH, line: 1, column: MAX_JSON_DEPTH + 1 });
    expect(findDeepNesting(`{"a": "${'['.repeat(500)}\\"${'{'.repeat(500)}"}`)).toBeUndefined();
    expect(findDeepNesting(`{\n"a":\n${'['.repeat(200)}`)).toMatchObject({ line: 3, column: MAX_JSON_DEPTH });
    // Closing brackets never push the count below zero (text that closes first still counts its opens).
    expect(findDeepNesting(`${']'.repeat(100)}${'['.repeat(MAX_JSON_DEPTH)}`)).toBeUndefined();
  });

  it('measures parsed values without recursion', () => {
    let deep: unknown = 0;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(nestsDeeperThan(deep)).toBe(true);
    expect(nestsDeeperThan(JSON.parse(nested(MAX_JSON_DEPTH)))).toBe(false);
    expect(nestsDeeperThan({ a: { b: [1, { c: null }] } }, 4)).toBe(false);
    expect(nestsDeeperThan({ a: { b: [1, { c: {} }] } }, 4)).toBe(true);
  });

  it('parses with a BOM, refuses size and depth with JsonLimitError, leaves syntax errors to JSON.parse', () => {
    expect(stripBom('\uFEFF{}')).toBe('{}');
    expect(parseLimitedJson('\uFEFF{"a": 1}')).toEqual({ a: 1 });
    expect(() => parseLimitedJson(nested(100_000))).toThrow(JsonLimitError);
    expect(() => parseLimitedJson(`"${'x'.repeat(100)}"`, 50)).toThrow(/the document is 102 bytes, more than the 50 bytes allowed/);
    expect(() => parseLimitedJson('{"a": }')).toThrow(SyntaxError);
  });
});
