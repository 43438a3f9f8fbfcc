// The shapes layout.ts answers with (Member, Layout), and what layout knows of a measured type beyond them for
// the record that contains it (Placed).

import type { CType } from './ctype.js';

export interface Member {
  offset: bigint;
  type: CType;
  /** a bitfield: its first bit within the unit at `offset`, and its width */
  bits?: { offset: number; width: number };
}

export interface Layout {
  size: bigint;
  align: bigint;
  /** Every named member by name, the members of anonymous struct/union members included (lifted). Empty for non-records. */
  members: ReadonlyMap<string, Member>;
  /** What decided the layout, for evidence: '#pragma pack 1', '__declspec(align(16))', 'vptr', ... (empty when natural). */
  notes: string[];
}

export interface Placed extends Layout {
  /**
   * The alignment `__declspec(align(n))` or `alignas` demand, here or in a member, however deep: MSVC lets no
   * `#pragma pack` lower it (GCC does). 1 when nothing demands one.
   */
  required: bigint;
  /**
   * The record's own declaration carries an alignment (`__declspec(align(n))`, `aligned(n)`): MSVC then requires
   * all of the record's alignment of a member of this type, not just n (see alignment.ts).
   */
  declaredAlign?: boolean;
  /** A record with no data at all (C++ empty-base optimisation places it in no bytes). */
  empty: boolean;
  /** The record has a vptr at offset 0 (its own or its primary base's): a derived class shares it. */
  vptr: boolean;
  /** A C++ class that is not a POD: where its data ends, before the tail padding (see record.ts, baseBytes). */
  dataSize?: bigint;
  /**
   * MSVC: the bytes the record takes as a base (its non-virtual size): 0 when it has no data, and rounded up to
   * its alignment without its own `__declspec(align)` (see record.ts, finish).
   */
  baseSize?: bigint;
}

export function scalar(size: bigint, align: bigint = size): Placed {
  return { size, align, members: new Map(), notes: [], required: 1n, empty: false, vptr: false };
}

export function alignUp(value: bigint, align: bigint): bigint {
  return ((value + align - 1n) / align) * align;
}

export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}
