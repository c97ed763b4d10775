/**
 * Where JSON text first goes wrong. Node 20's JSON.parse errors carry no position, and users who
 * hand-edit graph files need a line and column, so this scans the JSON grammar itself.
 */
import { printable } from './printable';
import { MAX_JSON_DEPTH, tooDeepMessage } from './limits';

export interface JsonSyntaxProblem {
  offset: number;
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
  reason: string;
}

class Stop {
  constructor(
    public readonly offset: number,
    public readonly reason: string,
  ) {}
}

/** The first syntax error in `text`, or undefined when it is valid JSON. */
export function locateJsonError(text: string): JsonSyntaxProblem | undefined {
  let i = 0;
  const fail = (reason: string): never => {
    throw new Stop(i, reason);
  };
  const describeHere = () => (i >= text.length ? 'unexpected end of text' : `unexpected "${printable(JSON.stringify(text[i]).slice(1, -1))}"`);
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(describeHere());
  };
  const string = () => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const c = text[i];
      if (c === '"') return void i++;
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('bad \\u escape in string');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail('bad escape in string');
      } else if (c < ' ') fail('control character in string (use an escape such as \\n)');
      else i++;
    }
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail(describeHere());
    i += m![0].length;
  };
  // The scan recurses per nesting level: past MAX_JSON_DEPTH it stops instead of exhausting the stack.
  let depth = 0;
  const value = (): void => {
    ws();
    const c = text[i];
    if ((c === '{' || c === '[') && depth >= MAX_JSON_DEPTH) fail(tooDeepMessage());
    if (c === '{' || c === '[') {
      depth++;
      container(c);
      depth--;
      return;
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    fail(describeHere());
  };
  const container = (c: string): void => {
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`${describeHere()}, expected a property name in double quotes`);
        string();
        ws();
        if (text[i] !== ':') fail(`${describeHere()}, expected ':'`);
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail(`${describeHere()}, expected ',' or '}'`);
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail(`${describeHere()}, expected ',' or ']'`);
      }
    }
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`${describeHere()} after the end of the JSON value`);
    return undefined;
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    const before = text.slice(0, e.offset);
    const line = before.split('\n').length;
    const column = e.offset - (before.lastIndexOf('\n') + 1) + 1;
    return { offset: e.offset, line, column, reason: e.reason };
  }
}
