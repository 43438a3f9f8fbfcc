import { describe, expect, it } from 'vitest';
import { scanDirectives } from '../../src/engine/preprocess.js';

const summary = (text: string) => scanDirectives(text).map((d) => `${d.line}:${d.name}:${d.rest}`);

describe('scanDirectives', () => {
  it('finds directives with leading whitespace, digraphs, splices and trailing comments', () => {
    const text = ['#define A 1', '  #  if A /* why */', 'int x = 1; # not a directive', '%:endif', '#define LONG 1 + \\', '  2 // two', 'int y;'].join('\n');
    expect(summary(text)).toEqual(['1:define:A 1', '2:if:A', '4:endif:', '5:define:LONG 1 +    2']);
  });

  it('skips # inside block comments that span lines, and strings', () => {
    const text = ['/* start', '#define HIDDEN 1', 'end */ #define AFTER_COMMENT 1', 'const char *s = "/*";', '#define SEEN 1', "char c = '\"'; /* x */", '#define ALSO 1'].join('\n');
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
    const [d] = scanDirectives(text);
    expect(d).toMatchObject({ line: 2, name: 'define', start: 7, end: text.indexOf('\nint b') });
  });
});
