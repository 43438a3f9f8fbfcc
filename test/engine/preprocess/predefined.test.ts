// The preprocessor's model of the compiler: predefined macros per target and compiler, other systems' macros
// certainly undefined, definitions in inactive branches never counted, and `#if` arithmetic as C specifies.

import { describe, expect, it } from 'vitest';
import type { Compiler } from '../../../src/engine/model/configuration.js';
import { predefinedMacros } from '../../../src/engine/model/compilers.js';
import { targetModel } from '../../../src/engine/model/target.js';
import type { Target } from '../../../src/engine/model/types.js';
import { preprocess } from '../../../src/engine/preprocess/preprocess.js';

interface Setup {
  target?: Target;
  compiler?: Compiler;
  cplusplus?: boolean | undefined;
  defines?: Record<string, string>;
}

/** Whether `#if expr` is taken: 'yes', 'no' or 'maybe', read from what the preprocessor blanks. */
function branch(expr: string, setup: Setup = {}, before = ''): 'yes' | 'no' | 'maybe' {
  const text = `${before}\n#if ${expr}\nint live;\n#endif\n`;
  const r = preprocess('t.c', text, {
    model: targetModel(setup.target ?? 'x64'),
    compiler: setup.compiler,
    cplusplus: 'cplusplus' in setup ? setup.cplusplus : false,
    defines: setup.defines ?? {},
    undefines: [],
    includePaths: [],
    forceIncludes: [],
    readFile: () => undefined,
  });
  const body = text.indexOf('int live;');
  const blanked = r.blank.some(([s, e]) => s <= body && body < e);
  const directiveBlanked = r.blank.some(([s, e]) => s <= text.indexOf(`#if ${expr}`) && text.indexOf(`#if ${expr}`) < e);
  return blanked ? 'no' : directiveBlanked ? 'yes' : 'maybe';
}

describe('predefined macros per compiler', () => {
  it('MSVC: _MSC_VER and the target macros, no __GNUC__', () => {
    expect(branch('_MSC_VER == 1943 && _MSC_FULL_VER == 194334808')).toBe('yes');
    expect(branch('defined(_WIN64) && _M_X64 == 100 && _M_AMD64 == 100')).toBe('yes');
    expect(branch('_M_IX86 == 600 && _M_IX86_FP == 2 && !defined(_WIN64)', { target: 'x86' })).toBe('yes');
    expect(branch('_M_ARM64 && defined(_WIN64) && !defined(_M_X64)', { target: 'arm64' })).toBe('yes');
    expect(branch('defined(__GNUC__)')).toBe('no');
    expect(branch('defined(__x86_64__)')).toBe('no');
    expect(branch('_INTEGRAL_MAX_BITS == 64')).toBe('yes');
  });

  it('MSVC C++: __cplusplus stays 199711L, _MSVC_LANG says C++14, RTTI is on', () => {
    expect(branch('__cplusplus == 199711L && _MSVC_LANG == 201402L && _CPPRTTI', { cplusplus: true })).toBe('yes');
    expect(branch('defined(_MSVC_LANG)', { cplusplus: false })).toBe('no');
    // a header C and C++ files both include: the language's own macros stay unknown
    expect(branch('defined(_MSVC_LANG)', { cplusplus: undefined })).toBe('maybe');
  });

  it('mingw: the GCC macros of the cross compiler, no _MSC_VER', () => {
    expect(branch('__GNUC__ >= 12 && defined(__MINGW32__) && defined(__MINGW64__)', { compiler: 'mingw' })).toBe('yes');
    expect(branch('defined(__x86_64__) && _WIN64', { compiler: 'mingw' })).toBe('yes');
    expect(branch('defined(__i386__) && !defined(__x86_64__) && defined(_X86_)', { compiler: 'mingw', target: 'x86' })).toBe('yes');
    expect(branch('defined(_MSC_VER)', { compiler: 'mingw' })).toBe('no');
    expect(branch('__STDC_VERSION__ >= 201710L', { compiler: 'mingw' })).toBe('yes');
    expect(branch('__cplusplus == 201703L && __GNUG__ == __GNUC__', { compiler: 'mingw', cplusplus: true })).toBe('yes');
  });

  it('clang-cl: MSVC macros, clang identity and GCC-style architecture names, no __GNUC__', () => {
    expect(branch('defined(_MSC_VER) && defined(__clang__) && defined(__x86_64__)', { compiler: 'clang-cl' })).toBe('yes');
    expect(branch('defined(__GNUC__)', { compiler: 'clang-cl' })).toBe('no');
    expect(branch('defined(__i386__) && _M_IX86', { compiler: 'clang-cl', target: 'x86' })).toBe('yes');
  });

  it('mingw arm64 has no x86 macros', () => {
    const { definitions } = predefinedMacros('arm64', 'mingw', false);
    expect(definitions).toContain('__aarch64__ 1');
    expect(definitions.filter((d) => /^__(x86_64|amd64|SSE|MMX)/.test(d))).toEqual([]);
  });
});

describe('other systems are known undefined on Windows', () => {
  it.each(['__linux__', 'linux', '__unix__', 'unix', '__APPLE__', '__MACH__', '__FreeBSD__', '__NetBSD__', '__OpenBSD__', '__DragonFly__'])('%s', (name) => {
    expect(branch(`defined(${name})`)).toBe('no');
    expect(branch(name)).toBe('no');
    expect(branch(`defined ${name}`, { compiler: 'mingw' })).toBe('no');
  });

  it.each(['__sun', '__ANDROID__', '__EMSCRIPTEN__', '__CYGWIN__', '_M_IA64', '__powerpc__', '__mips__', '__riscv', '__s390__', '__sparc__'])('%s', (name) => {
    expect(branch(`defined(${name})`)).toBe('no');
  });

  it('another architecture of Windows is undefined too', () => {
    expect(branch('defined(__aarch64__) || defined(_M_ARM64)')).toBe('no');
    expect(branch('defined(__x86_64__) || defined(_M_X64) || defined(_WIN64)', { target: 'x86', compiler: 'clang-cl' })).toBe('no');
  });

  it('a -D of a foreign name wins', () => {
    expect(branch('defined(__linux__)', { defines: { __linux__: '1' } })).toBe('yes');
  });

  it('a project macro with no visible definition is still decided neither way', () => {
    expect(branch('defined(MY_FEATURE)')).toBe('maybe');
    expect(branch('MY_LEVEL > 2')).toBe('maybe');
    // WIN32 is what Visual Studio projects pass with /D: not the compiler's, not certainly undefined
    expect(branch('defined(WIN32)')).toBe('maybe');
  });
});

describe('definitions in inactive branches never count', () => {
  it('a macro defined only in a dead branch is undefined afterwards', () => {
    expect(branch('defined(USE_MMAP)', {}, '#ifdef __linux__\n#define USE_MMAP 1\n#endif')).toBe('no');
    expect(branch('USE_MMAP', {}, '#if 0\n#define USE_MMAP 1\n#endif')).toBe('no');
    expect(branch('!defined(BIG)', {}, '#if defined(_MSC_VER)\n#define SMALL 1\n#else\n#define BIG 1\n#endif')).toBe('yes');
  });

  it('a definition under an undecidable condition is not one in an inactive branch', () => {
    // (definitions under undecidable conditions count when they agree: MacroTable.lookup)
    expect(branch('defined(USE_MMAP)', {}, '#ifdef MY_FEATURE\n#define USE_MMAP 1\n#endif')).not.toBe('no');
  });

  it('a live definition after a dead one decides it', () => {
    expect(branch('defined(X)', {}, '#if 0\n#define X 1\n#endif\n#define X 2')).toBe('yes');
  });
});

describe('#if arithmetic as C specifies (C11 6.10.1)', () => {
  it('computes in intmax_t and uintmax_t', () => {
    expect(branch('-1 < 0')).toBe('yes');
    // -1 converted to uintmax_t is the largest value
    expect(branch('-1 > 0u')).toBe('yes');
    expect(branch('0xFFFFFFFFFFFFFFFF == -1')).toBe('yes');
    expect(branch('(1 << 40) == 0x10000000000')).toBe('yes');
    expect(branch('0x7FFFFFFFFFFFFFFF + 0 > 0')).toBe('yes');
    expect(branch('18446744073709551615u / 2 == 9223372036854775807')).toBe('yes');
  });

  it('takes defined with and without parentheses', () => {
    expect(branch('defined _WIN32 && defined(_WIN32)')).toBe('yes');
    expect(branch('!defined __linux__')).toBe('yes');
  });

  it('reads an undefined name as 0 only when it is known undefined', () => {
    expect(branch('__linux__ == 0')).toBe('yes');
    expect(branch('PROJECT_LEVEL == 0')).toBe('maybe');
    // __cplusplus in a C file is undefined, hence 0
    expect(branch('__cplusplus >= 201103L', { cplusplus: false })).toBe('no');
  });

  it('evaluates character constants', () => {
    expect(branch("'A' == 65")).toBe('yes');
    expect(branch("'\\n' == 10 && '\\x41' == 'A' && '\\0' == 0")).toBe('yes');
  });

  it('leaves what C leaves undefined unknown', () => {
    expect(branch('1 / 0')).toBe('maybe');
    expect(branch('0x7FFFFFFFFFFFFFFF + 1 > 0')).toBe('maybe');
  });
});
