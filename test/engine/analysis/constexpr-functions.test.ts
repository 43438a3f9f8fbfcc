// C++ constexpr functions called in a size: evaluated with their arguments' values when the body is one `return`
// (after any static_asserts), with the evidence that says so; refused with a reason otherwise.

import { describe, expect, it } from 'vitest';
import { analyzeFile, type AnalysisOptions } from '../../../src/engine/analysis/analyze.js';
import { targetModel } from '../../../src/engine/model/target.js';

function analyze(text: string, file = '/src/a.cpp') {
  const options: AnalysisOptions = { model: targetModel('x64'), defines: {}, undefines: [], includePaths: [], forceIncludes: [], readFile: () => undefined };
  return analyzeFile(file, text, options, { wrappers: new Map() });
}

const PAGES = 'typedef unsigned long long size_t;\nconstexpr size_t pages(size_t n) { return n * 4096; }\n';

/** The size of the single VirtualAlloc call with `size`, after `declarations`: its value or reason, and its evidence. */
function sizeOf(declarations: string, size: string, file?: string) {
  const { calls } = analyze(`${declarations}\nvoid f() { VirtualAlloc(nullptr, ${size}, MEM_RESERVE, PAGE_NOACCESS); }\n`, file);
  const value = calls[0]!.size.value;
  return { value: value.known ? value.value : value.reason, evidence: calls[0]!.evidence.map((e) => e.message) };
}

describe('constexpr functions in a size', () => {
  it('evaluates a single return with the parameters bound, and says how', () => {
    expect(sizeOf(PAGES, 'pages(3)')).toEqual({ value: 12288n, evidence: ['pages(3) = 12288 (constexpr function pages)'] });
    expect(sizeOf(PAGES, '2 * pages(1 + 1)').value).toBe(16384n);
    expect(sizeOf(`namespace mem { ${PAGES} }`, 'mem::pages(5)').value).toBe(20480n);
  });

  it('reads past static_asserts, and through calls of other constexpr functions and sizeof', () => {
    const decls = `${PAGES}struct Slot { void *p; long long tag; };
constexpr size_t slots(size_t n) { static_assert(sizeof(Slot) == 16, "slot"); return pages(n) + n * sizeof(Slot); }`;
    expect(sizeOf(decls, 'slots(2)')).toEqual({
      value: 8224n,
      evidence: ['slots(2) = 8224 (constexpr function slots)', 'pages(2) = 8192 (constexpr function pages)', 'sizeof(Slot) = 16'],
    });
  });

  it('converts arguments to the parameter types and the result to the return type', () => {
    const decls = 'constexpr unsigned char low(unsigned char b) { return b; }\nconstexpr unsigned short twice(int n) { return n * 2; }';
    expect(sizeOf(decls, 'low(0x1001) * 4096').value).toBe(4096n);
    expect(sizeOf(decls, 'twice(0x8000)').value).toBe(0n);
  });

  it('evaluates consteval functions and static constexpr members the same way', () => {
    expect(sizeOf('consteval unsigned long long kb(unsigned long long n) { return n << 10; }', 'kb(12)').value).toBe(12288n);
    expect(sizeOf('struct Arena { static constexpr int bytes(int n) { return n * 48; } };', 'Arena::bytes(1024)').value).toBe(49152n);
  });

  it('follows a recursion only down the branch its condition takes, to a bounded depth', () => {
    const fact = 'constexpr unsigned long long fact(unsigned n) { return n <= 1 ? 1 : n * fact(n - 1); }';
    // (the inner calls of a recursion are not evidence of their own)
    expect(sizeOf(fact, 'fact(5) * 4096')).toEqual({ value: 491520n, evidence: ['fact(5) = 120 (constexpr function fact)'] });
    expect(sizeOf(fact, 'fact(40) * 4096').value).toBe('constexpr function fact recurses deeper than 32 calls');
    expect(sizeOf('constexpr int loop(int n) { return loop(n + 1); }', 'loop(1)').value).toBe('constexpr function loop recurses deeper than 32 calls');
    // each fib(k) is evaluated once in an expression
    const fib = 'constexpr unsigned long long fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }';
    expect(sizeOf(fib, 'fib(10) * 4096').value).toBe(225280n);
    expect(sizeOf(fib, 'fib(30)').value).toBe(832040n);
    // 2^n calls, each with new arguments
    const tree = 'constexpr int leaves(int n, int k) { return n == 0 ? 1 : leaves(n - 1, 2 * k) + leaves(n - 1, 2 * k + 1); }';
    expect(sizeOf(tree, 'leaves(7, 0) * 512').value).toBe(65536n);
    expect(sizeOf(tree, 'leaves(8, 0) * 256').value).toBe('constexpr function leaves makes more than 256 calls');
  });

  it('refuses what it does not evaluate, with the reason', () => {
    expect(sizeOf('constexpr int two(int n) { if (n) return 1; return 2; }', 'two(1)').value).toBe('constexpr function two is not a single return statement');
    expect(sizeOf(PAGES, 'pages(1, 2)').value).toBe('constexpr function pages takes 1 argument, not 2');
    expect(sizeOf(`${PAGES}extern size_t g;`, 'pages(g)').value).toBe('argument 1 of pages(): g is a variable that may change');
    expect(sizeOf('constexpr int over(int n) { return n; }\nconstexpr int over(long n) { return n; }', 'over(1)').value).toBe(
      'over has 2 constexpr definitions taking these arguments',
    );
    expect(sizeOf('constexpr int bad(int n) { return n / 0; }', 'bad(1)').value).toBe('in constexpr function bad: division by zero');
  });

  it('never evaluates a function that is not constexpr, inline or not, nor one in a C file', () => {
    expect(sizeOf('inline unsigned pages(unsigned n) { return n * 4096; }', 'pages(3)').value).toBe('calls pages()');
    expect(sizeOf('static unsigned pages(unsigned n) { return n * 4096; }', 'pages(3)').value).toBe('calls pages()');
    expect(sizeOf('unsigned pages(unsigned n) { return n * 4096; }', 'pages(3)', '/src/a.c').value).toBe('calls pages()');
  });

  it('makes a function that passes its parameter to a constexpr function in a size a wrapper', () => {
    const { calls } = analyze(
      `${PAGES}void *reserve(size_t n) { return VirtualAlloc(nullptr, pages(n), MEM_RESERVE, PAGE_NOACCESS); }\nvoid g() { reserve(2); }\n`,
    );
    const inWrapper = calls.find((c) => c.enclosingFunction === 'reserve')!;
    expect(inWrapper.size.value).toEqual(expect.objectContaining({ known: false, reason: "argument 1 of pages(): depends on parameter 'n' of reserve" }));
    const call = calls.find((c) => c.enclosingFunction === 'g')!;
    expect(call.size.value).toEqual({ known: true, value: 8192n });
    expect(call.evidence.map((e) => e.message)).toEqual([
      'g calls reserve(2)',
      'reserve(n = 2) calls VirtualAlloc',
      'pages(2) = 8192 (constexpr function pages)',
    ]);
  });
});
