import { describe, expect, it } from 'vitest';
import { evaluateText, parseCharLiteral, parseIntegerLiteral, type EvalEnv } from '../../../src/engine/evaluate/evaluate.js';
import { MacroTable, parseDefine } from '../../../src/engine/macros/macros.js';
import { targetModel } from '../../../src/engine/model/target.js';

function env(defines: string[] = [], extra: Partial<EvalEnv> = {}, target: 'x64' | 'x86' = 'x64'): EvalEnv {
  const table = new MacroTable();
  defines.forEach((d, i) => table.define(parseDefine(d, 'test.c', i + 1)!, i + 1, true));
  return { model: targetModel(target), macros: (n) => table.lookup(n), ...extra };
}

function value(text: string, e: EvalEnv = env()): bigint | string {
  const v = evaluateText(text, e).value;
  return v.known ? v.value : `unknown: ${v.reason}`;
}

describe('integer literals', () => {
  it.each([
    ['4096', 4096n],
    ['0x1000', 4096n],
    ['0X1000', 4096n],
    ['010000', 4096n],
    ['0b1000000000000', 4096n],
    ['4096u', 4096n],
    ['4096UL', 4096n],
    ['4096ull', 4096n],
    ['4096LL', 4096n],
    ['4096i64', 4096n],
    ['4096ui64', 4096n],
    ["65'536", 65536n],
    ["0x1'0000", 65536n],
    ['0', 0n],
    ['18446744073709551615u', 18446744073709551615n],
  ])('%s = %s', (text, expected) => {
    expect(value(text)).toBe(expected);
  });

  it('types decimal literals as int, long long when they do not fit (LLP64: long is 32 bits)', () => {
    const m = targetModel('x64');
    expect(parseIntegerLiteral('2147483647', m)).toMatchObject({ type: { name: 'int' } });
    expect(parseIntegerLiteral('2147483648', m)).toMatchObject({ type: { name: 'long long' } });
    expect(parseIntegerLiteral('0xFFFFFFFF', m)).toMatchObject({ type: { name: 'unsigned int' } });
  });

  it('refuses floats and oversized literals with a reason', () => {
    expect(value('1.5e4')).toBe('unknown: 1.5e4 is a floating-point number');
    expect(value('0xFFFFFFFFFFFFFFFFFFFF')).toBe('unknown: 0xFFFFFFFFFFFFFFFFFFFF does not fit in any integer type');
  });
});

describe('character literals', () => {
  it.each([
    ["'A'", 65n],
    ["'\\n'", 10n],
    ["'\\x41'", 65n],
    ["'\\101'", 65n],
    ["'\\0'", 0n],
    ["L'A'", 65n],
    ["'AB'", 0x4142n],
  ])('%s = %s', (text, expected) => {
    const r = parseCharLiteral(text);
    expect('value' in r ? r.value : r).toBe(expected);
  });
});

describe('operators', () => {
  it.each([
    ['4 * 1024', 4096n],
    ['65536 + 4096', 69632n],
    ['100 - 36', 64n],
    ['1000000 / 10', 100000n],
    ['-7 / 2', -3n],
    ['-7 % 2', -1n],
    ['1 << 16', 65536n],
    ['0x100000 >> 4', 65536n],
    ['0x11000 & ~0xFFF', 0x11000n],
    ['0x10000 | 0x1000', 0x11000n],
    ['0x11000 ^ 0x1000', 0x10000n],
    ['~0u', 0xffffffffn],
    ['!0', 1n],
    ['!5', 0n],
    ['-(-4096)', 4096n],
    ['3 > 2', 1n],
    ['3 >= 4', 0n],
    ['2 == 2', 1n],
    ['2 != 2', 0n],
    ['1 && 2', 1n],
    ['0 || 0', 0n],
    ['1 ? 10 : 20', 10n],
    ['0 ? 10 : 20', 20n],
    ['(1, 2)', 2n],
    ['4294967295u + 4097u', 4096n],
    ['-1 + 0u', 4294967295n],
    ['(DWORD)0x100001000ULL', 0x1000n],
    ['(unsigned short)0x11000', 0x1000n],
    ['(SIZE_T)-1', 18446744073709551615n],
    ['(BYTE)257', 1n],
    ['static_cast<SIZE_T>(8192)', 8192n],
    ['SIZE_T(4096) * 16', 65536n],
    ['size_t{4096}', 4096n],
  ])('%s = %s', (text, expected) => {
    expect(value(text)).toBe(expected);
  });

  it('short-circuits around unknown operands', () => {
    expect(value('0 && n')).toBe(0n);
    expect(value('1 || n')).toBe(1n);
    expect(value('1 ? 4096 : n')).toBe(4096n);
    expect(value('n ? 4096 : 4096')).toBe('unknown: the value of n is not known');
  });

  it('gives unknown, not a crash, for undefined behaviour', () => {
    expect(value('4096 / 0')).toBe('unknown: division by zero');
    expect(value('4096 % 0')).toBe('unknown: division by zero');
    expect(value('1 << -1')).toBe('unknown: shift by a negative amount (-1)');
    expect(value('1 << 32')).toBe('unknown: shift by 32 bits of a 32-bit value');
    expect(value('2147483647 + 1')).toMatch(/^unknown: signed overflow/);
    expect(value('n = 4')).toBe('unknown: an assignment is not a constant');
    expect(value('f(4)')).toBe('unknown: calls f()');
    expect(value('&x')).toBe('unknown: an address is not a constant size');
  });
});

describe('sizeof', () => {
  it.each([
    ['sizeof(char)', 1n, 1n],
    ['sizeof(short)', 2n, 2n],
    ['sizeof(int)', 4n, 4n],
    ['sizeof(long)', 4n, 4n],
    ['sizeof(long long)', 8n, 8n],
    ['sizeof(unsigned long long int)', 8n, 8n],
    ['sizeof(double)', 8n, 8n],
    // (not `long`: MSVC's long double is a double)
    ['sizeof(long double)', 8n, 8n],
    ['sizeof(long int)', 4n, 4n],
    ['sizeof(void *)', 8n, 4n],
    ['sizeof(char *)', 8n, 4n],
    ['sizeof(SIZE_T)', 8n, 4n],
    ['sizeof(ULONG_PTR)', 8n, 4n],
    ['sizeof(HANDLE)', 8n, 4n],
    ['sizeof(LPVOID)', 8n, 4n],
    ['sizeof(BYTE)', 1n, 1n],
    ['sizeof(WORD)', 2n, 2n],
    ['sizeof(DWORD)', 4n, 4n],
    ['sizeof(QWORD)', 8n, 8n],
    ['sizeof(DWORD64)', 8n, 8n],
    ['sizeof "abc"', 4n, 4n],
    ['sizeof(L"ab")', 6n, 6n],
  ])('%s is %s on x64 and %s on x86', (text, x64, x86) => {
    expect(value(text, env([], {}, 'x64'))).toBe(x64);
    expect(value(text, env([], {}, 'x86'))).toBe(x86);
  });

  it('does not guess the size of a struct or an expression', () => {
    expect(value('sizeof(struct header)')).toBe('unknown: size of struct header is not known');
    expect(value('sizeof buffer')).toBe('unknown: sizeof of an expression is not evaluated');
  });
});

describe('macros', () => {
  it('expands object-like, function-like, nested, # and ## macros', () => {
    const e = env([
      'PAGE 4096',
      'PAGES(n) ((n) * PAGE)',
      'KB(x) ((x) << 10)',
      'CAT(a, b) a##b',
      'STR(x) #x',
      'TWICE(x) (2 * (x))',
      'ADD3(a, b, c) ((a) + (b) + (c))',
      'SUM(...) ADD3(__VA_ARGS__)',
      'COMMA(...) (0 + __VA_ARGS__)',
    ]);
    expect(value('PAGE', e)).toBe(4096n);
    expect(value('PAGES(16)', e)).toBe(65536n);
    expect(value('PAGES(PAGES(1) / 1024)', e)).toBe(16384n);
    expect(value('KB(64)', e)).toBe(65536n);
    expect(value('CAT(40, 96)', e)).toBe(4096n);
    expect(value('sizeof(STR(abc))', e)).toBe(4n);
    expect(value('TWICE(TWICE(1024))', e)).toBe(4096n);
    expect(value('SUM(1, 2, 3)', e)).toBe(6n);
    // C's comma operator: (0 + 1, 2, 3) is 3
    expect(value('COMMA(1, 2, 3)', e)).toBe(3n);
  });

  it('stops on self-reference and mutual recursion', () => {
    expect(value('X', env(['X (X + 1)']))).toBe('unknown: the value of X is not known');
    expect(value('A', env(['A B', 'B A']))).toBe('unknown: the value of A is not known');
  });

  it('reports a wrong argument count', () => {
    expect(value('PAGES(1, 2)', env(['PAGES(n) ((n) * 4096)']))).toBe('unknown: macro PAGES expects 1 argument, got 2');
  });

  it('uses the definition in force at the line', () => {
    const table = new MacroTable();
    table.define(parseDefine('SIZE 4096', 'a.c', 1)!, 1, true);
    table.undefine('SIZE', 10, true);
    table.define(parseDefine('SIZE 65536', 'a.c', 11)!, 11, true);
    const at = (line: number) => evaluateText('SIZE', { model: targetModel('x64'), macros: (n) => table.lookup(n, line) }).value;
    expect(at(5)).toEqual({ known: true, value: 4096n });
    expect(at(10)).toEqual({ known: false, reason: 'the value of SIZE is not known', cause: { kind: 'unknown-name', name: 'SIZE' } });
    expect(at(20)).toEqual({ known: true, value: 65536n });
  });

  it('treats definitions that differ between undecidable branches as unknown', () => {
    const table = new MacroTable();
    table.define(parseDefine('ARENA 4096', 'a.c', 2)!, 2, false, '#ifdef _DEBUG');
    table.define(parseDefine('ARENA 8192', 'a.c', 4)!, 4, false, '#else');
    const v = evaluateText('ARENA', { model: targetModel('x64'), macros: (n) => table.lookup(n) }).value;
    expect(v).toEqual({
      known: false,
      reason: 'ARENA is defined differently depending on #else, #ifdef _DEBUG',
      cause: { kind: 'macro-problem', problem: 'ARENA is defined differently depending on #else, #ifdef _DEBUG' },
    });
  });
});

describe('#if expressions', () => {
  const directive = (defines: string[]): EvalEnv => {
    const e = env(defines);
    return { ...e, directive: true, defined: (n) => (e.macros(n).kind === 'defined' ? true : undefined) };
  };
  it('evaluates defined() and arithmetic on macros', () => {
    expect(value('defined(A) && B > 2', directive(['A 1', 'B 3']))).toBe(1n);
    expect(value('defined A', directive(['A']))).toBe(1n);
    expect(value('B == 3', directive(['B 3']))).toBe(1n);
  });
  it('does not decide on names it has never seen', () => {
    expect(value('defined(UNKNOWN)', directive([]))).toBe(
      'unknown: whether UNKNOWN is defined is not known (no definition is visible: the build may pass one, so both branches are analysed)',
    );
    expect(value('UNKNOWN > 1', directive([]))).toBe(
      'unknown: UNKNOWN is not defined in the scanned sources (the build may define it, so both branches are analysed)',
    );
  });
});

describe('constant functions', () => {
  const calls: string[] = [];
  const doubled = env([], {
    constantFunction: (name) =>
      name === 'twice'
        ? (args) => {
            const a = args[0]!;
            calls.push('unknown' in a ? '?' : String(a.value));
            return 'unknown' in a ? { result: a, notes: [] } : { result: { value: a.value * 2n, type: a.type }, notes: [`twice(${a.value})`] };
          }
        : undefined,
  });

  it('gives the evaluated arguments to the function the environment names, and keeps its notes', () => {
    calls.length = 0;
    expect(evaluateText('twice(0x800 + 0x800) * 2', doubled)).toMatchObject({ value: { known: true, value: 16384n }, sizes: ['twice(4096)'] });
    expect(value('other(3)', doubled)).toBe('unknown: calls other()');
    expect(calls).toEqual(['4096']);
  });

  it('calls nothing in the branch of a ?: its known condition does not take', () => {
    calls.length = 0;
    expect(value('1 ? 4096 : twice(3)', doubled)).toBe(4096n);
    expect(value('0 ? twice(1) : twice(2)', doubled)).toBe(4n);
    expect(calls).toEqual(['2']);
  });
});
