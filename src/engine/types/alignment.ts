// The alignment a member gets in its record, where `#pragma pack`, `packed` and the align attributes meet. The
// compilers agree on the natural case and disagree on the rest:
//  - GCC (mingw, also with -mms-bitfields): `#pragma pack(n)` caps every member's alignment, even one written
//    `aligned(m)` or of a type declared aligned; `packed` lowers a member to 1 byte unless the member itself
//    carries an alignment attribute, which then is its alignment exactly (aligned(2) on a packed int: 2).
//  - MSVC (and clang-cl, which copies it): pack and packed cap the natural alignment only. What
//    `__declspec(align(n))` or `alignas` demand, on the member, its type or anything inside it, always wins:
//    "__declspec(align(#)) ... takes precedence over #pragma pack" (Microsoft, "align (C++)", and clang's
//    MicrosoftRecordLayoutBuilder: the required alignment is applied after the pack).

import type { LayoutAttributes, RecordType } from './ctype.js';
import { pointerSize, type LayoutRules } from './rules.js';
import type { Placed } from './shapes.js';

export interface MemberAlignment {
  /** Where the member starts: a multiple of this. */
  align: bigint;
  /** What the record's own alignment is raised to because of the member. */
  recordAlign: bigint;
  /** The MSVC required alignment the member passes on to the record (see Placed.required). */
  required: bigint;
  /** The pack (or packed) lowered the member below its natural alignment: a note says so. */
  packLowered: boolean;
  packedLowered: boolean;
}

const max = (a: bigint, b: bigint) => (a > b ? a : b);
const min = (a: bigint, b: bigint) => (a < b ? a : b);

export function memberAlignment(member: LayoutAttributes, type: Placed, record: RecordType, rules: LayoutRules, bitfield: boolean): MemberAlignment {
  const own = BigInt(member.align ?? 1);
  const packed = member.packed === true || record.packed === true;
  const pack = record.pack === undefined ? undefined : BigInt(record.pack);
  if (rules.compiler === 'mingw') {
    const unpacked = max(type.align, own);
    const natural = packed ? (member.align === undefined ? 1n : own) : unpacked;
    const align = pack === undefined ? natural : min(natural, pack);
    // a packed bitfield adds nothing to the record's alignment (GCC's update_alignment_for_field)
    const recordAlign = packed && bitfield ? 1n : align;
    return { align, recordAlign, required: 1n, packLowered: align < natural, packedLowered: natural < unpacked };
  }
  // a member whose type is a record declared with an alignment requires the record's whole alignment, which no
  // pack lowers: `struct __declspec(align(2)) A { int i; }` is a 4-aligned member under pack(1) (clang's
  // MicrosoftRecordLayoutBuilder, getAdjustedElementInfo: ASTContext::isAlignmentRequired)
  const required = max(max(own, type.required), type.declaredAlign ? type.align : 1n);
  let natural = type.align;
  // MSVC ignores a pack larger than a pointer (clang's MicrosoftRecordLayoutBuilder, initializeLayout): under
  // `#pragma pack(16)` on x64, or pack(8) on x86, a member whose own type is aligned to 32 stays at 32
  if (pack !== undefined && pack <= pointerSize(rules)) natural = min(natural, pack);
  const packLowered = max(natural, required) < max(type.align, own);
  if (packed) natural = 1n;
  const align = max(natural, required);
  const packedLowered = packed && !packLowered && align < max(type.align, own);
  // on a bitfield, MSVC's align raises the member's alignment but is not passed on as required
  return { align, recordAlign: align, required: bitfield ? 1n : required, packLowered, packedLowered };
}
