// --project (Visual Studio solutions and projects) and several compilation databases in one run, as a user types
// them: each configuration is checked, and a call site is reported once with the configurations it wastes in.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { makeTree } from '../helpers/tree.js';

const msbuild = path.join(FIXTURES, 'msbuild');
const SOLUTION = 'minhook/build/VC17/MinHookVC17.sln';

interface JsonFinding {
  file: string;
  range: { start: { line: number } };
  message: string;
  configurations?: string[];
  configurationSizes?: Record<string, string>;
}

function findings(stdout: string): { line: number; configurations?: string[]; message: string; sizes?: Record<string, string> }[] {
  const report = JSON.parse(stdout) as { findings: JsonFinding[] };
  return report.findings.map((f) => ({ line: f.range.start.line, configurations: f.configurations, message: f.message, sizes: f.configurationSizes }));
}

describe('--project', () => {
  it('checks every configuration of MinHook, and finds the x86-only reservation in the Win32 ones only', () => {
    const r = runCli(['--format', 'json', '--project', SOLUTION], { cwd: msbuild });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    // buffer.c:197 and 214 are under `#if defined(_M_X64) || defined(__x86_64__)`, which MSVC decides by the
    // platform; 222 is its #else: built for Win32 only
    const sites = findings(r.stdout);
    expect(sites.map(({ line, configurations }) => [line, configurations])).toEqual([
      [197, ['Debug|x64', 'Release|x64']],
      [214, ['Debug|x64', 'Release|x64']],
      [222, ['Debug|Win32', 'Release|Win32']],
    ]);
    // (buffer.c is built in all four: the message says where the waste holds, as it says [x86] for a target)
    expect(sites[2]!.message).toBe(
      'VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable; it is kept: its address is returned to the caller [Debug|Win32, Release|Win32]',
    );
    // the files the projects compile, each counted once: buffer.c, hook.c, trampoline.c, hde32.c, hde64.c
    expect((JSON.parse(r.stdout) as { filesScanned: number }).filesScanned).toBe(5);
  });

  it('--project-configuration narrows the run to one configuration (x64: the #else is dead)', () => {
    const r = runCli(['--format', 'json', '--project', SOLUTION, '--project-configuration', 'Release|x64'], { cwd: msbuild });
    // (one configuration checked: nothing to tell apart, as with one target)
    expect(findings(r.stdout).map(({ line, configurations, message }) => [line, configurations, message])).toEqual([
      [
        197,
        undefined,
        'VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable; it is kept: its address is returned to the caller',
      ],
      [
        214,
        undefined,
        'VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable; it is kept: its address is returned to the caller',
      ],
    ]);
  });

  it('reports each site once in SARIF, with one fingerprint per site', () => {
    const r = runCli(['--format', 'sarif', '--project', SOLUTION], { cwd: msbuild });
    const results = (JSON.parse(r.stdout) as { runs: { results: { partialFingerprints: Record<string, string> }[] }[] }).runs[0]!.results;
    expect(results).toHaveLength(3);
    expect(new Set(results.map((x) => x.partialFingerprints['granule/v1'])).size).toBe(3);
  });

  it('refuses a file that is not a solution or a project, and a configuration without a project', () => {
    const wrong = runCli(['--project', 'minhook/src/buffer.c'], { cwd: msbuild });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toBe('granule: --project minhook/src/buffer.c: expected a .sln or .vcxproj file\n');
    const missing = runCli(['--project', 'none.sln'], { cwd: msbuild });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('granule: --project none.sln: no such file\n');
    const alone = runCli(['--project-configuration', 'Release|x64', 'minhook'], { cwd: msbuild });
    expect(alone.status).toBe(2);
    expect(alone.stderr).toBe('granule: --project-configuration narrows the configurations of the projects: give --project, or a config with "projects"\n');
  });

  it('takes the projects from the config of the working directory', () => {
    const root = makeTree({});
    fs.cpSync(path.join(msbuild, 'minhook'), path.join(root, 'minhook'), { recursive: true });
    fs.writeFileSync(path.join(root, 'granule.config.json'), JSON.stringify({ projects: [SOLUTION], projectConfigurations: ['Debug|Win32'] }));
    try {
      const r = runCli(['--format', 'json'], { cwd: root });
      expect(findings(r.stdout).map(({ line, message }) => [line, message])).toEqual([
        [222, 'VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable; it is kept: its address is returned to the caller'],
      ]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('several compilation databases', () => {
  const dir = path.join(FIXTURES, 'includes');
  const other = makeTree({
    'compile_commands.json': JSON.stringify([
      { directory: dir, file: 'src/msvc.c', command: 'cl.exe /nologo /c /DCHUNK=0x2000 /I inc /FIinc/forced.h src\\msvc.c' },
    ]),
  });
  afterAll(() => fs.rmSync(other, { recursive: true, force: true }));

  it('checks a file as each database says, in each target, one site once, with the size in each database that differs', () => {
    const second = path.join(other, 'compile_commands.json');
    const r = runCli(['--format', 'json', '-p', 'build', '--compile-commands', second, 'src/msvc.c'], { cwd: dir });
    expect(r.stderr).toBe('');
    // (each database goes by its build directory)
    const named = path.basename(other);
    const both = ['build|x64', 'build|x86', `${named}|x64`, `${named}|x86`];
    const sites = findings(r.stdout);
    expect(sites.map(({ line, configurations }) => [line, configurations])).toEqual([
      [7, both],
      [8, both],
    ]);
    // line 7 reserves CHUNK: 0x3000 in the first database, 0x2000 in the second
    expect(sites[0]!.message).toBe(
      'VirtualAlloc reserves 12288 bytes (0x3000); 53248 bytes of its 64 KB granule become unusable' +
        ` [12288 bytes on build|x64, build|x86; 8192 on ${named}|x64, ${named}|x86]`,
    );
    expect(sites[0]!.sizes).toEqual({ [both[0]!]: '12288', [both[1]!]: '12288', [both[2]!]: '8192', [both[3]!]: '8192' });
    expect(sites[1]!.message).toBe('VirtualAlloc reserves 20480 bytes (0x5000); 45056 bytes of its 64 KB granule become unusable');
    expect(sites[1]!.sizes).toBeUndefined();
  });
});

describe('two build directories (32- and 64-bit) listing one file', () => {
  const tree = {
    'src/chunk.c': [
      '#include <windows.h>',
      '#ifdef SMALL_CHUNKS',
      '#define CHUNK 4096',
      '#else',
      '#define CHUNK 65536',
      '#endif',
      'void *chunk(void) {',
      '  return VirtualAlloc(NULL, CHUNK, MEM_RESERVE, PAGE_READWRITE);',
      '}',
      '',
    ].join('\n'),
    'src/legacy.c': [
      '#include <windows.h>',
      'void *legacy(void) {',
      '#ifndef _WIN64',
      '  return VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_READWRITE);',
      '#else',
      '  return 0;',
      '#endif',
      '}',
      '',
    ].join('\n'),
    'build32/compile_commands.json': JSON.stringify([
      { directory: '..', file: 'src/chunk.c', arguments: ['cl', '/DSMALL_CHUNKS', 'src/chunk.c'] },
      { directory: '..', file: 'src/legacy.c', arguments: ['cl', 'src/legacy.c'] },
    ]),
    'build64/compile_commands.json': JSON.stringify([{ directory: '..', file: 'src/chunk.c', arguments: ['cl', 'src/chunk.c'] }]),
  };
  const root = makeTree(tree);
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const compact = (args: string[]) =>
    runCli(['-f', 'compact', ...args, 'src'], { cwd: root })
      .stdout.trim()
      .split('\n');
  const CHUNK =
    'src/chunk.c:8:10: error: VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable; it is kept: its address is returned to the caller';
  const LEGACY =
    'src/legacy.c:4:10: error: VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable; it is kept: its address is returned to the caller [x86] [virtualalloc-granularity]';

  it("reports the file's waste once, in the configurations of the database that wastes, whichever database comes first", () => {
    const tagged = `${CHUNK} [build32|x64, build32|x86] [virtualalloc-granularity]`;
    expect(compact(['-p', 'build64', '-p', 'build32'])).toEqual([tagged, LEGACY]);
    expect(compact(['-p', 'build32', '-p', 'build64'])).toEqual([tagged, LEGACY]);
  });

  it('checks a file that one database lists in every target, named by its targets alone (as with that database only)', () => {
    // (legacy.c's 32-bit-only call: with one target per database run it was lost)
    expect(compact(['-p', 'build32'])).toEqual([`${CHUNK} [virtualalloc-granularity]`, LEGACY]);
    expect(compact(['-p', 'build64', '-p', 'build32']).filter((l) => l.startsWith('src/legacy.c'))).toEqual([LEGACY]);
  });

  it('--target narrows every database to that target', () => {
    expect(compact(['-p', 'build64', '-p', 'build32', '--target', 'x86'])).toEqual([
      `${CHUNK} [build32|x86] [virtualalloc-granularity]`,
      'src/legacy.c:4:10: error: VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable; it is kept: its address is returned to the caller [virtualalloc-granularity]',
    ]);
  });
});

describe('--print-config with --project', () => {
  it('shows the configurations a file is built in', () => {
    const r = runCli(['--project', SOLUTION, '--print-config', 'minhook/src/hde/hde32.c'], { cwd: msbuild });
    const printed = JSON.parse(r.stdout) as { projects: string[]; configurations: { name: string; target: string; defines: Record<string, string> }[] };
    expect(printed.projects).toEqual([path.join(msbuild, SOLUTION)]);
    expect(printed.configurations.map((c) => [c.name, c.target, c.defines._DEBUG ?? c.defines.NDEBUG])).toEqual([
      ['Debug|Win32', 'x86', '1'],
      ['Release|Win32', 'x86', '1'],
    ]);
  });
});
