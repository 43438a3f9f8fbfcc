// The macros MSVC and clang-cl predefine for each Windows target, with the options a plain `cl` command line has.
//
// Source: Microsoft, "Predefined macros", https://learn.microsoft.com/en-us/cpp/preprocessor/predefined-macros
// (the "Microsoft-specific predefined macros" and "Standard predefined macros" sections). The version is
// Visual Studio 2022 version 17.13: _MSC_VER 1943 (the page's table), _MSC_FULL_VER 194334808 (cl 19.43.34808).
// Macros that depend on an option a build may or may not pass (_DEBUG, _DLL, _CPPUNWIND, _CHAR_UNSIGNED,
// __STDC__, __STDC_VERSION__, _OPENMP, _M_FP_*, __SANITIZE_ADDRESS__, _M_ARM64EC, _MANAGED, ...) are in no table:
// whether they are defined stays unknown, and code under them is analysed either way.
//
// clang-cl: clang's MSVC-compatible driver predefines MSVC's macros (with the _MSC_VER of the Visual Studio it
// finds) plus its own identity and GCC-style architecture names (clang lib/Basic/Targets/X86.cpp, AArch64.cpp:
// `__x86_64__`, `__i386__`, `__aarch64__`), but not `__GNUC__` (clang-cl sets -fgnuc-version=0) and not
// `__STDC__` (MSVC compatibility). The clang version chosen is 17.0.3, the one Visual Studio 17.13 installs.

import type { Target } from '../types.js';

/** Predefined macros by language: `both` always, `c` only in C, `cpp` only in C++. */
export interface MacroSet {
  both: Record<string, string>;
  c: Record<string, string>;
  cpp: Record<string, string>;
}

export const MSVC_VERSION = { msc: '1943', full: '194334808', build: '0', visualStudio: '2022 17.13' };
export const CLANG_CL_VERSION = { major: '17', minor: '0', patch: '3' };

const MSVC_ARCH: Record<Target, Record<string, string>> = {
  x86: { _M_IX86: '600', _M_IX86_FP: '2' },
  x64: { _WIN64: '1', _M_X64: '100', _M_AMD64: '100' },
  arm64: { _WIN64: '1', _M_ARM64: '1' },
};

export function msvcMacros(target: Target): MacroSet {
  return {
    both: {
      _MSC_VER: MSVC_VERSION.msc,
      _MSC_FULL_VER: MSVC_VERSION.full,
      _MSC_BUILD: MSVC_VERSION.build,
      _MSC_EXTENSIONS: '1',
      _WIN32: '1',
      _INTEGRAL_MAX_BITS: '64',
      _MT: '1',
      __STDC_HOSTED__: '1',
      ...MSVC_ARCH[target],
    },
    c: {},
    // C++: `__cplusplus` stays 199711L without /Zc:__cplusplus; _MSVC_LANG says /std:c++14, the default
    cpp: {
      __cplusplus: '199711L',
      _MSVC_LANG: '201402L',
      _CPPRTTI: '1',
      _NATIVE_WCHAR_T_DEFINED: '1',
      _WCHAR_T_DEFINED: '1',
      __STDCPP_THREADS__: '1',
    },
  };
}

const CLANG_ARCH: Record<Target, Record<string, string>> = {
  x86: { __i386__: '1', __i386: '1' },
  x64: { __x86_64__: '1', __x86_64: '1', __amd64__: '1', __amd64: '1' },
  arm64: { __aarch64__: '1' },
};

export function clangClMacros(target: Target): MacroSet {
  const msvc = msvcMacros(target);
  const { major, minor, patch } = CLANG_CL_VERSION;
  return {
    ...msvc,
    both: {
      ...msvc.both,
      __clang__: '1',
      __clang_major__: major,
      __clang_minor__: minor,
      __clang_patchlevel__: patch,
      __clang_version__: `"${major}.${minor}.${patch} "`,
      __llvm__: '1',
      ...CLANG_ARCH[target],
    },
  };
}
