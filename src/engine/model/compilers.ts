// What a compiler predefines for a Windows target, and what it certainly does not: the macros of the chosen
// (target, compiler, language) are defined with the compiler's values; every macro another system, architecture
// or compiler predefines (predefined/foreign.ts) is certainly undefined; everything else (a project's macros,
// macros a compiler option may set) stays unknown.

import type { Compiler } from './configuration.js';
import { ARCHITECTURES, COMPILERS, OTHER_SYSTEMS } from './predefined/foreign.js';
import { MINGW_X64_DEFINES } from './predefined/mingw-x64.js';
import { MINGW_X86_DEFINES } from './predefined/mingw-x86.js';
import { clangClMacros, msvcMacros, type MacroSet } from './predefined/msvc.js';
import type { Target } from './types.js';

export type { Compiler } from './configuration.js';

export const COMPILER_NAMES: readonly Compiler[] = ['msvc', 'mingw', 'clang-cl'];

export function isCompiler(value: unknown): value is Compiler {
  return typeof value === 'string' && (COMPILER_NAMES as readonly string[]).includes(value);
}

export interface PredefinedMacros {
  /** `#define` texts without the `#define`: `_WIN32 1`, `__declspec(x) __attribute__((x))`. */
  definitions: string[];
  /** Names certainly not defined. */
  undefined: string[];
}

/** `#define NAME BODY` lines (a `-dM` dump) as a name → definition text map. */
function fromDump(dump: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of dump.split('\n')) {
    const m = /^#define ([A-Za-z_]\w*)(.*)$/.exec(line);
    if (m) out[m[1]!] = `${m[1]}${m[2]}`;
  }
  return out;
}

/** Definition texts from a name → value record. */
function fromValues(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, `${name} ${value}`]));
}

/** Definition texts by language. */
interface DefinitionSet {
  both: Record<string, string>;
  c: Record<string, string>;
  cpp: Record<string, string>;
}

function fromMacroSet(set: MacroSet): DefinitionSet {
  return { both: fromValues(set.both), c: fromValues(set.c), cpp: fromValues(set.cpp) };
}

/** x86-only GCC macros, which an AArch64 mingw compiler does not have. */
const X86_ONLY = /^(__x86_64|__amd64|__k8|__MMX|__SSE|__FXSR__|__SEG_|__code_model_|__SIZEOF_FLOAT80__|__GCC_ASM_FLAG_OUTPUTS__|__ATOMIC_HLE_)/;

/**
 * mingw-w64's macros: the `-dM` dump of the installed cross compilers (C mode, predefined/mingw-*.ts). cc1plus is
 * not part of those packages, so C++ is the C dump with `__cplusplus` (g++ 12 defaults to gnu++17) and `__GNUG__`
 * instead of `__STDC_VERSION__`; the other C++-only macros (`__GXX_RTTI`, `__cpp_*`) stay unknown. No AArch64 gcc
 * targets mingw-w64 (llvm-mingw's clang does): arm64 is the x64 dump without its x86 macros, with `__aarch64__`.
 */
function mingwMacros(target: Target): DefinitionSet {
  const both = fromDump(target === 'x86' ? MINGW_X86_DEFINES : MINGW_X64_DEFINES);
  if (target === 'arm64') {
    for (const name of Object.keys(both)) if (X86_ONLY.test(name)) delete both[name];
    both.__aarch64__ = '__aarch64__ 1';
  }
  const c = { __STDC_VERSION__: both.__STDC_VERSION__! };
  delete both.__STDC_VERSION__;
  return { both, c, cpp: { __cplusplus: '__cplusplus 201703L', __GNUG__: `__GNUG__ ${/\d+/.exec(both.__GNUC__!)![0]}` } };
}

function definitionSet(target: Target, compiler: Compiler): DefinitionSet {
  if (compiler === 'mingw') return mingwMacros(target);
  return fromMacroSet(compiler === 'clang-cl' ? clangClMacros(target) : msvcMacros(target));
}

/** Every name some supported compiler predefines on some target, in some language. */
function everyPredefinedName(): Set<string> {
  const names = new Set<string>([...OTHER_SYSTEMS, ...ARCHITECTURES, ...COMPILERS]);
  for (const compiler of COMPILER_NAMES) {
    for (const target of ['x86', 'x64', 'arm64'] as const) {
      const set = definitionSet(target, compiler);
      for (const part of [set.both, set.c, set.cpp]) for (const name of Object.keys(part)) names.add(name);
    }
  }
  return names;
}

/**
 * Names mingw predefines that Visual Studio projects pass on the command line instead (its templates have
 * `/D WIN32`, and 64-bit configurations often `/D WIN64`): without the build's flags they stay unknown rather
 * than certainly undefined.
 */
function buildSystemNames(target: Target): string[] {
  return target === 'x86' ? ['WIN32', 'WINNT'] : ['WIN32', 'WINNT', 'WIN64'];
}

/**
 * The macros predefined for a target and compiler, and those certainly undefined. `cplusplus` undefined (a header
 * that C and C++ files both include): the macros of one language only are neither.
 */
export function predefinedMacros(target: Target, compiler: Compiler, cplusplus: boolean | undefined): PredefinedMacros {
  const set = definitionSet(target, compiler);
  const mine = { ...set.both, ...(cplusplus === true ? set.cpp : cplusplus === false ? set.c : {}) };
  const unsure = new Set([...buildSystemNames(target), ...(cplusplus === undefined ? [...Object.keys(set.c), ...Object.keys(set.cpp)] : [])]);
  const known = [...everyPredefinedName()].filter((name) => !(name in mine) && !unsure.has(name));
  return { definitions: Object.values(mine), undefined: known };
}
