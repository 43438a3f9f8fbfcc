// The analysis's facts as data: unknown values carry structured reasons (a wrapper is found from them, and the
// message is made from them), wrappers say what they reach, and a call keeps what it was resolved from.

import { describe, expect, it } from 'vitest';
import { analyzeFile, type AnalysisOptions } from '../../../src/engine/analysis/analyze.js';
import { readsOf } from '../../../src/engine/analysis/call-reuse.js';
import { describeReason, parametersIn } from '../../../src/engine/model/reasons.js';
import { targetModel } from '../../../src/engine/model/target.js';

const options: AnalysisOptions = { model: targetModel('x64'), defines: {}, undefines: [], includePaths: [], forceIncludes: [], readFile: () => undefined };
const analyze = (text: string) => analyzeFile('a.c', text, options, { wrappers: new Map() });

describe('structured reasons', () => {
  it('make the messages printed before', () => {
    expect(describeReason({ kind: 'parameter', parameter: 'n', fn: 'grab' })).toBe("depends on parameter 'n' of grab");
    expect(describeReason({ kind: 'parameter', parameter: 'n', fn: undefined })).toBe("depends on parameter 'n' of its function");
    expect(describeReason({ kind: 'through-name', name: 'SIZE', inner: { kind: 'call', callee: 'f' } })).toBe('SIZE: calls f()');
    expect(describeReason({ kind: 'in-header', name: 'K', file: 'k.h', line: 3, inner: { kind: 'division-by-zero' } })).toBe('K (k.h:3): division by zero');
  });

  it('name the parameter a value depends on, however deep', () => {
    expect(parametersIn({ kind: 'through-name', name: 'x', inner: { kind: 'parameter', parameter: 'n', fn: 'f' } })).toEqual([{ parameter: 'n', fn: 'f' }]);
    expect(parametersIn({ kind: 'unknown-name', name: 'n' })).toEqual([]);
  });

  it('are kept with an unknown argument, beside its message', () => {
    const { calls } = analyze('void f(void) { VirtualAlloc(0, g(), MEM_RESERVE, PAGE_NOACCESS); }\n');
    expect(calls[0]!.size.value).toEqual({ known: false, reason: 'calls g()', cause: { kind: 'call', callee: 'g' } });
  });
});

describe('wrappers as data', () => {
  it('say which call in them passes which parameter on', () => {
    const { wrappers } = analyze('void *grab(int flags, SIZE_T n) { return VirtualAlloc(0, n, MEM_RESERVE, PAGE_NOACCESS); }\n');
    expect(wrappers.map((w) => ({ name: w.name, params: w.params, reaches: w.reaches }))).toEqual([
      { name: 'grab', params: ['flags', 'n'], reaches: [{ kind: 'api', callee: 'VirtualAlloc', parameters: [1] }] },
    ]);
  });
});

describe('provenance', () => {
  it('holds the callee, the names resolved and the declarations that decided', () => {
    const text = 'static const SIZE_T kSize = 2 * PAGE;\nvoid f(void) {\n  SIZE_T size = kSize;\n  VirtualAlloc(0, size, MEM_RESERVE, PAGE_NOACCESS);\n}\n';
    const { calls } = analyze(`#define PAGE 4096\n${text}`);
    const reads = readsOf(calls[0]!.resolvedFrom);
    expect([...reads.names]).toEqual(['VirtualAlloc']);
    expect([...reads.scoped].sort()).toEqual(['MEM_RESERVE', 'kSize', 'size']);
    const at = (word: string, from = 0) => `#define PAGE 4096\n${text}`.indexOf(word, from);
    expect(reads.spots).toEqual(expect.arrayContaining([at('size ='), at('kSize =')]));
  });
});
