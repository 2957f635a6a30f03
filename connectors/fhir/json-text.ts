// JSON text → value, and for malformed text the line and column of the first error. Node 20's
// JSON.parse gives a position for some errors only ("Unexpected token '}', … is not valid JSON"
// has none), so on failure a small scanner walks the text to find the offending character.

import { jsonSyntaxError } from './errors.js';

/** Parses JSON text (a leading byte-order mark is allowed); malformed text → ParseError with line/column. */
export function parseJsonText(raw: string): unknown {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const { offset, expected } = locateSyntaxError(text);
    const { line, column } = lineAndColumn(text, offset);
    const found = offset >= text.length ? 'the end of the input' : `${JSON.stringify(text[offset])}`;
    return throwAt(line, column, `expected ${expected}, found ${found}`);
  }
}

function throwAt(line: number, column: number, detail: string): never {
  throw jsonSyntaxError(line, column, detail);
}

/** 1-based line and column of a character offset (a CRLF counts as one line end). */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

type Container = { kind: 'object' | 'array'; state: 'start' | 'key' | 'colon' | 'value' | 'next' };

/**
 * Offset of the first syntax error in `text` and what the grammar expected there. Iterative (an
 * explicit stack), so a hostile run of `[[[[` cannot overflow the call stack.
 */
export function locateSyntaxError(text: string): { offset: number; expected: string } {
  const stack: Container[] = [];
  let i = skipWhitespace(text, 0);
  let expectValue = true;

  for (;;) {
    if (expectValue) {
      const end = scanScalar(text, i);
      if (typeof end === 'object') return end;
      if (end === OPEN) {
        stack.push({ kind: text[i] === '{' ? 'object' : 'array', state: 'start' });
        i = skipWhitespace(text, i + 1);
        expectValue = false;
        continue;
      }
      i = skipWhitespace(text, end);
      expectValue = false;
      const top = stack[stack.length - 1];
      if (!top) return i < text.length ? { offset: i, expected: 'the end of the input' } : { offset: i, expected: 'valid JSON' };
      top.state = 'next';
      continue;
    }
    const top = stack[stack.length - 1];
    if (!top) return { offset: i, expected: 'the end of the input' };
    const ch = text[i];
    if (top.kind === 'object' && (top.state === 'start' || top.state === 'key')) {
      if (ch === '}' && top.state === 'start') {
        i = closeContainer(stack, text, i);
        continue;
      }
      if (ch !== '"') return { offset: i, expected: 'a double-quoted property name' };
      const end = scanString(text, i);
      if (typeof end === 'object') return end;
      i = skipWhitespace(text, end);
      if (text[i] !== ':') return { offset: i, expected: "':' after the property name" };
      i = skipWhitespace(text, i + 1);
      top.state = 'value';
      expectValue = true;
      continue;
    }
    if (top.kind === 'array' && top.state === 'start') {
      if (ch === ']') {
        i = closeContainer(stack, text, i);
        continue;
      }
      expectValue = true;
      continue;
    }
    // after a member or element: a comma or the closing bracket
    const close = top.kind === 'object' ? '}' : ']';
    if (ch === close) {
      i = closeContainer(stack, text, i);
      continue;
    }
    if (ch !== ',') return { offset: i, expected: `',' or '${close}'` };
    i = skipWhitespace(text, i + 1);
    if (top.kind === 'object') top.state = 'key';
    else expectValue = true;
  }
}

const OPEN = -1;

/** End offset of the scalar at `i`, OPEN for `{`/`[`, or the error. */
function scanScalar(text: string, i: number): number | { offset: number; expected: string } {
  const ch = text[i];
  if (ch === '{' || ch === '[') return OPEN;
  if (ch === '"') return scanString(text, i);
  if (ch === '-' || (ch >= '0' && ch <= '9')) return scanNumber(text, i);
  for (const literal of ['true', 'false', 'null']) {
    if (text.startsWith(literal, i)) return i + literal.length;
  }
  for (const literal of ['true', 'false', 'null']) {
    if (ch === literal[0]) {
      let k = 1;
      while (text[i + k] === literal[k]) k++;
      return { offset: i + k, expected: `the literal ${literal}` };
    }
  }
  return { offset: i, expected: 'a value (object, array, string, number, true, false or null)' };
}

function scanString(text: string, start: number): number | { offset: number; expected: string } {
  for (let i = start + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22) return i + 1;
    if (code < 0x20) return { offset: i, expected: 'no control character inside a string (escape it)' };
    if (code === 0x5c) {
      const next = text[i + 1];
      if (next === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return { offset: i, expected: 'four hex digits after \\u' };
        i += 5;
      } else if (next !== undefined && '"\\/bfnrt'.includes(next)) {
        i += 1;
      } else {
        return { offset: i, expected: 'a valid escape sequence' };
      }
    }
  }
  return { offset: text.length, expected: 'a closing double quote' };
}

function scanNumber(text: string, start: number): number | { offset: number; expected: string } {
  const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(start, start + 400));
  if (!match) return { offset: text[start] === '-' ? start + 1 : start, expected: 'a digit' };
  const end = start + match[0].length;
  const after = text[end];
  if (after === '.' || after === 'e' || after === 'E') return { offset: end + 1, expected: 'a digit' };
  return end;
}

function closeContainer(stack: Container[], text: string, i: number): number {
  stack.pop();
  const parent = stack[stack.length - 1];
  if (parent) parent.state = 'next';
  return skipWhitespace(text, i + 1);
}

function skipWhitespace(text: string, i: number): number {
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code !== 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) break;
    i++;
  }
  return i;
}
