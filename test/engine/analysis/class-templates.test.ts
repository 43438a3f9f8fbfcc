// Class templates whose value parameter reaches a size: the call in the template stays unresolved, with the
// parameter and the class as its reason; where the class's arguments are known, the size is evaluated with them.

import { describe, expect, it } from 'vitest';
import { analyzeFile, type AnalysisOptions } from '../../../src/engine/analysis/analyze.js';
import { targetModel } from '../../../src/engine/model/target.js';

const RING = `typedef unsigned long long size_t;
template <size_t N = 4096> struct Ring {
  static constexpr size_t kSize = N;
  void *base;
  void *grow() { return VirtualAlloc(nullptr, kSize, MEM_RESERVE, PAGE_NOACCESS); }
  void init() { base = grow(); }
};
`;

/** Each VirtualAlloc reached from a function of `uses` (after RING): `function line: value or reason`. */
function sizes(uses: string): string[] {
  const options: AnalysisOptions = { model: targetModel('x64'), defines: {}, undefines: [], includePaths: [], forceIncludes: [], readFile: () => undefined };
  const { calls } = analyzeFile('/src/a.cpp', `${RING}${uses}`, options, { wrappers: new Map() });
  return calls.map((c) => `${c.enclosingFunction} ${c.range.start.line}: ${c.size.value.known ? c.size.value.value : c.size.value.reason}`);
}

describe('class templates with a value parameter', () => {
  it('leave the call in the template unresolved, naming the parameter and its class or function', () => {
    expect(sizes('')).toEqual(["grow 5: depends on parameter 'N' of Ring", "init 6: depends on parameter 'N' of init"]);
  });

  it('take the arguments of the object a member is called on, through a pointer too', () => {
    const found = sizes('void f(Ring<8192> *p, Ring<> r, Ring<0x10000> v) { p->grow(); r.grow(); v.init(); }\n');
    expect(found.slice(2)).toEqual(['f 8: 8192', 'f 8: 4096', 'f 8: 65536']);
  });

  it('use no default for an object whose declared type does not write the arguments', () => {
    const found = sizes('void f(void *q) { auto *p = static_cast<Ring<8192> *>(q); p->grow(); }\n');
    expect(found.slice(2)).toEqual(['f 8: kSize: template argument 1 of Ring is not written at the call']);
  });

  it('make no object of a pointer, a reference, an extern, a function declaration or a static member declared in its class', () => {
    const found = sizes(`template <size_t N> struct Arena { void *base; Arena() { base = VirtualAlloc(nullptr, N, MEM_RESERVE, PAGE_NOACCESS); } };
Arena<4096> *p; extern Arena<4096> e; Arena<4096> make(); struct S { static Arena<4096> s; Arena<4096> &r; };
Arena<4096> S::s;
Arena<4096> table[2], single(  );
`);
    expect(found.slice(2)).toEqual(["Arena 8: depends on parameter 'N' of Arena", ' 10: 4096', ' 11: 4096']);
  });
});
