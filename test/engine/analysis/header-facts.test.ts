// Constants that headers declare, as the including file sees them.

import { describe, expect, it } from 'vitest';
import { extractConstants, HeaderFacts } from '../../../src/engine/analysis/header-facts.js';

describe('extractConstants', () => {
  it('keeps enumerators (explicit, implicit, after an explicit one), const and constexpr at file, namespace and member scope', () => {
    const facts = extractConstants(
      '/inc/sizes.hpp',
      `#pragma once
enum { A, B, C = 0x1000, D, E };
enum class Pages : unsigned { One = 4096 };
static const SIZE_T kChunk = 0x3000;
const int kBraced{42};
namespace cfg {
constexpr std::size_t kArena = 64 * 1024;
struct Limits { static constexpr std::size_t kMax = 0x5000; };
}
int not_const = 7;
void f() { const int local = 5; }
`,
    );
    const summary = Object.fromEntries([...facts].map(([name, c]) => [name, `${c.expr ?? '-'} +${c.step}${c.typeText ? ` ${c.typeText}` : ''} @${c.line}`]));
    expect(summary).toEqual({
      A: '- +0 @2',
      B: '- +1 @2',
      C: '0x1000 +0 @2',
      D: '0x1000 +1 @2',
      E: '0x1000 +2 @2',
      One: '4096 +0 @3',
      kChunk: '0x3000 +0 static const SIZE_T @4',
      kBraced: '42 +0 const int @5',
      kArena: '64 * 1024 +0 constexpr std::size_t @7',
      kMax: '0x5000 +0 static constexpr std::size_t @8',
    });
  });

  it('leaves out a name the header gives two different values (under #if branches)', () => {
    const facts = extractConstants('/inc/arch.h', '#ifdef _WIN64\nenum { CHUNK = 8192, SAME = 1 };\n#else\nenum { CHUNK = 4096, SAME = 1 };\n#endif\n');
    expect([...facts.keys()]).toEqual(['SAME']);
  });
});

describe('HeaderFacts', () => {
  it('parses a header only when it mentions the name, once, and again when its text changes', () => {
    const texts = new Map([['/inc/a.h', 'enum { X = 1 };']]);
    const reads: string[] = [];
    const facts = new HeaderFacts((file) => {
      reads.push(file);
      return texts.get(file);
    });
    expect(facts.lookup('/inc/a.h', 'Y')).toBeUndefined();
    expect(facts.lookup('/inc/a.h', 'X')?.expr).toBe('1');
    const first = facts.constantsOf('/inc/a.h', texts.get('/inc/a.h')!);
    expect(facts.constantsOf('/inc/a.h', texts.get('/inc/a.h')!)).toBe(first);
    texts.set('/inc/a.h', 'enum { X = 2 };');
    expect(facts.lookup('/inc/a.h', 'X')?.expr).toBe('2');
    expect(facts.lookup('/inc/missing.h', 'X')).toBeUndefined();
  });
});
