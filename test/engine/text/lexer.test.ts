// The shared C/C++ lexer (src/engine/text/lexer.ts) and the scanners built on it.

import { describe, expect, it } from 'vitest';
import { comments, isIdentPart, isIdentStart, numberEnd, quotedEnd, rawStringEnd } from '../../../src/engine/text/lexer.js';
import { scanComments } from '../../../src/eslint/comments.js';
import { tokenize } from '../../../src/engine/text/tokens.js';

const bodies = (text: string) => [...comments(text)].map((c) => `${c.kind}:${text.slice(c.bodyStart, c.bodyEnd)}`);

describe('the lexer', () => {
  it('finds line and block comments, a spliced line comment going on past its line', () => {
    expect(bodies('a; // one \\\n two\nb; /* three */ c; // four\r\nd;')).toEqual(['line: one \\\n two', 'block: three ', 'line: four']);
  });

  it('skips comment openers inside strings, character literals, raw strings and after digit separators', () => {
    const text = `s = "/* no */"; c = '/'; r = R"x(// no )x"; n = 1'000'000; u = u8R"(/*)"; // yes`;
    expect(bodies(text)).toEqual(['line: yes']);
  });

  it('ends an unterminated literal at the line break, and an unterminated block comment at the end', () => {
    expect(bodies('"open\n// yes\n/* open')).toEqual(['line: yes', 'block: open']);
  });

  it('reads literals, raw strings and numbers to their ends', () => {
    expect(quotedEnd('"a\\"b" x', 0, 34)).toBe(6);
    expect(quotedEnd('"a\\\r\nb" x', 0, 34)).toBe(7);
    expect(rawStringEnd('R"d(a)"b)d" x', 1)).toBe(11);
    expect(numberEnd('0x1p+3f; ', 0)).toBe(7);
    expect(numberEnd("1'000u)", 0)).toBe(6);
    expect(isIdentStart('$'.charCodeAt(0)) && isIdentPart('9'.charCodeAt(0)) && !isIdentStart('9'.charCodeAt(0))).toBe(true);
  });

  it('is the one the tokenizer and the ESLint comment scanner use', () => {
    expect(tokenize(`x = R"(a "b")" + 1'0; // c`).map((t) => t.text)).toEqual(['x', '=', 'R"(a "b")"', '+', "1'0", ';']);
    expect(scanComments('a /* b */ c // d')).toEqual([
      { kind: 'block', start: 2, end: 9, value: ' b ' },
      { kind: 'line', start: 12, end: 16, value: ' d' },
    ]);
  });
});
