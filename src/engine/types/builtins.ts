// The sizes and alignments of the types that are not records: integers, floating point, pointers, enums. Windows
// is LLP64 on 64-bit targets (`long` is 4 bytes everywhere); every scalar is aligned to its size, inside records
// too (MSVC, and mingw's ms-struct layout: `double` and `long long` at 8 on x86), except mingw's x86 long double.

import type { CType, Measured } from './ctype.js';
import { longDouble, pointerSize, type LayoutRules } from './rules.js';
import { scalar, type Placed } from './shapes.js';

type Builtin = Extract<CType, { kind: 'void' | 'int' | 'float' | 'pointer' | 'enum' | 'function' }>;

export function measureBuiltin(type: Builtin, rules: LayoutRules): Measured<Placed> {
  switch (type.kind) {
    case 'int':
    case 'enum': {
      const int = type.kind === 'int' ? type.int : type.underlying;
      return scalar(BigInt(Math.max(1, Math.ceil(int.bits / 8))));
    }
    case 'float':
      if (type.name === 'long double') return scalar(longDouble(rules).size, longDouble(rules).align);
      return scalar(type.name === 'float' ? 4n : 8n);
    case 'pointer':
      return scalar(pointerSize(rules));
    case 'void':
      // GCC (and clang-cl) give sizeof(void) 1, as an extension; MSVC rejects it
      return rules.compiler === 'msvc' ? { unknown: { kind: 'type-without-size', type: 'void' } } : scalar(1n);
    case 'function':
      return { unknown: { kind: 'type-without-size', type: 'a function type' } };
  }
}
