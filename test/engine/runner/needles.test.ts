// Which names make other files worth reading: a wrapper other files can call does; a static function of a
// .c file (which no other file can call) and a function pointer (the file's own) do not.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLintOptions, lintPaths } from '../../../src/engine/runner/lint.js';

let dir: string;

const FILES: Record<string, string> = {
  'lib.c': [
    'void *shared_reserve(SIZE_T n) { return VirtualAlloc(NULL, n, MEM_RESERVE, PAGE_NOACCESS); }',
    'static void *local_reserve(SIZE_T n) { return VirtualAlloc(NULL, n, MEM_RESERVE, PAGE_NOACCESS); }',
    'static LPVOID (WINAPI *pAlloc)(LPVOID, SIZE_T, DWORD, DWORD) = VirtualAlloc;',
    'void own(void) { local_reserve(100); pAlloc(NULL, 200, MEM_RESERVE, PAGE_NOACCESS); }',
  ].join('\n'),
  // mentions the shared wrapper: read, analysed, and its call checked
  'caller.c': 'void f(void) { shared_reserve(300); }\n',
  // mentions only names that cannot reach an API from here: never a candidate, so no notice about its parse error
  'other.c': 'void *local_reserve(unsigned long n);\nvoid g(void) { local_reserve(400) pAlloc(0, 500, 0, 0); }\n',
};

beforeAll(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'granule-needles-')));
  for (const [name, text] of Object.entries(FILES)) fs.writeFileSync(path.join(dir, name), text);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('needles', () => {
  it('follow wrappers other files can call, not static functions or pointers', async () => {
    for (const concurrency of ['off', 1] as const) {
      const report = await lintPaths([], { ...defaultLintOptions(dir), concurrency });
      expect(report.findings.map((f) => `${path.basename(f.file)}:${f.range.start.line} ${f.properties.size}`)).toEqual([
        'caller.c:1 300',
        'lib.c:4 100',
        'lib.c:4 200',
      ]);
      expect(report.notices.filter((n) => n.file?.endsWith('other.c'))).toEqual([]);
    }
  });
});
