import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findPreprocessorDirectives } from '../../../src/engine/preprocess/directives.js';

const summary = (text: string) => findPreprocessorDirectives(text).map((d) => `${d.line}:${d.name}:${d.rest}`);

describe('findPreprocessorDirectives', () => {
  it('finds directives with leading whitespace, digraphs, splices and trailing comments', () => {
    const text = ['#define A 1', '  #  if A /* why */', 'int x = 1; # not a directive', '%:endif', '#define LONG 1 + \\', '  2 // two', 'int y;'].join('\n');
    expect(summary(text)).toEqual(['1:define:A 1', '2:if:A', '4:endif:', '5:define:LONG 1 +    2']);
  });

  it('skips # inside block comments that span lines, and strings', () => {
    const text = [
      '/* start',
      '#define HIDDEN 1',
      'end */ #define AFTER_COMMENT 1',
      'const char *s = "/*";',
      '#define SEEN 1',
      "char c = '\"'; /* x */",
      '#define ALSO 1',
    ].join('\n');
    expect(summary(text)).toEqual(['5:define:SEEN 1', '7:define:ALSO 1']);
  });

  it('keeps a block comment opened by the last two characters of a line', () => {
    const text = ['int x; /*', '#define HIDDEN 1', '*/', '#define SEEN 1'].join('\n');
    expect(summary(text)).toEqual(['4:define:SEEN 1']);
  });

  it('reads a directive that follows a comment on its own line', () => {
    const text = ['/* a */ #define AFTER 1', '// #define NOT 1', '\t#include <windows.h>'].join('\r\n');
    expect(summary(text)).toEqual(['1:define:AFTER 1', '3:include:<windows.h>']);
  });

  it('gives each directive the offsets of its whole logical line', () => {
    const text = 'int a;\n#define X \\\n  2\nint b;\n';
    const [d] = findPreprocessorDirectives(text);
    expect(d).toMatchObject({ line: 2, name: 'define', start: 7, end: text.indexOf('\nint b') });
  });
});

/** The plain reading the scanner must agree with: every logical line stripped of comments, then matched. */
function reference(text: string): string[] {
  const out: string[] = [];
  let inComment = false;
  let offset = 0;
  let line = 1;
  while (offset < text.length) {
    let end = offset;
    let physical = 1;
    for (;;) {
      const nl = text.indexOf('\n', end);
      const lineEnd = nl < 0 ? text.length : nl;
      const trimmed = text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
      if (text[trimmed - 1] === '\\' && nl >= 0) {
        end = nl + 1;
        physical++;
        continue;
      }
      end = lineEnd;
      break;
    }
    const raw = text.slice(offset, end);
    const wasInComment = inComment;
    let code = '';
    for (let i = 0; i < raw.length;) {
      if (inComment) {
        const close = raw.indexOf('*/', i);
        if (close < 0) break;
        i = close + 2;
        inComment = false;
        code += ' ';
      } else if (raw.startsWith('//', i)) break;
      else if (raw.startsWith('/*', i)) {
        inComment = true;
        i += 2;
      } else if (raw[i] === '"' || raw[i] === "'") {
        let j = i + 1;
        while (j < raw.length && raw[j] !== raw[i]) j += raw[j] === '\\' ? 2 : 1;
        code += raw.slice(i, j + 1);
        i = j + 1;
      } else code += raw[i++];
    }
    const m = wasInComment ? null : /^\s*(?:#|%:)\s*([A-Za-z_]\w*)?/.exec(code);
    if (m)
      out.push(
        `${line}:${m[1] ?? ''}:${code
          .slice(m[0].length)
          .replace(/\\\r?\n/g, ' ')
          .trim()}:${offset}-${end}`,
      );
    offset = end + 1;
    line += physical;
  }
  return out;
}

describe('findPreprocessorDirectives against a plain reading', () => {
  it('agrees on any mix of directives, comments, strings, splices and line ends', () => {
    const piece = fc.constantFrom(
      '#',
      '#define X 1',
      '%:',
      'if',
      ' ',
      '\t',
      '\n',
      '\r\n',
      '\\\n',
      '/*',
      '*/',
      '//',
      '"',
      "'",
      '\\',
      'a',
      'int x;',
      '/',
      '*',
      '\u00a0',
      'é',
      '"\\"',
      "'\\''",
      '"/*"',
      '\\"',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        expect(findPreprocessorDirectives(text).map((d) => `${d.line}:${d.name}:${d.rest}:${d.start}-${d.end}`)).toEqual(reference(text));
      }),
      { numRuns: 20000, seed: 11 },
    );
  });
});
