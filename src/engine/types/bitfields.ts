// MSVC's bitfield units, which mingw's GCC follows under -mms-bitfields (its default): a bitfield goes into the
// open unit when its declared type has the same size as the unit's and the unit has room; otherwise the unit
// closes (its whole size is used, whatever the bits left) and a new one starts at the next multiple of the
// bitfield's alignment. `int`, `unsigned` and `long` share a unit; `char` after `int` starts a new one.
//
// Where what follows a unit starts differs when the unit itself is not aligned (packed, or lowered by a pack):
// MSVC aligns the end of the unit. GCC (stor-layout's place_field) first checks the alignment the member needs
// against where the unit's *bits* end: when they end on a multiple of it, the member goes right at the unit's end,
// aligned only to its type's alignment (not at all when packed), even if that end is not a multiple. A packed
// struct { char a; int b : 24; short c __attribute__((aligned(2))); } puts c at 5 (the bits end at 4).

import { alignUp } from './shapes.js';

export interface BitfieldPlace {
  /** The byte offset of the unit the bitfield is in. */
  unit: bigint;
  /** Its first bit in that unit. */
  bit: number;
  /** Where the data placed before the open unit ends (the unit's start once one is open). */
  offset: bigint;
  /** The bitfield went into the unit that was open (no new unit started). */
  joined: boolean;
}

/** How a member (or a new unit) that follows an open unit is aligned. */
export interface Following {
  /** The alignment the member needs (pack and packed applied), and what MSVC aligns the unit's end to. */
  align: bigint;
  /**
   * GCC's rule, used when a unit is open: `needs` is checked against where the unit's bits end; when they end on
   * a multiple of it, the member goes at the unit's end, else at the next multiple of `needs` after it; then at
   * the next multiple of `typeAlign` (its type's alignment under the pack, 1 when packed).
   */
  gcc?: { needs: bigint; typeAlign: bigint };
}

export class BitfieldRun {
  private unit: { start: bigint; bytes: bigint; used: number } | undefined;

  /** A unit is open: the member before was a bitfield of nonzero width. */
  get open(): boolean {
    return this.unit !== undefined;
  }

  /** The size of the open unit's declared type, or undefined when none is open. */
  get unitBytes(): bigint | undefined {
    return this.unit?.bytes;
  }

  /** Closes the open unit, if any: the offset after it, or `offset` when none was open. */
  close(offset: bigint): bigint {
    if (!this.unit) return offset;
    const end = this.unit.start + this.unit.bytes;
    this.unit = undefined;
    return end;
  }

  /** Closes the open unit, if any, and returns where a member aligned as `next` says starts after it. */
  closeFor(offset: bigint, next: Following): bigint {
    const u = this.unit;
    const end = this.close(offset);
    if (!u || !next.gcc) return alignUp(end, next.align);
    const { needs, typeAlign } = next.gcc;
    const bitsEnd = u.start * 8n + BigInt(u.used);
    return alignUp(bitsEnd % (needs * 8n) === 0n ? end : alignUp(end, needs), typeAlign);
  }

  /** Places a bitfield of `width` bits whose declared type is `bytes` long; a new unit starts as `next` says. */
  place(width: number, bytes: bigint, next: Following, offset: bigint): BitfieldPlace {
    const u = this.unit;
    if (u && u.bytes === bytes && u.used + width <= Number(bytes) * 8) {
      const bit = u.used;
      u.used += width;
      return { unit: u.start, bit, offset, joined: true };
    }
    const start = this.closeFor(offset, next);
    this.unit = { start, bytes, used: width };
    return { unit: start, bit: 0, offset: start, joined: false };
  }
}
