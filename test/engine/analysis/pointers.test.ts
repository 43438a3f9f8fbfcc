// Calls through function pointers carry a 'pointer' evidence step that shows where the pointer got the API.

import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultLintOptions, lintPaths, type LintResult } from '../../../src/engine/runner/lint.js';
import { FIXTURES } from '../../helpers/fixtures.js';

const dir = path.join(FIXTURES, 'pointers');
let report: LintResult;

beforeAll(async () => {
  report = await lintPaths([dir], defaultLintOptions(dir));
});

const evidenceAt = (file: string, line: number) =>
  report.findings
    .filter((f) => path.basename(f.file) === file && f.range.start.line === line)
    .map((f) => ({ api: f.api, callee: f.properties.callee, steps: f.evidence.map((e) => `${e.kind} ${e.range.start.line} ${e.message}`) }));

describe('calls through pointers', () => {
  it('name the pointer and the code that stored the API in it', () => {
    expect(evidenceAt('pointers.cpp', 28)).toEqual([
      {
        api: 'VirtualAlloc',
        callee: 'p',
        steps: ['pointer 27 p points to VirtualAlloc: p = (decltype(&VirtualAlloc))GetProcAddress(k32, "VirtualAlloc")'],
      },
    ]);
    expect(evidenceAt('pointers.cpp', 57)).toEqual([
      { api: 'VirtualAlloc', callee: 'g_alloc', steps: ['pointer 19 g_alloc points to VirtualAlloc: g_alloc = (PVA)GetProcAddress(k32, "VirtualAlloc")'] },
    ]);
    expect(evidenceAt('pointers.cpp', 66)).toEqual([
      { api: 'VirtualAlloc', callee: 'alloc', steps: ['pointer 64 field alloc points to VirtualAlloc: tbl.alloc = VirtualAlloc'] },
    ]);
    expect(evidenceAt('pointers.cpp', 67)).toEqual([
      { api: 'VirtualAlloc', callee: 'alloc', steps: ['pointer 64 field alloc points to VirtualAlloc: tbl.alloc = VirtualAlloc'] },
    ]);
  });

  it('follow GetProcAddress through an X-macro and designated initialisers', () => {
    expect(evidenceAt('getproc.c', 31)).toEqual([
      { api: 'VirtualAlloc2', callee: 'pVirtualAlloc2', steps: ['pointer 19 pVirtualAlloc2 points to VirtualAlloc2: X(VirtualAlloc2)'] },
    ]);
    expect(evidenceAt('getproc.c', 36)).toEqual([
      { api: 'VirtualAlloc', callee: 'reserve', steps: ['pointer 13 field reserve points to VirtualAlloc: .reserve = VirtualAlloc'] },
    ]);
  });

  it('never treat a pointer to VirtualFree, or one that may hold another function, as a reservation', () => {
    // not 58 (g_mixed may be my_alloc), 68 (field release holds VirtualFree), 74 and 76 (VirtualFree), 82 (a local hides the global)
    // (74 is a virtualfree-misuse finding: MEM_RELEASE with a size through the VirtualFree pointer)
    const sizeRules = report.findings.filter((f) => f.ruleId !== 'virtualfree-misuse');
    expect(sizeRules.filter((f) => path.basename(f.file) === 'pointers.cpp').map((f) => f.range.start.line)).toEqual([28, 36, 42, 43, 50, 52, 57, 66, 67]);
  });
});
