// sizeof, alignof and offsetof measured through the types a file and its headers declare: the value per target,
// the evidence step that says how it was measured, and the reason when it cannot be.

import { describe, expect, it } from 'vitest';
import { analyzeFile, type AnalysisOptions } from '../../../src/engine/analysis/analyze.js';
import { HeaderTypes } from '../../../src/engine/analysis/header-types.js';
import { targetModel } from '../../../src/engine/model/target.js';
import type { Target } from '../../../src/engine/model/types.js';

function analyze(text: string, target: Target = 'x64', headers: Record<string, string> = {}, file = '/src/a.c') {
  const readFile = (file: string) => headers[file.split('/').pop()!];
  const options: AnalysisOptions = {
    model: targetModel(target),
    defines: {},
    undefines: [],
    includePaths: [],
    forceIncludes: [],
    readFile,
    headerTypes: new HeaderTypes(readFile).source,
  };
  return analyzeFile(file, text, options, { wrappers: new Map() });
}

/** The size of the single VirtualAlloc call in `body`, and its evidence messages. */
function sizeOf(declarations: string, size: string, target: Target = 'x64', headers: Record<string, string> = {}, file?: string) {
  const { calls } = analyze(`${declarations}\nvoid f(void) { VirtualAlloc(0, ${size}, MEM_RESERVE, PAGE_NOACCESS); }\n`, target, headers, file);
  const call = calls[0]!;
  const value = call.size.value;
  return { value: value.known ? value.value : value.reason, evidence: call.evidence.map((e) => e.message) };
}

const THUNK = '#pragma pack(push, 1)\nstruct thunk { unsigned char op; void *target; unsigned short jmp; void *back; };\n#pragma pack(pop)\n';

describe('sizeof through declared types', () => {
  it('measures a packed struct per target and says how', () => {
    expect(sizeOf(THUNK, 'sizeof(struct thunk)')).toEqual({ value: 19n, evidence: ['sizeof(struct thunk) = 19 (#pragma pack 1)'] });
    expect(sizeOf(THUNK, 'sizeof(struct thunk)', 'x86').value).toBe(11n);
  });

  it('types *p, p->m and a[i] from the declarations in scope', () => {
    const decls = `${THUNK}struct thunk *g_p; struct thunk g_a[4];`;
    expect(sizeOf(decls, '4096 * sizeof(*g_p)')).toEqual({ value: 77824n, evidence: ['sizeof(*g_p) = 19 (struct thunk, #pragma pack 1)'] });
    expect(sizeOf(decls, 'sizeof g_p->jmp').value).toBe(2n);
    expect(sizeOf(decls, 'sizeof(g_a)').value).toBe(76n);
    expect(sizeOf(decls, 'sizeof(g_a[1].target)', 'x86').value).toBe(4n);
  });

  it('counts an array from its initializer list or its string literal', () => {
    expect(sizeOf('static const short g_t[] = { 1, 2, 3 };', 'sizeof(g_t)')).toEqual({ value: 6n, evidence: ['sizeof(g_t) = 6 (short[3])'] });
    expect(sizeOf('static const char g_s[] = "abc" "de";', 'sizeof(g_s)').value).toBe(6n);
  });

  it('follows typedef chains and pointer typedefs', () => {
    const decls = 'typedef struct _E { void *a; int b; } E, *PE; typedef E E2;';
    expect(sizeOf(decls, 'sizeof(E2)').value).toBe(16n);
    expect(sizeOf(decls, 'sizeof(E2)', 'x86').value).toBe(8n);
    expect(sizeOf(decls, 'sizeof(PE)').value).toBe(8n);
    expect(sizeOf(decls, 'sizeof(PE)', 'x86').value).toBe(4n);
  });

  it('finds a struct and its pack in an included header', () => {
    const headers = { 'rec.h': '#include <pshpack2.h>\nstruct rec { short a; int b; };\n#include <poppack.h>\n#define COUNT 4096\n' };
    expect(sizeOf('#include "rec.h"', 'COUNT * sizeof(struct rec)', 'x64', headers)).toEqual({
      value: 24576n,
      evidence: ['size COUNT * sizeof(struct rec) expands through COUNT', 'sizeof(struct rec) = 6 (#pragma pack 2)'],
    });
  });

  it('measures alignof, offsetof and element counts', () => {
    const decls = 'struct h { char c; double d; int data[12]; }; static int g_n[] = { 1, 2, 3, 4, 5 };';
    expect(sizeOf(decls, '__alignof__(struct h)').value).toBe(8n);
    expect(sizeOf(decls, 'offsetof(struct h, data)').value).toBe(16n);
    expect(sizeOf(decls, 'UFIELD_OFFSET(struct h, data[2])').value).toBe(24n);
    expect(sizeOf(decls, 'RTL_SIZEOF_THROUGH_FIELD(struct h, d)').value).toBe(16n);
    expect(sizeOf(decls, 'ARRAYSIZE(g_n) * 4096')).toEqual({ value: 20480n, evidence: ['ARRAYSIZE(g_n) = 5 (int[5])'] });
  });

  it('names the type and why when it cannot be measured', () => {
    expect(sizeOf('struct opaque; struct opaque *g_o;', 'sizeof(*g_o)').value).toBe(
      'size of struct opaque is not known: struct opaque is declared but never defined',
    );
    expect(sizeOf('', 'sizeof(struct nowhere)').value).toBe(
      'size of struct nowhere is not known: struct nowhere is not declared in the sources or their headers',
    );
    expect(sizeOf('struct s { int a; } g_s;', 'sizeof(g_s.b)').value).toBe('struct s has no member b');
  });
});

describe('offsetof of a member designator', () => {
  // offsets: x 0, inner 4 (a 4, b 8), buf 20, arr 60 (each In is 16 bytes)
  const DECLS = 'struct In { int a; int b[3]; };\nstruct S { int x; struct In inner; char buf[40]; struct In arr[4]; };\n#define K 2\n';

  it('walks nested members and subscripts that are constant expressions', () => {
    expect(sizeOf(DECLS, 'offsetof(struct S, inner.b[2]) * 4096')).toEqual({ value: 65536n, evidence: ['offsetof(struct S, inner.b[2]) = 16'] });
    expect(sizeOf(DECLS, 'offsetof(struct S, buf[K])').value).toBe(22n);
    expect(sizeOf(DECLS, 'offsetof(struct S, arr[K - 1].b[1])')).toEqual({
      value: 84n,
      evidence: ['size offsetof(struct S, arr[K - 1].b[1]) expands through K', 'offsetof(struct S, arr[2-1].b[1]) = 84'],
    });
    expect(sizeOf(DECLS, 'FIELD_OFFSET(struct S, inner.a)').value).toBe(4n);
    expect(sizeOf(DECLS, 'RTL_FIELD_SIZE(struct S, arr[1])').value).toBe(16n);
    expect(sizeOf(DECLS, 'RTL_SIZEOF_THROUGH_FIELD(struct S, arr[1])')).toEqual({ value: 92n, evidence: ['RTL_SIZEOF_THROUGH_FIELD(struct S, arr[1]) = 92'] });
  });

  it('reads the call around one as a call, in C and in C++', () => {
    const { calls, errorCount } = analyze(`${DECLS}void f(void) {\n  VirtualAlloc(0, offsetof(struct S, arr[K].a) * 4096, MEM_RESERVE, PAGE_NOACCESS);\n}\n`);
    expect(errorCount).toBe(0);
    expect(calls.map((c) => [c.range.start.line, c.callText, c.size.value])).toEqual([
      [5, 'VirtualAlloc(0, offsetof(struct S, arr[K].a) * 4096, MEM_RESERVE, PAGE_NOACCESS)', { known: true, value: 376832n }],
    ]);
    const cpp = analyze(
      `${DECLS}void f() {\n  VirtualAlloc(nullptr, offsetof(S, inner.b[K]) * 4096, MEM_RESERVE, PAGE_NOACCESS);\n}\n`,
      'x64',
      {},
      '/src/a.cpp',
    );
    expect(cpp.errorCount).toBe(0);
    expect(cpp.calls.map((c) => c.size.value)).toEqual([{ known: true, value: 65536n }]);
  });

  it('measures the null-pointer member address that headers define offsetof and RTL_FIELD_SIZE as', () => {
    const wine = `${DECLS}#define NULL ((void *)0)\n#define OFFSET(s,m) (size_t)((ptrdiff_t)&(((s*)NULL)->m))\n#define FIELD_SIZE(t, f) (sizeof(((t *)0)->f))\n`;
    expect(sizeOf(wine, 'OFFSET(struct S, arr[3].b[1])').value).toBe(116n);
    expect(sizeOf(wine, 'OFFSET(struct S, buf)')).toEqual({
      value: 20n,
      evidence: ['size OFFSET(struct S, buf) expands through OFFSET → NULL', 'offsetof(struct S, buf) = 20'],
    });
    expect(sizeOf(wine, 'FIELD_SIZE(struct S, arr)').value).toBe(64n);
    const msvc = `${DECLS}#define OFFSET(s,m) ((::size_t)&reinterpret_cast<char const volatile&>((((s*)0)->m)))\n`;
    expect(sizeOf(msvc, 'OFFSET(S, inner.b[1])', 'x64', {}, '/src/a.cpp').value).toBe(12n);
    // any other address is not a size
    expect(sizeOf('static int g;', '(size_t)&g').value).toBe('an address is not a constant size');
    expect(sizeOf(DECLS, '(size_t)&((struct S *)4096)->buf').value).toBe('an address is not a constant size');
  });
});

describe('definitions granule cannot choose between', () => {
  it('leave the size unknown when #if branches it cannot decide define a type differently', () => {
    // (project macros no definition decides: a compiler's own, such as __i386__, are decided by the configuration)
    const decls = '#ifdef USE_NARROW\nstruct t { char a; int b; };\n#elif defined(USE_WIDE)\nstruct t { char a; void *b; };\n#endif\n';
    expect(sizeOf(decls, 'sizeof(struct t)').value).toBe('size of struct t is not known: struct t has 2 different definitions under #if branches not decided');
  });

  it('leave an array with a bound it cannot evaluate unknown, never a flexible array', () => {
    expect(sizeOf('struct p { int a; char name[UNKNOWN_BOUND]; };', 'sizeof(struct p)').value).toBe(
      'size of struct p is not known: member name of struct p: the bound UNKNOWN_BOUND of an array of char is not known',
    );
  });
});

describe('definitions that agree', () => {
  it('measure when #if branches define a type in different words with one layout', () => {
    const decls = '#ifdef _LP64\ntypedef unsigned int U32;\n#else\ntypedef unsigned long U32;\n#endif\n';
    expect(sizeOf(decls, 'sizeof(U32) * 4096').value).toBe(16384n);
  });
});
