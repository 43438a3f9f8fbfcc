// Visual Studio projects read as MSBuild evaluates them: the configurations, the files each compiles and the
// defines, undefines, include paths and forced includes each file gets. The projects are real ones (MinHook's
// VC17 solution, mimalloc's library project, copied with their licences) and a small tree of property sheets;
// every expectation is derived by hand from MSBuild's rules, shown in the comment above it.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProjectError, VisualStudioProjects } from '../../../../src/engine/preprocess/msbuild/projects.js';
import { FIXTURES } from '../../../helpers/fixtures.js';
import { unavailable } from '../../../helpers/requirements.js';
import { makeTree } from '../../../helpers/tree.js';

const MSBUILD = path.join(FIXTURES, 'msbuild');
const at = (...parts: string[]) => path.join(MSBUILD, ...parts);

function read(file: string, wanted: string[] = [], tree = path.dirname(at(file))): VisualStudioProjects {
  return new VisualStudioProjects([at(file)], wanted, [tree]);
}

describe('MinHook (build/VC17/MinHookVC17.sln)', () => {
  const projects = read('minhook/build/VC17/MinHookVC17.sln', [], at('minhook'));

  it('checks each configuration of the solution as the platform says', () => {
    expect(projects.configurationNames).toEqual(['Debug|Win32', 'Debug|x64', 'Release|Win32', 'Release|x64']);
    expect(projects.configurationsOf(at('minhook/src/buffer.c')).map((c) => [c.name, c.target])).toEqual([
      ['Debug|Win32', 'x86'],
      ['Debug|x64', 'x64'],
      ['Release|Win32', 'x86'],
      ['Release|x64', 'x64'],
    ]);
  });

  it('gives a file the defines of its configuration, with the character set of Microsoft.Cl.Common.props', () => {
    // libMinHook.vcxproj, Debug|Win32:
    //   <PreprocessorDefinitions>WIN32;_DEBUG;_LIB;STRICT;%(PreprocessorDefinitions)</PreprocessorDefinitions>
    //   %(PreprocessorDefinitions) = what Microsoft.Cl.Common.props set for <CharacterSet>Unicode</CharacterSet>:
    //   _UNICODE;UNICODE (a StaticLibrary gets no _WINDLL)
    //   <AdditionalIncludeDirectories>%(AdditionalIncludeDirectories)</AdditionalIncludeDirectories> = (empty)
    const [debugWin32] = projects.configurationsOf(at('minhook/src/buffer.c'));
    expect(debugWin32).toEqual({
      name: 'Debug|Win32',
      target: 'x86',
      compiler: 'msvc',
      defines: { WIN32: '1', _DEBUG: '1', _LIB: '1', STRICT: '1', _UNICODE: '1', UNICODE: '1' },
      undefines: [],
      includePaths: [],
      forceIncludes: [],
    });
    // Release|x64: WIN32;NDEBUG;_LIB;STRICT;%(PreprocessorDefinitions) (MinHook defines WIN32 on x64 too)
    expect(projects.configurationsOf(at('minhook/src/buffer.c'))[3]!.defines).toEqual({
      WIN32: '1',
      NDEBUG: '1',
      _LIB: '1',
      STRICT: '1',
      _UNICODE: '1',
      UNICODE: '1',
    });
  });

  it('honours ExcludedFromBuild per configuration, and finds ..\\..\\src\\HDE\\hde32.c in src/hde as Windows would', () => {
    // <ClCompile Include="..\..\src\HDE\hde32.c"> is ExcludedFromBuild in Release|x64 and Debug|x64; hde64.c in the
    // two Win32 configurations; the folder is src/hde on disk (Windows file names ignore case)
    expect(projects.configurationsOf(at('minhook/src/hde/hde32.c')).map((c) => c.name)).toEqual(['Debug|Win32', 'Release|Win32']);
    expect(projects.configurationsOf(at('minhook/src/hde/hde64.c')).map((c) => c.name)).toEqual(['Debug|x64', 'Release|x64']);
    expect(projects.files.map((f) => path.relative(at('minhook'), f))).toEqual([
      'src/buffer.c',
      'src/hde/hde32.c',
      'src/hook.c',
      'src/trampoline.c',
      'src/hde/hde64.c',
    ]);
  });

  it('says once which imports and properties it could not follow', () => {
    expect(projects.noticeList.map((n) => n.message)).toEqual([
      'project: imports that are not in the tree are skipped (Visual Studio\'s own property sheets): "$(VCTargetsPath)\\\\Microsoft.Cpp.Default.props", "$(VCTargetsPath)\\\\Microsoft.Cpp.props", "$(VCTargetsPath)\\\\Microsoft.Cpp.targets"',
      'project: $(UserRootDir) is not set by the project or its property sheets (an environment variable or a Visual Studio property); the values that use it are left out',
    ]);
  });

  it('narrows to --project-configuration, by the solution or the project configuration name', () => {
    const narrowed = read('minhook/build/VC17/MinHookVC17.sln', ['release|WIN32'], at('minhook'));
    expect(narrowed.configurationNames).toEqual(['Release|Win32']);
    expect(narrowed.files.map((f) => path.basename(f))).toEqual(['buffer.c', 'hde32.c', 'hook.c', 'trampoline.c']);
  });
});

describe('mimalloc (ide/vs2022/mimalloc-lib.vcxproj, alone)', () => {
  const projects = read('mimalloc/ide/vs2022/mimalloc-lib.vcxproj', [], at('mimalloc'));

  it('reads the project configurations, Win32, x64 and ARM64, and skips ARM64EC with a notice', () => {
    expect(projects.configurationNames).toEqual(['Debug|ARM64', 'Debug|Win32', 'Release|ARM64', 'Release|Win32', 'Debug|x64', 'Release|x64']);
    expect(projects.noticeList.map((n) => n.message)).toContain(
      'project: the platform "ARM64EC" is not one granule checks (Win32, x64, ARM64); its configurations are skipped',
    );
  });

  it('derives the include path and the defines MSBuild passes to cl', () => {
    // Release|x64: <AdditionalIncludeDirectories>../../include</AdditionalIncludeDirectories> (relative to the
    // project: mimalloc/include); <PreprocessorDefinitions>%(PreprocessorDefinitions);NDEBUG;MI_GUARDED=1</...>
    // with no CharacterSet, so %(PreprocessorDefinitions) is empty
    const release = projects.configurationsOf(at('mimalloc/src/os.c')).find((c) => c.name === 'Release|x64')!;
    expect(release).toMatchObject({ target: 'x64', defines: { NDEBUG: '1', MI_GUARDED: '1' }, includePaths: [at('mimalloc/include')] });
    expect(Object.keys(release.defines)).toEqual(['NDEBUG', 'MI_GUARDED']);
    // Debug|ARM64: MI_DEBUG=3;%(PreprocessorDefinitions); (the trailing ; is an empty entry MSBuild drops)
    const arm = projects.configurationsOf(at('mimalloc/src/os.c')).find((c) => c.name === 'Debug|ARM64')!;
    expect(arm).toMatchObject({ target: 'arm64', defines: { MI_DEBUG: '3' } });
  });

  it('leaves out the files that are excluded from every configuration (they are #included by others)', () => {
    // alloc-override.c, free.c, page-queue.c and prim/windows/prim.c are ExcludedFromBuild in each configuration
    const names = projects.files.map((f) => path.relative(at('mimalloc/src'), f));
    expect(names).not.toContain('free.c');
    expect(names).not.toContain('page-queue.c');
    expect(names).not.toContain(path.join('prim', 'windows', 'prim.c'));
    expect(names).toContain('os.c');
  });
});

describe('property sheets (sheets/: a solution, Directory.Build.props and props/common.props)', () => {
  const projects = read('sheets/sheets.sln', [], at('sheets'));
  const app = (...p: string[]) => at('sheets', 'app', ...p);

  it('evaluates Debug|Win32 through the sheets in MSBuild order', () => {
    // Microsoft.Cpp.Default.props → Directory.Build.props: TreeRoot = sheets/; IntDir = $(Configuration)\ = Debug\
    // Microsoft.Cpp.props: CharacterSet MultiByte → _MBCS; ConfigurationType DynamicLibrary → _WINDLL
    // $(SolutionDir)props\common.props: SharedInclude = $(TreeRoot)include;
    //   AdditionalIncludeDirectories = sheets/include; PreprocessorDefinitions = COMMON_SHEET;_MBCS;_WINDLL
    //   ('$(Platform)'=='Win32') PreprocessorDefinitions = SHEET_X86=1;COMMON_SHEET;_MBCS;_WINDLL
    // ..\..\outside.props: outside the tree, skipped; $(DXSDK_DIR)... : an unknown condition, skipped
    // app.vcxproj: AdditionalIncludeDirectories = $(IntDir)generated;$(DXSDK_DIR)Include;%(...)
    //   = app/Debug/generated; (the DXSDK_DIR entry left out); sheets/include
    //   PreprocessorDefinitions = APP_NAME="app";SHEET_X86=1;COMMON_SHEET;_MBCS;_WINDLL
    //   ForcedIncludeFiles = $(ProjectDir)force.h
    const [main] = projects.configurationsOf(app('main.c'));
    expect(main).toEqual({
      name: 'Debug|Win32',
      target: 'x86',
      compiler: 'msvc',
      defines: { APP_NAME: '"app"', SHEET_X86: '1', COMMON_SHEET: '1', _MBCS: '1', _WINDLL: '1' },
      undefines: [],
      includePaths: [app('Debug', 'generated'), at('sheets', 'include')],
      forceIncludes: [app('force.h')],
    });
    // legacy.c adds its own LEGACY;%(PreprocessorDefinitions) to the item definitions
    expect(projects.configurationsOf(app('legacy.c'))[0]!.defines).toEqual({
      LEGACY: '1',
      APP_NAME: '"app"',
      SHEET_X86: '1',
      COMMON_SHEET: '1',
      _MBCS: '1',
      _WINDLL: '1',
    });
  });

  it('evaluates Release|x64: its own IntDir, Unicode, and an undefined sheet macro', () => {
    // IntDir = $(Platform)\$(Configuration)\ = x64\Release\; CharacterSet Unicode → _UNICODE;UNICODE
    // Release|x64 item definition: NDEBUG;BIG_BLOCKS;%(...) and UndefinePreprocessorDefinitions COMMON_SHEET
    const release = projects.configurationsOf(app('main.c'))[1]!;
    expect(release).toEqual({
      name: 'Release|x64',
      target: 'x64',
      compiler: 'msvc',
      defines: { NDEBUG: '1', BIG_BLOCKS: '1', APP_NAME: '"app"', _UNICODE: '1', UNICODE: '1' },
      undefines: ['COMMON_SHEET'],
      includePaths: [app('x64', 'Release', 'generated'), at('sheets', 'include')],
      forceIncludes: [app('force.h')],
    });
    // legacy.c is ExcludedFromBuild on x64
    expect(projects.configurationsOf(app('legacy.c')).map((c) => c.name)).toEqual(['Debug|Win32']);
  });

  it('does not read a sheet outside the tree, and says what it left unknown', () => {
    const messages = projects.noticeList.map((n) => n.message);
    expect(messages).toContain('project: cannot import "..\\\\..\\\\outside.props": it is outside the scanned tree; skipped');
    expect(messages).toContain(
      'project: $(DXSDK_DIR) is not set by the project or its property sheets (an environment variable or a Visual Studio property); the values that use it are left out',
    );
    expect(Object.keys(projects.configurationsOf(app('main.c'))[0]!.defines)).not.toContain('FROM_OUTSIDE');
  });

  it('reads the outside sheet when the tree holds it', () => {
    const wider = read('sheets/sheets.sln', [], MSBUILD);
    expect(wider.configurationsOf(app('main.c'))[0]!.defines.FROM_OUTSIDE).toBe('1');
  });
});

describe('hostile projects', () => {
  const project = (body: string) => `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
  <ItemGroup><ProjectConfiguration Include="Release|x64" /></ItemGroup>
  ${body}
  <ItemGroup><ClCompile Include="a.c" /></ItemGroup>
</Project>`;
  const trees: string[] = [];
  afterAll(() => trees.forEach((t) => fs.rmSync(t, { recursive: true, force: true })));
  const tree = (files: Record<string, string>) => {
    const root = makeTree(files, 'granule-msbuild-');
    trees.push(root);
    return root;
  };

  it('never expands an entity a project declares: the project is not well-formed XML, a configuration error', () => {
    const root = tree({
      'p.vcxproj': `<?xml version="1.0"?>\n<!DOCTYPE Project [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<Project><PropertyGroup><X>&b;</X></PropertyGroup></Project>`,
    });
    expect(() => new VisualStudioProjects([path.join(root, 'p.vcxproj')], [], [root])).toThrow(ProjectError);
    expect(() => new VisualStudioProjects([path.join(root, 'p.vcxproj')], [], [root])).toThrow(/is not well-formed XML/);
  });

  it.skipIf(unavailable('mkfifo'))('does not follow a symbolic link out of the tree, nor read a sheet that is not a regular file', () => {
    const outside = tree({ 'evil.props': project('').replace('<ItemGroup><ClCompile Include="a.c" /></ItemGroup>', '') });
    const root = tree({
      'p.vcxproj': project('<Import Project="linked.props" /><Import Project="fifo.props" />'),
      'a.c': '',
    });
    fs.symlinkSync(path.join(outside, 'evil.props'), path.join(root, 'linked.props'));
    execFileSync('mkfifo', [path.join(root, 'fifo.props')]);
    const projects = new VisualStudioProjects([path.join(root, 'p.vcxproj')], [], [root]);
    const messages = projects.noticeList.map((n) => n.message);
    expect(messages).toContain('project: cannot import "linked.props": it is outside the scanned tree; skipped');
    expect(messages.some((m) => m.startsWith('project: cannot import "fifo.props": '))).toBe(true);
    // the project is still read
    expect(projects.configurationsOf(path.join(root, 'a.c')).map((c) => c.name)).toEqual(['Release|x64']);
  });

  it('stops at an import cycle', () => {
    const root = tree({
      'p.vcxproj': project('<Import Project="a.props" />'),
      'a.props': '<Project><Import Project="b.props" /><PropertyGroup><A>1</A></PropertyGroup></Project>',
      'b.props': '<Project><Import Project="a.props" /></Project>',
      'a.c': '',
    });
    const projects = new VisualStudioProjects([path.join(root, 'p.vcxproj')], [], [root]);
    expect(projects.configurationsOf(path.join(root, 'a.c'))).toHaveLength(1);
  });
});
