// Record layout: the size, alignment and member offsets of a type on a target under a compiler.
// PLACEHOLDER: natural alignment, `#pragma pack`, `align`/`aligned`/`packed`, a vptr, bases, and bitfields packed
// in units of their declared type (the MSVC rule, which mingw's -mms-bitfields default follows). The exact layout
// (every MSVC and GCC rule, zero-length arrays, empty bases) replaces this file; its signature stays.

import type { Compiler } from '../model/configuration.js';
import type { Target } from '../model/types.js';
import type { CType, Field, Measured, RecordType } from './ctype.js';
import { typeText } from './type-text.js';

export interface Member {
  offset: bigint;
  type: CType;
  bits?: { offset: number; width: number };
}

export interface Layout {
  size: bigint;
  align: bigint;
  members: ReadonlyMap<string, Member>;
  notes: string[];
}

export interface LayoutRules {
  target: Target;
  compiler: Compiler;
}

export function layoutRules(target: Target, compiler: Compiler): LayoutRules {
  return { target, compiler };
}

/** Refs followed this deep (a typedef of a typedef ...); deeper is a cycle. */
const MAX_REF_DEPTH = 64;

export function measure(type: CType, rules: LayoutRules): Measured<Layout> {
  return measureAt(type, rules, 0);
}

function measureAt(type: CType, rules: LayoutRules, depth: number): Measured<Layout> {
  if (depth > MAX_REF_DEPTH) return { unknown: { kind: 'type-cycle', type: typeText(type) } };
  const pointer = rules.target === 'x86' ? 4n : 8n;
  const scalar = (size: bigint): Layout => ({ size, align: size, members: new Map<string, Member>(), notes: [] });
  switch (type.kind) {
    case 'void':
    case 'function':
      return { unknown: { kind: 'type-without-size', type: typeText(type) } };
    case 'int':
      return scalar(BigInt(type.int.bits / 8));
    case 'enum':
      return scalar(BigInt(type.underlying.bits / 8));
    case 'float':
      return scalar(type.name === 'float' ? 4n : type.name === 'long double' && rules.compiler === 'mingw' ? (rules.target === 'x86' ? 12n : 16n) : 8n);
    case 'pointer':
      return scalar(pointer);
    case 'array': {
      const element = measureAt(type.of, rules, depth + 1);
      if ('unknown' in element) return element;
      if (type.count === undefined) return { unknown: { kind: 'array-without-bound', type: typeText(type.of) } };
      return { size: element.size * type.count, align: element.align, members: new Map<string, Member>(), notes: element.notes };
    }
    case 'ref':
      return measureAt(type.resolve(), rules, depth + 1);
    case 'unknown':
      return { unknown: type.reason };
    case 'record':
      return measureRecord(type.record, rules, depth);
  }
}

function measureRecord(record: RecordType, rules: LayoutRules, depth: number): Measured<Layout> {
  const name = `${record.keyword}${record.tag ? ` ${record.tag}` : ''}`;
  if (record.known) {
    const members = new Map<string, Member>();
    return { size: record.known.size, align: record.known.align, members, notes: [] };
  }
  if (!record.fields) return { unknown: { kind: 'record-not-defined', type: name } };
  const pointer = rules.target === 'x86' ? 4n : 8n;
  const cap = record.packed ? 1n : record.pack !== undefined ? BigInt(record.pack) : undefined;
  const capped = (align: bigint) => (cap !== undefined && cap < align ? cap : align);
  const members = new Map<string, Member>();
  const notes: string[] = [];
  let offset = 0n;
  let align = 1n;
  let unit: { type: CType; start: bigint; size: bigint; used: number } | undefined;
  const place = (size: bigint, fieldAlign: bigint): bigint => {
    align = fieldAlign > align ? fieldAlign : align;
    offset = roundUp(offset, fieldAlign);
    const at = offset;
    offset = record.keyword === 'union' ? 0n : offset + size;
    return at;
  };
  let end = 0n;
  if (record.virtual && !record.bases?.length) end = place(pointer, pointer) + pointer;
  for (const base of record.bases ?? []) {
    const measured = measureAt(base, rules, depth + 1);
    if ('unknown' in measured) return measured;
    end = place(measured.size, capped(measured.align)) + measured.size;
  }
  offset = end;
  for (const field of record.fields) {
    const measured = measureAt(field.type, rules, depth + 1);
    if ('unknown' in measured) {
      if (field.type.kind === 'array' && field.type.count === undefined) {
        const element = measureAt(field.type.of, rules, depth + 1);
        if ('unknown' in element) return element;
        const at = place(0n, fieldAlignment(field, element.align, capped));
        if (field.name) members.set(field.name, { offset: at, type: field.type });
        continue;
      }
      return measured;
    }
    if (field.bits !== undefined) {
      const bits = bitfield(field, measured, unit, capped, place);
      unit = bits.unit;
      if (field.name) members.set(field.name, { offset: unit.start, type: field.type, bits: { offset: bits.offset, width: field.bits } });
      end = maxOf(end, unit.start + unit.size);
      continue;
    }
    unit = undefined;
    const at = place(measured.size, fieldAlignment(field, measured.align, capped));
    end = maxOf(end, at + measured.size);
    if (field.name) members.set(field.name, { offset: at, type: field.type });
    else for (const [inner, member] of measured.members) members.set(inner, { ...member, offset: at + member.offset });
  }
  if (record.align !== undefined && BigInt(record.align) > align) align = BigInt(record.align);
  if (record.pack !== undefined) notes.push(`#pragma pack ${record.pack}`);
  if (record.packed) notes.push('__attribute__((packed))');
  if (record.align !== undefined) notes.push(`aligned to ${record.align}`);
  const size = roundUp(record.keyword === 'union' ? end : maxOf(end, offset), align);
  return { size: size === 0n ? 1n : size, align, members, notes };
}

function fieldAlignment(field: Field, natural: bigint, capped: (align: bigint) => bigint): bigint {
  const packed = field.packed ? 1n : capped(natural);
  return field.align !== undefined && BigInt(field.align) > packed ? BigInt(field.align) : packed;
}

/** A bitfield goes into the open unit when its declared type has the unit's size and the bits fit. */
function bitfield(
  field: Field,
  measured: Layout,
  unit: { type: CType; start: bigint; size: bigint; used: number } | undefined,
  capped: (align: bigint) => bigint,
  place: (size: bigint, align: bigint) => bigint,
): { unit: { type: CType; start: bigint; size: bigint; used: number }; offset: number } {
  const width = field.bits!;
  if (unit && unit.size === measured.size && unit.used + width <= Number(measured.size) * 8 && width > 0) {
    const offset = unit.used;
    unit.used += width;
    return { unit, offset };
  }
  const start = place(measured.size, capped(measured.align));
  return { unit: { type: field.type, start, size: measured.size, used: width }, offset: 0 };
}

function roundUp(value: bigint, align: bigint): bigint {
  return align <= 1n ? value : ((value + align - 1n) / align) * align;
}

function maxOf(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
