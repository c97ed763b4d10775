import { describe, expect, it } from 'vitest';
import { locateJsonError } from '../../src/formats/json-error';
import { serializeDocument } from '../../src/graph/document';
import { sampleDocument } from './fixtures';

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('locateJsonError', () => {
  it('points at the first error with line and column', () => {
    expect(locateJsonError('')).toMatchObject({ line: 1, column: 1, reason: 'unexpected end of text' });
    expect(locateJsonError('{"a": [1, 2,]}')).toMatchObject({ line: 1, column: 13, reason: 'unexpected "]"' });
    expect(locateJsonError('{\n  "a": "x\n"}')).toMatchObject({ line: 2, column: 10, reason: 'control character in string (use an escape such as \\n)' });
    expect(locateJsonError('{"a": 1} x')).toMatchObject({ line: 1, column: 10, reason: 'unexpected "x" after the end of the JSON value' });
    expect(locateJsonError('{"a": tru}')).toMatchObject({ column: 7 });
    expect(locateJsonError("{'a': 1}")).toMatchObject({ column: 2, reason: `unexpected "'", expected a property name in double quotes` });
    expect(locateJsonError('{"a": 01}')).toMatchObject({ column: 8, reason: `unexpected "1", expected ',' or '}'` });
    expect(locateJsonError('["\\x"]')).toMatchObject({ column: 3, reason: 'bad escape in string' });
  });

  it('agrees with JSON.parse on thousands of mutated documents', () => {
    const text = serializeDocument({ ...sampleDocument(), meta: { title: 'Sternennacht — 星月夜 🌌', n: -1.5e-3, ok: true, none: null } });
    expect(locateJsonError(text)).toBeUndefined();
    const alphabet = ['{', '}', '[', ']', ',', ':', '"', '\\', ' ', '\n', '0', '-', 'e', '.', 't', 'n', 'u', 'x'];
    let seed = 12345;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    let invalid = 0;
    for (let trial = 0; trial < 3000; trial++) {
      let mutated = text;
      for (let k = 0; k <= rand(3); k++) {
        const at = rand(mutated.length + 1);
        const op = rand(3);
        const c = alphabet[rand(alphabet.length)];
        mutated = op === 0 ? mutated.slice(0, at) + c + mutated.slice(at) : op === 1 ? mutated.slice(0, at) + mutated.slice(at + 1) : mutated.slice(0, at) + c + mutated.slice(at + 1);
      }
      const problem = locateJsonError(mutated);
      expect(problem === undefined, JSON.stringify(mutated)).toBe(parses(mutated));
      if (problem) {
        invalid++;
        // the text up to the error is a valid prefix: the error is at or before where parsing fails
        expect(problem.offset).toBeLessThanOrEqual(mutated.length);
      }
    }
    expect(invalid).toBeGreaterThan(1000);
  });
});
