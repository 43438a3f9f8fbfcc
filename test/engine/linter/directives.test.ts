// Inline disable comments: what they suppress (exactly), how each format shows suppressed findings,
// and the unused-directive report. test/fixtures/disables/ covers every form line by line.

import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanDisableDirectives } from '../../../src/engine/linter/directives.js';
import { defaultLintOptions, lintPaths } from '../../../src/engine/runner/lint.js';
import { runCli } from '../../helpers/cli.js';
import { json, makeTree } from '../../helpers/tree.js';

const SOURCE = [
  '#include <windows.h>', // 1
  'void f(void) {', // 2
  '  // granule-disable-next-line virtualalloc-granularity -- the arena pools these', // 3
  '  VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_READWRITE);', // 4
  '  VirtualAlloc(NULL, 8192, MEM_RESERVE, PAGE_READWRITE); /* granule-disable-line */', // 5
  '}', // 6
  '',
].join('\n');

describe('scanDisableDirectives', () => {
  it('reads kind, rules, justification and the line each covers; skips strings, raw strings and char literals', () => {
    const text = [
      '// granule-disable-next-line virtualalloc-granularity, granule/large-page-size -- why -- still why',
      'x(); /* granule-disable-line */',
      'const char *s = "/* granule-disable */"; char c = \'"\'; int n = 1\'000;',
      'auto r = R"d(// granule-enable)d"; /*granule-enable mapview-granularity*/',
      '/* not a directive: granule-disable */ //granule-disable-lines',
      '/* granule-disable-next-line',
      '   unresolved-allocation-size */',
    ].join('\n');
    const scan = scanDisableDirectives('/x.cpp', text);
    expect(scan.problems).toEqual([]);
    expect(
      scan.directives.map((d) => ({
        kind: d.kind,
        rules: d.rules,
        justification: d.justification,
        line: d.line,
        from: d.range.start.line,
        to: d.range.end.line,
      })),
    ).toEqual([
      { kind: 'disable-next-line', rules: ['virtualalloc-granularity', 'large-page-size'], justification: 'why -- still why', line: 2, from: 1, to: 1 },
      { kind: 'disable-line', rules: [], justification: undefined, line: 2, from: 2, to: 2 },
      { kind: 'enable', rules: ['mapview-granularity'], justification: undefined, line: 4, from: 4, to: 4 },
      { kind: 'disable-next-line', rules: ['unresolved-allocation-size'], justification: undefined, line: 8, from: 6, to: 7 },
    ]);
    expect(scan.directives[2]!.range.start).toEqual({ line: 4, column: 36, offset: text.indexOf('/*granule-enable') });
  });

  it('warns about unknown rules and a disable-line comment over several lines, and ignores them', () => {
    const scan = scanDisableDirectives('/x.c', '// granule-disable-next-line no-such-rule\n/* granule-disable-line\n */\n');
    expect(scan.directives).toEqual([]);
    expect(scan.problems).toEqual([
      { level: 'warning', file: '/x.c', line: 1, code: 'unknown-rule-in-directive', message: 'granule-disable-next-line names an unknown rule "no-such-rule"' },
      { level: 'warning', file: '/x.c', line: 2, code: 'invalid-directive', message: 'a granule-disable-line comment must not span lines; it was ignored' },
    ]);
  });
});

describe('suppressed findings', () => {
  it('stay in the report with kind, justification and the range of the comment', async () => {
    const root = makeTree({ 'a.c': SOURCE });
    const report = await lintPaths(['.'], defaultLintOptions(root));
    expect(report.findings.map((f) => [f.range.start.line, f.suppressed])).toEqual([
      [
        4,
        {
          kind: 'inSource',
          justification: 'the arena pools these',
          range: { start: { line: 3, column: 3, offset: 38 }, end: { line: 3, column: 81, offset: 116 } },
        },
      ],
      [5, { kind: 'inSource', range: { start: { line: 5, column: 58, offset: 231 }, end: { line: 5, column: 84, offset: 257 } } }],
    ]);
  });

  it('SARIF keeps them, marked suppressed; stylish, compact and github hide them; the run passes', () => {
    const root = makeTree({ 'a.c': SOURCE });
    const sarif = runCli(['-f', 'sarif', '.'], { cwd: root });
    expect(sarif.status).toBe(0);
    const results = (JSON.parse(sarif.stdout) as { runs: { results: { suppressions?: unknown[] }[] }[] }).runs[0]!.results;
    expect(results.map((r) => r.suppressions)).toEqual([
      [
        {
          kind: 'inSource',
          justification: 'the arena pools these',
          location: expect.objectContaining({
            physicalLocation: expect.objectContaining({ region: { startLine: 3, startColumn: 3, endLine: 3, endColumn: 81 } }),
          }),
          status: 'accepted',
        },
      ],
      [
        {
          kind: 'inSource',
          location: expect.objectContaining({
            physicalLocation: expect.objectContaining({ region: { startLine: 5, startColumn: 58, endLine: 5, endColumn: 84 } }),
          }),
          status: 'accepted',
        },
      ],
    ]);
    for (const format of ['compact', 'github']) {
      const r = runCli(['-f', format, '.'], { cwd: root });
      expect([r.status, r.stdout]).toEqual([0, '']);
    }
    const stylish = runCli(['.'], { cwd: root });
    expect([stylish.status, stylish.stdout]).toEqual([0, '✔ no problems in 1 file\n']);
  });
});

describe('--report-unused-disable-directives', () => {
  const UNUSED = [
    '#include <windows.h>', // 1
    'void f(void) {', // 2
    '  // granule-disable-next-line virtualalloc-granularity, large-page-size', // 3
    '  VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_READWRITE);', // 4
    '  VirtualAlloc(NULL, 65536, MEM_RESERVE, PAGE_READWRITE); // granule-disable-line', // 5
    '  /* granule-enable mapview-granularity */', // 6
    '}', // 7
    '',
  ].join('\n');

  it('reports each directive that disabled nothing, and fails the run', () => {
    const root = makeTree({ 'a.c': UNUSED, 'notes.h': '// granule-disable-next-line\nint nothing_here;\n' });
    const r = runCli(['-f', 'compact', '--report-unused-disable-directives', '.'], { cwd: root });
    expect(r.stdout).toBe(
      [
        "a.c:3:1: error: Unused granule-disable-next-line directive (no problems were reported from 'large-page-size'). [unused-disable-directive]",
        'a.c:5:1: error: Unused granule-disable-line directive (no problems were reported). [unused-disable-directive]',
        "a.c:6:1: error: Unused granule-enable directive (no matching granule-disable directives were found for 'mapview-granularity'). [unused-disable-directive]",
        'notes.h:1:1: error: Unused granule-disable-next-line directive (no problems were reported). [unused-disable-directive]',
        '',
      ].join('\n'),
    );
    expect(r.status).toBe(1);
    // without the option nothing is reported and the run passes
    expect(runCli(['-f', 'compact', '.'], { cwd: root })).toMatchObject({ status: 0, stdout: '' });
  });

  it('at "warn" level from the config they count against --max-warnings', () => {
    const root = makeTree({ 'a.c': UNUSED, 'granule.config.json': json({ reportUnusedDisableDirectives: 'warn' }) });
    const r = runCli(['-f', 'compact', '.'], { cwd: root });
    expect(
      r.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(': ')[1]),
    ).toEqual(['warning', 'warning', 'warning']);
    expect(r.status).toBe(0);
    expect(runCli(['-f', 'compact', '--max-warnings', '2', '.'], { cwd: root }).status).toBe(1);
    expect(runCli(['-f', 'compact', '--max-warnings', '3', '.'], { cwd: root }).status).toBe(0);
  });

  it('a directive for a rule that is off is unused', async () => {
    const root = makeTree({ 'a.c': SOURCE });
    const options = { ...defaultLintOptions(root), rules: { 'virtualalloc-granularity': 'off' as const }, reportUnusedDisableDirectives: 'error' as const };
    const report = await lintPaths(['.'], options);
    expect(report.notices.map((n) => `${path.basename(n.file!)}:${n.line} ${n.level} ${n.message}`)).toEqual([
      "a.c:3 error Unused granule-disable-next-line directive (no problems were reported from 'virtualalloc-granularity').",
      'a.c:5 error Unused granule-disable-line directive (no problems were reported).',
    ]);
  });
});
