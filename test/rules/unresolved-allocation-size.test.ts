// unresolved-allocation-size (GR4, off by default, on in granule:strict): a reservation whose size granule could
// not prove, with the reason, for audits and coverage. No fix: there is no number to write.

import rule from '../../src/rules/unresolved-allocation-size.js';
import { asTested, c, HEAD } from '../helpers/rule-tester.js';

const unproven = (api: string, reason: string) => `${api}'s size could not be proven: ${reason}`;

c.run('unresolved-allocation-size', asTested(rule), {
  valid: [
    { name: 'a constant size (the other rules judge it)', code: `${HEAD}void f(void) { VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS); }` },
    { name: 'a commit inside a reservation made elsewhere', code: `${HEAD}void f(void *p, SIZE_T n) { VirtualAlloc(p, n, MEM_COMMIT, PAGE_READWRITE); }` },
    { name: 'a file view (not a reservation)', code: `${HEAD}void f(HANDLE h, SIZE_T n) { MapViewOfFile(h, FILE_MAP_READ, 0, 0, n); }` },
  ],
  invalid: [
    {
      name: 'a parameter: named with its function',
      code: `${HEAD}void *f(SIZE_T n) { return VirtualAlloc(NULL, n * 3 + 1, MEM_RESERVE, PAGE_NOACCESS) ; }\nvoid *g(SIZE_T n);`,
      output: null,
      errors: [{ message: unproven('VirtualAlloc', "depends on parameter 'n' of f"), line: 2, column: 28, endLine: 2, endColumn: 85, suggestions: [] }],
    },
    {
      name: 'a function call',
      code: `${HEAD}SIZE_T size_of_arena(void);\nvoid f(void) { VirtualAlloc(NULL, size_of_arena(), MEM_RESERVE, PAGE_NOACCESS); }`,
      errors: [{ messageId: 'unresolved', data: { api: 'VirtualAlloc', reason: 'calls size_of_arena()' }, line: 3, column: 16, endColumn: 79 }],
    },
    {
      name: 'a global that may change',
      code: `${HEAD}extern SIZE_T g_size;\nvoid f(void) { VirtualAlloc(NULL, g_size, MEM_RESERVE, PAGE_NOACCESS); }`,
      errors: [{ message: unproven('VirtualAlloc', 'g_size is a variable that may change'), line: 3, column: 16, endColumn: 70 }],
    },
    {
      name: 'a name defined nowhere granule can see',
      code: `${HEAD}void f(void) { VirtualAlloc(NULL, ARENA_SIZE, MEM_RESERVE, PAGE_NOACCESS); }`,
      errors: [{ message: unproven('VirtualAlloc', 'the value of ARENA_SIZE is not known'), line: 2, column: 16, endColumn: 74 }],
    },
    {
      name: 'flags that are not known either: the call may reserve',
      code: `${HEAD}void f(void *p, SIZE_T n, DWORD how) { VirtualAlloc(p, n, how, PAGE_READWRITE); }`,
      errors: [{ message: unproven('VirtualAlloc', "depends on parameter 'n' of f"), column: 40, endColumn: 79 }],
    },
    {
      name: 'VirtualAllocEx',
      code: `${HEAD}void f(HANDLE p, SIZE_T n) { VirtualAllocEx(p, NULL, n, MEM_RESERVE, PAGE_NOACCESS); }`,
      errors: [{ message: unproven('VirtualAllocEx', "depends on parameter 'n' of f"), line: 2, column: 30, endColumn: 84 }],
    },
  ],
});
