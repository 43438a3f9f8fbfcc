// Configurations whose parsed texts are equal share one parse per version (src/lsp/version-parses.ts): x86 takes
// x64's tree instead of parsing again. What the language server reports must not depend on it: after each edit of
// a sequence, including edits that make the two texts differ (code under `#ifdef _WIN64`) and equal again, the
// diagnostics are those of the same server without sharing, and of a fresh analysis.

import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HeaderCache } from '../../src/engine/preprocess/header-cache.js';
import { defaultLintOptions } from '../../src/engine/runner/lint.js';
import { IncrementalStates } from '../../src/lsp/incremental-states.js';
import { lintDocument } from '../../src/lsp/lint-document.js';
import { poolFunctions, said } from '../helpers/document-lint.js';
import { FIXTURES } from '../helpers/fixtures.js';

const file = path.join(FIXTURES, 'preprocessor', 'wide.c');
const options = defaultLintOptions(path.dirname(file));

// the block under `#ifdef _WIN64` is empty at first: both configurations parse the same text
const SOURCE = ['#include <windows.h>', '#define PAGE 4096', '#ifdef _WIN64', '', '#endif', ...poolFunctions(6), ''].join('\n');

const WIDE = 'static const SIZE_T kWide = 5 * PAGE;\nvoid *reserve_wide(void) { return VirtualAlloc(NULL, kWide, MEM_RESERVE, PAGE_NOACCESS); }\n';

/** Per configuration: tree from an earlier one, tree taken from the other configuration, preprocessor facts kept, calls kept. */
type Reuse = [string, boolean, boolean, boolean, number];

function reuse(states: IncrementalStates): Reuse[] {
  return states.configurations().map((c) => {
    const tree = states.of(c);
    return [c, tree.reused, tree.sharedTree, tree.reusedPreprocessing, tree.keptCalls];
  });
}

const pool = (line: number, bytes: number, hex: string, wasted: number) =>
  `${line}:12 virtualalloc-granularity VirtualAlloc reserves ${bytes} bytes (0x${hex}); ${wasted} bytes of its 64 KB granule become unusable; it is kept: its address is returned to the caller {x64,x86}`;

describe('parses shared between configurations', () => {
  it('reports what the server without sharing and a fresh analysis report, as the two parsed texts part and meet again', () => {
    const headers = new HeaderCache();
    const shared = new IncrementalStates();
    const separate = new IncrementalStates({ share: false });
    let text = SOURCE;
    const first = lintDocument(file, text, options, headers, shared);
    expect(said(first)).toEqual(said(lintDocument(file, text, options, headers, separate)));
    expect(said(first)).toHaveLength(6);
    expect(said(first)[0]).toBe(pool(9, 4096, '1000', 61440));
    expect(reuse(shared)).toEqual([
      ['x64', false, false, false, 0],
      ['x86', false, true, false, 0],
    ]);
    // each edit; then per configuration: tree from an earlier one, taken from x64, preprocessor facts kept, calls kept
    const edits: [string, (t: string) => string, Reuse[]][] = [
      // the texts are equal: x86 takes x64's tree (parsed from the tree both held), and the same changed ranges
      [
        'a pool size, texts equal',
        (t) => t.replace('kPool2 = 3 * PAGE', 'kPool2 = 30 * PAGE'),
        [
          ['x64', true, false, true, 5],
          ['x86', true, true, true, 5],
        ],
      ],
      // typed on the empty line under `#ifdef _WIN64`: x64's text changes and x86's does not; the tree both held is
      // edited for x64's, so x86 parses its own from scratch, and redoes its calls
      [
        'a declaration typed into the x64 block, texts part',
        (t) => t.replace('#ifdef _WIN64\n\n', '#ifdef _WIN64\nint wide_only;\n'),
        [
          ['x64', true, false, true, 6],
          ['x86', false, false, true, 0],
        ],
      ],
      // lines of x64-only code (the preprocessor runs again)
      [
        'an x64-only call',
        (t) => t.replace('int wide_only;\n', `int wide_only;\n${WIDE}`),
        [
          ['x64', true, false, false, 0],
          ['x86', true, false, false, 0],
        ],
      ],
      // each configuration goes on from its own tree
      [
        'the x64-only size',
        (t) => t.replace('kWide = 5 * PAGE', 'kWide = 50 * PAGE'),
        [
          ['x64', true, false, true, 6],
          ['x86', true, false, true, 6],
        ],
      ],
      [
        'the x64-only call removed',
        (t) => t.replace(WIDE.replace('kWide = 5 *', 'kWide = 50 *'), ''),
        [
          ['x64', true, false, false, 0],
          ['x86', true, false, false, 0],
        ],
      ],
      // the declaration deleted within its line: the texts meet again. x86 takes x64's new tree; its own old tree is
      // of another lineage, compared with nothing, so its calls are redone
      [
        'the x64 block emptied, texts equal again',
        (t) => t.replace('int wide_only;', ''),
        [
          ['x64', true, false, true, 6],
          ['x86', true, true, true, 0],
        ],
      ],
      // both hold one tree again
      [
        'a pool size, texts equal',
        (t) => t.replace('kPool2 = 30 * PAGE', 'kPool2 = 3 * PAGE'),
        [
          ['x64', true, false, true, 5],
          ['x86', true, true, true, 5],
        ],
      ],
    ];
    for (const [name, edit, reused] of edits) {
      const next = edit(text);
      expect(next, `${name}: applies`).not.toBe(text);
      text = next;
      const incremental = lintDocument(file, text, options, headers, shared);
      expect(reuse(shared), name).toEqual(reused);
      const expected = said(lintDocument(file, text, options, headers, separate));
      expect(said(incremental), name).toEqual(expected);
      expect(said(incremental), name).toEqual(said(lintDocument(file, text, options, headers, new IncrementalStates())));
      expect(said(incremental), name).toEqual(said(lintDocument(file, text, options, headers, new IncrementalStates({ share: false }))));
    }
  });

  it('reports the x64-only call with its configuration, parsed apart from x86', () => {
    const headers = new HeaderCache();
    const states = new IncrementalStates();
    const text = SOURCE.replace('#ifdef _WIN64\n\n', `#ifdef _WIN64\n${WIDE}`);
    const lint = lintDocument(file, text, options, headers, states);
    expect(said(lint).slice(0, 2)).toEqual([
      '5:35 virtualalloc-granularity VirtualAlloc reserves 20480 bytes (0x5000); 45056 bytes of its 64 KB granule become unusable; it is kept: its address is returned to the caller [x64] {x64}',
      pool(10, 4096, '1000', 61440),
    ]);
    expect(reuse(states)).toEqual([
      ['x64', false, false, false, 0],
      ['x86', false, false, false, 0],
    ]);
  });

  it('drops every configuration when an analysis fails, since a tree they shared may have been edited', () => {
    const headers = new HeaderCache();
    const states = new IncrementalStates();
    lintDocument(file, SOURCE, options, headers, states);
    expect(states.configurations()).toEqual(['x64', 'x86']);
    expect(() =>
      states.inVersion(() => {
        throw new Error('the analysis failed');
      }),
    ).toThrow('the analysis failed');
    expect(states.configurations()).toEqual([]);
    lintDocument(file, SOURCE.replace('kPool2 = 3', 'kPool2 = 4'), options, headers, states);
    expect(reuse(states)).toEqual([
      ['x64', false, false, false, 0],
      ['x86', false, true, false, 0],
    ]);
  });
});
