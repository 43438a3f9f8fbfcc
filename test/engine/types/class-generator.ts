// Random C++ classes for the MSVC layout test, each written twice (C++ text for clang++, the CType granule
// measures), seeded as record-generator.ts is: what C++ adds to a record's layout and what Windows code uses of
// it. Classes with virtual functions (the vfptr) and without; single inheritance from an earlier class, which may
// be empty, may have a vfptr of its own or not; empty classes; members of every scalar type, bitfields, arrays,
// earlier classes by value, `__declspec(align(n))` on members and classes; a `#pragma pack(push, n)` around some.
// Every member is public (`struct`), so offsetof may name it, and inherited members too.

import type { CType, Field, RecordType } from '../../../src/engine/types/ctype.js';
import { ALIGNS, FLOATS, INTEGERS, PACKS, SeededGenerator, type Probe, type Program } from './record-generator.js';

interface Named {
  c: string;
  type: CType;
  record: RecordType;
}

export class ClassGenerator extends SeededGenerator {
  private readonly classes: Named[] = [];
  private readonly lines: string[] = [];
  private readonly probes: Probe[] = [];
  private readonly records: string[] = [];

  program(count: number): Program {
    this.lines.push('#include <stddef.h>');
    for (let i = 0; i < count; i++) this.topClass(i);
    const values = this.probes.map((p) => `  (unsigned long long)(${p.expression}),`);
    const text = [...this.lines, 'extern "C" unsigned long long values[];', 'unsigned long long values[] = {', ...values, '};', ''].join('\n');
    return { text, probes: this.probes, records: this.records };
  }

  private topClass(index: number): void {
    const tag = `C${index}`;
    const record: RecordType = { keyword: 'struct', tag, fields: [] };
    const pack = this.chance(0.15) ? this.pick(PACKS) : undefined;
    if (pack !== undefined) record.pack = pack;
    let head = `struct ${tag}`;
    if (this.chance(0.1)) {
      record.align = this.pick(ALIGNS);
      head = `struct __declspec(align(${record.align})) ${tag}`;
    }
    if (this.classes.length && this.chance(0.6)) {
      const base = this.pick(this.classes.slice(-30));
      record.bases = [base.type];
      head += ` : ${base.c}`;
    }
    const body: string[] = [];
    if (this.chance(0.35)) {
      record.virtual = true;
      body.push(`  virtual void f${index}();`);
    }
    // an empty class now and then: the bases that take no space
    const count = this.chance(0.15) ? 0 : 1 + this.below(5);
    for (let i = 0; i < count; i++) body.push(`  ${this.member(record, `m${index}_${i}`)}`);
    const text = `${head} {\n${body.join('\n')}\n};`;
    this.lines.push(...(pack === undefined ? [text] : [`#pragma pack(push, ${pack})`, text, '#pragma pack(pop)']));
    this.records.push(pack === undefined ? text : `#pragma pack(${pack})\n${text}`);
    const type: CType = { kind: 'ref', name: tag, resolve: () => ({ kind: 'record', record }) };
    this.classes.push({ c: tag, type, record });
    this.probes.push({ expression: `sizeof(${tag})`, record: index, type, what: 'size' });
    this.probes.push({ expression: `alignof(${tag})`, record: index, type, what: 'align' });
    for (const member of namedMembers(record)) this.probes.push({ expression: `offsetof(${tag}, ${member})`, record: index, type, what: { member } });
  }

  private member(record: RecordType, name: string): string {
    const field: Field = { name, type: { kind: 'void' } };
    let before = '';
    let suffix = '';
    const r = this.next();
    let c: string;
    if (r < 0.2) {
      const i = this.pick(INTEGERS);
      const width = 1 + this.below(i.c === '_Bool' ? 1 : i.int.bits);
      field.type = { kind: 'int', int: i.int };
      field.bits = width;
      record.fields!.push(field);
      return `${i.c === '_Bool' ? 'bool' : i.c} ${name} : ${width};`;
    } else if (r < 0.4 && this.classes.length) {
      const member = this.pick(this.classes.slice(-30));
      c = member.c;
      field.type = member.type;
    } else if (r < 0.5) {
      c = 'void *';
      field.type = { kind: 'pointer', to: { kind: 'void' } };
    } else if (r < 0.65) {
      const f = this.pick(FLOATS);
      c = f;
      field.type = { kind: 'float', name: f };
    } else {
      const i = this.pick(INTEGERS);
      c = i.c === '_Bool' ? 'bool' : i.c;
      field.type = { kind: 'int', int: i.int };
    }
    if (this.chance(0.15)) {
      const n = 1 + this.below(3);
      suffix = `[${n}]`;
      field.type = { kind: 'array', of: field.type, count: BigInt(n) };
    }
    if (this.chance(0.1)) {
      field.align = this.pick(ALIGNS);
      before = `__declspec(align(${field.align})) `;
    }
    record.fields!.push(field);
    return `${before}${c} ${name}${suffix};`;
  }
}

/** The members offsetof can name in a class: its own and its bases', not bitfields. */
function namedMembers(record: RecordType): string[] {
  const own = (record.fields ?? []).filter((f) => f.bits === undefined && f.name !== undefined).map((f) => f.name!);
  const inherited = (record.bases ?? []).flatMap((b) => (b.kind === 'ref' ? (b.resolve() as { record?: RecordType }).record : undefined) ?? []);
  return [...inherited.flatMap(namedMembers), ...own];
}
