// Linkage when the run knows the builds (analysis/linkage.ts): a call binds to a function of another source file
// only when a build lists both, whatever folders they sit in. test/fixtures/linkage-projects/ holds two Visual
// Studio projects in one folder (pool.vcxproj: pool.c and app.c; pool_test.vcxproj: test.c and mock.c, which
// defines a pool_reserve of its own) and a solution of both; test/fixtures/linkage-databases/ the same two
// programs as two compilation databases over one source folder.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BuildConfigurations } from '../../../src/engine/preprocess/build-configurations.js';
import { defaultLintOptions, lintPaths, type LintOptions, type LintResult } from '../../../src/engine/runner/lint.js';
import { FIXTURES } from '../../helpers/fixtures.js';

const PROJECTS = path.join(FIXTURES, 'linkage-projects');
const DATABASES = path.join(FIXTURES, 'linkage-databases');
const DATABASE_FILES = ['build/core/compile_commands.json', 'build/tests/compile_commands.json'];

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** The findings of a run, as `file:line callee size [configurations]` (none listed: the run checked one). */
function lines(result: LintResult, root: string): string[] {
  expect(result.usageError).toBeFalsy();
  return result.findings
    .map(
      (f) =>
        `${path.relative(root, f.file).split(path.sep).join('/')}:${f.range.start.line} ${f.properties.callee} ${f.properties.size} [${(f.configurations ?? []).join(', ')}]`,
    )
    .sort();
}

/** The files a --fix run would change, and each replaced text. */
function patched(result: LintResult, root: string): string[] {
  expect(result.usageError).toBeFalsy();
  return (result.patches ?? [])
    .map((p) => {
      const before = p.before.split('\n');
      const after = p.after.split('\n');
      const changed = after.filter((line, i) => line !== before[i]).map((line) => line.trim().split(/\s+\/\//)[0]);
      return `${path.relative(root, p.file).split(path.sep).join('/')}: ${changed.join(' | ')}`;
    })
    .sort();
}

function options(root: string, extra: Partial<LintOptions>): LintOptions {
  return { ...defaultLintOptions(root), ...extra };
}

describe('linkage within the Visual Studio projects of a run', () => {
  it("binds a project's wrapper for its own callers only, and for another project's through a header both include", async () => {
    const result = await lintPaths([PROJECTS], options(PROJECTS, { projects: ['pool.sln'] }));
    expect(lines(result, PROJECTS)).toEqual([
      // pool.vcxproj links pool.c with app.c
      'app.c:6 pool_reserve 8192 [Debug|Win32, Release|x64]',
      // pool_test.vcxproj does not link pool.c: its test.c:7 calls mock.c's pool_reserve; pool_map is declared in
      // pool.h, which pool.c and test.c both include
      'test.c:8 pool_map 12288 [Debug|Win32, Release|x64]',
    ]);
  });

  it('binds the same way with a project given alone, over the folder of both', async () => {
    for (const project of ['pool.vcxproj', 'pool_test.vcxproj']) {
      const result = await lintPaths([PROJECTS], options(PROJECTS, { projects: [project] }));
      const listed = (file: string) => (project === 'pool.vcxproj') === (file === 'app.c');
      // (a file the project does not list is checked with the run's own settings, in each of its targets)
      const label = (file: string) => (listed(file) ? 'Debug|Win32, Release|x64' : 'x64, x86');
      expect(lines(result, PROJECTS), project).toEqual([`app.c:6 pool_reserve 8192 [${label('app.c')}]`, `test.c:8 pool_map 12288 [${label('test.c')}]`]);
    }
  });

  it('fixes the same calls in a --fix run, which checks every project in one run', async () => {
    const result = await lintPaths([PROJECTS], options(PROJECTS, { projects: ['pool.sln'], fix: true }));
    expect(patched(result, PROJECTS)).toEqual(['app.c: return pool_reserve(65536);', 'test.c: pool_map(65536);']);
  });

  it('binds by the project roots when no project is given (the folder is one project)', async () => {
    const result = await lintPaths([PROJECTS], options(PROJECTS, { target: 'x64' }));
    expect(lines(result, PROJECTS)).toEqual(['app.c:6 pool_reserve 8192 []', 'test.c:7 pool_reserve 4096 []', 'test.c:8 pool_map 12288 []']);
  });

  it('binds a call in a file no project lists to a wrapper no project lists, by the project roots', async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'granule-linkage-builds-')));
    dirs.push(dir);
    fs.cpSync(PROJECTS, dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'tool.c'), '#include <stddef.h>\nvoid *tool_reserve(size_t n);\nvoid tool(void) {\n    tool_reserve(20480);\n}\n');
    fs.writeFileSync(
      path.join(dir, 'tool_reserve.c'),
      '#include <windows.h>\nvoid *tool_reserve(SIZE_T n) { return VirtualAlloc(NULL, n, MEM_RESERVE, PAGE_NOACCESS); }\n',
    );
    // a call of a listed file never reaches a wrapper of a file no project lists, nor the other way round
    fs.writeFileSync(path.join(dir, 'stray.c'), '#include <stddef.h>\nvoid *pool_reserve(size_t n);\nvoid stray(void) {\n    pool_reserve(24576);\n}\n');
    const result = await lintPaths([dir], options(dir, { projects: ['pool.sln'] }));
    expect(lines(result, dir)).toEqual([
      'app.c:6 pool_reserve 8192 [Debug|Win32, Release|x64]',
      'test.c:8 pool_map 12288 [Debug|Win32, Release|x64]',
      'tool.c:4 tool_reserve 20480 [x64, x86]',
    ]);
  });
});

describe('linkage of function pointers within the Visual Studio projects of a run', () => {
  it("binds a call through a project's global pointer for that project's files only", async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'granule-linkage-builds-')));
    dirs.push(dir);
    fs.cpSync(PROJECTS, dir, { recursive: true });
    const list = (project: string, files: string[]) => {
      const file = path.join(dir, project);
      const items = files.map((f) => `<ClCompile Include="${f}" />`).join('');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('<ItemGroup>\n', `<ItemGroup>\n    ${items}\n`));
    };
    list('pool.vcxproj', ['ptr.c', 'ptr_user.c']);
    list('pool_test.vcxproj', ['ptr_test.c']);
    const pfn = '#include <windows.h>\ntypedef LPVOID (WINAPI *PFN_VA)(LPVOID, SIZE_T, DWORD, DWORD);\n';
    fs.writeFileSync(
      path.join(dir, 'ptr.c'),
      `${pfn}PFN_VA pReserve;\nvoid load(void) {\n    pReserve = (PFN_VA)GetProcAddress(GetModuleHandleA("kernel32.dll"), "VirtualAlloc");\n}\n`,
    );
    // each declares the pointer itself: pool.vcxproj links ptr_user.c with ptr.c, pool_test.vcxproj does not
    const user = (size: number) =>
      `#include <windows.h>\nextern LPVOID (WINAPI *pReserve)(LPVOID, SIZE_T, DWORD, DWORD);\nvoid use(void) {\n    pReserve(NULL, ${size}, MEM_RESERVE, PAGE_READWRITE);\n}\n`;
    fs.writeFileSync(path.join(dir, 'ptr_user.c'), user(16384));
    fs.writeFileSync(path.join(dir, 'ptr_test.c'), user(4096));
    const result = await lintPaths([dir], options(dir, { projects: ['pool.sln'] }));
    expect(lines(result, dir)).toEqual([
      'app.c:6 pool_reserve 8192 [Debug|Win32, Release|x64]',
      'ptr_user.c:4 pReserve 16384 [Debug|Win32, Release|x64]',
      'test.c:8 pool_map 12288 [Debug|Win32, Release|x64]',
    ]);
    const evidence = result.findings.find((f) => f.file.endsWith('ptr_user.c'))!.evidence;
    expect(evidence.map((e) => `${e.kind} ${path.basename(e.file)}:${e.range.start.line} ${e.message}`)).toEqual([
      'pointer ptr.c:5 pReserve points to VirtualAlloc: pReserve = (PFN_VA)GetProcAddress(GetModuleHandleA("kernel32.dll"), "VirtualAlloc")',
    ]);
  });
});

describe('linkage within the compilation databases of a run', () => {
  it("binds a database's wrapper for the files of that database only", async () => {
    const result = await lintPaths([DATABASES], options(DATABASES, { compileCommands: DATABASE_FILES, target: 'x64' }));
    expect(lines(result, DATABASES)).toEqual(['src/app.c:6 pool_reserve 8192 [x64]']);
  });

  it('fixes only that call in a --fix run, which checks every database in one run', async () => {
    const result = await lintPaths([DATABASES], options(DATABASES, { compileCommands: DATABASE_FILES, target: 'x64', fix: true }));
    expect(patched(result, DATABASES)).toEqual(['src/app.c: return pool_reserve(65536);']);
  });

  it('binds by the project roots without the databases (the source folder is one project)', async () => {
    const result = await lintPaths([DATABASES], options(DATABASES, { target: 'x64' }));
    expect(lines(result, DATABASES)).toEqual(['src/app.c:6 pool_reserve 8192 []', 'src/test.c:6 pool_reserve 4096 []']);
  });
});

describe('the builds of a file', () => {
  it('are the databases and projects that list it, by absolute path, sorted', () => {
    const build = new BuildConfigurations({ cwd: DATABASES, compileCommands: [...DATABASE_FILES].reverse(), projects: [path.join(PROJECTS, 'pool.sln')] }, []);
    expect(build.buildsOf(path.join(DATABASES, 'src', 'app.c'))).toEqual([path.join(DATABASES, 'build', 'core', 'compile_commands.json')]);
    expect(build.buildsOf(path.join(DATABASES, 'src', 'mock.c'))).toEqual([path.join(DATABASES, 'build', 'tests', 'compile_commands.json')]);
    expect(build.buildsOf(path.join(PROJECTS, 'test.c'))).toEqual([path.join(PROJECTS, 'pool_test.vcxproj')]);
    expect(build.buildsOf(path.join(PROJECTS, 'pool.h'))).toEqual([]);
  });
});
