// The reports of several configurations merged into one: a site once, with the configurations it was found in.

import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/model/types.js';
import { mergeConfigurationReports } from '../../../src/engine/runner/configuration-runs.js';
import type { LintResult } from '../../../src/engine/runner/run-parts.js';

function finding(file: string, line: number, message: string): Finding {
  const start = { line, column: 5, offset: line * 100 };
  return {
    ruleId: 'virtualalloc-granularity',
    severity: 'error',
    file,
    range: { start, end: start },
    messageId: 'wasted',
    message,
    properties: { size: '4096' },
    evidence: [],
    callText: 'VirtualAlloc(NULL, SIZE, MEM_RESERVE, PAGE_NOACCESS)',
    enclosingFunction: 'f',
    suggestions: [],
  };
}

function result(findings: Finding[], notices: LintResult['notices'] = []): LintResult {
  return { root: '/t', findings, notices, filesScanned: 0, rules: [], toolVersion: '0', usageError: false };
}

describe('mergeConfigurationReports', () => {
  it('reports each site once, lists its configurations, and keeps a differing message per configuration', () => {
    const merged = mergeConfigurationReports([
      { name: 'Debug|Win32', files: ['/t/a.c', '/t/x86.c'], result: result([finding('/t/a.c', 3, '4096 bytes'), finding('/t/x86.c', 1, 'x86 only')]) },
      { name: 'Debug|x64', files: ['/t/a.c'], result: result([finding('/t/a.c', 3, '8192 bytes')]) },
    ]);
    expect(merged.findings.map((f) => [f.file, f.range.start.line, f.message, f.properties])).toEqual([
      ['/t/a.c', 3, '4096 bytes', { size: '4096', configurations: 'Debug|Win32; Debug|x64', 'message[Debug|x64]': '8192 bytes' }],
      ['/t/x86.c', 1, 'x86 only', { size: '4096', configurations: 'Debug|Win32' }],
    ]);
    expect(merged.filesScanned).toBe(2);
  });

  it('says a notice once however many configurations saw it', () => {
    const notice = { level: 'note' as const, code: 'project', file: '/t/p.vcxproj', message: 'project: $(X) is not set' };
    const merged = mergeConfigurationReports([
      { name: 'A', files: [], result: result([], [notice]) },
      { name: 'B', files: [], result: result([], [{ ...notice }]) },
    ]);
    expect(merged.notices).toEqual([notice]);
  });
});
