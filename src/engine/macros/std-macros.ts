// The <limits.h> and <stdint.h> limits of a target, for code whose standard headers granule was not given:
// `#if (SIZE_MAX / 2) > LONG_MAX` then still decides. A header that is read defines them itself, and wins.

import { parseDefine, type MacroDef } from './macros.js';
import type { TargetModel } from '../model/target.js';

// eslint-disable-next-line no-restricted-syntax -- a cache: the limit macros of each target model (one per target), built from the model, which never changes
const cache = new Map<TargetModel, ReadonlyMap<string, MacroDef>>();

export function standardLimits(model: TargetModel): ReadonlyMap<string, MacroDef> {
  let defs = cache.get(model);
  if (defs) return defs;
  const wide = model.pointerBits === 64;
  const values: Record<string, string> = {
    CHAR_BIT: '8',
    SCHAR_MIN: '(-128)',
    SCHAR_MAX: '127',
    UCHAR_MAX: '255',
    SHRT_MIN: '(-32768)',
    SHRT_MAX: '32767',
    USHRT_MAX: '65535',
    INT_MIN: '(-2147483647 - 1)',
    INT_MAX: '2147483647',
    UINT_MAX: '0xffffffffU',
    // Windows is LLP64: long is 32 bits on every target
    LONG_MIN: '(-2147483647L - 1)',
    LONG_MAX: '2147483647L',
    ULONG_MAX: '0xffffffffUL',
    LLONG_MIN: '(-9223372036854775807LL - 1)',
    LLONG_MAX: '9223372036854775807LL',
    ULLONG_MAX: '0xffffffffffffffffULL',
    INT8_MIN: '(-127 - 1)',
    INT8_MAX: '127',
    UINT8_MAX: '0xff',
    INT16_MIN: '(-32767 - 1)',
    INT16_MAX: '32767',
    UINT16_MAX: '0xffff',
    INT32_MIN: '(-2147483647 - 1)',
    INT32_MAX: '2147483647',
    UINT32_MAX: '0xffffffffU',
    INT64_MIN: '(-9223372036854775807LL - 1)',
    INT64_MAX: '9223372036854775807LL',
    UINT64_MAX: '0xffffffffffffffffULL',
    SIZE_MAX: wide ? '0xffffffffffffffffULL' : '0xffffffffU',
    PTRDIFF_MIN: wide ? '(-9223372036854775807LL - 1)' : '(-2147483647 - 1)',
    PTRDIFF_MAX: wide ? '9223372036854775807LL' : '2147483647',
    INTPTR_MIN: wide ? '(-9223372036854775807LL - 1)' : '(-2147483647 - 1)',
    INTPTR_MAX: wide ? '9223372036854775807LL' : '2147483647',
    UINTPTR_MAX: wide ? '0xffffffffffffffffULL' : '0xffffffffU',
  };
  defs = new Map(Object.entries(values).map(([name, value]) => [name, parseDefine(`${name} ${value}`, '<limits.h>', 0)!]));
  cache.set(model, defs);
  return defs;
}
