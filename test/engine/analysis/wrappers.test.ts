// Wrapper findings as a reviewer and GitHub code scanning see them: the evidence chain, SARIF codeFlows
// from the caller through every wrapper to the API, the fix at the caller, and the reasons of unresolved sizes.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultLintOptions, lintPaths, type LintResult } from '../../../src/engine/runner/lint.js';
import type { Finding } from '../../../src/engine/model/types.js';
import { toSarif } from '../../../src/formats/sarif.js';
import { FIXTURES } from '../../helpers/fixtures.js';

const dir = path.join(FIXTURES, 'wrappers');
let report: LintResult;

beforeAll(async () => {
  const options = defaultLintOptions(dir);
  options.wrappers = [{ name: 'os_reserve', sizeArg: 0 }];
  report = await lintPaths([dir], options);
});

function findingAt(file: string, line: number): Finding {
  const found = report.findings.filter((f) => path.basename(f.file) === file && f.range.start.line === line);
  expect(found).toHaveLength(1);
  return found[0]!;
}

const steps = (f: Finding) => f.evidence.map((e) => `${path.basename(e.file)}:${e.range.start.line} ${e.kind} ${e.message}`);

describe('wrapper findings', () => {
  it('are reported at the caller, with the chain through every level and file', () => {
    const f = findingAt('levels.c', 13);
    expect(f.message).toBe('VirtualAlloc reserves 12288 bytes (0x3000); 53248 bytes of its 64 KB granule become unusable');
    expect(f.api).toBe('VirtualAlloc');
    expect(f.properties).toMatchObject({ api: 'VirtualAlloc', callee: 'arena_new', size: '12288' });
    expect(steps(f)).toEqual([
      'levels.c:13 wrapper levels calls arena_new(2)',
      'levels.c:8 wrapper arena_new(n = 2) calls pool_alloc(3)',
      'pool.c:7 wrapper pool_alloc(pages = 3) calls os_alloc(12288)',
      'os.c:5 call os_alloc(bytes = 12288) calls VirtualAlloc',
    ]);
  });

  it('carry the chain into SARIF codeFlows: caller → wrapper → API, with the right files and lines', () => {
    const log = toSarif(report);
    const run = log.runs[0]!;
    const resultAt = (uri: string, line: number) =>
      run.results!.find(
        (r) => r.locations![0]!.physicalLocation!.artifactLocation!.uri === uri && r.locations![0]!.physicalLocation!.region!.startLine === line,
      )!;
    const flowOf = (uri: string, line: number) =>
      resultAt(uri, line).codeFlows![0]!.threadFlows[0]!.locations.map((l) => {
        const p = l.location!.physicalLocation!;
        return `${p.artifactLocation!.uri}:${p.region!.startLine}:${p.region!.startColumn} ${l.location!.message!.text}`;
      });
    expect(flowOf('arena.c', 36)).toEqual(['arena.c:36:5 same_file_callers calls make_arena(4096)', 'arena.c:9:12 make_arena(n = 4096) calls VirtualAlloc']);
    expect(flowOf('levels.c', 13)).toEqual([
      'levels.c:13:5 levels calls arena_new(2)',
      'levels.c:8:12 arena_new(n = 2) calls pool_alloc(3)',
      'pool.c:7:12 pool_alloc(pages = 3) calls os_alloc(12288)',
      'os.c:5:12 os_alloc(bytes = 12288) calls VirtualAlloc',
    ]);
    const result = resultAt('levels.c', 13);
    expect(result.codeFlows![0]!.message!.text).toBe(
      'levels calls arena_new(2) → arena_new(n = 2) calls pool_alloc(3) → pool_alloc(pages = 3) calls os_alloc(12288) → os_alloc(bytes = 12288) calls VirtualAlloc',
    );
    expect(result.relatedLocations!.map((l) => `${l.physicalLocation!.artifactLocation!.uri}:${l.physicalLocation!.region!.startLine}`)).toEqual([
      'levels.c:13',
      'levels.c:8',
      'pool.c:7',
      'os.c:5',
    ]);
  });

  it('stop at a cycle and report each call once', () => {
    expect(steps(findingAt('cycles.c', 28))).toEqual([
      'cycles.c:28 wrapper cycles calls ping(12288)',
      'cycles.c:22 wrapper ping(n = 12288) calls pong(12288)',
      'cycles.c:17 call pong(n = 12288) calls VirtualAlloc',
    ]);
    expect(steps(findingAt('cycles.c', 27))).toEqual([
      'cycles.c:27 wrapper cycles calls halving(4096)',
      'cycles.c:8 call halving(n = 4096) calls VirtualAlloc',
    ]);
  });

  it('fix the argument at the caller when the wrapper passes its parameter straight through', () => {
    const text = fs.readFileSync(path.join(dir, 'arena.c'), 'utf8');
    const f = findingAt('arena.c', 36);
    expect(f.fix?.file).toBe(path.join(dir, 'arena.c'));
    const [edit] = f.fix!.edits;
    expect(text.slice(edit!.range[0], edit!.range[1])).toBe('4096');
    expect(edit!.text).toBe('65536');
    // make_arena(4096) sits on line 36
    expect(text.slice(0, edit!.range[0]).split('\n').length).toBe(36);
    // a transformed parameter (count * 4096) has no one literal to change
    expect(findingAt('arena.c', 39).fix).toBeUndefined();
  });

  it('of a function template bind its value parameters from the template arguments at the call', () => {
    const f = findingAt('templates.cpp', 8);
    expect(f.message).toBe('VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable');
    expect(steps(f)).toEqual([
      'templates.cpp:8 wrapper templates calls reserve_bytes<4096>()',
      'templates.hpp:10 call reserve_bytes(N = 4096) calls VirtualAlloc',
    ]);
    // the template argument is the fix's place, as a function argument is
    const text = fs.readFileSync(path.join(dir, 'templates.cpp'), 'utf8');
    const [edit] = f.fix!.edits;
    expect([text.slice(edit!.range[0], edit!.range[1]), edit!.text]).toEqual(['4096', '65536']);
    expect(findingAt('templates.cpp', 10).properties.size).toBe('32768');
    // a type parameter takes its place in the order, and is no value
    expect(steps(findingAt('templates.cpp', 11))).toEqual([
      'templates.cpp:11 wrapper templates calls reserve_slots<?, 3>(4)',
      'templates.hpp:16 call reserve_slots(protect = 4, Count = 3) calls VirtualAlloc',
    ]);
    expect(findingAt('templates.cpp', 11).properties.size).toBe('12288');
    // a template argument left out is the parameter's default, computed from those before it
    expect(steps(findingAt('templates.cpp', 13))).toEqual([
      'templates.cpp:13 wrapper templates calls reserve_page_run<2>()',
      'templates.hpp:23 call reserve_page_run(Pages = 2, Bytes = 8192) calls VirtualAlloc',
    ]);
  });

  it('include wrappers declared in the configuration', () => {
    const f = findingAt('declared.c', 14);
    expect(f.api).toBe('os_reserve');
    expect(f.message).toBe('os_reserve reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable');
    expect(steps(findingAt('declared.c', 16))).toEqual([
      'declared.c:16 wrapper declared calls reserve_twice(8192)',
      'declared.c:9 call reserve_twice(n = 8192) calls os_reserve',
      'declared.c:9 wrapper os_reserve is declared a reserving wrapper in the configuration (size: argument 1)',
    ]);
  });
});

describe('unresolved sizes', () => {
  it('say why: the parameter and the function it belongs to', async () => {
    const unresolvedDir = path.join(FIXTURES, 'unresolved');
    const options = defaultLintOptions(unresolvedDir);
    options.rules = { 'unresolved-allocation-size': 'warn' };
    const r = await lintPaths([unresolvedDir], options);
    expect(r.findings.filter((f) => f.ruleId === 'unresolved-allocation-size').map((f) => `${f.range.start.line}: ${f.message}`)).toEqual([
      "8: VirtualAlloc's size could not be proven: depends on parameter 'n' of make_arena",
      "15: VirtualAlloc's size could not be proven: reads the member dwPageSize",
      "16: VirtualAlloc's size could not be proven: g_size is a variable that may change",
      "22: VirtualAlloc's size could not be proven: depends on parameter 'runtime' of audit",
    ]);
  });
});

describe('a run with many wrappers', () => {
  // past a few dozen names, a file is searched only for the names among its own words (occurrences.ts
  // MANY_NAMES): the findings must be exactly those of a run with few wrappers, macros in headers included
  async function run(count: number): Promise<string[]> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-many-wrappers-'));
    try {
      for (let i = 1; i <= count; i++) {
        fs.writeFileSync(
          path.join(root, `w${i}.c`),
          `#include <windows.h>\nvoid *wrap${i}(SIZE_T n) { return VirtualAlloc(NULL, n, MEM_RESERVE, PAGE_NOACCESS); }\n`,
        );
      }
      // the header's macro names a wrapper the calling file never spells out
      fs.writeFileSync(path.join(root, 'grab.h'), `#define GRAB(n) wrap${count - 1}(n)\n`);
      fs.writeFileSync(path.join(root, 'use.c'), `#include "grab.h"\nvoid g(void) {\n  GRAB(4096);\n  wrap3(8192);\n  wrap${count}(12288);\n}\n`);
      const report = await lintPaths([root], { ...defaultLintOptions(root), concurrency: 'off' });
      return report.findings.map((f) =>
        `${path.basename(f.file)}:${f.range.start.line}:${f.range.start.column} ${f.properties.size} ${f.evidence.map((e) => e.message).join(' / ')}`.replace(
          /wrap\d+/g,
          'wrapN',
        ),
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }

  it('finds what a run with few wrappers finds: through a header macro and direct calls', async () => {
    const few = await run(8);
    expect(few.map((f) => f.split(' ').slice(0, 2).join(' '))).toEqual(['use.c:3:3 4096', 'use.c:4:3 8192', 'use.c:5:3 12288']);
    expect(await run(120)).toEqual(few);
  });
});

describe('a name declared in many functions', () => {
  // past 64 deciding occurrences of a name, only those in the calling function, at file level and enumerators
  // are looked at (analyze.ts decidingIn): the values must be exactly those of a file with few such functions
  async function run(count: number): Promise<string[]> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-many-params-'));
    try {
      const lines = ['#include <windows.h>', 'static SIZE_T n = 8192;'];
      for (let i = 0; i < count; i++) lines.push(`void *w${i}(SIZE_T n) { return VirtualAlloc(NULL, n, MEM_RESERVE, PAGE_NOACCESS); }`);
      lines.push('void g(void) { SIZE_T n = 4096; VirtualAlloc(NULL, n, MEM_RESERVE, PAGE_NOACCESS); }');
      lines.push('void h(void) { VirtualAlloc(NULL, n, MEM_RESERVE, PAGE_NOACCESS); w1(12288); }');
      fs.writeFileSync(path.join(root, 'many.c'), lines.join('\n') + '\n');
      const report = await lintPaths([root], { ...defaultLintOptions(root), concurrency: 'off' });
      return report.findings.map((f) => `${f.range.start.line - count}:${f.range.start.column} ${f.properties.size ?? f.properties.reason}`);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }

  it('resolves locals and parameters through wrappers as with few', async () => {
    const few = await run(3);
    expect(few).toEqual(['3:33 4096', '4:67 12288']);
    expect(await run(80)).toEqual(few);
  });
});
