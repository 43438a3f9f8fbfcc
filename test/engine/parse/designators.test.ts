// What the grammar is not shown of offsetof's member designators (src/engine/parse/designators.ts), and the tree
// that gives: the call around one parses, node texts are the file's own.

import { describe, expect, it } from 'vitest';
import { hideMemberDesignators } from '../../../src/engine/parse/designators.js';
import { parse } from '../../../src/engine/parse/parse.js';

describe('hideMemberDesignators', () => {
  it('blanks what follows the first member name of a designator, at the same offsets', () => {
    const text = 'x = offsetof(struct S, inner.b[2]) + offsetof ( T , a [N - 1] . c );';
    const hidden = hideMemberDesignators(text);
    expect(hidden).toBe(text.replace('.b[2]', ' '.repeat(5)).replace(' [N - 1] . c ', ' '.repeat(13)));
    expect(hidden).toBe('x = offsetof(struct S, inner     ) + offsetof ( T , a             );');
  });

  it('leaves a single member name, other calls, and what it cannot read whole alone', () => {
    for (const text of [
      'offsetof(struct S, data)',
      '__builtin_offsetof(struct S, a.b)',
      'my_offsetof(S, a.b)',
      'offsetof(S, a.b',
      'offsetof(S, a.b /* c */)',
      'offsetof(S, a.b, c)',
      'offsetof(S, a.b; }',
    ])
      expect(hideMemberDesignators(text)).toBe(text);
  });
});

describe('a parse of a file with a designator', () => {
  it('reads the call around offsetof as a call, and gives node texts from the file', () => {
    const text = 'void f(void) { VirtualAlloc(0, offsetof(struct S, arr[K].a) * 4096, MEM_RESERVE, PAGE_NOACCESS); }';
    const tree = parse(text, 'c');
    expect(tree.rootNode.hasError).toBe(false);
    const call = tree.rootNode.descendantsOfType('call_expression')[0]!;
    expect(call.text).toBe('VirtualAlloc(0, offsetof(struct S, arr[K].a) * 4096, MEM_RESERVE, PAGE_NOACCESS)');
    expect(call.childForFieldName('arguments')!.namedChildren.map((a) => a.text)).toEqual([
      '0',
      'offsetof(struct S, arr[K].a) * 4096',
      'MEM_RESERVE',
      'PAGE_NOACCESS',
    ]);
  });
});
