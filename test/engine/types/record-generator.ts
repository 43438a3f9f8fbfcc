// Random C record types, each written twice: as C text for the compilers and as the CType granule measures. A
// seeded generator (mulberry32) rather than fast-check's properties: the point is one compiler run over thousands
// of types, so each run is a whole program, and the seed alone reproduces it.
//
// What it makes: structs and unions nesting earlier records, anonymous and inline ones; arrays (2-D, zero-length,
// flexible); bitfields of every integer type and of enums, `:0` and unnamed ones; every `#pragma pack` form
// (`push, n`, `pop`, `n`, `()`, pshpackN.h and poppack.h), carried across records as the compiler's stack is; `__attribute__((packed))` and
// `aligned(n)` on records and members, `DECLSPEC_ALIGN(n)` (the SDK's macro: `__declspec(align(n))` under MSVC and
// clang-cl, `__declspec(aligned(n))` under mingw, whose __declspec is a macro for __attribute__) and `_Alignas`;
// typedef chains; enums; long double, pointers.
//
// The 'msvc' dialect writes only what MSVC's C compiler accepts, from the same random draws (so a seed makes the same
// records, less what MSVC lacks): no `__attribute__` at all (an `aligned(n)` becomes `DECLSPEC_ALIGN(n)`, on
// bitfields too; `packed` is dropped, MSVC has only `#pragma pack`), and no zero-length array (MSVC takes `[0]` only
// as the last member, C2229, which the flexible array member covers: a `[0]` becomes `[1]`). `_Alignas` stays: MSVC
// accepts it under /std:c11, and clang's MS layout treats it as `__declspec(align)`, as granule does.

import type { CType, Field, RecordType } from '../../../src/engine/types/ctype.js';
import type { IntType } from '../../../src/engine/model/target.js';

function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The draws of a generator from its seed (mulberry32): the same seed makes the same program. */
export abstract class SeededGenerator {
  protected readonly next: () => number;

  constructor(seed: number) {
    this.next = random(seed);
  }

  protected chance(p: number): boolean {
    return this.next() < p;
  }

  protected pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  protected below(n: number): number {
    return Math.floor(this.next() * n);
  }
}

/** One value the compiler computes and granule must agree with. */
export interface Probe {
  /** The C expression: `sizeof(T3)`, `offsetof(struct T3, m7)`. */
  expression: string;
  /** The index of the record in `records`, for the message. */
  record: number;
  type: CType;
  /** `designator`: a member designator (`m3.m1`, `m4[2]`), measured as the evaluator's offsetof does. */
  what: 'size' | 'align' | { member: string } | { designator: string };
}

export interface Program {
  text: string;
  probes: Probe[];
  /** The C text of each top-level record (with the pack in effect), to show a disagreement. */
  records: string[];
}

const int = (bits: number, unsigned: boolean, rank: number, name: string): IntType => ({ bits, unsigned, rank, name });
export const INTEGERS: { c: string; int: IntType }[] = [
  { c: 'char', int: int(8, false, 1, 'char') },
  { c: 'signed char', int: int(8, false, 1, 'signed char') },
  { c: 'unsigned char', int: int(8, true, 1, 'unsigned char') },
  { c: '_Bool', int: int(8, true, 0, 'bool') },
  { c: 'short', int: int(16, false, 2, 'short') },
  { c: 'unsigned short', int: int(16, true, 2, 'unsigned short') },
  { c: 'int', int: int(32, false, 3, 'int') },
  { c: 'unsigned', int: int(32, true, 3, 'unsigned int') },
  { c: 'long', int: int(32, false, 4, 'long') },
  { c: 'unsigned long', int: int(32, true, 4, 'unsigned long') },
  { c: 'long long', int: int(64, false, 5, 'long long') },
  { c: 'unsigned long long', int: int(64, true, 5, 'unsigned long long') },
];
export const FLOATS = ['float', 'double', 'long double'] as const;
export const ALIGNS = [1, 2, 4, 8, 16, 32];

/** winnt.h's spelling of an alignment, for each compiler the program is given to. */
const DECLSPEC_ALIGN = [
  '#ifdef _MSC_VER',
  '#define DECLSPEC_ALIGN(n) __declspec(align(n))',
  '#else',
  '#define DECLSPEC_ALIGN(n) __declspec(aligned(n))',
  '#endif',
];
export const PACKS = [1, 2, 4, 8, 16];

/** A type a member can have, in both spellings; `bitfield` when it may carry a width (integers and enums). */
interface Spelled {
  c: string;
  type: CType;
  /** The widest bitfield of the type, for integers and enums. */
  bits?: number;
  /** A record with a flexible array member: GCC takes it only last, so it is never a member. */
  flexible?: boolean;
}

interface Named {
  spelled: Spelled;
  record?: RecordType;
}

export class RecordGenerator extends SeededGenerator {
  /** Records and typedef names declared so far: what a later member may use. */
  private readonly named: Named[] = [];
  private readonly enums: Spelled[] = [];
  private readonly typedefs: Spelled[] = [];
  private readonly lines: string[] = [];
  private readonly probes: Probe[] = [];
  private readonly records: string[] = [];
  /** The compiler's pack state: the value in effect and the pushed ones. */
  private pack: number | undefined;
  private readonly stack: (number | undefined)[] = [];
  private counter = 0;

  /** `dialect`: 'gnu' for GCC and clang (every construct), 'msvc' for only what MSVC accepts (see above). */
  constructor(
    seed: number,
    private readonly dialect: 'gnu' | 'msvc' = 'gnu',
  ) {
    super(seed);
  }

  program(count: number): Program {
    this.lines.push('#include <stddef.h>', ...DECLSPEC_ALIGN);
    this.scalarProbes();
    for (let i = 0; i < count; i++) {
      if (this.chance(0.15)) this.enumeration();
      if (this.chance(0.1)) this.integerTypedef();
      this.packDirective();
      this.topRecord(i);
    }
    for (; this.stack.length; this.stack.pop()) this.lines.push('#pragma pack(pop)');
    const values = this.probes.map((p) => `  (unsigned long long)(${p.expression}),`);
    const text = [...this.lines, 'unsigned long long values[] = {', ...values, '};', ''].join('\n');
    return { text, probes: this.probes, records: this.records };
  }

  /** sizeof and _Alignof of every scalar the records use: record index -1 (no record to show). */
  private scalarProbes(): void {
    const scalars: Spelled[] = [
      ...INTEGERS.map((i) => ({ c: i.c, type: { kind: 'int', int: i.int } as CType })),
      ...FLOATS.map((name) => ({ c: name, type: { kind: 'float', name } as CType })),
      { c: 'void *', type: { kind: 'pointer', to: { kind: 'void' } } },
    ];
    for (const { c, type } of scalars) {
      this.probes.push({ expression: `sizeof(${c})`, record: -1, type, what: 'size' });
      this.probes.push({ expression: `_Alignof(${c})`, record: -1, type, what: 'align' });
    }
  }

  private get gnu(): boolean {
    return this.dialect === 'gnu';
  }

  private packDirective(): void {
    const r = this.next();
    if (r < 0.15) {
      const n = this.pick(PACKS);
      // the SDK's pshpackN.h (N up to 8) is a push of N, poppack.h a pop: mingw-w64 ships both
      this.lines.push(n <= 8 && this.chance(0.3) ? `#include <pshpack${n}.h>` : `#pragma pack(push, ${n})`);
      this.stack.push(this.pack);
      this.pack = n;
    } else if (r < 0.3 && this.stack.length) {
      this.lines.push(this.chance(0.3) ? '#include <poppack.h>' : '#pragma pack(pop)');
      this.pack = this.stack.pop();
    } else if (r < 0.4) {
      this.pack = this.pick(PACKS);
      this.lines.push(`#pragma pack(${this.pack})`);
    } else if (r < 0.48) {
      this.pack = undefined;
      this.lines.push('#pragma pack()');
    }
  }

  private enumeration(): void {
    const tag = `E${this.counter++}`;
    this.lines.push(`enum ${tag} { ${tag}_a, ${tag}_b = ${this.below(100)} };`);
    const underlying = INTEGERS.find((i) => i.c === 'int')!.int;
    this.enums.push({ c: `enum ${tag}`, type: { kind: 'enum', tag, underlying }, bits: 32 });
  }

  private topRecord(index: number): void {
    const tag = `T${index}`;
    const keyword = this.chance(0.2) ? 'union' : 'struct';
    const record: RecordType = { keyword, tag, pack: this.pack };
    const attributes = this.recordAttributes(record);
    const body = this.body(record, { names: { n: 0 } });
    const text = `${keyword} ${attributes.before}${tag} {\n${body}\n}${attributes.after};`;
    this.lines.push(text);
    this.records.push((this.pack === undefined ? '' : `#pragma pack(${this.pack})\n`) + text);
    const type: CType = { kind: 'record', record };
    const flexible = record.fields!.some((f) => f.type.kind === 'array' && f.type.count === undefined);
    let spelled: Spelled = { c: `${keyword} ${tag}`, type, flexible };
    this.named.push({ spelled, record });
    // typedef chains: T3_t0 names struct T3, T3_t1 names T3_t0, ...
    for (let depth = 0; this.chance(0.35) && depth < 4; depth++) {
      const name = `${tag}_t${depth}`;
      this.lines.push(`typedef ${spelled.c} ${name};`);
      const target = spelled.type;
      spelled = { c: name, type: { kind: 'ref', name, resolve: () => target }, flexible };
      this.named.push({ spelled, record });
    }
    const probeType = spelled.type;
    this.probes.push({ expression: `sizeof(${spelled.c})`, record: index, type: probeType, what: 'size' });
    this.probes.push({ expression: `_Alignof(${spelled.c})`, record: index, type: probeType, what: 'align' });
    for (const member of memberNames(record)) {
      this.probes.push({ expression: `offsetof(${spelled.c}, ${member})`, record: index, type: probeType, what: { member } });
    }
    for (const designator of designators(record)) {
      this.probes.push({ expression: `offsetof(${spelled.c}, ${designator})`, record: index, type: probeType, what: { designator } });
    }
  }

  private recordAttributes(record: RecordType): { before: string; after: string } {
    let before = '';
    let after = '';
    if (this.chance(0.12) && this.gnu) {
      record.packed = true;
      after = ' __attribute__((packed))';
    }
    if (this.chance(0.12)) {
      record.align = this.pick(ALIGNS);
      before = this.chance(0.5) && this.gnu ? `__attribute__((aligned(${record.align}))) ` : `DECLSPEC_ALIGN(${record.align}) `;
    }
    return { before, after };
  }

  /** The members of `record`, which this fills in; `names` numbers members across anonymous ones (all share a scope). */
  private body(record: RecordType, scope: { names: { n: number } }, depth = 0): string {
    const fields: Field[] = [];
    const lines: string[] = [];
    const count = 1 + this.below(depth ? 4 : 7);
    for (let i = 0; i < count; i++) {
      const last = i === count - 1;
      const line = this.member(record, fields, scope, depth, last);
      lines.push(`  ${line}`);
    }
    record.fields = fields;
    return lines.join('\n');
  }

  private member(record: RecordType, fields: Field[], scope: { names: { n: number } }, depth: number, last: boolean): string {
    const name = `m${scope.names.n++}`;
    const r = this.next();
    if (r < 0.25) return this.bitfield(fields, name);
    if (r < 0.33 && depth < 2) return this.inlineRecord(record, fields, scope, depth, name);
    const hasNamed = fields.some((f) => f.name !== undefined);
    if (last && hasNamed && record.keyword === 'struct' && depth === 0 && this.chance(0.15)) {
      const element = this.scalar();
      fields.push({ name, type: { kind: 'array', of: element.type } });
      return `${element.c} ${name}[];`;
    }
    let spelled = this.memberType();
    let suffix = '';
    if (this.chance(0.2)) {
      const drawn = this.chance(0.2) ? [1 + this.below(3), this.below(4)] : [this.chance(0.15) ? 0 : 1 + this.below(4)];
      const dims = this.gnu ? drawn : drawn.map((d) => Math.max(d, 1));
      suffix = dims.map((d) => `[${d}]`).join('');
      for (const d of [...dims].reverse()) spelled = { c: spelled.c, type: { kind: 'array', of: spelled.type, count: BigInt(d) } };
    }
    const field: Field = { name, type: spelled.type };
    const { before, after } = this.memberAttributes(field, spelled, false);
    fields.push(field);
    return `${before}${spelled.c} ${name}${suffix}${after};`;
  }

  private bitfield(fields: Field[], name: string): string {
    const spelled = this.enums.length && this.chance(0.1) ? this.pick(this.enums) : this.integer();
    const max = spelled.bits!;
    const width = this.chance(0.12) ? 0 : 1 + this.below(max);
    const named = width > 0 && this.chance(0.85);
    const field: Field = { name: named ? name : undefined, type: spelled.type, bits: width };
    const { before, after } = width > 0 ? this.memberAttributes(field, spelled, true) : { before: '', after: '' };
    fields.push(field);
    return `${before}${spelled.c} ${named ? name : ''} : ${width}${after};`;
  }

  /** `struct { ... };` (anonymous: its members are the record's) or `union { ... } m3;`. */
  private inlineRecord(outer: RecordType, fields: Field[], scope: { names: { n: number } }, depth: number, name: string): string {
    const keyword = this.chance(0.5) ? 'union' : 'struct';
    const record: RecordType = { keyword, pack: outer.pack };
    let attributes = '';
    if (this.chance(0.15) && this.gnu) {
      record.packed = true;
      attributes += '__attribute__((packed)) ';
    }
    if (this.chance(0.1)) {
      record.align = this.pick(ALIGNS);
      attributes += this.gnu ? `__attribute__((aligned(${record.align}))) ` : `DECLSPEC_ALIGN(${record.align}) `;
    }
    const body = this.body(record, scope, depth + 1);
    const anonymous = this.chance(0.6);
    fields.push({ name: anonymous ? undefined : name, type: { kind: 'record', record } });
    return `${keyword} ${attributes}{\n${body}\n} ${anonymous ? '' : name};`;
  }

  private memberAttributes(field: Field, spelled: Spelled, bitfield: boolean): { before: string; after: string } {
    let before = '';
    let after = '';
    const r = this.next();
    if (r < 0.08) {
      field.align = this.pick(ALIGNS);
      if (this.gnu) after = ` __attribute__((aligned(${field.align})))`;
      else before = `DECLSPEC_ALIGN(${field.align}) `;
    } else if (r < 0.12 && !bitfield) {
      field.align = this.pick(ALIGNS);
      before = `DECLSPEC_ALIGN(${field.align}) `;
    } else if (r < 0.16 && !bitfield && spelled.type.kind !== 'record' && spelled.type.kind !== 'ref' && spelled.type.kind !== 'array') {
      // _Alignas may not lower a scalar's alignment (at most 16, x64's long double): 16 and 32 never do
      field.align = this.pick([16, 32]);
      before = `_Alignas(${field.align}) `;
    }
    if (this.chance(0.1) && this.gnu) {
      field.packed = true;
      after += ' __attribute__((packed))';
    }
    return { before, after };
  }

  private memberType(): Spelled {
    const r = this.next();
    const usable = this.named.filter((n) => !n.spelled.flexible);
    if (r < 0.3 && usable.length) return this.pick(usable.slice(-40)).spelled;
    if (r < 0.36 && this.enums.length) return this.pick(this.enums);
    if (r < 0.44) return { c: this.pick(['void *', 'int *', 'char **']), type: { kind: 'pointer', to: { kind: 'void' } } };
    return this.scalar();
  }

  private scalar(): Spelled {
    if (this.chance(0.2)) {
      const name = this.pick(FLOATS);
      return { c: name, type: { kind: 'float', name } };
    }
    return this.integer();
  }

  private integer(): Spelled {
    if (this.typedefs.length && this.chance(0.15)) return this.pick(this.typedefs);
    const i = this.pick(INTEGERS);
    // a _Bool bitfield is at most 1 bit wide
    return { c: i.c, type: { kind: 'int', int: i.int }, bits: i.c === '_Bool' ? 1 : i.int.bits };
  }

  /** `typedef unsigned short I4;`, and sometimes `typedef I4 I4_1;` on it: integers reached through names. */
  private integerTypedef(): void {
    let spelled = this.integer();
    for (let depth = 0; depth === 0 || (this.chance(0.4) && depth < 3); depth++) {
      const name = `I${this.counter++}`;
      this.lines.push(`typedef ${spelled.c} ${name};`);
      const target = spelled.type;
      spelled = { c: name, type: { kind: 'ref', name, resolve: () => target }, bits: spelled.bits };
      this.typedefs.push(spelled);
    }
  }
}

/** The names offsetof can take in a record: its named members and those of its anonymous members, not bitfields. */
function memberNames(record: RecordType): string[] {
  const names: string[] = [];
  for (const f of record.fields ?? []) {
    if (f.bits !== undefined) continue;
    if (f.name !== undefined) names.push(f.name);
    else if (f.type.kind === 'record') names.push(...memberNames(f.type.record));
  }
  return names;
}

/**
 * Member designators into a record's named members (no bitfields): a member of a member record (`m3.m1`), the last
 * element of an array member (`m4[2]`), and a member of that element when it is a record (`m4[2].m0`).
 */
function designators(record: RecordType): string[] {
  const out: string[] = [];
  const inner = (type: CType) => {
    let t = type;
    for (let i = 0; t.kind === 'ref' && i < 16; i++) t = t.resolve();
    return t;
  };
  for (const f of record.fields ?? []) {
    if (f.bits !== undefined || f.name === undefined) continue;
    const type = inner(f.type);
    if (type.kind === 'record') {
      const sub = memberNames(type.record)[0];
      if (sub) out.push(`${f.name}.${sub}`);
    } else if (type.kind === 'array' && type.count !== undefined && type.count >= 2n) {
      const last = `${f.name}[${type.count - 1n}]`;
      out.push(last);
      const element = inner(type.of);
      const sub = element.kind === 'record' ? memberNames(element.record)[0] : undefined;
      if (sub) out.push(`${last}.${sub}`);
    }
  }
  return out;
}
