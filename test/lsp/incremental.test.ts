// Incremental re-parsing: the edited old tree must give exactly what a fresh parse gives, edit after edit,
// including edits that change which `#if` branches are blanked far from the edit itself.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HeaderCache } from '../../src/engine/preprocess/header-cache.js';
import { defaultLintOptions } from '../../src/engine/runner/lint.js';
import { parse } from '../../src/engine/parse/parse.js';
import { preprocess } from '../../src/engine/preprocess/preprocess.js';
import { targetModel } from '../../src/engine/model/target.js';
import { editBetween, IncrementalTree } from '../../src/lsp/incremental.js';
import { IncrementalStates } from '../../src/lsp/incremental-states.js';
import { lintDocument } from '../../src/lsp/lint-document.js';
import { analyzeSingleFile } from '../../src/eslint/single-file.js';
import { FIXTURES } from '../helpers/fixtures.js';

describe('editBetween', () => {
  it('is undefined for equal texts', () => {
    expect(editBetween('abc', 'abc')).toBeUndefined();
  });

  it('describes an insertion, a deletion and a replacement with rows and UTF-16 columns', () => {
    expect(editBetween('ab\ncd', 'ab\ncXd')).toEqual({
      startIndex: 4,
      oldEndIndex: 4,
      newEndIndex: 5,
      startPosition: { row: 1, column: 1 },
      oldEndPosition: { row: 1, column: 1 },
      newEndPosition: { row: 1, column: 2 },
    });
    expect(editBetween('a\nb\nc\nd', 'a\nd')).toEqual({
      startIndex: 2,
      oldEndIndex: 6,
      newEndIndex: 2,
      startPosition: { row: 1, column: 0 },
      oldEndPosition: { row: 3, column: 0 },
      newEndPosition: { row: 1, column: 0 },
    });
    // 😀 is two UTF-16 units
    expect(editBetween('x😀 4096;', 'x😀 65536;')).toMatchObject({ startIndex: 4, oldEndIndex: 7, newEndIndex: 8, startPosition: { row: 0, column: 4 } });
  });

  it('keeps a repeated character unambiguous (the suffix never overlaps the prefix)', () => {
    expect(editBetween('aaaa', 'aaaaa')).toMatchObject({ startIndex: 4, oldEndIndex: 4, newEndIndex: 5 });
    expect(editBetween('aaaa', 'aa')).toMatchObject({ startIndex: 2, oldEndIndex: 4, newEndIndex: 2 });
  });
});

describe('IncrementalTree', () => {
  const base = fs.readFileSync(path.join(FIXTURES, 'macros', 'macros.c'), 'utf8');
  const options = defaultLintOptions(path.join(FIXTURES, 'macros'));
  const file = path.join(FIXTURES, 'macros', 'macros.c');

  /** A sequence of texts as typing would produce them, each a small edit of the one before. */
  function versions(): string[] {
    const out = [base];
    let text = base;
    const step = (next: string) => {
      out.push(next);
      text = next;
    };
    step(text.replace('4096', '40960'));
    step(text.replace('40960', '65536'));
    step('#define EXTRA 1\n' + text);
    step(text + '\n#if 0\nvoid dead(void) { VirtualAlloc(NULL, 100, MEM_RESERVE, PAGE_NOACCESS); }\n#endif\n');
    step(text.replace('#if 0\nvoid dead', '#if 1\nvoid dead'));
    step(text.slice(0, text.length / 2) + '(((' + text.slice(text.length / 2));
    step(text.replace('(((', ''));
    step(text.replace(/\n/g, '\r\n'));
    return out;
  }

  it('gives the same tree and findings as a fresh parse after every edit, reusing the old tree in each configuration', () => {
    const states = new IncrementalStates();
    const headers = new HeaderCache();
    versions().forEach((text, i) => {
      const incremental = lintDocument(file, text, options, headers, states);
      expect(
        states.configurations().map((c) => [c, states.of(c).reused]),
        `version ${i}`,
      ).toEqual([
        ['x64', i > 0],
        ['x86', i > 0],
      ]);
      const fresh = lintDocument(file, text, options, headers, new IncrementalStates());
      expect(incremental.analysis.tree.rootNode.toString(), `version ${i}`).toBe(fresh.analysis.tree.rootNode.toString());
      expect(
        incremental.findings.map((f) => `${f.range.start.line}:${f.range.start.column} ${f.message}`),
        `version ${i}`,
      ).toEqual(fresh.findings.map((f) => `${f.range.start.line}:${f.range.start.column} ${f.message}`));
    });
  });

  it('gives the findings of a fresh analysis after each of many small edits to a long file', () => {
    const blocks = Array.from({ length: 60 }, (_, i) =>
      [
        i === 7 ? `static const SIZE_T kSize7 =\n    ${(i % 5) + 1} * PAGE;` : `static const SIZE_T kSize${i} = ${(i % 5) + 1} * PAGE;`,
        `void *reserve_${i}(void) {`,
        `    SIZE_T size = kSize${i};`,
        `    if (size > LIMIT) return NULL;`,
        `    return VirtualAlloc(NULL, size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);`,
        `}`,
      ].join('\n'),
    );
    let text = ['#include <windows.h>', '#define PAGE 4096', '#define LIMIT (16 * PAGE)', '#if 0', 'int dead = 1;', '#endif', ...blocks].join('\n') + '\n';
    // each edit, and whether the preprocessor facts of the version before still hold
    const edits: [(t: string) => string, boolean][] = [
      // the value of a declaration on its own line: the edited line does not name the constant
      [(t) => t.replace('kSize7 =\n    3', 'kSize7 =\n    30'), true],
      [(t) => t.replace('kSize7 =\n    30', 'kSize7 =\n    3'), true],
      [(t) => t.replace('kSize8 = 4', 'kSize8 = 40'), true],
      [(t) => t.replace('SIZE_T size = kSize9;', 'SIZE_T sizes = kSize9;'), true],
      [(t) => t.replace('SIZE_T sizes = kSize9;', 'SIZE_T size = kSize9;'), true],
      [(t) => t.replace('static const SIZE_T kSize12', 'static SIZE_T kSize12'), true],
      [(t) => t.replace('#define PAGE 4096', '#define PAGE 4097'), false],
      [(t) => t.replace('(size > LIMIT) return NULL', '(size > LIMIT) size = LIMIT'), true],
      [(t) => t.replace('kSize20;', 'kSize21;'), true],
      // a local's line in one function: the calls of the other functions stay as they were
      [(t) => t.replace('SIZE_T size = kSize3;', 'SIZE_T size = kSize3 + 4096;'), true],
      // an enumerator inside a function is seen everywhere: here it gives kSize6 a new value for reserve_6
      [
        (t) =>
          t.replace(
            '    if (size > LIMIT) return NULL;\n    return VirtualAlloc(NULL, size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);\n}\nstatic const SIZE_T kSize6',
            '    enum { kSize6 = 1 }; if (size > LIMIT) return NULL;\n    return VirtualAlloc(NULL, size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);\n}\nstatic const SIZE_T kSize6',
          ),
        true,
      ],
      [(t) => t.replace('void *reserve_30(void) {', 'void *reserve_30(SIZE_T size) {'), true],
      [(t) => t.replace('    SIZE_T size = kSize40;\n', '    SIZE_T size = kSize40;\n    size++;\n'), false],
      [(t) => t.replace('VirtualAlloc(NULL, size, MEM_RESERVE | MEM_COMMIT', 'VirtualAlloc(NULL, size, MEM_COMMIT'), true],
      [(t) => t.replace('int dead = 1;', 'int dead = 12;'), true],
      [(t) => t.replace('#if 0', '#if 1'), false],
      [(t) => t.replace('int dead = 12;', 'int dead = VirtualAlloc(NULL, 100, MEM_RESERVE, PAGE_NOACCESS) != 0;'), true],
      [(t) => t.replace('reserve_50(void) {', 'reserve_50(void) { /* */'), false],
      [(t) => 'SIZE_T kSize0x = 1;\n' + t, false],
    ];
    const states = new IncrementalStates();
    const headers = new HeaderCache();
    const summary = (r: ReturnType<typeof lintDocument>) => r.findings.map((f) => `${f.range.start.line}:${f.range.start.column} ${f.ruleId} ${f.message}`);
    const first = lintDocument(file, text, options, headers, states);
    expect(first.findings.length).toBeGreaterThan(40);
    for (const [i, [edit, keepsPreprocessing]] of edits.entries()) {
      const next = edit(text);
      expect(next, `edit ${i} applies`).not.toBe(text);
      text = next;
      const incremental = lintDocument(file, text, options, headers, states);
      for (const configuration of ['x64', 'x86']) {
        const tree = states.of(configuration);
        expect(tree.reused, `edit ${i}, ${configuration}`).toBe(true);
        expect(tree.reusedPreprocessing, `edit ${i}, ${configuration}`).toBe(keepsPreprocessing);
        // changing one constant's value leaves the 59 calls that do not use it as they were
        if (i === 0 || i === 9) expect(tree.keptCalls, `edit ${i}, ${configuration}`).toBe(59);
      }
      expect(summary(incremental), `edit ${i}`).toEqual(summary(lintDocument(file, text, options, headers, new IncrementalStates())));
    }
  });

  it('redoes a call elsewhere when an edit inside a function renames it after a wrapper the call uses', () => {
    const headers = new HeaderCache();
    const helper = path.join(FIXTURES, 'macros', 'grab.c');
    const wrapperFile = analyzeSingleFile({
      file: helper,
      text: 'void *grab(SIZE_T n) { return VirtualAlloc(NULL, n, MEM_RESERVE, PAGE_READWRITE); }\n',
      options,
      headers,
    });
    const wrappers = new Map(wrapperFile.wrappers.map((w) => [w.name, w]));
    expect([...wrappers.keys()]).toEqual(['grab']);
    let text = ['void *use(void) {', '    return grab(4096);', '}', 'void *other(void) {', '    int local = 1;', '    return 0;', '}', ''].join('\n');
    const states = new IncrementalStates();
    const lines = (r: ReturnType<typeof lintDocument>) => r.findings.map((f) => `${f.range.start.line} ${f.message}`);
    expect(lines(lintDocument(file, text, options, headers, states, () => ({ wrappers })))).toEqual([
      '2 VirtualAlloc reserves 4096 bytes (0x1000); 61440 bytes of its 64 KB granule become unusable; it is kept: its address is returned to the caller',
    ]);
    // `other` becomes `grab`: the file now defines the function it calls, which is not the wrapper
    text = text.replace('void *other(void)', 'void *grab(void)');
    const after = lintDocument(file, text, options, headers, states, () => ({ wrappers }));
    expect(states.of('x64').reusedPreprocessing).toBe(true);
    expect(states.of('x86').reusedPreprocessing).toBe(true);
    expect(lines(after)).toEqual(lines(lintDocument(file, text, options, headers, new IncrementalStates(), () => ({ wrappers }))));
    expect(lines(after)).toEqual([]);
  });

  it('starts afresh when the grammar changes', () => {
    const preprocessOptions = { model: targetModel('x64'), defines: {}, undefines: [], includePaths: [], forceIncludes: [], readFile: () => undefined };
    const tree = new IncrementalTree();
    expect(tree.previousTree('int x;', 'c')).toBeUndefined();
    tree.commit({ tree: parse('int x;', 'c'), text: 'int x;', language: 'c', pre: preprocess('x.c', 'int x;', { ...preprocessOptions, cplusplus: false }) });
    expect(tree.previousTree('int x;', 'cpp')).toBeUndefined();
    expect(tree.reused).toBe(false);
  });
});
