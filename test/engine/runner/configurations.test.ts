// Several configurations in one run (src/engine/runner/configurations.ts): each call site reported once, with
// the targets it wastes in and its size in each when they differ, in the message and in SARIF; threads and the
// main thread agree; --target and the config key take a list.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultLintOptions, lintPaths, type LintResult } from '../../../src/engine/runner/lint.js';
import { makeTree, reserveFile } from '../../helpers/tree.js';
import { mergeNotices } from '../../../src/engine/runner/configurations.js';
import type { Notice } from '../../../src/engine/model/types.js';
import { parseTargetList } from '../../../src/engine/model/target.js';
import { validateConfigData } from '../../../src/config/schema.js';
import { toSarif } from '../../../src/formats/sarif.js';
import { FIXTURES, readExpectations, sourceFiles } from '../../helpers/fixtures.js';
import { runCli } from '../../helpers/cli.js';

const DIR = path.join(FIXTURES, 'configurations');

/** The `[...]` a marker's free text starts with: the suffix the finding's message must end with. */
function expectedSuffix(file: string, line: number): string | undefined {
  const text = fs.readFileSync(file, 'utf8').split('\n')[line - 1]!;
  return /@expect finding[^:]*:\s*(\[[^\]]*\])/.exec(text)?.[1];
}

describe.each([['configurations'], ['sizeof-x64']])('fixtures/%s in the default configurations (x64, x86)', (folder) => {
  it('ends each message with the targets it holds in when they are not all, and with the sizes when they differ', async () => {
    const dir = path.join(FIXTURES, folder);
    const report = await lintPaths([dir], defaultLintOptions(dir));
    const marked = sourceFiles(dir)
      .flatMap(readExpectations)
      .filter((e) => e.kind === 'finding');
    expect(marked.length).toBeGreaterThan(0);
    for (const e of marked) {
      const found = report.findings.filter((f) => f.file === e.file && f.range.start.line === e.line);
      expect(found, `${e.file}:${e.line}`).toHaveLength(1);
      const suffix = expectedSuffix(e.file, e.line);
      if (suffix) expect(found[0]!.message.endsWith(` ${suffix}`), `${found[0]!.message} ends with ${suffix}`).toBe(true);
      else expect(found[0]!.message).not.toMatch(/\]$/);
    }
  });
});

describe('one result per call site', () => {
  it('gives SARIF the targets, the sizes per target and one fingerprint per site', async () => {
    const report = await lintPaths([DIR], defaultLintOptions(DIR));
    const sarif = toSarif(report);
    const results = sarif.runs[0]!.results!;
    expect(results).toHaveLength(report.findings.length);
    const at = (file: string, line: number) =>
      results.find(
        (r) => r.locations![0]!.physicalLocation!.artifactLocation!.uri!.endsWith(file) && r.locations![0]!.physicalLocation!.region!.startLine === line,
      )!;
    expect(at('thirty-two.c', 5).properties).toMatchObject({ targets: ['x86'], size: '4096' });
    expect(at('thirty-two.c', 5).properties).not.toHaveProperty('targetSizes');
    expect(at('thirty-two.c', 11).properties).toMatchObject({ targets: ['x64'] });
    expect(at('thirty-two.c', 17).properties).toMatchObject({ targets: ['x64', 'x86'], targetSizes: { x64: '8192', x86: '4096' } });
    expect(at('thirty-two.c', 21).properties).toMatchObject({ targets: ['x64', 'x86'] });
    expect(at('thirty-two.c', 21).message.text).not.toMatch(/\]$/);
    expect(at('selector.c', 10).properties).toMatchObject({ api: 'VirtualAllocEx', targets: ['x64', 'x86'], targetSizes: { x64: '8192', x86: '4096' } });
    const prints = results.map((r) => Object.values(r.partialFingerprints!)[0]);
    expect(new Set(prints).size).toBe(results.length);
  });

  it('keeps one configuration as it was: no suffix, no targets', async () => {
    const report = await lintPaths([DIR], { ...defaultLintOptions(DIR), target: 'x86' });
    const lines = report.findings.map((f) => `${path.basename(f.file)}:${f.range.start.line}`);
    expect(lines).toEqual(['selector.c:10', 'thirty-two.c:5', 'thirty-two.c:8', 'thirty-two.c:17', 'thirty-two.c:19', 'thirty-two.c:21']);
    expect(report.findings.every((f) => !f.message.endsWith(']') && f.configurations === undefined)).toBe(true);
    expect(report.findings[0]!.message).toMatch(/^VirtualAlloc reserves 4096 bytes/);
  });

  it('merges in a stable order, whichever target is named first', async () => {
    const a = await lintPaths([DIR], { ...defaultLintOptions(DIR), target: ['x64', 'x86'] });
    const b = await lintPaths([DIR], { ...defaultLintOptions(DIR), target: ['x64', 'x86'] });
    const c = await lintPaths([DIR], { ...defaultLintOptions(DIR), target: ['x86', 'x64'] });
    const sites = (r: typeof a) => r.findings.map((f) => `${path.basename(f.file)}:${f.range.start.line}`);
    expect(a.findings).toEqual(b.findings);
    expect(sites(c)).toEqual(sites(a));
    // the message is the first named target's
    expect(c.findings.find((f) => f.file.endsWith('selector.c'))!.message).toMatch(
      /^VirtualAlloc reserves 4096 bytes.* \[VirtualAlloc, 4096 bytes on x86; VirtualAllocEx, 8192 on x64\]$/,
    );
  });
});

describe('the configured compiler measures sizeof', () => {
  it("uses mingw's layout under --compiler mingw: long double is 16 bytes on x64 and 12 on x86 (8 under MSVC)", async () => {
    const dir = path.join(FIXTURES, 'compiler-mingw');
    const mingw = await lintPaths([dir], { ...defaultLintOptions(dir), compiler: 'mingw' });
    const [doubles] = mingw.findings.filter((f) => f.range.start.line === 21);
    expect(doubles?.message).toBe('VirtualAlloc reserves 49152 bytes (0xC000); 16384 bytes of its 64 KB granule become unusable [x86]');
    const msvc = await lintPaths([path.join(dir, 'compiler.c')], { ...defaultLintOptions(dir), compiler: 'msvc' });
    expect(msvc.findings.filter((f) => f.range.start.line === 21).map((f) => f.message)).toEqual([
      'VirtualAlloc reserves 32768 bytes (0x8000); 32768 bytes of its 64 KB granule become unusable',
    ]);
  });
});

describe('--cache with several targets', () => {
  it('keeps the merged report as the run memo, and gives it back on an unchanged tree', async () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-configurations-'));
    try {
      const options = { ...defaultLintOptions(DIR), cacheFile: path.join(cacheDir, 'cache.json') };
      const first = await lintPaths([DIR], options);
      const second = await lintPaths([DIR], options);
      expect(second.findings).toEqual(first.findings);
      expect(second.findings.some((f) => f.message.endsWith(' [x86]'))).toBe(true);
      expect(fs.readdirSync(cacheDir).length).toBeGreaterThan(0);
    } finally {
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  // a file 32-bit code reserves 4 KB in, a file both targets reserve a pointer-sized size in, and a header
  const TREE = {
    'only32.c': '#include <windows.h>\nvoid f(void) {\n#ifndef _WIN64\n  VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_READWRITE);\n#endif\n}\n',
    'both.c': '#include <windows.h>\n#include "pages.h"\nvoid g(void) { VirtualAlloc(NULL, PAGES * sizeof(void *) * 1024, MEM_RESERVE, PAGE_READWRITE); }\n',
    'pages.h': '#define PAGES 1\n',
    'fine.c': reserveFile('65536'),
  };
  const summary = (r: LintResult) => r.findings.map((f) => `${path.basename(f.file)}:${f.range.start.line} ${f.message}`);

  it('keeps per-file results in each configuration: one file edited is the only one analysed again, in each', async () => {
    const root = makeTree(TREE);
    const options = { ...defaultLintOptions(root), cacheFile: path.join(root, 'cache', 'lint-cache.json') };
    const first = await lintPaths(['.'], options);
    expect(first.cacheStats).toEqual({ hits: 0, misses: 6 });
    // (the memo of the whole run is not kept for files changed a moment ago: src/engine/cache/run-memo.ts)
    expect(fs.readdirSync(path.join(root, 'cache')).sort()).toEqual(['lint-cache.scan.json', 'lint-cache.x64.json', 'lint-cache.x86.json']);
    // an edit that changes nothing: the file is analysed again in both configurations, the others are not
    fs.appendFileSync(path.join(root, 'only32.c'), '// edited\n');
    const edited = await lintPaths(['.'], options);
    expect(edited.cacheStats).toEqual({ hits: 4, misses: 2 });
    expect(summary(edited)).toEqual(summary(first));
    expect(summary(edited)).toEqual([
      'both.c:3 VirtualAlloc reserves 8192 bytes (0x2000); 57344 bytes of its 64 KB granule become unusable [8192 bytes on x64; 4096 on x86]',
      'only32.c:4 VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable [x86]',
    ]);
    // a header change: its includer is analysed again in both configurations, with the new size
    fs.writeFileSync(path.join(root, 'pages.h'), '#define PAGES 8\n');
    const header = await lintPaths(['.'], options);
    expect(header.cacheStats).toEqual({ hits: 4, misses: 2 });
    expect(summary(header)).toEqual([
      'both.c:3 VirtualAlloc reserves 32768 bytes (0x8000); 32768 bytes of its 64 KB granule become unusable [x86]',
      'only32.c:4 VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable [x86]',
    ]);
    const fresh = await lintPaths(['.'], { ...options, cacheFile: undefined });
    expect(header.findings).toEqual(fresh.findings);
  });

  it("leaves a configuration's cache file alone when it is not granule's, with a notice, and still checks", async () => {
    const root = makeTree({ ...TREE, 'cache/lint-cache.x86.json': 'my notes\n' });
    const options = { ...defaultLintOptions(root), cacheFile: path.join(root, 'cache', 'lint-cache.json') };
    const r = await lintPaths(['.'], options);
    expect(fs.readFileSync(path.join(root, 'cache/lint-cache.x86.json'), 'utf8')).toBe('my notes\n');
    expect(r.notices.filter((n) => n.code === 'cache').map((n) => n.message)).toEqual([
      `not using the cache: ${path.join(root, 'cache/lint-cache.x86.json')} is not a granule cache file, and is not overwritten`,
    ]);
    expect(summary(r)).toHaveLength(2);
  });
});

describe('the configurations of a run sharing parses and lifetimes', () => {
  // a caller analysed before the wrapper it calls is found, a file whose parsed text differs by target, and one whose
  // parse (and with it the lifetime of its reservation) the second configuration takes from the first
  const TREE = {
    'a-caller.c':
      '#include <windows.h>\nvoid *reserve(SIZE_T n);\nvoid h(void) {\n  reserve(4096);\n  VirtualAlloc(NULL, 8192, MEM_RESERVE, PAGE_READWRITE);\n}\n',
    'b-wrapper.c': '#include <windows.h>\nvoid *reserve(SIZE_T n) { return VirtualAlloc(NULL, n, MEM_RESERVE, PAGE_READWRITE); }\n',
    'c-only32.c': '#include <windows.h>\nvoid f(void) {\n#ifndef _WIN64\n  VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_READWRITE);\n#endif\n}\n',
    'd-both.c':
      '#include <windows.h>\nvoid g(void) {\n  char *p = VirtualAlloc(NULL, sizeof(void *) * 1024, MEM_RESERVE, PAGE_READWRITE);\n  VirtualFree(p, 0, MEM_RELEASE);\n}\n',
  };
  const lines = (r: LintResult) => r.findings.map((f) => `${path.basename(f.file)}:${f.range.start.line} ${f.message}`);

  it('give the same findings and notices whichever configuration is first, with or without a per-file cache', async () => {
    const root = makeTree(TREE);
    // (a new cache each time, outside the tree: every file is analysed in each configuration)
    const oneAfterTheOther = async (target: string[]) => {
      const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'granule-configurations-'));
      try {
        return await lintPaths(['.'], { ...defaultLintOptions(root), target, cacheFile: path.join(cacheDir, 'cache.json') });
      } finally {
        fs.rmSync(cacheDir, { recursive: true, force: true });
      }
    };
    for (const target of [
      ['x64', 'x86'],
      ['x86', 'x64'],
    ]) {
      const shared = await lintPaths(['.'], { ...defaultLintOptions(root), target });
      const alone = await oneAfterTheOther(target);
      expect(alone.cacheStats).toEqual({ hits: 0, misses: 8 });
      expect(shared.findings).toEqual(alone.findings);
      expect(shared.notices).toEqual(alone.notices);
    }
    const first = await lintPaths(['.'], { ...defaultLintOptions(root), target: ['x64', 'x86'] });
    expect(lines(first)).toEqual([
      'a-caller.c:4 VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable',
      'a-caller.c:5 VirtualAlloc reserves 8192 bytes (0x2000); 57344 bytes of its 64 KB granule become unusable',
      'c-only32.c:4 VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable [x86]',
      'd-both.c:3 VirtualAlloc reserves 8192 bytes (0x2000), 57344 bytes of its 64 KB granule unusable while it lives; it is released on every path before the function returns, so it does not hold the address space [8192 bytes on x64; 4096 on x86]',
    ]);
  });
});

describe('--target and the config key', () => {
  it('read a list', () => {
    expect(parseTargetList('x86,x64,arm64')).toEqual({ targets: ['x86', 'x64', 'arm64'] });
    expect(parseTargetList('x86, x86')).toEqual({ targets: ['x86'] });
    expect(parseTargetList('x86,ia64')).toEqual({ unknown: 'ia64' });
    expect(validateConfigData({ target: ['x86', 'x64'] }).target).toEqual(['x86', 'x64']);
    expect(validateConfigData({ target: 'arm64' }).target).toBe('arm64');
    expect(() => validateConfigData({ target: [] })).toThrow(/at least one target/);
    expect(() => validateConfigData({ target: ['x86', 'mips'] })).toThrow(/target\[1\]/);
  });

  it('reports on the command line, and threads agree with one thread', () => {
    const run = (extra: string[]) => runCli(['--format', 'json', ...extra, '.'], { cwd: DIR });
    const one = run(['--concurrency', 'off']);
    expect(one.status).toBe(1);
    expect(run(['--concurrency', '2']).stdout).toBe(one.stdout);
    const bad = run(['--target', 'x86,sparc']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown target "sparc"/);
  });
});

describe('unused disable comments across configurations', () => {
  const unused = (file: string): Notice => ({ level: 'warning', file, line: 3, code: 'unused-disable-directive', message: 'unused' });
  it('are reported when unused in every configuration that checked the file, and only then', () => {
    // a.c is unused in both configurations; b.c is used on x64; c.c was checked in Release|x64 alone (a project
    // configuration that builds it), where it is unused
    const parts = [
      { configuration: 'Debug|Win32', items: [unused('/a.c')] },
      { configuration: 'Release|x64', items: [unused('/a.c'), unused('/c.c')] },
    ];
    const checkedIn = (file: string) => (file === '/c.c' ? ['Release|x64'] : ['Debug|Win32', 'Release|x64']);
    expect(mergeNotices(parts, checkedIn).map((n) => n.file)).toEqual(['/a.c', '/c.c']);
    expect(
      mergeNotices([
        { configuration: 'x86', items: [unused('/b.c')] },
        { configuration: 'x64', items: [] },
      ]).map((n) => n.file),
    ).toEqual([]);
  });
});
