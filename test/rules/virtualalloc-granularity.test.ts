// virtualalloc-granularity (GR1): a reservation whose constant size leaves part of its 64 KB granule unusable.
// The fix rounds a literal up in its own style; a size written with a macro gets a suggestion only.

import rule from '../../src/rules/virtualalloc-granularity.js';
import { asTested, c, cpp, HEAD } from '../helpers/rule-tester.js';

/** `void f(void) { <call> }` on line 2: the call starts at column 16. */
const inF = (call: string) => `${HEAD}void f(void) { ${call}; }`;
const reserve = (size: string) => inF(`VirtualAlloc(NULL, ${size}, MEM_RESERVE, PAGE_NOACCESS)`);
/** The call's end column on line 2, for `reserve(size)`. */
const endOf = (size: string) => 16 + `VirtualAlloc(NULL, ${size}, MEM_RESERVE, PAGE_NOACCESS)`.length;

c.run('virtualalloc-granularity', asTested(rule), {
  valid: [
    { name: 'a whole granule', code: reserve('65536') },
    { name: 'a multiple of 64 KB', code: reserve('0x30000') },
    // the region ends at the next page boundary: 65532 bytes still fill the granule exactly
    { name: 'a size that ends on the granule’s last page', code: reserve('65532') },
    { name: 'size 0 (the call fails; nothing is reserved)', code: reserve('0') },
    { name: 'a size that is not a constant', code: `${HEAD}void *f(SIZE_T n) { return VirtualAlloc(NULL, n, MEM_RESERVE, PAGE_NOACCESS); }` },
    { name: 'a commit inside a reservation made elsewhere', code: `${HEAD}void f(void *p) { VirtualAlloc(p, 4096, MEM_COMMIT, PAGE_READWRITE); }` },
    {
      name: 'MEM_LARGE_PAGES (large-page-size checks those)',
      code: inF('VirtualAlloc(NULL, 0x100000, MEM_RESERVE | MEM_COMMIT | MEM_LARGE_PAGES, PAGE_READWRITE)'),
    },
    {
      name: 'a reservation released on every path, with transient: off',
      code: `${HEAD}void f(void) { void *p = VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS); VirtualFree(p, 0, MEM_RELEASE); }`,
      options: [{ transient: 'off' }],
    },
    { name: 'a file view (mapview-granularity checks those)', code: `${HEAD}void f(HANDLE h) { MapViewOfFile(h, FILE_MAP_READ, 0, 0, 4096); }` },
    { name: 'code in an inactive #if branch', code: `${HEAD}#if 0\nvoid f(void) { VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS); }\n#endif` },
    {
      name: 'a call in a comment or a string',
      code: `${HEAD}// VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS);\nconst char *s = "VirtualAlloc(NULL, 4096, MEM_RESERVE, 4)";`,
    },
  ],
  invalid: [
    {
      name: 'a reservation released on every path: its own message (granule reports it at most as a warning)',
      code: `${HEAD}void f(void) { void *p = VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS); VirtualFree(p, 0, MEM_RELEASE); }`,
      output: `${HEAD}void f(void) { void *p = VirtualAlloc(NULL, 65536, MEM_RESERVE, PAGE_NOACCESS); VirtualFree(p, 0, MEM_RELEASE); }`,
      errors: [
        {
          message:
            'VirtualAlloc reserves 4096 bytes (0x1000), 61440 bytes of its 64 KB granule unusable while it lives; it is released on every path before the function returns, so it does not hold the address space',
          suggestions: 1,
        },
      ],
    },
    {
      name: 'a reservation released on one path only: the usual message, whatever the option',
      code: `${HEAD}void f(int c) { void *p = VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS); if (c) return; VirtualFree(p, 0, MEM_RELEASE); }`,
      output: `${HEAD}void f(int c) { void *p = VirtualAlloc(NULL, 65536, MEM_RESERVE, PAGE_NOACCESS); if (c) return; VirtualFree(p, 0, MEM_RELEASE); }`,
      options: [{ transient: 'off' }],
      errors: [
        {
          message: 'VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable',
          suggestions: 1,
        },
      ],
    },
    {
      name: 'a decimal literal: rounded up in decimal',
      code: reserve('16384'),
      output: reserve('65536'),
      errors: [
        {
          messageId: 'wastesGranule',
          data: { api: 'VirtualAlloc', size: '16384 bytes', hex: '0x4000', unusable: '49152', rounded: '65536', roundedHex: '0x10000', lifetime: '' },
          line: 2,
          column: 16,
          endLine: 2,
          endColumn: endOf('16384'),
          suggestions: [{ desc: 'Reserve 65536 bytes (0x10000), the next multiple of 64 KB', output: reserve('65536') }],
        },
      ],
    },
    {
      name: 'one byte: the message says "1 byte"',
      code: reserve('1'),
      output: reserve('65536'),
      errors: [
        {
          message: 'VirtualAlloc reserves 1 byte (0x1); 61440 bytes of its 64 KB granule become unusable',
          line: 2,
          column: 16,
          endColumn: endOf('1'),
          suggestions: 1,
        },
      ],
    },
    {
      name: 'a hex literal stays hex',
      code: reserve('0x3000'),
      output: reserve('0x10000'),
      errors: [
        {
          messageId: 'wastesGranule',
          data: { api: 'VirtualAlloc', size: '12288 bytes', hex: '0x3000', unusable: '53248', rounded: '65536', roundedHex: '0x10000', lifetime: '' },
          suggestions: 1,
        },
      ],
    },
    {
      name: 'past the first granule: the last granule is the one that wastes, and the suffix is kept',
      code: reserve('0x1a000u'),
      output: reserve('0x20000u'),
      errors: [
        {
          messageId: 'wastesLastGranule',
          data: { api: 'VirtualAlloc', size: '106496 bytes', hex: '0x1A000', unusable: '24576', rounded: '131072', roundedHex: '0x20000', lifetime: '' },
          suggestions: [{ messageId: 'roundUp', data: { rounded: '131072', roundedHex: '0x20000' }, output: reserve('0x20000u') }],
        },
      ],
    },
    {
      name: 'a product keeps its unit: 4 * 1024 becomes 64 * 1024',
      code: reserve('4 * 1024'),
      output: reserve('64 * 1024'),
      errors: [
        {
          messageId: 'wastesGranule',
          line: 2,
          column: 16,
          endColumn: endOf('4 * 1024'),
          suggestions: [{ messageId: 'roundUp', output: reserve('64 * 1024') }],
        },
      ],
    },
    {
      name: 'a shift keeps its unit: 16 << 10 becomes 64 << 10',
      code: reserve('16 << 10'),
      output: reserve('64 << 10'),
      errors: [{ message: 'VirtualAlloc reserves 16384 bytes (0x4000); 49152 bytes of its 64 KB granule become unusable', suggestions: 1 }],
    },
    {
      name: 'an octal literal: no fix (its style cannot be kept), a suggestion in hex',
      code: reserve('010000'),
      output: null,
      errors: [{ messageId: 'wastesGranule', suggestions: [{ messageId: 'roundUp', output: reserve('0x10000') }] }],
    },
    {
      name: 'a size written with macros: no fix (the macro may be used elsewhere), a suggestion at the call',
      code: `${HEAD}#define PAGE 0x1000\n#define ARENA (3 * PAGE)\nvoid f(void) { VirtualAlloc(NULL, ARENA, MEM_RESERVE, PAGE_NOACCESS); }`,
      output: null,
      errors: [
        {
          message: 'VirtualAlloc reserves 12288 bytes (0x3000); 53248 bytes of its 64 KB granule become unusable',
          line: 4,
          column: 16,
          suggestions: [
            {
              messageId: 'roundUp',
              output: `${HEAD}#define PAGE 0x1000\n#define ARENA (3 * PAGE)\nvoid f(void) { VirtualAlloc(NULL, 0x10000, MEM_RESERVE, PAGE_NOACCESS); }`,
            },
          ],
        },
      ],
    },
    {
      name: 'MEM_COMMIT at no address reserves too',
      code: inF('VirtualAlloc(NULL, 4096, MEM_COMMIT, PAGE_READWRITE)'),
      output: inF('VirtualAlloc(NULL, 65536, MEM_COMMIT, PAGE_READWRITE)'),
      errors: [
        {
          message: 'VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable',
          column: 16,
          endColumn: 68,
          suggestions: 1,
        },
      ],
    },
    {
      name: 'VirtualAllocEx: the size is its third argument',
      code: `${HEAD}void f(HANDLE p) { VirtualAllocEx(p, NULL, 8192, MEM_RESERVE, PAGE_NOACCESS); }`,
      output: `${HEAD}void f(HANDLE p) { VirtualAllocEx(p, NULL, 65536, MEM_RESERVE, PAGE_NOACCESS); }`,
      errors: [
        {
          message: 'VirtualAllocEx reserves 8192 bytes (0x2000); 57344 bytes of its 64 KB granule become unusable',
          line: 2,
          column: 20,
          endLine: 2,
          endColumn: 77,
          suggestions: 1,
        },
      ],
    },
    {
      name: 'NtAllocateVirtualMemory: the size is read through its pointer, so there is nothing to fix at the call',
      code: `${HEAD}void f(HANDLE p) { PVOID base = NULL; SIZE_T size = 8192; NtAllocateVirtualMemory(p, &base, 0, &size, MEM_RESERVE, PAGE_NOACCESS); }`,
      output: null,
      errors: [
        {
          message: 'NtAllocateVirtualMemory reserves 8192 bytes (0x2000); 57344 bytes of its 64 KB granule become unusable',
          line: 2,
          column: 59,
          endColumn: 130,
          suggestions: [],
        },
      ],
    },
  ],
});

cpp.run('virtualalloc-granularity (C++)', asTested(rule), {
  valid: [
    {
      name: 'a constexpr multiple of 64 KB',
      code: `${HEAD}constexpr SIZE_T kSize = 64 * 1024;\nvoid f() { ::VirtualAlloc(nullptr, kSize, MEM_RESERVE, PAGE_NOACCESS); }`,
    },
  ],
  invalid: [
    {
      name: 'a member function, a digit separator',
      code: `${HEAD}struct A { void *g() { return ::VirtualAlloc(nullptr, 1'024, MEM_RESERVE, PAGE_NOACCESS); } };`,
      output: `${HEAD}struct A { void *g() { return ::VirtualAlloc(nullptr, 65536, MEM_RESERVE, PAGE_NOACCESS); } };`,
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
