// large-page-size (GR2): a MEM_LARGE_PAGES allocation whose constant size is not a multiple of the large-page
// minimum fails with ERROR_INVALID_PARAMETER. The minimum is the rule's option (what GetLargePageMinimum() returns
// on the target, 2 MB by default). RuleTester cases first, then the option through the engine on the fixture.

import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultLintOptions, lintPaths } from '../../src/engine/runner/lint.js';
import rule from '../../src/rules/large-page-size.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { asTested, c, HEAD } from '../helpers/rule-tester.js';

const LARGE = 'MEM_RESERVE | MEM_COMMIT | MEM_LARGE_PAGES';
/** `void f(void) { VirtualAlloc(NULL, size, flags, PAGE_READWRITE); }` on line 2: the call starts at column 16. */
const allocate = (size: string, flags = LARGE) => `${HEAD}void f(void) { VirtualAlloc(NULL, ${size}, ${flags}, PAGE_READWRITE); }`;
const endOf = (size: string) => 16 + `VirtualAlloc(NULL, ${size}, ${LARGE}, PAGE_READWRITE)`.length;
const message = (api: string, size: string, minimum = '2 MB') =>
  `${api} with MEM_LARGE_PAGES asks for ${size}, not a multiple of the ${minimum} large-page minimum; the call fails with ERROR_INVALID_PARAMETER`;

c.run('large-page-size', asTested(rule), {
  valid: [
    { name: 'the 2 MB minimum', code: allocate('0x200000') },
    { name: 'a multiple of the minimum', code: allocate('3 * 2 * 1024 * 1024') },
    { name: 'without MEM_LARGE_PAGES (virtualalloc-granularity checks those)', code: allocate('0x100000', 'MEM_RESERVE | MEM_COMMIT') },
    { name: 'size 0', code: allocate('0') },
    { name: 'a size that is not a constant', code: `${HEAD}void *f(SIZE_T n) { return VirtualAlloc(NULL, n, ${LARGE}, PAGE_READWRITE); }` },
    { name: 'a multiple of a larger minimum given as the option', code: allocate('0x400000'), options: [{ largePageMinimum: 4 * 1024 * 1024 }] },
  ],
  invalid: [
    {
      name: 'half the minimum: the fix rounds up in hex',
      code: allocate('0x100000'),
      output: allocate('0x200000'),
      errors: [
        {
          messageId: 'notLargePageMultiple',
          data: { api: 'VirtualAlloc', size: '1048576 bytes', hex: '0x100000', minimum: '2 MB', rounded: '2097152', roundedHex: '0x200000' },
          line: 2,
          column: 16,
          endLine: 2,
          endColumn: endOf('0x100000'),
          suggestions: [{ desc: 'Ask for 2097152 bytes (0x200000), the next multiple of 2 MB', output: allocate('0x200000') }],
        },
      ],
    },
    {
      name: 'a decimal literal past the minimum: rounded up to the next multiple, in decimal',
      code: allocate('3145728'),
      output: allocate('4194304'),
      errors: [
        {
          message: message('VirtualAlloc', '3145728 bytes (0x300000)'),
          endColumn: endOf('3145728'),
          suggestions: [{ messageId: 'roundUp', output: allocate('4194304') }],
        },
      ],
    },
    {
      name: 'a size written with a macro: no fix, a suggestion at the call',
      code: `${HEAD}#define LARGE (3 * 1024 * 1024)\nvoid f(void) { VirtualAlloc(NULL, LARGE, ${LARGE}, PAGE_READWRITE); }`,
      output: null,
      errors: [
        {
          messageId: 'notLargePageMultiple',
          line: 3,
          column: 16,
          endColumn: 101,
          suggestions: [
            {
              messageId: 'roundUp',
              data: { rounded: '4194304', roundedHex: '0x400000', minimum: '2 MB' },
              output: `${HEAD}#define LARGE (3 * 1024 * 1024)\nvoid f(void) { VirtualAlloc(NULL, 0x400000, ${LARGE}, PAGE_READWRITE); }`,
            },
          ],
        },
      ],
    },
    {
      name: 'VirtualAllocEx',
      code: `${HEAD}void f(HANDLE p) { VirtualAllocEx(p, NULL, 4096, ${LARGE}, PAGE_READWRITE); }`,
      output: `${HEAD}void f(HANDLE p) { VirtualAllocEx(p, NULL, 2097152, ${LARGE}, PAGE_READWRITE); }`,
      errors: [{ message: message('VirtualAllocEx', '4096 bytes (0x1000)'), line: 2, column: 20, endColumn: 109, suggestions: 1 }],
    },
    {
      name: 'the option: a 4 MB minimum makes 2 MB a finding',
      code: allocate('0x200000'),
      options: [{ largePageMinimum: 4 * 1024 * 1024 }],
      output: allocate('0x400000'),
      errors: [
        {
          message: message('VirtualAlloc', '2097152 bytes (0x200000)', '4 MB'),
          suggestions: [{ desc: 'Ask for 4194304 bytes (0x400000), the next multiple of 4 MB', output: allocate('0x400000') }],
        },
      ],
    },
    {
      name: 'a minimum that is not a power of two is named in KB',
      code: allocate('0x1000'),
      options: [{ largePageMinimum: 12288 }],
      output: allocate('0x3000'),
      errors: [
        {
          message: message('VirtualAlloc', '4096 bytes (0x1000)', '12 KB'),
          suggestions: [{ desc: 'Ask for 12288 bytes (0x3000), the next multiple of 12 KB', output: allocate('0x3000') }],
        },
      ],
    },
  ],
});

const dir = path.join(FIXTURES, 'large-pages');

async function largePageLines(options?: Record<string, unknown>): Promise<string[]> {
  const o = defaultLintOptions(dir);
  if (options) o.rules = { 'large-page-size': ['error', options] };
  const r = await lintPaths([dir], o);
  return r.findings.filter((f) => f.ruleId === 'large-page-size').map((f) => `${f.range.start.line}: ${f.message}`);
}

describe('large-page-size through the engine, on test/fixtures/large-pages', () => {
  it('uses 2 MB by default', async () => {
    expect(await largePageLines()).toEqual([
      '11: VirtualAlloc with MEM_LARGE_PAGES asks for 3145728 bytes (0x300000), not a multiple of the 2 MB large-page minimum; the call fails with ERROR_INVALID_PARAMETER',
      '12: VirtualAlloc with MEM_LARGE_PAGES asks for 65536 bytes (0x10000), not a multiple of the 2 MB large-page minimum; the call fails with ERROR_INVALID_PARAMETER',
      '13: VirtualAlloc with MEM_LARGE_PAGES asks for 4096 bytes (0x1000), not a multiple of the 2 MB large-page minimum; the call fails with ERROR_INVALID_PARAMETER',
      '14: VirtualAllocEx with MEM_LARGE_PAGES asks for 3145728 bytes (0x300000), not a multiple of the 2 MB large-page minimum; the call fails with ERROR_INVALID_PARAMETER',
      '26: VirtualAlloc with MEM_LARGE_PAGES asks for 1048576 bytes (0x100000), not a multiple of the 2 MB large-page minimum; the call fails with ERROR_INVALID_PARAMETER',
    ]);
  });

  it('takes largePageMinimum from the options: 4 MB makes 2 MB calls findings too', async () => {
    const lines = await largePageLines({ largePageMinimum: 4 * 1024 * 1024 });
    expect(lines.map((l) => l.split(':')[0])).toEqual(['9', '11', '12', '13', '14', '15', '26']);
    expect(lines[0]).toBe(
      '9: VirtualAlloc with MEM_LARGE_PAGES asks for 2097152 bytes (0x200000), not a multiple of the 4 MB large-page minimum; the call fails with ERROR_INVALID_PARAMETER',
    );
  });
});
