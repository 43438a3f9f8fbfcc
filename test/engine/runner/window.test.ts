// Windowed parsing (src/engine/runner/window.ts): which bodies the outline finds, what a window blanks and keeps,
// and that tree-sitter's included ranges give the same tree as parsing the blanked text.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/model/types.js';
import { HeaderCache } from '../../../src/engine/preprocess/header-cache.js';
import { defaultLintOptions } from '../../../src/engine/runner/options.js';
import { lintFile, lintFileInWindows } from '../../../src/engine/runner/pipeline.js';
import { parse } from '../../../src/engine/parse/parse.js';
import { outline } from '../../../src/engine/parse/outline.js';
import { bodiesMentioning, renderWindow, UNITS_FROM, windowText, WindowSet } from '../../../src/engine/runner/window.js';

/** The body texts the outline found, with their `paramless` flags. */
function bodies(text: string): [string, boolean][] {
  const o = outline(text);
  expect(o.ok).toBe(true);
  return o.bodies.map((b) => [text.slice(b.open, b.close + 1).replace(/\s+/g, ' '), b.paramless]);
}

describe('outline', () => {
  it('finds function bodies at file level, and which functions take no parameters', () => {
    const text = ['int a(int x) { return x; }', 'static void b(void) { a(1); }', 'int c() { return 2; }', 'int d(int x) const { return x; }'].join('\n');
    expect(bodies(text)).toEqual([
      ['{ return x; }', false],
      ['{ a(1); }', true],
      ['{ return 2; }', true],
      ['{ return x; }', false],
    ]);
  });

  it('does not take struct, enum, union or class bodies, initialisers or K&R definitions for function bodies', () => {
    // (a function that names a struct type in its head is kept whole too: `struct s f(void) {` looks too much
    // like `struct s MACRO(16) {`, whose fields must never be blanked)
    const text = [
      'struct s { int a; };',
      'enum e { A, B };',
      'union u { int a; float b; };',
      'class k { void m() { } };',
      'static const int t[] = { 1, 2 };',
      'int kr(a) int a; { return a; }',
      'struct s f(void) { struct s r = { 0 }; return r; }',
    ].join('\n');
    expect(bodies(text)).toEqual([]);
  });

  it('looks inside namespaces and extern "C" blocks, not inside classes', () => {
    const text = 'namespace n { int f(int x) { return x; } }\nextern "C" { void g(void) { } }\nnamespace { class c { int h() { return 1; } }; }';
    expect(bodies(text)).toEqual([
      ['{ return x; }', false],
      ['{ }', true],
    ]);
  });

  it('ignores braces in comments, strings, character literals, raw strings and preprocessor lines', () => {
    const text = [
      'void f(void) {',
      '  const char *s = "}{";  /* } */ // }',
      "  char c = '}';",
      '  const char *r = R"x(})x";',
      '#define OPEN {',
      "  int n = 1'000;",
      '}',
      'int g(int v) { return v; }',
    ].join('\n');
    const o = outline(text);
    expect(o.ok).toBe(true);
    expect(o.bodies.map((b) => [text.slice(0, b.open).split('\n').length, text.slice(0, b.close).split('\n').length])).toEqual([
      [1, 7],
      [8, 8],
    ]);
    expect(o.directives.map(([s, e]) => text.slice(s, e))).toEqual(['#define OPEN {']);
  });

  it('gives up (parse whole) when braces do not pair, e.g. split across #if branches', () => {
    const text = '#ifdef A\nvoid f(int a) {\n#else\nvoid f(void) {\n#endif\n  g();\n}\n';
    expect(outline(text)).toEqual({ ok: false, bodies: [], units: [], directives: expect.any(Array) });
    expect(outline('}\nvoid f(void) { }').ok).toBe(false);
  });

  it('counts a directive after a comment at the start of a line, and continued directive lines', () => {
    const text = 'void f(void) {\n/* c */ #define X 1\n#define Y \\\n  2\n}\n';
    const o = outline(text);
    expect(o.directives.map(([s, e]) => text.slice(s, e))).toEqual(['/* c */ #define X 1', '#define Y \\\n  2']);
  });
});

describe('windowText', () => {
  const text = [
    '#include <windows.h>',
    'static SIZE_T size = 4096;',
    'void unrelated(int n) {',
    '  int i = n * 2;',
    '#if DEBUG',
    '  log(i);',
    '#endif',
    '}',
    'void *reserve(void) {',
    '  return VirtualAlloc(NULL, size, MEM_RESERVE, PAGE_NOACCESS);',
    '}',
    'void with_enum(void) { enum { K = 3 }; }',
    'void caller(void) { helper(1); }',
  ].join('\n');

  it('blanks the bodies that mention nothing that matters, keeping offsets, line breaks and preprocessor lines', () => {
    const w = windowText(text, outline(text), [], ['VirtualAlloc']);
    expect(w.length).toBe(text.length);
    expect(w.split('\n').length).toBe(text.split('\n').length);
    const lines = w.split('\n');
    expect(lines[2]).toBe('void unrelated(int n) {');
    expect(lines[3]!.trim()).toBe('');
    expect(lines[4]).toBe('#if DEBUG');
    expect(lines[5]!.trim()).toBe('');
    expect(lines[6]).toBe('#endif');
    expect(lines[9]).toBe(text.split('\n')[9]);
    // a body that declares an enum stays: enumerators are looked up anywhere in the file
    expect(lines[11]).toBe('void with_enum(void) { enum { K = 3 }; }');
    expect(lines[12]).toBe(`void caller(void) {${' '.repeat(' helper(1); '.length)}}`);
  });

  it('keeps the body of a constexpr or consteval function for every purpose: constant expressions anywhere compute it', () => {
    const cpp = [
      'constexpr unsigned pages(unsigned n) { return n * 4096; }',
      'static consteval int kb(int n) { return n << 10; }',
      'int plain(int n) { return n * 4096; }',
      'void *reserve(void) { return VirtualAlloc(nullptr, pages(3), MEM_RESERVE, PAGE_NOACCESS); }',
    ].join('\n');
    const windows = new WindowSet(true);
    for (const purpose of ['findings', 'wrappers'] as const) {
      const lines = windows.windowFor('a.cpp', cpp, [], purpose).text.split('\n');
      expect(lines.slice(0, 2)).toEqual(cpp.split('\n').slice(0, 2));
      expect(lines[2]!.replace(/ +/g, ' ')).toBe('int plain(int n) { }');
    }
  });

  it('keeps a body that mentions a name as a whole word, not as part of a longer one', () => {
    const o = outline(text);
    expect(windowText(text, o, ['helper'], ['VirtualAlloc']).split('\n')[12]).toBe('void caller(void) { helper(1); }');
    expect(windowText(text, o, ['help'], ['VirtualAlloc']).split('\n')[12]).toBe(`void caller(void) {${' '.repeat(' helper(1); '.length)}}`);
    expect(bodiesMentioning(text, o, 'Alloc', false)).toEqual([1]);
    expect(bodiesMentioning(text, o, 'Alloc')).toEqual([]);
  });

  it('returns the text itself when nothing is blanked', () => {
    const small = 'void f(void) { VirtualAlloc(0, 1, 0, 0); }';
    expect(windowText(small, outline(small), [], ['VirtualAlloc'])).toBe(small);
  });
});

describe('WindowSet', () => {
  const text = [
    'static void *(*pfn)(void *, SIZE_T, DWORD, DWORD);',
    'void init(void) { pfn = VirtualAlloc; }',
    'void use(void) { pfn(NULL, 100, MEM_RESERVE, PAGE_NOACCESS); }',
    'void other(void) { puts("x"); }',
    'void *helper(SIZE_T n) { return VirtualAlloc(NULL, n, MEM_RESERVE, PAGE_NOACCESS); }',
    'void tests(void) { VirtualAlloc(NULL, 1, MEM_RESERVE, PAGE_NOACCESS); }',
  ].join('\n');

  it('widens the window with the names an analysis reports until it settles', () => {
    const windows = new WindowSet(true);
    const seen: string[] = [];
    const analysis = windows.analyze('a.c', text, [], (w) => {
      seen.push(w.text.split('\n')[2]!);
      // what the analyser would say: the pointer `pfn` holds an API
      return { callees: ['VirtualAlloc', 'pfn'], wrappers: [], pointers: [], calls: [], occurrences: new Map([['pfn', []]]) };
    });
    expect(analysis).toBeDefined();
    const use = text.split('\n')[2]!;
    // (in a file this small, only bodies are blanked: declarations are kept)
    expect(seen).toEqual([`void use(void) {${' '.repeat(use.length - 'void use(void) {}'.length)}}`, use]);
    expect(windows.totalChars).toBe(text.length);
    expect(windows.blankedChars).toBe(' puts("x"); '.length);
  });

  it('for a file reported by another shard keeps only the bodies of functions with parameters', () => {
    const w = new WindowSet(true).windowFor('a.c', text, [], 'wrappers').text.split('\n');
    expect(w[1]!.replace(/ +/g, ' ')).toBe('void init(void) { }');
    expect(w[4]).toBe(text.split('\n')[4]);
    expect(w[5]!.replace(/ +/g, ' ')).toBe('void tests(void) { }');
  });

  it('does nothing when disabled', () => {
    expect(new WindowSet(false).windowFor('a.c', text, []).text).toBe(text);
  });
});

describe('included ranges', () => {
  it('give the same tree as parsing the blanked text, with LF and CRLF line ends', () => {
    for (const eol of ['\n', '\r\n']) {
      const text = [
        '#include "x.h"',
        'int g = 1;',
        'void a(void) {',
        '  int unused = 2;',
        '#if FOO',
        '  b();',
        '#else',
        '  c();',
        '#endif',
        '  d();',
        '}',
        'void *keep(SIZE_T n) {',
        '#ifdef X',
        '  return VirtualAlloc(NULL, n, MEM_RESERVE, PAGE_NOACCESS);',
        '#endif',
        '}',
        'struct s { int a; } v;',
        'void z(void) { e(); }',
      ].join(eol);
      const shape = outline(text);
      const keep = new Uint8Array(shape.bodies.length);
      for (const b of bodiesMentioning(text, shape, 'VirtualAlloc', false)) keep[b] = 1;
      const w = renderWindow(text, shape, keep);
      expect(w.blanks.length).toBeGreaterThan(0);
      const whole = parse(w.text, 'c');
      const ranged = parse(w.text, 'c', undefined, w.blanks);
      expect(ranged.rootNode.toString()).toBe(whole.rootNode.toString());
      expect(ranged.rootNode.descendantsOfType('call_expression').map((n) => [n.startIndex, n.endIndex])).toEqual(
        whole.rootNode.descendantsOfType('call_expression').map((n) => [n.startIndex, n.endIndex]),
      );
    }
  });
});

describe('windowed analysis', () => {
  it("chooses a header's grammar from the whole file, not from its window", async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const { defaultLintOptions, lintPaths } = await import('../../../src/engine/runner/lint.js');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-window-'));
    // the only C++ in the header is in a body the window blanks; C++ decides which branch is live
    fs.writeFileSync(
      path.join(dir, 'pool.h'),
      [
        'static int twice(int x) { return static_cast<int>(x) * 2; }',
        'inline void *pool(void) {',
        '#ifdef __cplusplus',
        '  return VirtualAlloc(NULL, 100, MEM_RESERVE, PAGE_NOACCESS);',
        '#else',
        '  return VirtualAlloc(NULL, 200, MEM_RESERVE, PAGE_NOACCESS);',
        '#endif',
        '}',
      ].join('\n'),
    );
    try {
      for (const windowed of [true, false]) {
        const report = await lintPaths([], { ...defaultLintOptions(dir), windowed, concurrency: 'off' });
        expect(report.findings.map((f) => `${f.range.start.line} ${f.properties.size}`)).toEqual(['4 100']);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('file-level declarations', () => {
  /** The text of each unit the outline found, blanks squeezed. */
  const units = (text: string) =>
    outline(text).units.map(([s, e]) =>
      text
        .slice(s, e)
        .replace(/^#.*$/gm, '')
        .replace(/\/\*.*?\*\//g, '')
        .replace(/\s+/g, ' ')
        .trim(),
    );

  it('are found from their first token to the `;` or the body that ends them', () => {
    const text = [
      '#include <windows.h>',
      '/* a comment */ static const SIZE_T size = 4096;',
      'struct s { int a; } v;',
      'typedef enum { A, B } E;',
      'int f(int x)',
      '{ return x; }',
      'DECLARE_THING(x)',
      'int g(void) { return 1; }',
      'int kr(a) int a; { return a; }',
      'namespace n { int h; void k() { } }',
      'extern "C" { int e; }',
      'TRAILING(y)',
    ].join('\n');
    expect(units(text)).toEqual([
      'static const SIZE_T size = 4096;',
      'struct s { int a; } v;',
      'typedef enum { A, B } E;',
      'int f(int x) { return x; }',
      // a macro invocation without `;` is read with the declaration after it, as tree-sitter reads it
      'DECLARE_THING(x) int g(void) { return 1; }',
      // a K&R definition is one declaration, its parameter declarations and body included
      'int kr(a) int a; { return a; }',
      'int h;',
      'void k() { }',
      'int e;',
      'TRAILING(y)',
    ]);
  });

  it('are none when the braces do not pair', () => {
    expect(outline('void f(void) {').units).toEqual([]);
  });

  const file = [
    'static const SIZE_T table[] = { 1, 2, 3 };',
    '#define PAGE 4096',
    'static const SIZE_T size = 16 * PAGE;',
    'typedef struct { int a; } T;',
    'void *reserve(void) { return VirtualAlloc(NULL, size, MEM_RESERVE, PAGE_NOACCESS); }',
    'int other(T *t) { return t->a; }',
  ].join('\n');

  it('are blanked unless they mention a name that matters or one the analysis looked up', () => {
    const windows = new WindowSet(true, 0);
    const seen: string[][] = [];
    windows.analyze('a.c', file, [], (w) => {
      seen.push(w.text.split('\n'));
      expect(w.text.length).toBe(file.length);
      return {
        callees: ['VirtualAlloc'],
        wrappers: [],
        pointers: [],
        calls: [],
        occurrences: new Map([
          ['VirtualAlloc', []],
          ['size', []],
          ['PAGE', []],
        ]),
      };
    });
    const lines = file.split('\n');
    const blank = (line: string) => ' '.repeat(line.length);
    expect(seen).toEqual([
      [blank(lines[0]!), lines[1], blank(lines[2]!), blank(lines[3]!), lines[4], blank(lines[5]!)],
      // `size` was looked up: its declaration comes back; `T` and `table` were not
      [blank(lines[0]!), lines[1], lines[2], blank(lines[3]!), lines[4], blank(lines[5]!)],
    ]);
  });

  it('are kept for a name resolved only as a local or a parameter, or asked about only as a type, only where they can decide', () => {
    const windows = new WindowSet(true, 0);
    const seen: string[][] = [];
    windows.analyze('a.c', file, [], (w) => {
      seen.push(w.text.split('\n'));
      const occurrences = new Map([
        ['VirtualAlloc', []],
        ['size', []],
        ['table', []],
        ['T', []],
      ]);
      // `table` was resolved as a local or a parameter; `T` only asked about as a type name
      return {
        callees: ['VirtualAlloc'],
        wrappers: [],
        pointers: [],
        calls: [],
        occurrences,
        lookups: new Set(['VirtualAlloc', 'size']),
        typeLookups: new Set(['T']),
      };
    });
    const lines = file.split('\n');
    const blank = (line: string) => ' '.repeat(line.length);
    // the typedef of T comes back; `other`, which only uses T, and `table` stay blank
    expect(seen[1]).toEqual([blank(lines[0]!), lines[1], lines[2], lines[3], lines[4], blank(lines[5]!)]);
  });

  it('are all kept when the analysis does not say what it looked up', () => {
    const windows = new WindowSet(true, 0);
    const seen: string[] = [];
    windows.analyze('a.c', file, [], (w) => {
      seen.push(w.text);
      return { callees: ['VirtualAlloc'], wrappers: [], pointers: [], calls: [] };
    });
    expect(seen).toHaveLength(2);
    expect(seen[1]!.split('\n').slice(0, 4)).toEqual(file.split('\n').slice(0, 4));
    expect(seen[1]!.split('\n')[5]!.replace(/ +/g, ' ')).toBe('int other(T *t) { }');
  });

  it('keep the findings of whole-file parsing: constants, enumerators, typedefs, K&R definitions, macros without `;`', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const { defaultLintOptions, lintPaths } = await import('../../../src/engine/runner/lint.js');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-units-'));
    fs.writeFileSync(
      path.join(dir, 'a.c'),
      [
        // (declarations are windowed in files of a megabyte or more)
        `/*${' '.repeat(UNITS_FROM)}*/`,
        '#include <windows.h>',
        'typedef unsigned short small_t;',
        'static const small_t unused = 1;',
        'enum sizes { ONE = 0x1000, TWO = ONE * 2, THREE };',
        'static const SIZE_T from_enum = THREE;',
        'DECLARE_SOMETHING(x)',
        'static const small_t wrapped = (small_t)(TWO + 0x100);',
        'int kr(a) int a; { return a; }',
        'static SIZE_T variable = 0x10000;',
        'static void *(WINAPI *pAlloc)(void *, SIZE_T, DWORD, DWORD);',
        'void init(void) { pAlloc = (void *)GetProcAddress(GetModuleHandleA("kernel32"), "VirtualAlloc"); }',
        'void *a(void) { return VirtualAlloc(NULL, from_enum, MEM_RESERVE, PAGE_NOACCESS); }',
        'void *b(void) { return VirtualAlloc(NULL, wrapped, MEM_RESERVE, PAGE_NOACCESS); }',
        'void *c(void) { return VirtualAlloc(NULL, variable, MEM_RESERVE, PAGE_NOACCESS); }',
        'void *d(void) { return pAlloc(NULL, TWO, MEM_RESERVE, PAGE_NOACCESS); }',
        'static void *reserve(SIZE_T n) { return VirtualAlloc(NULL, n, MEM_RESERVE, PAGE_NOACCESS); }',
        'void *e(void) { return reserve(ONE); }',
        // a global named like a parameter, a type name in a cast, a global named like another function's local
        'static const SIZE_T n = 0x20000;',
        'typedef unsigned short bytes_t;',
        'static const bytes_t other_bytes = 1;',
        'void *f(void) { return VirtualAlloc(NULL, (bytes_t)0x13000, MEM_RESERVE, PAGE_NOACCESS); }',
        'static const SIZE_T span = 0x5000;',
        'void g1(void) { SIZE_T span = 1; (void)span; }',
        'void *g2(void) { return VirtualAlloc(NULL, span, MEM_RESERVE, PAGE_NOACCESS); }',
      ].join('\n'),
    );
    try {
      const run = (windowed: boolean) => lintPaths([], { ...defaultLintOptions(dir), windowed, concurrency: 'off' });
      const windowed = await run(true);
      const whole = await run(false);
      expect(windowed.findings).toEqual(whole.findings);
      expect(windowed.findings.map((f) => `${f.range.start.line} ${f.properties.size}`)).toEqual(['13 8193', '16 8192', '18 4096', '22 12288', '25 20480']);
      expect(windowed.notices).toEqual(whole.notices);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a file analysed in windows alone (--stdin, a big buffer in the language server)', () => {
  // No run's rounds collect macro names here: the window itself must keep the only use of a macro from a header
  // that calls VirtualAlloc, in a file big enough to have its file-level declarations windowed too.
  it('keeps the uses of a macro that calls an API, defined in a header the file includes', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-window-macro-'));
    try {
      fs.writeFileSync(path.join(dir, 'alloc.h'), '#define RESERVE(n) VirtualAlloc(NULL, (n), MEM_RESERVE, PAGE_NOACCESS)\n');
      const filler = Array.from({ length: UNITS_FROM / 16 }, (_, i) => `int v${String(i).padStart(6, '0')} = 1;\n`).join('');
      const text = `#include <windows.h>\n#include "alloc.h"\n${filler}void b(void) { RESERVE(4096); }\n`;
      expect(text.length).toBeGreaterThanOrEqual(UNITS_FROM);
      const file = path.join(dir, 'big.c');
      const options = defaultLintOptions(dir);
      const input = { file, text, options, headers: new HeaderCache() };
      const found = (lint: { findings: readonly Finding[] }) => lint.findings.map((f) => [f.range.start.line, f.message]);
      const line = text.split('\n').length - 1;
      expect(found(lintFileInWindows(input, []))).toEqual([
        [line, 'VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable'],
      ]);
      expect(found(lintFileInWindows(input, []))).toEqual(found(lintFile({ ...input, headers: new HeaderCache() })));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
