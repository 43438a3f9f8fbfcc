// The ESLint plugin's rules (granule/eslint) through ESLint's own RuleTester: what an ESLint user configures is
// the rules of src/rules (each tested case by case in test/rules/<rule-id>.test.ts), made with typescript-eslint's
// RuleCreator, run on the plugin's languages with their language options, and held to granule's disable comments.

import { describe, expect, it } from 'vitest';
import granule from '../../src/eslint/index.js';
import { rules } from '../../src/rules/index.js';
import { c, cpp, HEAD } from '../helpers/rule-tester.js';

const rule = (id: string) => granule.rules[id] as any;

describe('the plugin’s rules', () => {
  it('are the rules of src/rules, with their messages, schemas, default options and docs URL', () => {
    expect(Object.keys(granule.rules)).toEqual(rules.map((r) => r.name));
    for (const spec of rules) {
      const { meta } = granule.rules[spec.name]!;
      expect([meta?.messages, meta?.schema, meta?.defaultOptions, meta?.fixable, meta?.hasSuggestions]).toEqual([
        spec.meta.messages,
        spec.meta.schema,
        spec.meta.defaultOptions,
        spec.meta.fixable,
        spec.meta.hasSuggestions,
      ]);
      expect(meta?.docs?.url).toBe(`https://github.com/granule-lint/granule/blob/main/docs/rules/${spec.name}.md`);
    }
  });
});

c.run('virtualalloc-granularity (plugin, C)', rule('virtualalloc-granularity'), {
  valid: [
    { filename: 'ok.c', code: HEAD + 'void f(void) { VirtualAlloc(NULL, 65536, MEM_RESERVE, PAGE_NOACCESS); }' },
    {
      // the plugin honours granule's own disable comments, as the command line does
      filename: 'disabled.c',
      code:
        HEAD + 'void f(void) {\n  // granule-disable-next-line virtualalloc-granularity -- known\n  VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS);\n}',
    },
  ],
  invalid: [
    {
      filename: 'leak.c',
      code: HEAD + 'void *f(void) {\n    return VirtualAlloc(NULL, 16384, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);\n}',
      output: HEAD + 'void *f(void) {\n    return VirtualAlloc(NULL, 65536, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);\n}',
      errors: [
        {
          message:
            'VirtualAlloc reserves 16384 bytes (0x4000); 49152 bytes of its 64 KB granule become unusable; it is kept: its address is returned to the caller',
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
      // languageOptions.target: on x86, sizeof(void *) is 4
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
      // languageOptions.defines decide #if branches
      filename: 'defines.c',
      code: HEAD + '#if BIG\n#define SIZE 0x20000\n#else\n#define SIZE 0x2000\n#endif\nvoid f(void) { VirtualAlloc(NULL, SIZE, MEM_RESERVE, PAGE_NOACCESS); }',
      languageOptions: { defines: { BIG: '0' } },
      output: null,
      errors: [{ message: 'VirtualAlloc reserves 8192 bytes (0x2000); 57344 bytes of its 64 KB granule become unusable', line: 7, suggestions: 1 }],
    },
    {
      // a disable comment for another rule leaves this one on
      filename: 'other-rule.c',
      code: HEAD + 'void f(void) {\n  // granule-disable-next-line mapview-granularity\n  VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS);\n}',
      output: HEAD + 'void f(void) {\n  // granule-disable-next-line mapview-granularity\n  VirtualAlloc(NULL, 65536, MEM_RESERVE, PAGE_NOACCESS);\n}',
      errors: [{ messageId: 'wastesGranule', line: 4, suggestions: 1 }],
    },
  ],
});

cpp.run('virtualalloc-granularity (plugin, C++)', rule('virtualalloc-granularity'), {
  valid: [{ filename: 'ok.cpp', code: HEAD + 'constexpr SIZE_T kSize = 64 * 1024;\nvoid f() { ::VirtualAlloc(nullptr, kSize, MEM_RESERVE, PAGE_NOACCESS); }' }],
  invalid: [
    {
      filename: 'member.cpp',
      code: HEAD + "struct A { void *g() { return ::VirtualAlloc(nullptr, 1'024, MEM_RESERVE, PAGE_NOACCESS); } };",
      output: HEAD + 'struct A { void *g() { return ::VirtualAlloc(nullptr, 65536, MEM_RESERVE, PAGE_NOACCESS); } };',
      errors: [
        {
          message:
            'VirtualAlloc reserves 1024 bytes (0x400); 61440 bytes of its 64 KB granule become unusable; it is kept: its address is returned to the caller',
          line: 2,
          column: 33,
          suggestions: 1,
        },
      ],
    },
  ],
});

c.run('large-page-size (plugin: options reach the rule)', rule('large-page-size'), {
  valid: [{ filename: 'ok.c', code: HEAD + 'void f(void) { VirtualAlloc(NULL, 0x200000, MEM_RESERVE | MEM_COMMIT | MEM_LARGE_PAGES, PAGE_READWRITE); }' }],
  invalid: [
    {
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

c.run('mapview-granularity (plugin)', rule('mapview-granularity'), {
  valid: [{ filename: 'ok.c', code: HEAD + 'void f(HANDLE h) { MapViewOfFile(h, FILE_MAP_READ, 0, 0x10000, 0); }' }],
  invalid: [
    {
      filename: 'view.c',
      code: HEAD + 'void f(HANDLE h) { MapViewOfFile(h, FILE_MAP_READ, 0, 0, 5000); }',
      errors: [{ message: 'MapViewOfFile maps a view of 5000 bytes (0x1388); 57344 bytes of its last 64 KB granule become unusable', line: 2, column: 20 }],
    },
  ],
});

c.run('unresolved-allocation-size (plugin)', rule('unresolved-allocation-size'), {
  valid: [{ filename: 'ok.c', code: HEAD + 'void f(void) { VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS); }' }],
  invalid: [
    {
      filename: 'param.c',
      code: HEAD + 'void *f(SIZE_T n) { return VirtualAlloc(NULL, n * 3 + 1, MEM_RESERVE, PAGE_NOACCESS) ; }\nvoid *g(SIZE_T n);',
      errors: [{ messageId: 'unresolved', line: 2, column: 28 }],
    },
  ],
});
