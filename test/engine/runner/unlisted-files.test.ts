// Files that no Visual Studio project of a run lists (a path named beside --project, or a file found under a path
// given) are checked as a plain run checks them: in every target of --target (x64 and x86 by default), labelled by
// target, in every format; the project's own files keep their configurations (lint.ts, projectPasses).
// test/fixtures/project-unlisted/: app.vcxproj compiles app.c; extra.c beside it is in no project, with a call
// only a 32-bit build compiles and a pointer-sized one.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultLintOptions, lintPaths, type LintOptions, type LintResult } from '../../../src/engine/runner/lint.js';
import { toSarif } from '../../../src/formats/sarif.js';
import { FIXTURES } from '../../helpers/fixtures.js';
import { runCli } from '../../helpers/cli.js';
import { byFile, restricted } from '../../helpers/findings-by-file.js';
import { json, makeTree } from '../../helpers/tree.js';

const DIR = path.join(FIXTURES, 'project-unlisted');
const options = (extra: Partial<LintOptions> = {}): LintOptions => ({ ...defaultLintOptions(DIR), projects: ['app.vcxproj'], ...extra });
const summary = (r: LintResult) =>
  r.findings.map((f) => `${path.basename(f.file)}:${f.range.start.line} ${f.message} {${(f.configurations ?? []).join(', ')}}`);

const GRANULE = '64 KB granule become unusable';
const EXPECTED = [
  `app.c:5 VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its ${GRANULE}; it is kept: its address is returned to the caller [4096 bytes on Debug|Win32; 8192 on Release|x64] {Debug|Win32, Release|x64}`,
  `extra.c:6 VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its ${GRANULE} [x86] {x86}`,
  `extra.c:8 VirtualAlloc reserves 8192 bytes (0x2000); 57344 bytes of its ${GRANULE} [8192 bytes on x64; 4096 on x86] {x64, x86}`,
  `extra.c:9 VirtualAlloc reserves 12288 bytes (0x3000); 53248 bytes of its ${GRANULE} {x64, x86}`,
];

describe('a file no project lists, in a --project run', () => {
  it('is checked in every default target, labelled by target, beside the configurations of the project', async () => {
    expect(summary(await lintPaths([DIR], options()))).toEqual(EXPECTED);
  });

  it('is checked the same when it is named beside --project', async () => {
    const named = await lintPaths([path.join(DIR, 'extra.c')], options());
    expect(summary(named)).toEqual(EXPECTED);
    // (the project's own files are checked with it: without paths, only they are)
    expect(summary(await lintPaths([], options()))).toEqual(EXPECTED.slice(0, 1));
  });

  it('has the findings of a run without the project: they do not depend on the project or its files', async () => {
    const own = restricted(byFile(DIR, (await lintPaths([DIR], options())).findings), ['extra.c']);
    const plain = restricted(byFile(DIR, (await lintPaths([path.join(DIR, 'extra.c')], { ...defaultLintOptions(DIR) })).findings), ['extra.c']);
    expect(own.get('extra.c')).toHaveLength(3);
    expect(own).toEqual(plain);
  });

  it('follows --target: one target, no suffix', async () => {
    const x86 = await lintPaths([DIR], options({ target: 'x86' }));
    expect(summary(x86)).toEqual([
      EXPECTED[0],
      `extra.c:6 VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its ${GRANULE} {x86}`,
      `extra.c:8 VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its ${GRANULE} {x86}`,
      `extra.c:9 VirtualAlloc reserves 12288 bytes (0x3000); 53248 bytes of its ${GRANULE} {x86}`,
    ]);
  });

  it('gives SARIF its targets and sizes per target, one fingerprint per site', async () => {
    const sarif = toSarif(await lintPaths([DIR], options()));
    const results = sarif.runs[0]!.results!;
    const at = (file: string, line: number) =>
      results.find(
        (r) => r.locations![0]!.physicalLocation!.artifactLocation!.uri!.endsWith(file) && r.locations![0]!.physicalLocation!.region!.startLine === line,
      )!;
    expect(results).toHaveLength(4);
    expect(at('extra.c', 6).properties).toMatchObject({ targets: ['x86'], size: '4096' });
    expect(at('extra.c', 8).properties).toMatchObject({ targets: ['x64', 'x86'], targetSizes: { x64: '8192', x86: '4096' } });
    expect(at('extra.c', 9).properties).toMatchObject({ targets: ['x64', 'x86'] });
    expect(at('extra.c', 9).properties).not.toHaveProperty('targetSizes');
    expect(at('app.c', 5).properties).toMatchObject({ targets: ['Debug|Win32', 'Release|x64'], targetSizes: { 'Debug|Win32': '4096', 'Release|x64': '8192' } });
    expect(new Set(results.map((r) => Object.values(r.partialFingerprints!)[0])).size).toBe(4);
  });

  it('reports the same on the command line, in stylish and json, with threads as with one', () => {
    const run = (format: string, concurrency: string) =>
      runCli(['--format', format, '--project', 'app.vcxproj', '--concurrency', concurrency, '.'], { cwd: DIR });
    const stylish = run('stylish', 'off');
    expect(stylish.status).toBe(1);
    expect(stylish.stdout).toContain(`6:5  error  VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its ${GRANULE} [x86]  virtualalloc-granularity`);
    const one = run('json', 'off');
    const findings = (JSON.parse(one.stdout) as { findings: { file: string; range: { start: { line: number } }; configurations?: string[] }[] }).findings;
    expect(findings.map((f) => `${path.basename(f.file)}:${f.range.start.line} ${(f.configurations ?? []).join(',')}`)).toEqual([
      'app.c:5 Debug|Win32,Release|x64',
      'extra.c:6 x86',
      'extra.c:8 x64,x86',
      'extra.c:9 x64,x86',
    ]);
    for (const n of ['2', '3']) expect(run('json', n).stdout).toBe(one.stdout);
  });

  it('keeps per-file results in a cache file per configuration and target, and gives the same report from them', async () => {
    const root = makeTree({
      'app.vcxproj': fs.readFileSync(path.join(DIR, 'app.vcxproj'), 'utf8'),
      'app.c': fs.readFileSync(path.join(DIR, 'app.c'), 'utf8'),
      'extra.c': fs.readFileSync(path.join(DIR, 'extra.c'), 'utf8'),
    });
    const cached = { ...defaultLintOptions(root), projects: ['app.vcxproj'], cacheFile: path.join(root, 'cache', 'lint-cache.json') };
    const first = await lintPaths(['.'], cached);
    expect(summary(first)).toEqual(EXPECTED);
    // (a name with characters a file name cannot hold gets a hash of the whole: src/engine/cache/cache.ts)
    expect(
      fs
        .readdirSync(path.join(root, 'cache'))
        .map((n) => n.replace(/-[0-9a-f]{8}\.json$/, '.json'))
        .sort(),
    ).toEqual(['lint-cache.Debug_Win32_x64.json', 'lint-cache.Debug_Win32_x86.json', 'lint-cache.Release_x64.json', 'lint-cache.scan.json']);
    const again = await lintPaths(['.'], cached);
    expect(again.findings).toEqual(first.findings);
    // (first: every file in each run that reads it; again: from the cache, but for the files a run reads only for
    // their wrappers and does not report, whose results it does not keep: app.c in the x64 pass of Debug|Win32,
    // extra.c in Release|x64)
    expect(first.cacheStats).toEqual({ hits: 0, misses: 6 });
    expect(again.cacheStats).toEqual({ hits: 4, misses: 2 });
    // an edit of the file no project lists: analysed again in both targets, with the new size
    fs.writeFileSync(path.join(root, 'extra.c'), fs.readFileSync(path.join(root, 'extra.c'), 'utf8').replace('12288', '20480'));
    const edited = await lintPaths(['.'], cached);
    expect(summary(edited)[3]).toBe(`extra.c:9 VirtualAlloc reserves 20480 bytes (0x5000); 45056 bytes of its ${GRANULE} {x64, x86}`);
    expect(edited.findings).toEqual((await lintPaths(['.'], { ...cached, cacheFile: undefined })).findings);
  });
});

describe('a compilation database beside --project', () => {
  it('checks the files only the database lists, in every target', async () => {
    const root = makeTree({
      'app.vcxproj': fs.readFileSync(path.join(DIR, 'app.vcxproj'), 'utf8'),
      'app.c': fs.readFileSync(path.join(DIR, 'app.c'), 'utf8'),
      'tool/tool.c': fs.readFileSync(path.join(DIR, 'extra.c'), 'utf8'),
      'tool/build/compile_commands.json': json([{ directory: '..', file: 'tool.c', command: 'cl /c tool.c' }]),
    });
    const r = await lintPaths(['.'], { ...defaultLintOptions(root), projects: ['app.vcxproj'], compileCommands: ['tool/build/compile_commands.json'] });
    expect(summary(r).map((s) => s.replace(/^tool\.c/, 'extra.c'))).toEqual(EXPECTED);
    expect(r.filesScanned).toBe(2);
  });
});
