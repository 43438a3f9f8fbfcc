// The integer constants of the headers as the compiler evaluates them: each name on its own line in a
// `_Static_assert` (so under -pedantic-errors only integer constant expressions pass: a pointer such as
// INVALID_HANDLE_VALUE, a string, a type or function name is dropped) and in initialised data holding its value
// and, through `_Generic`, its type.

import { compileData } from './compile.mjs';

/** `_Generic` classes of a constant's type; 7: a type narrower than int (a cast to BYTE), which promotes to int. */
const TYPE_CLASSES = ['', 'i', 'ui', 'l', 'ul', 'll', 'ull', 'i'];
const GENERIC =
  'int: 1, unsigned int: 2, long: 3, unsigned long: 4, long long: 5, unsigned long long: 6, ' +
  'char: 7, signed char: 7, unsigned char: 7, short: 7, unsigned short: 7, _Bool: 7, default: 0';
const SUFFIX = { i: '', ui: 'u', l: 'l', ul: 'ul', ll: 'll', ull: 'ull' };
const BITS = { i: 32, ui: 32, l: 32, ul: 32, ll: 64, ull: 64 };

/**
 * The integer constants of one target: name → the value written as a C literal with its type's suffix. Each
 * name is on its own line in a `_Static_assert`, so under -pedantic-errors only integer constant expressions
 * pass (a pointer such as INVALID_HANDLE_VALUE, a string, a function name are dropped).
 */
export function constants(target, names) {
  const line = (name, label) =>
    `_Static_assert((${name}) || 1, ""); const unsigned ${label}[3] = { (unsigned)(unsigned long long)(${name}), ` +
    `(unsigned)((unsigned long long)(${name}) >> 32), _Generic((${name}), ${GENERIC}) };`;
  const out = new Map();
  for (const [name, [lo, hi, cls]] of compileData(target, names, line, 3)) {
    const type = TYPE_CLASSES[cls];
    if (!type) continue;
    const raw = (BigInt(hi) << 32n) | BigInt(lo);
    const value = type.startsWith('u') ? BigInt.asUintN(BITS[type], raw) : BigInt.asIntN(BITS[type], raw);
    out.set(name, literal(value) + SUFFIX[type]);
  }
  return out;
}

function literal(value) {
  const abs = value < 0n ? -value : value;
  const text = abs < 4096n ? abs.toString() : `0x${abs.toString(16)}`;
  return value < 0n ? `-${text}` : text;
}
