// constexpr functions that headers define, as the files that include them see them: read from the header as data,
// evaluated at the including file's calls, and never taken from a header the file does not include.

import { describe, expect, it } from 'vitest';
import { analyzeFile, type AnalysisOptions } from '../../../src/engine/analysis/analyze.js';
import { HeaderFacts } from '../../../src/engine/analysis/header-facts.js';
import { extractFunctions, HeaderFunctions } from '../../../src/engine/analysis/header-functions.js';
import { targetModel } from '../../../src/engine/model/target.js';

const SIZES = `#pragma once
typedef unsigned long long size_t;
constexpr size_t kPage = 4096;
namespace mem {
constexpr size_t pages(size_t n) { return n * kPage; }
inline size_t plain(size_t n) { return n * kPage; }
constexpr size_t two(size_t n) { if (n) return 1; return 2; }
struct Sizes { static constexpr size_t page() { return kPage; } };
}
`;

describe('extractFunctions', () => {
  it('keeps constexpr and consteval functions at file, namespace and member scope, with their single return', () => {
    const found = extractFunctions('/inc/sizes.h', `${SIZES}consteval unsigned char low(unsigned char b) { static_assert(1, ""); return b; }\n`);
    const summary = [...found.values()]
      .flat()
      .map((f) => `${f.name}(${f.params.map((p) => `${p.type} ${p.name}`).join(', ')}) -> ${f.returnType}: ${f.returned ?? '-'} @${f.line}`);
    expect(summary).toEqual([
      'low(unsigned char b) -> unsigned char: b @10',
      'pages(size_t n) -> size_t: n * kPage @5',
      'two(size_t n) -> size_t: - @7',
      'page() -> size_t: kPage @8',
    ]);
  });
});

/** The size of the one VirtualAlloc of `body` in /src/a.cpp, which includes what `includes` says; headers from `files`. */
function sizeOf(includes: string, size: string, files: Record<string, string>) {
  const readFile = (file: string) => files[file];
  const options: AnalysisOptions = {
    model: targetModel('x64'),
    defines: {},
    undefines: [],
    includePaths: ['/inc'],
    forceIncludes: [],
    readFile,
    headerConstant: new HeaderFacts(readFile).lookup,
    headerFunction: new HeaderFunctions(readFile).lookup,
  };
  const text = `${includes}\nvoid f() { VirtualAlloc(nullptr, ${size}, MEM_RESERVE, PAGE_NOACCESS); }\n`;
  const { calls } = analyzeFile('/src/a.cpp', text, options, { wrappers: new Map() });
  const value = calls[0]!.size.value;
  return { value: value.known ? value.value : value.reason, evidence: calls[0]!.evidence.map((e) => e.message) };
}

describe('constexpr functions of an included header', () => {
  const files = { '/inc/sizes.h': SIZES, '/inc/other.h': 'constexpr unsigned long long other_pages(unsigned long long n) { return n * 4096; }\n' };

  it('are evaluated with the header constants they use, and the evidence names the header', () => {
    expect(sizeOf('#include "sizes.h"', 'mem::pages(3)', files)).toEqual({
      value: 12288n,
      evidence: ['pages(3) = 12288 (constexpr function pages of sizes.h)'],
    });
    expect(sizeOf('#include "sizes.h"', 'mem::Sizes::page() * 16', files).value).toBe(65536n);
  });

  it('of a class template take the arguments of the class, or are those of the specialization they name', () => {
    const traits = `${SIZES}template <size_t N> struct Traits { static constexpr size_t size() { return N * kPage; } };
struct Small {};
template <typename T> struct Pool;
template <> struct Pool<Small> { static constexpr size_t size() { return 0x3000; } };
`;
    const withTraits = { ...files, '/inc/sizes.h': traits };
    expect(sizeOf('#include "sizes.h"', 'Traits<3>::size()', withTraits)).toEqual({
      value: 12288n,
      evidence: ['Traits<3>::size() = 12288 (constexpr function size of sizes.h)'],
    });
    expect(sizeOf('#include "sizes.h"', 'Pool<Small>::size()', withTraits).value).toBe(12288n);
  });

  it('bind their parameters before any name of the including file', () => {
    expect(sizeOf('#include "sizes.h"\nconst int n = 16;', 'mem::pages(3)', files).value).toBe(12288n);
  });

  it('give a file its own definition first', () => {
    expect(sizeOf('#include "sizes.h"\nconstexpr size_t pages(size_t n) { return n * 0x10000; }', 'pages(1)', files).value).toBe(65536n);
  });

  it('refuse what they do not evaluate, and are not evaluated when not constexpr', () => {
    expect(sizeOf('#include "sizes.h"', 'mem::two(1)', files).value).toBe('constexpr function two is not a single return statement');
    expect(sizeOf('#include "sizes.h"', 'mem::plain(1)', files).value).toBe('calls plain()');
  });

  it('come only from the headers the file includes', () => {
    const lookup = new HeaderFunctions((file) => (files as Record<string, string>)[file]).lookup;
    // (the cache has read other.h for another file: this one does not include it)
    expect(lookup('/inc/other.h', 'other_pages')).toHaveLength(1);
    expect(sizeOf('#include "sizes.h"', 'other_pages(1)', files).value).toBe('calls other_pages()');
    expect(sizeOf('#include "other.h"', 'other_pages(1)', files).value).toBe(4096n);
  });
});
