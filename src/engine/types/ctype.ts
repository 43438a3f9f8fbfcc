// The C and C++ types granule reasons about, as data: what `sizeof`, `alignof` and `offsetof` need and nothing
// more. Builders (engine/analysis for the sources, the SDK table for windows.h) make them; layout.ts measures them
// per target and compiler. A name whose definition is found later (a struct used before it is defined, a
// typedef of a header) is a `ref` that resolves on demand, so self-referential types need no cycles in the data.

import type { Reason } from '../model/reasons.js';
import type { IntType } from '../model/target.js';

export type CType =
  | { kind: 'void' }
  /** char, short, int, long, long long, bool, wchar_t, __intN: the integer type of the target's model. */
  | { kind: 'int'; int: IntType }
  /** float, double, long double: their size depends on the compiler (long double is 8 under MSVC). */
  | { kind: 'float'; name: 'float' | 'double' | 'long double' }
  /** A pointer, a C++ reference counts as what it refers to (sizeof(T&) == sizeof(T)), so builders never make one. */
  | { kind: 'pointer'; to: CType }
  /** `count` undefined: an array of unknown bound (a flexible array member, `extern int a[]`). */
  | { kind: 'array'; of: CType; count?: bigint }
  | { kind: 'enum'; tag?: string; underlying: IntType }
  | { kind: 'function' }
  | { kind: 'record'; record: RecordType }
  /** A name resolved when it is measured: a typedef, `struct tag` defined later or in a header. */
  | { kind: 'ref'; name: string; resolve(): CType }
  /** A type whose size cannot be known, with why (declared but never defined, a template parameter, ...). */
  | { kind: 'unknown'; name: string; reason: Reason };

/** The layout attributes written on a record or a member. All alignments are in bytes. */
export interface LayoutAttributes {
  /** `__declspec(align(n))`, `alignas(n)`, `__attribute__((aligned(n)))`: the largest one written. */
  align?: number;
  /** `__attribute__((packed))`. */
  packed?: boolean;
}

export interface RecordType extends LayoutAttributes {
  keyword: 'struct' | 'union' | 'class';
  tag?: string;
  /** Undefined while the record is only declared (`struct S;`): it has no size. */
  fields?: Field[];
  /** C++ bases, in order (single inheritance is what Windows code uses; layout refuses more, see record.ts). */
  bases?: CType[];
  /** A base is `virtual`: the record has a vbptr and a virtual base area, which layout does not model. */
  virtualBase?: boolean;
  /** Declares or overrides a virtual function (or a base does): a vptr comes first. */
  virtual?: boolean;
  /** `#pragma pack` (or pshpackN.h) in effect where the record is defined: the largest member alignment. */
  pack?: number;
  /** A layout known without measuring (the SDK table, generated from the compilers): layout.ts returns it. */
  known?: { size: bigint; align: bigint; offsets: ReadonlyMap<string, bigint> };
}

export interface Field extends LayoutAttributes {
  /** Undefined for an anonymous struct or union member, whose members are reached as the record's own. */
  name?: string;
  type: CType;
  /** A bitfield's width in bits (0: the unnamed `int : 0` that closes a unit). */
  bits?: number;
}

/** A measured type, or why it cannot be measured. */
export type Measured<T> = T | { unknown: Reason };
