// virtualfree-misuse (GR5): VirtualFree/VirtualFreeEx calls that fail (MEM_RELEASE with a size: MSVC C6333;
// MEM_RELEASE with MEM_DECOMMIT: C6331) or decommit a reservation their function never releases (C6250), and
// reservations whose address a path loses before any release. RuleTester cases first, then the levels,
// messages, related locations and code flows through the engine on test/fixtures/virtualfree.

import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultLintOptions, lintPaths } from '../../src/engine/runner/lint.js';
import { toSarif } from '../../src/formats/sarif.js';
import rule from '../../src/rules/virtualfree-misuse.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { asTested, c, HEAD } from '../helpers/rule-tester.js';

/** `void f(void *p) { VirtualFree(p, size, type); }` on line 2: the call starts at column 19. */
const free = (size: string, type: string) => `${HEAD}void f(void *p) { VirtualFree(p, ${size}, ${type}); }`;
const endOf = (size: string, type: string) => 19 + `VirtualFree(p, ${size}, ${type})`.length;
const reserved = (...body: string[]) =>
  `${HEAD}void f(void)\n{\n    char *p = VirtualAlloc(NULL, 0x100000, MEM_RESERVE, PAGE_NOACCESS);\n${body.map((l) => `    ${l}\n`).join('')}}\n`;
/** A committed reservation on line 5 (column 15), the body from line 6 on, the function's closing brace after it. */
const committed = (...body: string[]) =>
  `${HEAD}void keep(void *);\nint f(int bad)\n{\n    char *p = VirtualAlloc(NULL, 0x10000, MEM_COMMIT, PAGE_READWRITE);\n${body.map((l) => `    ${l}\n`).join('')}}\n`;
const lostAt = (how: string, line: number, name = 'p') =>
  how === 'overwritten'
    ? `VirtualAlloc's reservation is not released on any path to line ${line}, where ${name}, the only copy of its address, is overwritten: its address space stays reserved until the process ends`
    : how === 'returns'
      ? `VirtualAlloc's reservation is not released on any path to the return on line ${line}, where ${name}, the only copy of its address, goes out of scope: its address space stays reserved until the process ends`
      : `VirtualAlloc's reservation is not released on any path to the end of f on line ${line}, where ${name}, the only copy of its address, goes out of scope: its address space stays reserved until the process ends`;

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
    // the address lost: nothing is reported when anything may keep it or release it
    { name: 'released on every path', code: committed('if (!p) return 0;', 'p[0] = 1;', 'VirtualFree(p, 0, MEM_RELEASE);', 'return 1;') },
    { name: 'returned', code: committed('p[0] = 1;', 'return (int)(INT_PTR)p;') },
    { name: 'given to a function that may keep it', code: committed('p[0] = 1;', 'keep(p);', 'return 0;') },
    { name: 'its address given away', code: committed('p[0] = 1;', 'keep(&p);', 'return 0;') },
    { name: 'copied to another local', code: committed('char *q = p;', 'q[0] = 1;', 'return 0;') },
    { name: 'printed by a function', code: committed('p[0] = 1;', 'printf("%p\\n", p);', 'return 0;') },
    { name: 'never tested or used: the call may be meant to fail', code: committed('return 0;') },
    {
      name: 'released inside a loop',
      code: committed('p[0] = 1;', 'for (int i = 0; i < bad; i++)', '    if (i == 3) VirtualFree(p, 0, MEM_RELEASE);', 'return 0;'),
    },
    {
      name: 'released on paths joined with one that holds it',
      code: committed('p[0] = 1;', 'if (bad) VirtualFree(p, 0, MEM_RELEASE);', 'if (!bad) VirtualFree(p, 0, MEM_RELEASE);', 'return 0;'),
    },
    { name: 'a goto backwards', code: committed('again:', 'p[0] = 1;', 'if (bad--) goto again;', 'VirtualFree(p, 0, MEM_RELEASE);', 'return 0;') },
    {
      name: 'a commit into a reservation of the caller',
      code: `${HEAD}void f(char *base)\n{\n    char *p = VirtualAlloc(base, 4096, MEM_COMMIT, PAGE_READWRITE);\n    p[0] = 1;\n}\n`,
    },
    {
      name: 'main returns into the end of the process',
      code: `${HEAD}int main(void)\n{\n    char *p = VirtualAlloc(NULL, 4096, MEM_COMMIT, PAGE_READWRITE);\n    p[0] = 1;\n    return 0;\n}\n`,
    },
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
    {
      name: 'the address overwritten before any release',
      code: committed('p[0] = 1;', 'p = VirtualAlloc(NULL, 0x10000, MEM_COMMIT, PAGE_READWRITE);', 'VirtualFree(p, 0, MEM_RELEASE);', 'return 0;'),
      errors: [{ message: lostAt('overwritten', 7), line: 5, column: 15 }],
    },
    {
      name: 'lost at a return on one path, released on the other',
      code: committed('if (!p) return 0;', 'if (bad) return 1;', 'memset(p, 0, 0x10000);', 'VirtualFree(p, 0, MEM_RELEASE);', 'return 0;'),
      errors: [{ messageId: 'lostAtReturn', data: { api: 'VirtualAlloc', what: 'reservation', released: 'released', name: 'p', line: '7' }, line: 5 }],
    },
    {
      name: 'lost at the end of the function',
      code: committed('if (p) p[0] = 1;'),
      errors: [{ message: lostAt('ends', 7), line: 5 }],
    },
    {
      name: 'a view lost at a return',
      code: `${HEAD}int f(HANDLE m)\n{\n    const char *v = MapViewOfFile(m, FILE_MAP_READ, 0, 0, 0);\n    if (v[0] == 'M')\n        return 1;\n    UnmapViewOfFile(v);\n    return 0;\n}\n`,
      errors: [
        {
          message:
            "MapViewOfFile's view is not unmapped on any path to the return on line 6, where v, the only copy of its address, goes out of scope: its address space stays reserved until the process ends",
          line: 4,
          column: 21,
        },
      ],
    },
  ],
});

describe('virtualfree-misuse through the engine, on test/fixtures/virtualfree', () => {
  it('reports the failing calls, the kept reservations and the lost addresses, all at the rule level (error)', async () => {
    const dir = path.join(FIXTURES, 'virtualfree');
    const r = await lintPaths([dir], defaultLintOptions(dir));
    const own = r.findings
      .filter((f) => f.ruleId === 'virtualfree-misuse')
      .map((f) => `${path.basename(f.file)}:${f.range.start.line} ${f.severity} ${f.messageId}`);
    expect(own.sort()).toEqual([
      'free.c:101 error decommitWithoutRelease',
      'free.c:104 error decommitWithoutRelease',
      'free.c:17 error releaseWithSize',
      'free.c:18 error releaseWithSize',
      'free.c:19 error releaseWithSize',
      'free.c:20 error releaseWithDecommit',
      'free.c:21 error releaseWithDecommit',
      'free.c:27 error releaseWithSize',
      'free.c:29 error releaseWithSize',
      'free.c:30 error releaseWithDecommit',
      'free.c:46 error decommitWithoutRelease',
      'lost.c:13 error lostByOverwrite',
      'lost.c:167 error decommitWithoutRelease',
      'lost.c:29 error lostAtReturn',
      'lost.c:42 error lostAtEnd',
      'lost.c:50 error lostAtReturn',
      'lost.c:61 error lostAtReturn',
    ]);
  });

  it('points to the place that loses the address, as a related location and a SARIF code flow', async () => {
    const dir = path.join(FIXTURES, 'virtualfree');
    const r = await lintPaths([path.join(dir, 'lost.c')], defaultLintOptions(dir));
    const [returned] = r.findings.filter((f) => f.messageId === 'lostAtReturn');
    expect(returned?.properties.lost).toBe('returns');
    expect(returned?.related).toEqual([
      {
        file: path.join(dir, 'lost.c'),
        range: { start: { line: 33, column: 9, offset: expect.any(Number) }, end: { line: 33, column: 18, offset: expect.any(Number) } },
        message: 'the function returns here: p and the address go out of scope',
      },
    ]);
    const sarif = toSarif({ ...r, findings: [returned!] }, {}) as { runs: { results: { codeFlows?: unknown[] }[] }[] };
    const flow = sarif.runs[0]!.results[0]!.codeFlows as {
      message: { text: string };
      threadFlows: { locations: { location: { physicalLocation: { region: { startLine: number } } } }[] }[];
    }[];
    expect(flow[0]!.message.text).toBe('the function returns here: p and the address go out of scope');
    expect(flow[0]!.threadFlows[0]!.locations.map((l) => l.location.physicalLocation.region.startLine)).toEqual([29, 33]);
  });
});
