// Every configuration of a document keeps its own incremental state: code that only one target compiles (here
// under `#ifndef _WIN64`, x86 alone) is re-analysed from that configuration's previous version, and what the
// language server reports after each edit is what a fresh analysis of the same text reports.

import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HeaderCache } from '../../src/engine/preprocess/header-cache.js';
import { defaultLintOptions } from '../../src/engine/runner/lint.js';
import { IncrementalStates } from '../../src/lsp/incremental-states.js';
import { lintDocument } from '../../src/lsp/lint-document.js';
import { poolFunctions, said } from '../helpers/document-lint.js';
import { FIXTURES } from '../helpers/fixtures.js';

const file = path.join(FIXTURES, 'preprocessor', 'legacy.c');
const options = defaultLintOptions(path.dirname(file));

const SOURCE = [
  '#include <windows.h>',
  '#define PAGE 4096',
  '#ifndef _WIN64',
  '/* 32-bit builds keep a small arena: its granule is mostly wasted */',
  'static const SIZE_T kLegacy = 3 * PAGE;',
  'void *reserve_legacy(void) {',
  '    return VirtualAlloc(NULL, kLegacy, MEM_RESERVE, PAGE_NOACCESS);',
  '}',
  '#endif',
  ...poolFunctions(6),
  '',
].join('\n');

/** Per configuration: whether the last analysis edited its previous tree, took its preprocessor facts over, and how many calls it kept. */
function reuse(states: IncrementalStates): [string, boolean, boolean, number][] {
  return states.configurations().map((c) => {
    const tree = states.of(c);
    return [c, tree.reused, tree.reusedPreprocessing, tree.keptCalls];
  });
}

// (every reservation of SOURCE is returned to its caller)
const waste = (bytes: number, hex: string, wasted: number, last = false) =>
  `VirtualAlloc reserves ${bytes} bytes (0x${hex}); ${wasted} bytes of its ${last ? 'last ' : ''}64 KB granule become unusable; it is kept: its address is returned to the caller`;

describe('IncrementalStates', () => {
  it('keeps the x86-only finding of a fresh analysis after every edit, re-analysing x86 from its own previous version', () => {
    const headers = new HeaderCache();
    const states = new IncrementalStates();
    let text = SOURCE;
    const first = lintDocument(file, text, options, headers, states);
    expect(said(first)[0]).toBe(`7:12 virtualalloc-granularity ${waste(12288, '3000', 53248)} [x86] {x86}`);
    expect(said(first).slice(1)).toHaveLength(6);
    expect(reuse(states)).toEqual([
      ['x64', false, false, 0],
      ['x86', false, false, 0],
    ]);
    // each edit; the line-7 finding after it; and per configuration: tree reused, preprocessor facts kept, calls
    // kept (x64 has the 6 pool calls, x86 the legacy call as well)
    const edits: [(t: string) => string, string, [string, boolean, boolean, number][]][] = [
      // a pool's size: its call is redone in both configurations, every other call is kept
      [
        (t) => t.replace('kPool2 = 3 * PAGE', 'kPool2 = 30 * PAGE'),
        `${waste(12288, '3000', 53248)} [x86] {x86}`,
        [
          ['x64', true, true, 5],
          ['x86', true, true, 6],
        ],
      ],
      // the x86-only constant: blanked on x64 (every call kept there); on x86 its call alone is redone
      [
        (t) => t.replace('kLegacy = 3 * PAGE', 'kLegacy = 5 * PAGE'),
        `${waste(20480, '5000', 45056)} [x86] {x86}`,
        [
          ['x64', true, true, 6],
          ['x86', true, true, 6],
        ],
      ],
      [
        (t) => t.replace('kLegacy = 5 * PAGE', 'kLegacy = 50 * PAGE'),
        `${waste(204800, '32000', 57344, true)} [x86] {x86}`,
        [
          ['x64', true, true, 6],
          ['x86', true, true, 6],
        ],
      ],
      [
        (t) => t.replace('kPool2 = 30 * PAGE', 'kPool2 = 3 * PAGE'),
        `${waste(204800, '32000', 57344, true)} [x86] {x86}`,
        [
          ['x64', true, true, 5],
          ['x86', true, true, 6],
        ],
      ],
      // the condition flips: each configuration preprocesses again, and the branch is now x64's alone
      [
        (t) => t.replace('#ifndef _WIN64', '#ifdef _WIN64'),
        `${waste(204800, '32000', 57344, true)} [x64] {x64}`,
        [
          ['x64', true, false, 0],
          ['x86', true, false, 0],
        ],
      ],
      [
        (t) => t.replace('#ifdef _WIN64', '#ifndef _WIN64'),
        `${waste(204800, '32000', 57344, true)} [x86] {x86}`,
        [
          ['x64', true, false, 0],
          ['x86', true, false, 0],
        ],
      ],
    ];
    for (const [i, [edit, legacy, reused]] of edits.entries()) {
      const next = edit(text);
      expect(next, `edit ${i} applies`).not.toBe(text);
      text = next;
      const incremental = lintDocument(file, text, options, headers, states);
      expect(reuse(states), `edit ${i}`).toEqual(reused);
      expect(said(incremental)[0], `edit ${i}`).toBe(`7:12 virtualalloc-granularity ${legacy}`);
      expect(said(incremental), `edit ${i}`).toEqual(said(lintDocument(file, text, options, headers, new IncrementalStates())));
    }
  });

  it('drops the state of a configuration the settings no longer name, and starts it afresh when they name it again', () => {
    const headers = new HeaderCache();
    const states = new IncrementalStates();
    lintDocument(file, SOURCE, options, headers, states);
    expect(states.configurations()).toEqual(['x64', 'x86']);
    const x64Only = { ...options, target: ['x64' as const] };
    const narrowed = lintDocument(file, SOURCE, x64Only, headers, states);
    expect(states.configurations()).toEqual(['x64']);
    expect(said(narrowed)).toEqual(said(lintDocument(file, SOURCE, x64Only, headers, new IncrementalStates())));
    expect(said(narrowed).some((line) => line.startsWith('7:'))).toBe(false);
    const text = SOURCE.replace('kLegacy = 3 * PAGE', 'kLegacy = 4 * PAGE');
    const widened = lintDocument(file, text, options, headers, states);
    // x64 goes on from its previous version; x86's state is new (nothing to reuse)
    expect(reuse(states)).toEqual([
      ['x64', true, true, 6],
      ['x86', false, false, 0],
    ]);
    expect(said(widened)[0]).toBe(`7:12 virtualalloc-granularity ${waste(16384, '4000', 49152)} [x86] {x86}`);
    expect(said(widened)).toEqual(said(lintDocument(file, text, options, headers, new IncrementalStates())));
  });

  it('reset drops every configuration: the next analysis starts from nothing', () => {
    const headers = new HeaderCache();
    const states = new IncrementalStates();
    lintDocument(file, SOURCE, options, headers, states);
    states.reset();
    expect(states.configurations()).toEqual([]);
    lintDocument(file, SOURCE.replace('kPool2 = 3', 'kPool2 = 4'), options, headers, states);
    expect(reuse(states)).toEqual([
      ['x64', false, false, 0],
      ['x86', false, false, 0],
    ]);
  });
});
