// What record layout depends on besides the types themselves: the target (pointer size, x86's 4-byte long
// double alignment), the compiler (MSVC and clang-cl lay out alike; mingw's GCC differs where pack meets align,
// after bitfields, and in long double) and the language (an empty record is 1 byte in C++, 0 under GCC's C, 4
// under MSVC's C).

import type { Compiler } from '../model/configuration.js';
import type { Target } from '../model/types.js';
import type { RecordType, Measured } from './ctype.js';
import type { Placed } from './shapes.js';

export interface LayoutRules {
  target: Target;
  compiler: Compiler;
  /** Decides the size of an empty record only: records with bases, virtual functions or `class` are C++ anyway. C when absent. */
  language?: 'c' | 'c++';
  /**
   * A cache of measured records, one per rules object (a record nested in many others is measured once, so a
   * hostile chain of records each holding two of the one before stays linear). Keyed by the record object.
   * layoutRules() makes one; rules written without it get a cache per measure() call.
   */
  readonly records?: WeakMap<RecordType, Measured<Placed>>;
}

/** The rules of one configuration; keep the object for the configuration's run: it caches measured records. */
export function layoutRules(target: Target, compiler: Compiler, language: 'c' | 'c++' = 'c'): LayoutRules {
  return { target, compiler, language, records: new WeakMap() };
}

export function pointerSize(rules: LayoutRules): bigint {
  return rules.target === 'x86' ? 4n : 8n;
}

/**
 * `long double` is `double` under MSVC and clang-cl; mingw's GCC keeps the x87 80-bit type: 12 bytes aligned to 4 on
 * x86, 16 aligned to 16 on x64 (checked with i686- and x86_64-w64-mingw32-gcc 12); arm64 mingw has no x87.
 */
export function longDouble(rules: LayoutRules): { size: bigint; align: bigint } {
  if (rules.compiler !== 'mingw' || rules.target === 'arm64') return { size: 8n, align: 8n };
  return rules.target === 'x86' ? { size: 12n, align: 4n } : { size: 16n, align: 16n };
}
