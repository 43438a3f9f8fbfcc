// Named record layouts with their exact values. The mingw values are what x86_64- and i686-w64-mingw32-gcc
// -mms-bitfields print for the C in each comment (layout-differential.test.ts checks thousands more); the MSVC and
// clang-cl ones are what clang --target=x86_64-, i686- and aarch64-pc-windows-msvc print, whose record layout
// (MicrosoftRecordLayoutBuilder) is MSVC's (layout-differential-msvc.test.ts checks thousands more).

import { describe, expect, it } from 'vitest';
import { describeReason } from '../../../src/engine/model/reasons.js';
import { INT, LLONG, LONG, UINT, ULLONG, type IntType } from '../../../src/engine/model/target.js';
import type { Compiler } from '../../../src/engine/model/configuration.js';
import type { Target } from '../../../src/engine/model/types.js';
import type { CType, Field, RecordType } from '../../../src/engine/types/ctype.js';
import { layoutRules, measure, type Layout } from '../../../src/engine/types/layout.js';

const CHAR: IntType = { bits: 8, unsigned: false, rank: 1, name: 'char' };
const UCHAR: IntType = { bits: 8, unsigned: true, rank: 1, name: 'unsigned char' };
const USHORT: IntType = { bits: 16, unsigned: true, rank: 2, name: 'unsigned short' };

const int = (t: IntType): CType => ({ kind: 'int', int: t });
const record = (r: RecordType): CType => ({ kind: 'record', record: r });
const struct = (fields: Field[], more: Partial<RecordType> = {}): CType => record({ keyword: 'struct', tag: 'S', fields, ...more });

function layout(type: CType, target: Target = 'x64', compiler: Compiler = 'msvc', language: 'c' | 'c++' = 'c'): Layout {
  const m = measure(type, layoutRules(target, compiler, language));
  if ('unknown' in m) throw new Error(describeReason(m.unknown));
  return m;
}

function offsets(l: Layout): Record<string, number> {
  return Object.fromEntries([...l.members].map(([name, m]) => [name, Number(m.offset)]));
}

const COMPILERS: [Target, Compiler][] = [
  ['x64', 'msvc'],
  ['x86', 'msvc'],
  ['arm64', 'msvc'],
  ['x64', 'mingw'],
  ['x86', 'mingw'],
  ['x64', 'clang-cl'],
];

describe('builtins per target and compiler', () => {
  it.each([
    ['x64', 'msvc', 8n, 8n],
    ['x86', 'msvc', 4n, 8n],
    ['arm64', 'msvc', 8n, 8n],
    ['x64', 'clang-cl', 8n, 8n],
    ['x64', 'mingw', 8n, 16n],
    ['x86', 'mingw', 4n, 12n],
    ['arm64', 'mingw', 8n, 8n],
  ] as const)('%s %s: pointer %d bytes, long double %d', (target, compiler, pointer, longDouble) => {
    expect(layout({ kind: 'pointer', to: { kind: 'void' } }, target, compiler).size).toBe(pointer);
    expect(layout({ kind: 'float', name: 'long double' }, target, compiler).size).toBe(longDouble);
    expect(layout(int(LONG), target, compiler).size).toBe(4n);
  });

  it('aligns double and long long to 8 on x86, in records too (MSVC, and i686-w64-mingw32-gcc)', () => {
    // struct { char c; double d; long long l; }: d at 8, l at 16, 24 bytes
    const s = struct([
      { name: 'c', type: int(CHAR) },
      { name: 'd', type: { kind: 'float', name: 'double' } },
      { name: 'l', type: int(LLONG) },
    ]);
    for (const compiler of ['msvc', 'mingw'] as const) {
      const l = layout(s, 'x86', compiler);
      expect([l.size, l.align, offsets(l)]).toEqual([24n, 8n, { c: 0, d: 8, l: 16 }]);
    }
  });

  it('measures an enum by its underlying type (enum class E : unsigned char)', () => {
    expect(layout({ kind: 'enum', tag: 'E', underlying: UCHAR })).toMatchObject({ size: 1n, align: 1n });
  });
});

describe('#pragma pack', () => {
  // #pragma pack(push, 1) (pshpack1.h)
  // struct thunk { unsigned char op; unsigned long long target; unsigned short pad; unsigned int x, y; };
  const thunk = (pack?: number) =>
    record({
      keyword: 'struct',
      tag: 'thunk',
      pack,
      fields: [
        { name: 'op', type: int(UCHAR) },
        { name: 'target', type: int(ULLONG) },
        { name: 'pad', type: int(USHORT) },
        { name: 'x', type: int(UINT) },
        { name: 'y', type: int(UINT) },
      ],
    });

  it.each(COMPILERS)('a pshpack1 struct is 19 bytes on %s %s, and says why', (target, compiler) => {
    const l = layout(thunk(1), target, compiler);
    expect([l.size, l.align, offsets(l)]).toEqual([19n, 1n, { op: 0, target: 1, pad: 9, x: 11, y: 15 }]);
    expect(l.notes).toEqual(['#pragma pack 1']);
  });

  it('an array of them is 4 × 19 bytes, for the same reason', () => {
    const l = layout({ kind: 'array', of: thunk(1), count: 4n }, 'x86', 'msvc');
    expect([l.size, l.align, l.notes]).toEqual([76n, 1n, ['#pragma pack 1']]);
  });

  it('without the pack the same struct is 32 bytes, and nothing needs saying', () => {
    const l = layout(thunk(), 'x64');
    expect([l.size, l.align, offsets(l), l.notes]).toEqual([32n, 8n, { op: 0, target: 8, pad: 16, x: 20, y: 24 }, []]);
  });

  it('caps an explicit alignment under GCC, never under MSVC', () => {
    // #pragma pack(1) struct { char c; __declspec(align(16)) int x; }: gcc puts x at 1 (5 bytes), MSVC at 16 (32)
    const s = struct(
      [
        { name: 'c', type: int(CHAR) },
        { name: 'x', type: int(INT), align: 16 },
      ],
      { pack: 1 },
    );
    const gcc = layout(s, 'x64', 'mingw');
    expect([gcc.size, gcc.align, offsets(gcc)]).toEqual([5n, 1n, { c: 0, x: 1 }]);
    const msvc = layout(s, 'x64', 'msvc');
    expect([msvc.size, msvc.align, offsets(msvc)]).toEqual([32n, 16n, { c: 0, x: 16 }]);
    expect(msvc.notes).toEqual(['x: __declspec(align(16))']);
  });
});

describe('bitfields', () => {
  it.each(COMPILERS)('a new unit starts when the declared type changes size (%s %s)', (target, compiler) => {
    // struct { int a : 4; char b : 4; int c : 4; }: three units, 12 bytes
    const changing = struct([
      { name: 'a', type: int(INT), bits: 4 },
      { name: 'b', type: int(CHAR), bits: 4 },
      { name: 'c', type: int(INT), bits: 4 },
    ]);
    const l = layout(changing, target, compiler);
    expect([l.size, l.align]).toEqual([12n, 4n]);
    expect([...l.members.values()].map((m) => [Number(m.offset), m.bits])).toEqual([
      [0, { offset: 0, width: 4 }],
      [4, { offset: 0, width: 4 }],
      [8, { offset: 0, width: 4 }],
    ]);
    // struct { int a : 4; unsigned b : 4; long c : 4; }: one unit, 4 bytes
    const same = struct([
      { name: 'a', type: int(INT), bits: 4 },
      { name: 'b', type: int(UINT), bits: 4 },
      { name: 'c', type: int(LONG), bits: 4 },
    ]);
    const one = layout(same, target, compiler);
    expect([one.size, [...one.members.values()].map((m) => m.bits?.offset)]).toEqual([4n, [0, 4, 8]]);
  });

  it('a zero-width bitfield after a unit aligns what follows to its type (gcc: struct { char a : 4; int : 0; char b; })', () => {
    const s = struct([
      { name: 'a', type: int(CHAR), bits: 4 },
      { type: int(INT), bits: 0 },
      { name: 'b', type: int(CHAR) },
    ]);
    const l = layout(s, 'x64', 'mingw');
    expect([l.size, l.align, offsets(l).b]).toEqual([8n, 4n, 4]);
  });

  it('gcc places a member after an unaligned unit by where its bits end (packed struct { char a; int b : 24; short c __attribute__((aligned(2))); })', () => {
    const s = struct(
      [
        { name: 'a', type: int(CHAR) },
        { name: 'b', type: int(INT), bits: 24 },
        { name: 'c', type: int(USHORT), align: 2 },
      ],
      { packed: true },
    );
    expect(offsets(layout(s, 'x64', 'mingw')).c).toBe(5);
    // the same with b : 20 ends mid-byte: c goes to the next multiple of 2 after the unit
    const mid = struct(
      [
        { name: 'a', type: int(CHAR) },
        { name: 'b', type: int(INT), bits: 20 },
        { name: 'c', type: int(USHORT), align: 2 },
      ],
      { packed: true },
    );
    expect(offsets(layout(mid, 'x64', 'mingw')).c).toBe(6);
  });
});

describe('records', () => {
  it('lifts the members of an anonymous union, with offsets in the outer record (struct { char c; union { short s; long long l; }; int t; })', () => {
    const inner = record({
      keyword: 'union',
      fields: [
        { name: 's', type: int(USHORT) },
        { name: 'l', type: int(LLONG) },
      ],
    });
    const s = struct([{ name: 'c', type: int(CHAR) }, { type: inner }, { name: 't', type: int(INT) }]);
    for (const [target, compiler] of COMPILERS) {
      const l = layout(s, target, compiler);
      expect([l.size, offsets(l)]).toEqual([24n, { c: 0, s: 8, l: 8, t: 16 }]);
    }
  });

  it('tail padding rounds the size to the alignment; a flexible array adds nothing', () => {
    expect(
      layout(
        struct([
          { name: 'a', type: int(INT) },
          { name: 'b', type: int(CHAR) },
        ]),
      ).size,
    ).toBe(8n);
    const flexible = layout(
      struct([
        { name: 'n', type: int(INT) },
        { name: 'data', type: { kind: 'array', of: int(CHAR) } },
      ]),
    );
    expect([flexible.size, offsets(flexible)]).toEqual([4n, { n: 0, data: 4 }]);
    expect(flexible.notes).toEqual(['flexible array member data']);
  });

  it('a zero-length array takes no bytes but aligns', () => {
    // struct { char c; long long z[0]; }: z at 8, 8 bytes
    const s = struct([
      { name: 'c', type: int(CHAR) },
      { name: 'z', type: { kind: 'array', of: int(LLONG), count: 0n } },
    ]);
    const l = layout(s, 'x64', 'mingw');
    expect([l.size, offsets(l)]).toEqual([8n, { c: 0, z: 8 }]);
  });

  it('follows a typedef chain', () => {
    const s = struct([{ name: 'a', type: int(INT) }]);
    const t1: CType = { kind: 'ref', name: 'S_t', resolve: () => s };
    const t2: CType = { kind: 'ref', name: 'PS_t', resolve: () => t1 };
    expect(layout(t2).size).toBe(4n);
  });
});

describe("MSVC's layout where it is not GCC's (clang's MicrosoftRecordLayoutBuilder, as clang --target=x86_64-, i686-, aarch64-pc-windows-msvc computes it)", () => {
  const MSVC: [Target, Compiler][] = [
    ['x64', 'msvc'],
    ['x86', 'msvc'],
    ['arm64', 'msvc'],
    ['x64', 'clang-cl'],
  ];
  const union = (fields: Field[]): CType => record({ keyword: 'union', tag: 'U', fields });

  it.each(MSVC)("a union takes a bitfield's declared size but not its alignment (%s %s)", (target, compiler) => {
    // union U1 { long long : 3; char c; }: 8 bytes aligned to 1 (layoutBitField: "MS ignores bitfield alignment in unions")
    const u1 = layout(
      union([
        { type: int(LLONG), bits: 3 },
        { name: 'c', type: int(CHAR) },
      ]),
      target,
      compiler,
    );
    expect([u1.size, u1.align]).toEqual([8n, 1n]);
    // union U2 { int a : 3; long long : 0; char c; }: the :0 after a bitfield makes it 8 bytes, still aligned to 1
    const u2 = layout(
      union([
        { name: 'a', type: int(INT), bits: 3 },
        { type: int(LLONG), bits: 0 },
        { name: 'c', type: int(CHAR) },
      ]),
      target,
      compiler,
    );
    expect([u2.size, u2.align]).toEqual([8n, 1n]);
  });

  it('gcc counts the alignment and only the bytes of the bits: union U1 is 8 bytes because it is aligned to 8 (x86_64-w64-mingw32-gcc -mms-bitfields)', () => {
    const u1 = layout(
      union([
        { type: int(LLONG), bits: 3 },
        { name: 'c', type: int(CHAR) },
      ]),
      'x64',
      'mingw',
    );
    expect([u1.size, u1.align]).toEqual([8n, 8n]);
  });

  it.each(MSVC)('a C record without data is 4 bytes, not rounded to its alignment, unless a required alignment reaches 4 (%s %s)', (target, compiler) => {
    const zeroLength = (of: CType): Field => ({ name: 'm', type: { kind: 'array', of, count: 0n } });
    // struct E1 { long long m[0]; }: 4 bytes aligned to 8 (finalizeLayout: MinEmptyStructSize)
    const e1 = layout(struct([zeroLength(int(LLONG))]), target, compiler);
    expect([e1.size, e1.align]).toEqual([4n, 8n]);
    // struct __declspec(align(8)) E2 { char m[0]; }: 8, aligned to 8
    const e2 = layout(struct([zeroLength(int(CHAR))], { align: 8 }), target, compiler);
    expect([e2.size, e2.align]).toEqual([8n, 8n]);
    // struct __declspec(align(2)) E3 { long long m[0]; }: align(2) is below 4: 4 bytes aligned to 8
    const e3 = layout(struct([zeroLength(int(LLONG))], { align: 2 }), target, compiler);
    expect([e3.size, e3.align]).toEqual([4n, 8n]);
  });

  it.each([
    ['x64', 8n],
    ['x86', 1n],
    ['arm64', 8n],
  ] as const)('a C++ record without data is its alignment on 64-bit targets, 1 byte on x86 (struct E1 { long long m[0]; } on %s: %d)', (target, size) => {
    const e1 = layout(struct([{ name: 'm', type: { kind: 'array', of: int(LLONG), count: 0n } }]), target, 'msvc', 'c++');
    expect([e1.size, e1.align]).toEqual([size, 8n]);
  });

  it('ignores a #pragma pack larger than a pointer (initializeLayout): pack(8) caps on x64, not on x86', () => {
    // struct A { __declspec(align(32)) long m : 29; }: aligned to 32, which it does not *require* (a bitfield's align)
    const A = struct([{ name: 'm', type: int(LONG), bits: 29, align: 32 }], { tag: 'A' });
    // #pragma pack(N) struct B { char c; struct A a; };
    const B = (pack: number) =>
      struct(
        [
          { name: 'c', type: int(CHAR) },
          { name: 'a', type: A },
        ],
        { tag: 'B', pack },
      );
    for (const target of ['x64', 'x86', 'arm64'] as const) {
      const b16 = layout(B(16), target);
      expect([b16.size, offsets(b16).a]).toEqual([64n, 32]);
    }
    const x64 = layout(B(8), 'x64');
    expect([x64.size, offsets(x64).a, x64.notes]).toEqual([40n, 8, ['#pragma pack 8']]);
    const x86 = layout(B(8), 'x86');
    expect([x86.size, offsets(x86).a, x86.notes]).toEqual([64n, 32, []]);
  });

  it.each(MSVC)('a bitfield that joins the open unit adds nothing to the alignment (%s %s)', (target, compiler) => {
    // struct J { char b : 1; __declspec(align(32)) char c : 2; }: 1 byte aligned to 1 (layoutBitField returns first)
    const j = layout(
      struct([
        { name: 'b', type: int(CHAR), bits: 1 },
        { name: 'c', type: int(CHAR), bits: 2, align: 32 },
      ]),
      target,
      compiler,
    );
    expect([j.size, j.align]).toEqual([1n, 1n]);
    // struct J2 { char b : 1; __declspec(align(32)) char c : 2; int i : 1; }: i starts a unit and counts, 8 bytes aligned to 4
    const j2 = layout(
      struct([
        { name: 'b', type: int(CHAR), bits: 1 },
        { name: 'c', type: int(CHAR), bits: 2, align: 32 },
        { name: 'i', type: int(INT), bits: 1 },
      ]),
      target,
      compiler,
    );
    expect([j2.size, j2.align]).toEqual([8n, 4n]);
  });

  it.each(MSVC)("a member whose record declares an alignment requires all of the record's (%s %s)", (target, compiler) => {
    // struct __declspec(align(2)) R { int i; }; #pragma pack(1) struct P { char c; struct R r; };
    // r at 4, not 2 and not 1: the type's alignment is required (getAdjustedElementInfo: isAlignmentRequired)
    const R = struct([{ name: 'i', type: int(INT) }], { tag: 'R', align: 2 });
    const p = layout(
      struct(
        [
          { name: 'c', type: int(CHAR) },
          { name: 'r', type: R },
        ],
        { tag: 'P', pack: 1 },
      ),
      target,
      compiler,
    );
    expect([p.size, p.align, offsets(p)]).toEqual([8n, 4n, { c: 0, r: 4 }]);
  });
});

describe('C++ records', () => {
  const V: RecordType = { keyword: 'struct', tag: 'V', virtual: true, fields: [{ name: 'x', type: int(INT) }] };
  const ref = (r: RecordType): CType => ({ kind: 'ref', name: r.tag!, resolve: () => record(r) });

  // struct V { virtual ~V(); int x; }; struct D : V { int y; };
  // MSVC never puts a derived member in a base's tail padding; g++ (Itanium ABI) does when the base is not a POD
  it.each([
    ['x64', 'msvc', 16n, 8, 24n, 16],
    ['x86', 'msvc', 8n, 4, 12n, 8],
    ['arm64', 'msvc', 16n, 8, 24n, 16],
    ['x64', 'mingw', 16n, 8, 16n, 12],
    ['x86', 'mingw', 8n, 4, 12n, 8],
  ] as const)('a vptr comes first, and a derived class shares it (%s %s)', (target, compiler, size, x, derivedSize, y) => {
    const v = layout(record(V), target, compiler, 'c++');
    expect([v.size, offsets(v), v.notes]).toEqual([size, { x }, ['vptr']]);
    const D: RecordType = { keyword: 'struct', tag: 'D', bases: [ref(V)], fields: [{ name: 'y', type: int(INT) }] };
    const d = layout(record(D), target, compiler, 'c++');
    expect([d.size, offsets(d)]).toEqual([derivedSize, { x, y }]);
  });

  it('an empty base takes no space; a non-empty one comes first (struct F : E { int a; }, struct G : B { int d; })', () => {
    const E: RecordType = { keyword: 'struct', tag: 'E', fields: [] };
    expect(layout(record(E), 'x64', 'msvc', 'c++').size).toBe(1n);
    const F = layout(record({ keyword: 'struct', tag: 'F', bases: [ref(E)], fields: [{ name: 'a', type: int(INT) }] }), 'x64', 'msvc', 'c++');
    expect([F.size, offsets(F)]).toEqual([4n, { a: 0 }]);
    const B: RecordType = { keyword: 'struct', tag: 'B', fields: [{ name: 'c', type: int(CHAR) }] };
    const G = layout(record({ keyword: 'struct', tag: 'G', bases: [ref(B)], fields: [{ name: 'd', type: int(INT) }] }), 'x64', 'msvc', 'c++');
    expect([G.size, offsets(G)]).toEqual([8n, { c: 0, d: 4 }]);
  });
});

describe('inheritance the model does not lay out', () => {
  const ref = (r: RecordType): CType => ({ kind: 'ref', name: r.tag!, resolve: () => record(r) });
  const B: RecordType = { keyword: 'struct', tag: 'B', fields: [{ name: 'b', type: int(INT) }] };
  const C: RecordType = { keyword: 'struct', tag: 'C', fields: [{ name: 'c', type: int(INT) }] };
  const unknownOf = (r: RecordType) => {
    const measured = measure(record(r), layoutRules('x64', 'msvc', 'c++'));
    return 'unknown' in measured ? describeReason(measured.unknown) : measured.size;
  };

  it('is unknown with a virtual base (struct D : virtual B): a vbptr and the shared base, never a guess', () => {
    expect(unknownOf({ keyword: 'struct', tag: 'D', bases: [ref(B)], virtualBase: true, fields: [{ name: 'd', type: int(INT) }] })).toBe(
      'struct D has a virtual base, whose layout granule does not model',
    );
  });

  it('is unknown with several bases (struct D : B, C)', () => {
    expect(unknownOf({ keyword: 'struct', tag: 'D', bases: [ref(B), ref(C)], fields: [] })).toBe(
      'struct D has several bases, whose layout granule does not model',
    );
  });
});

describe("MSVC's C++ classes (clang++ --target=x86_64-, i686-, aarch64-pc-windows-msvc: MicrosoftRecordLayoutBuilder, cxxLayout)", () => {
  const ref = (r: RecordType): CType => ({ kind: 'ref', name: r.tag!, resolve: () => record(r) });
  const DOUBLE: CType = { kind: 'float', name: 'double' };

  it.each(['x64', 'x86', 'arm64'] as const)("injects the vfptr in front, moved by the members' alignment (%s)", (target) => {
    // struct V { virtual void f(); int i; double d; }: 24 bytes, i at 8 and d at 16 on x86 too (injectVFPtr: the
    // pointer's 4 bytes rounded up to the alignment of 8), where g++ puts i at 4
    const V = record({
      keyword: 'struct',
      tag: 'V',
      virtual: true,
      fields: [
        { name: 'i', type: int(INT) },
        { name: 'd', type: DOUBLE },
      ],
    });
    const v = layout(V, target, 'msvc', 'c++');
    expect([v.size, v.align, offsets(v), v.notes]).toEqual([24n, 8n, { i: 8, d: 16 }, ['vptr']]);
    expect(offsets(layout(V, 'x86', 'mingw', 'c++'))).toEqual({ i: 4, d: 8 });
  });

  it.each(['x64', 'x86', 'arm64'] as const)('an empty base takes no bytes but gives its alignment (%s)', (target) => {
    // struct __declspec(align(16)) A16 {}; struct G : A16 { int x; }: 16 bytes aligned to 16, x at 0
    const A16: RecordType = { keyword: 'struct', tag: 'A16', align: 16, fields: [] };
    const g = layout(record({ keyword: 'struct', tag: 'G', bases: [ref(A16)], fields: [{ name: 'x', type: int(INT) }] }), target, 'msvc', 'c++');
    expect([g.size, g.align, offsets(g), g.notes]).toEqual([16n, 16n, { x: 0 }, ['empty base A16 takes no space']]);
  });

  it.each(['x64', 'x86', 'arm64'] as const)('a base takes its size before its own __declspec(align) rounds it up (%s)', (target) => {
    // struct __declspec(align(16)) B { int x; }; struct D : B { int y; }: sizeof(B) is 16, but y is at 4
    const B: RecordType = { keyword: 'struct', tag: 'B', align: 16, fields: [{ name: 'x', type: int(INT) }] };
    expect(layout(record(B), target, 'msvc', 'c++').size).toBe(16n);
    const d = layout(record({ keyword: 'struct', tag: 'D', bases: [ref(B)], fields: [{ name: 'y', type: int(INT) }] }), target, 'msvc', 'c++');
    expect([d.size, d.align, offsets(d)]).toEqual([16n, 16n, { x: 0, y: 4 }]);
  });

  it('rounds a C++ record under its pack, and only C to all of its alignment', () => {
    // #pragma pack(1) struct P { __declspec(align(32)) int b : 3; char c; }: aligned to 32, but 5 bytes in C++, 32 in C
    const P = struct(
      [
        { name: 'b', type: int(INT), bits: 3, align: 32 },
        { name: 'c', type: int(CHAR) },
      ],
      { tag: 'P', pack: 1 },
    );
    const cpp = layout(P, 'x64', 'msvc', 'c++');
    expect([cpp.size, cpp.align, offsets(cpp)]).toEqual([5n, 32n, { b: 0, c: 4 }]);
    const c = layout(P, 'x64', 'msvc', 'c');
    expect([c.size, c.align]).toEqual([32n, 32n]);
  });
});

describe('unknown sizes say why', () => {
  const reason = (type: CType) => {
    const m = measure(type, layoutRules('x64', 'msvc'));
    return 'unknown' in m ? describeReason(m.unknown) : `known: ${m.size}`;
  };

  it('names a record declared but never defined, and the member that holds one', () => {
    const foo = record({ keyword: 'struct', tag: 'foo' });
    expect(reason(foo)).toBe('struct foo is declared but never defined');
    expect(reason(struct([{ name: 'f', type: foo }]))).toBe('member f of struct S: struct foo is declared but never defined');
  });

  it('an array without bound, void and a function have no size', () => {
    expect(reason({ kind: 'array', of: int(INT) })).toBe('an array of unknown bound has no size');
    expect(reason({ kind: 'void' })).toBe('void has no size');
    expect(reason({ kind: 'function' })).toBe('a function type has no size');
  });

  it('a record that contains itself, and a typedef of itself, end with a reason', () => {
    const self: RecordType = { keyword: 'struct', tag: 'self' };
    self.fields = [{ name: 'inner', type: record(self) }];
    expect(reason(record(self))).toBe('member inner of struct self: struct self contains itself');
    const loop: CType = { kind: 'ref', name: 'T', resolve: () => loop };
    expect(reason(loop)).toBe('T is defined through too many other types');
  });

  it('a bitfield wider than its type, and an alignment that is not a power of two, are not laid out', () => {
    expect(reason(struct([{ name: 'b', type: int(CHAR), bits: 9 }]))).toBe('the bitfield b of struct S is not valid');
    expect(reason(struct([{ name: 'a', type: int(INT), align: 3 }]))).toBe('the alignment 3 is not a power of two');
  });

  it('rules written by hand (target and compiler only) measure alike', () => {
    const m = measure(struct([{ name: 'a', type: int(INT) }]), { target: 'x86', compiler: 'mingw' });
    expect(m).toMatchObject({ size: 4n, align: 4n });
  });
});
