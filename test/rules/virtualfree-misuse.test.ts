// virtualfree-misuse (GR5): VirtualFree/VirtualFreeEx calls that fail (MEM_RELEASE with a size: MSVC C6333;
// MEM_RELEASE with MEM_DECOMMIT: C6331) or decommit a reservation their function never releases (C6250).
// RuleTester cases first, then the levels and messages through the engine on test/fixtures/virtualfree.

import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultLintOptions, lintPaths } from '../../src/engine/runner/lint.js';
import rule from '../../src/rules/virtualfree-misuse.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { asTested, c, HEAD } from '../helpers/rule-tester.js';

/** `void f(void *p) { VirtualFree(p, size, type); }` on line 2: the call starts at column 19. */
const free = (size: string, type: string) => `${HEAD}void f(void *p) { VirtualFree(p, ${size}, ${type}); }`;
const endOf = (size: string, type: string) => 19 + `VirtualFree(p, ${size}, ${type})`.length;
const reserved = (...body: string[]) =>
  `${HEAD}void f(void)\n{\n    char *p = VirtualAlloc(NULL, 0x100000, MEM_RESERVE, PAGE_NOACCESS);\n${body.map((l) => `    ${l}\n`).join('')}}\n`;

c.run('virtualfree-misuse', asTested(rule), {
  valid: [
    { name: 'MEM_RELEASE with size 0', code: free('0', 'MEM_RELEASE') },
    { name: 'MEM_DECOMMIT with a size', code: free('0x1000', 'MEM_DECOMMIT') },
    { name: 'a size that is not a constant', code: `${HEAD}void f(void *p, SIZE_T n) { VirtualFree(p, n, MEM_RELEASE); }` },
    { name: 'a free type that is not a constant', code: `${HEAD}void f(void *p, DWORD t) { VirtualFree(p, 0x1000, t); }` },
    { name: 'splitting a placeholder takes a size', code: free('0x10000', 'MEM_RELEASE | MEM_PRESERVE_PLACEHOLDER') },
    { name: 'a decommit followed by the release', code: reserved('VirtualFree(p, 0x1000, MEM_DECOMMIT);', 'VirtualFree(p, 0, MEM_RELEASE);') },
    { name: 'a decommit of a reservation that is kept', code: `${HEAD}char *g;\n` + reserved('g = p;', 'VirtualFree(p, 0x1000, MEM_DECOMMIT);') },
    { name: 'a decommit of an address passed on', code: `${HEAD}void done(char *);\n` + reserved('VirtualFree(p, 0x1000, MEM_DECOMMIT);', 'done(p);') },
    { name: 'a decommit of an address the function was given', code: free('0x100000', 'MEM_DECOMMIT') },
    { name: 'a member function named VirtualFree is not the API', code: `${HEAD}void f(struct pool *o, void *p) { o->VirtualFree(p, 4096, MEM_RELEASE); }` },
  ],
  invalid: [
    {
      name: 'MEM_RELEASE with a size (C6333)',
      code: free('0x10000', 'MEM_RELEASE'),
      errors: [
        {
          message:
            'VirtualFree with MEM_RELEASE is given a size of 65536 bytes (0x10000); MEM_RELEASE needs size 0, so the call fails with ERROR_INVALID_PARAMETER and the address space stays reserved (MSVC C6333)',
          line: 2,
          column: 19,
          endLine: 2,
          endColumn: endOf('0x10000', 'MEM_RELEASE'),
        },
      ],
    },
    {
      name: 'MEM_RELEASE with MEM_DECOMMIT (C6331)',
      code: free('0', 'MEM_DECOMMIT | MEM_RELEASE'),
      errors: [
        {
          message:
            'VirtualFree combines MEM_RELEASE with MEM_DECOMMIT; the call fails with ERROR_INVALID_PARAMETER and frees nothing (MSVC C6331). MEM_RELEASE alone decommits and releases',
          column: 19,
        },
      ],
    },
    {
      name: 'VirtualFreeEx, with the numbers of the constants',
      code: `${HEAD}void f(HANDLE h, void *p) { VirtualFreeEx(h, p, 4096, 0x8000); }`,
      errors: [{ messageId: 'releaseWithSize', data: { api: 'VirtualFreeEx', size: '4096 bytes', hex: '0x1000' }, column: 29 }],
    },
    {
      name: 'a decommit and no release of the same function (C6250)',
      code: reserved('p[0] = 1;', 'VirtualFree(p, 0x100000, MEM_DECOMMIT);'),
      errors: [
        {
          message: 'VirtualFree decommits p but f never releases it: the reservation made on line 4 keeps its address space (MSVC C6250)',
          line: 6,
          column: 5,
        },
      ],
    },
  ],
});

describe('virtualfree-misuse through the engine, on test/fixtures/virtualfree', () => {
  it('reports the failing calls and the kept reservations, all at the rule level (error)', async () => {
    const dir = path.join(FIXTURES, 'virtualfree');
    const r = await lintPaths([dir], defaultLintOptions(dir));
    const own = r.findings.filter((f) => f.ruleId === 'virtualfree-misuse').map((f) => `${f.range.start.line} ${f.severity} ${f.messageId}`);
    expect(own).toEqual([
      '17 error releaseWithSize',
      '18 error releaseWithSize',
      '19 error releaseWithSize',
      '20 error releaseWithDecommit',
      '21 error releaseWithDecommit',
      '27 error releaseWithSize',
      '29 error releaseWithSize',
      '30 error releaseWithDecommit',
      '46 error decommitWithoutRelease',
      '101 error decommitWithoutRelease',
      '104 error decommitWithoutRelease',
    ]);
  });
});
