// Random small edits, as typing makes them, to real fixture files and a long generated one: after each, the
// language server's analysis (tree edited and re-parsed, occurrences moved, preprocessor facts and calls taken
// over from the version before) must report exactly what a fresh analysis of the same text reports.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HeaderCache } from '../../src/engine/preprocess/header-cache.js';
import { defaultLintOptions } from '../../src/engine/runner/lint.js';
import { IncrementalStates } from '../../src/lsp/incremental-states.js';
import { lintDocument, type DocumentLint } from '../../src/lsp/lint-document.js';
import { FIXTURES } from '../helpers/fixtures.js';

/** A small deterministic generator (mulberry32), so a failure names the edit that caused it. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What must not differ: every finding, and every call with its values, reasons, evidence and position. */
function summary(lint: DocumentLint): string[] {
  const findings = lint.findings.map((f) => JSON.stringify(f));
  const calls = lint.analysis.calls.map((c) =>
    JSON.stringify([c.api, c.callee, c.range, c.loc, c.size, c.flags, c.address, c.offset, c.reserves, c.evidence, c.callText, c.enclosingFunction], (_, v) =>
      typeof v === 'bigint' ? v.toString() : v,
    ),
  );
  return [...findings, ...calls];
}

const INSERTS = [
  '0',
  '1',
  '9',
  ' ',
  'x',
  'size',
  '_',
  ';',
  '(',
  ')',
  '{',
  '}',
  '*',
  '+',
  '=',
  ',',
  'enum ',
  'typedef ',
  'static ',
  '\n',
  '#',
  '/*',
  '"',
  'MEM_RESERVE',
];

/** Every edit's incremental analysis against a fresh one; how many calls each configuration took over in all. */
function fuzz(file: string, text: string, edits: number, seed: number): { kept: Map<string, number> } {
  const options = defaultLintOptions(path.dirname(file));
  const headers = new HeaderCache();
  const states = new IncrementalStates();
  const next = random(seed);
  const kept = new Map<string, number>();
  lintDocument(file, text, options, headers, states);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(next() * (text.length + 1));
    const kind = next();
    // mostly what typing does: one character in, one character out; sometimes a word or a structural character
    if (kind < 0.45) text = text.slice(0, at) + INSERTS[Math.floor(next() * 4)] + text.slice(at);
    else if (kind < 0.7) text = text.slice(0, at) + text.slice(at + 1);
    else text = text.slice(0, at) + INSERTS[Math.floor(next() * INSERTS.length)] + text.slice(at);
    const incremental = lintDocument(file, text, options, headers, states);
    for (const configuration of states.configurations()) kept.set(configuration, (kept.get(configuration) ?? 0) + states.of(configuration).keptCalls);
    const fresh = lintDocument(file, text, options, headers, new IncrementalStates());
    expect(summary(incremental), `${path.basename(file)}, edit ${i} at ${at} (seed ${seed})`).toEqual(summary(fresh));
  }
  return { kept };
}

/** A long file in the style of allocation code: globals, enums, typedefs, locals, macros, an API call in every function. */
function generated(): string {
  const out = [
    '#include <windows.h>',
    '#define PAGE 4096',
    '#define ARENA(n) VirtualAlloc(NULL, (n) * PAGE, MEM_RESERVE, PAGE_NOACCESS)',
    'typedef unsigned long ulong_t;',
    'enum {\n    SLOTS = 3,\n    WIDE = SLOTS * 2\n};',
  ];
  for (let i = 0; i < 40; i++) {
    out.push(
      // declarations over two lines: an edit to the value's line does not name the constant
      i % 2 === 0 ? `static const SIZE_T kSize${i} =\n    ${(i % 5) + 1} * PAGE;` : `static const SIZE_T kSize${i} = ${(i % 5) + 1} * PAGE;`,
      `void *reserve_${i}(void) {`,
      `    SIZE_T size = kSize${i};`,
      `    ulong_t extra = ${i % 3} * WIDE;`,
      i % 4 === 0 ? `    size = size + extra;` : `    if (extra > 1) return NULL;`,
      i % 5 === 0 ? `    return ARENA(${i % 3});` : `    return VirtualAlloc(NULL, size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);`,
      `}`,
    );
  }
  return out.join('\n') + '\n';
}

describe('the language server after random edits', () => {
  const files = [
    'constants/constants.c',
    'macros/macros.c',
    'operators/operators.c',
    'nt-api/scope.cpp',
    'cpp/members.cpp',
    'literals/literals.c',
    'preprocessor/conditionals.c',
    // a release wrapper, found from the occurrences carried over from the version before
    'lifetimes/wrappers.c',
  ];

  it.each(files)('%s: every version reports what a fresh analysis reports', (name) => {
    const file = path.join(FIXTURES, name);
    fuzz(file, fs.readFileSync(file, 'utf8'), 60, name.length * 7919);
  });

  it('a long generated file: the same, with most calls taken over from the version before', () => {
    const file = path.join(FIXTURES, 'constants', 'generated.c');
    const { kept } = fuzz(file, generated(), 100, 20261125);
    // 40 calls per version; random edits pile up (an unclosed brace or comment stays), so fewer are kept later
    // on; each configuration keeps its own
    expect([...kept.keys()]).toEqual(['x64', 'x86']);
    for (const [configuration, n] of kept) expect(n, configuration).toBeGreaterThan(100 * 8);
  });
});
