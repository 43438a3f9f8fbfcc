// granule's rules through ESLint's own RuleTester, wired to vitest.

import { RuleTester } from 'eslint';
import { afterAll, describe, it } from 'vitest';
import granule from '../../src/eslint/index.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;
RuleTester.afterAll = afterAll;

const c = new RuleTester({ plugins: { granule: granule as any }, language: 'granule/c' });
const cpp = new RuleTester({ plugins: { granule: granule as any }, language: 'granule/cpp' });
const rule = (id: string) => granule.rules[id] as any;

const HEAD = '#include <windows.h>\n';

c.run('virtualalloc-granularity', rule('virtualalloc-granularity'), {
  valid: [
    { filename: 'ok.c', code: HEAD + 'void f(void) { VirtualAlloc(NULL, 65536, MEM_RESERVE, PAGE_NOACCESS); }' },
    { filename: 'commit.c', code: HEAD + 'void f(void *p) { VirtualAlloc(p, 4096, MEM_COMMIT, PAGE_READWRITE); }' },
    { filename: 'dead.c', code: HEAD + '#if 0\nvoid f(void) { VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS); }\n#endif' },
    { filename: 'comment.c', code: HEAD + '// VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS);\nconst char *s = "VirtualAlloc(NULL, 4096, MEM_RESERVE, 4)";' },
  ],
  invalid: [
    {
      filename: 'leak.c',
      code: HEAD + 'void *f(void) {\n    return VirtualAlloc(NULL, 16384, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);\n}',
      output: HEAD + 'void *f(void) {\n    return VirtualAlloc(NULL, 65536, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);\n}',
      errors: [
        {
          message: 'VirtualAlloc reserves 16384 bytes (0x4000); 49152 bytes of its 64 KB granule become unusable',
          line: 3,
          column: 12,
          endLine: 3,
          endColumn: 79,
          suggestions: [
            {
              desc: 'Reserve 65536 bytes (0x10000), the next multiple of 64 KB',
              output: HEAD + 'void *f(void) {\n    return VirtualAlloc(NULL, 65536, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);\n}',
            },
          ],
        },
      ],
    },
    {
      // a macro-defined size: no autofix (the macro may be used elsewhere); the suggestion writes the rounded value at the call
      filename: 'macro.c',
      code: HEAD + '#define PAGE 0x1000\n#define ARENA (3 * PAGE)\nvoid f(void) { VirtualAlloc(NULL, ARENA, MEM_RESERVE, PAGE_NOACCESS); }',
      output: null,
      errors: [
        {
          message: 'VirtualAlloc reserves 12288 bytes (0x3000); 53248 bytes of its 64 KB granule become unusable',
          line: 4,
          column: 16,
          suggestions: [{ messageId: 'roundUp', output: HEAD + '#define PAGE 0x1000\n#define ARENA (3 * PAGE)\nvoid f(void) { VirtualAlloc(NULL, 0x10000, MEM_RESERVE, PAGE_NOACCESS); }' }],
        },
      ],
    },
    {
      // the x86 target: sizeof(void *) is 4
      filename: 'x86.c',
      code: HEAD + 'void f(void) { VirtualAlloc(NULL, 1024 * sizeof(void *), MEM_RESERVE, PAGE_NOACCESS); }',
      languageOptions: { target: 'x86' },
      output: null,
      errors: [
        {
          message: 'VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable',
          suggestions: [{ messageId: 'roundUp', output: HEAD + 'void f(void) { VirtualAlloc(NULL, 0x10000, MEM_RESERVE, PAGE_NOACCESS); }' }],
        },
      ],
    },
    {
      // defines from languageOptions decide #if branches
      filename: 'defines.c',
      code: HEAD + '#if BIG\n#define SIZE 0x20000\n#else\n#define SIZE 0x2000\n#endif\nvoid f(void) { VirtualAlloc(NULL, SIZE, MEM_RESERVE, PAGE_NOACCESS); }',
      languageOptions: { defines: { BIG: '0' } },
      output: null,
      errors: [{ message: 'VirtualAlloc reserves 8192 bytes (0x2000); 57344 bytes of its 64 KB granule become unusable', line: 7, suggestions: 1 }],
    },
  ],
});

cpp.run('virtualalloc-granularity (C++)', rule('virtualalloc-granularity'), {
  valid: [{ filename: 'ok.cpp', code: HEAD + 'constexpr SIZE_T kSize = 64 * 1024;\nvoid f() { ::VirtualAlloc(nullptr, kSize, MEM_RESERVE, PAGE_NOACCESS); }' }],
  invalid: [
    {
      filename: 'member.cpp',
      code: HEAD + "struct A { void *g() { return ::VirtualAlloc(nullptr, 1'024, MEM_RESERVE, PAGE_NOACCESS); } };",
      output: HEAD + "struct A { void *g() { return ::VirtualAlloc(nullptr, 65536, MEM_RESERVE, PAGE_NOACCESS); } };",
      errors: [{ message: 'VirtualAlloc reserves 1024 bytes (0x400); 61440 bytes of its 64 KB granule become unusable', line: 2, column: 33, suggestions: 1 }],
    },
  ],
});

c.run('large-page-size', rule('large-page-size'), {
  valid: [{ filename: 'ok.c', code: HEAD + 'void f(void) { VirtualAlloc(NULL, 0x200000, MEM_RESERVE | MEM_COMMIT | MEM_LARGE_PAGES, PAGE_READWRITE); }' }],
  invalid: [
    {
      filename: 'large.c',
      code: HEAD + 'void f(void) { VirtualAlloc(NULL, 0x100000, MEM_RESERVE | MEM_COMMIT | MEM_LARGE_PAGES, PAGE_READWRITE); }',
      output: HEAD + 'void f(void) { VirtualAlloc(NULL, 0x200000, MEM_RESERVE | MEM_COMMIT | MEM_LARGE_PAGES, PAGE_READWRITE); }',
      errors: [
        {
          message:
            'VirtualAlloc with MEM_LARGE_PAGES asks for 1048576 bytes (0x100000), not a multiple of the 2 MB large-page minimum; the call fails with ERROR_INVALID_PARAMETER',
          suggestions: 1,
        },
      ],
    },
    {
      // the option: a 4 MB minimum
      filename: 'option.c',
      code: HEAD + 'void f(void) { VirtualAlloc(NULL, 0x200000, MEM_RESERVE | MEM_COMMIT | MEM_LARGE_PAGES, PAGE_READWRITE); }',
      options: [{ largePageMinimum: 4 * 1024 * 1024 }],
      output: HEAD + 'void f(void) { VirtualAlloc(NULL, 0x400000, MEM_RESERVE | MEM_COMMIT | MEM_LARGE_PAGES, PAGE_READWRITE); }',
      errors: [
        {
          message:
            'VirtualAlloc with MEM_LARGE_PAGES asks for 2097152 bytes (0x200000), not a multiple of the 4 MB large-page minimum; the call fails with ERROR_INVALID_PARAMETER',
          suggestions: 1,
        },
      ],
    },
  ],
});

c.run('mapview-granularity', rule('mapview-granularity'), {
  valid: [{ filename: 'ok.c', code: HEAD + 'void f(HANDLE h) { MapViewOfFile(h, FILE_MAP_READ, 0, 0x10000, 0); }' }],
  invalid: [
    {
      filename: 'view.c',
      code: HEAD + 'void f(HANDLE h) { MapViewOfFile(h, FILE_MAP_READ, 0, 0, 5000); }',
      errors: [{ message: 'MapViewOfFile maps a view of 5000 bytes (0x1388); 57344 bytes of its last 64 KB granule become unusable', line: 2, column: 20 }],
    },
  ],
});

c.run('unresolved-allocation-size', rule('unresolved-allocation-size'), {
  valid: [{ filename: 'ok.c', code: HEAD + 'void f(void) { VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS); }' }],
  invalid: [
    {
      filename: 'param.c',
      code: HEAD + 'void *f(SIZE_T n) { return VirtualAlloc(NULL, n * 3 + 1, MEM_RESERVE, PAGE_NOACCESS) ; }\nvoid *g(SIZE_T n);',
      errors: [{ messageId: 'unresolved', line: 2, column: 28 }],
    },
  ],
});
