// Another configuration's tree, edited where the texts differ, is a starting point that gives exactly the tree a
// fresh parse gives (tree-sitter re-parses the edited places); and the stretches where two texts differ are found
// exactly, merged across short gaps, and given up past MAX_EDITS.

import { describe, expect, it } from 'vitest';
import { parse } from '../../../src/engine/parse/parse.js';
import { SharedParses } from '../../../src/engine/parse/shared-parses.js';
import { differingStretches, MAX_EDITS } from '../../../src/engine/parse/tree-edits.js';

/** Spaces over [start, end), line breaks kept: what the preprocessor does to an inactive branch. */
function blank(text: string, start: number, end: number): string {
  return text.slice(0, start) + text.slice(start, end).replace(/[^\n]/g, ' ') + text.slice(end);
}

describe('differingStretches', () => {
  it('finds each stretch where two texts of one length differ', () => {
    expect(differingStretches('abcdef', 'abcdef')).toEqual([]);
    expect(differingStretches('abcdef', 'aXcdeY', 1)).toEqual([
      [1, 2],
      [5, 6],
    ]);
    // (fewer than `gap` equal characters between two differences: one stretch)
    expect(differingStretches('abcdef', 'aXcdeY', 4)).toEqual([[1, 6]]);
  });

  it('gives up past MAX_EDITS stretches', () => {
    const a = 'ab'.repeat(MAX_EDITS + 1);
    const b = 'aB'.repeat(MAX_EDITS + 1);
    expect(differingStretches(a, b, 1)).toBeUndefined();
    expect(differingStretches(a.slice(0, 2 * MAX_EDITS), b.slice(0, 2 * MAX_EDITS), 1)).toHaveLength(MAX_EDITS);
  });
});

describe("a configuration re-parses from another's tree", () => {
  // the two targets' texts of one file: each blanks the other's #if branch
  const source = [
    '#include <windows.h>',
    '#ifdef _WIN64',
    'static SIZE_T wide(void) { return 8192; }',
    '#define ARENA (16 * 4096)',
    '#else',
    'static SIZE_T narrow(int n) { if (n) { return 4096; } return n * 2; }',
    '#define ARENA (4 * 4096)',
    '#endif',
    'void *reserve(void)',
    '{',
    '    return VirtualAlloc(NULL, ARENA, MEM_RESERVE, PAGE_NOACCESS);',
    '}',
    '',
  ].join('\n');
  const at = (line: number) => source.split('\n').slice(0, line).join('\n').length + (line ? 1 : 0);
  const x64 = blank(source, at(4), at(8));
  const x86 = blank(source, at(1), at(4));

  for (const [from, to] of [
    [x64, x86],
    [x86, x64],
    [x64, x64],
  ] as const) {
    it(`gives the tree a fresh parse gives (${from === x64 ? 'x64' : 'x86'} to ${to === x64 ? 'x64' : 'x86'})`, () => {
      const parses = new SharedParses();
      parses.keep('a.c', from, 'c', undefined, parse(from, 'c'));
      const start = parses.startingPoint('a.c', to, 'c');
      expect(start).toBeDefined();
      expect(parse(to, 'c', start).rootNode.toString()).toBe(parse(to, 'c').rootNode.toString());
      // the kept tree is still the parse of its own text
      expect(parses.find('a.c', from, 'c', undefined)!.tree.rootNode.toString()).toBe(parse(from, 'c').rootNode.toString());
    });
  }

  it('has no starting point for another grammar, another length or another file', () => {
    const parses = new SharedParses();
    parses.keep('a.c', x64, 'c', undefined, parse(x64, 'c'));
    expect(parses.startingPoint('a.c', x86, 'cpp')).toBeUndefined();
    expect(parses.startingPoint('a.c', x86 + ' ', 'c')).toBeUndefined();
    expect(parses.startingPoint('b.c', x86, 'c')).toBeUndefined();
  });
});
