// The text check that lets identifier resolution skip occurrences of a name: it may only rule out occurrences
// the tree shows cannot give the name its value. Checked case by case, then against the tree on every fixture
// and on part of a real code base.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mayDecideValue } from '../../../src/engine/text/name-roles.js';
import { neutralize } from '../../../src/engine/parse/neutralize.js';
import { languageFor, parse } from '../../../src/engine/parse/parse.js';
import { corpusPath, unavailable } from '../../helpers/requirements.js';
import { ROOT } from '../../helpers/cli.js';

/** mayDecideValue for the first occurrence of `name` after `marker` (or the first at all). */
function check(text: string, name: string, marker = ''): boolean {
  const at = text.indexOf(name, text.indexOf(marker));
  return mayDecideValue(text, at, at + name.length);
}

describe('mayDecideValue', () => {
  it('rules out flags and operands in calls and expressions', () => {
    const call = 'p = VirtualAlloc(NULL, size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);';
    expect(check(call, 'MEM_RESERVE')).toBe(false);
    expect(check(call, 'MEM_COMMIT')).toBe(false);
    expect(check(call, 'PAGE_READWRITE')).toBe(false);
    expect(check(call, 'size')).toBe(false);
    expect(check('f(\n  SIZE,\n  other);', 'SIZE')).toBe(false);
    expect(check('x = BASE + 1;', 'BASE')).toBe(false);
    expect(check('y = c ? A : B;', 'B')).toBe(false);
    expect(check('n = q->size;', 'size')).toBe(false);
    expect(check('n = arr[INDEX];', 'INDEX')).toBe(false);
  });

  it('keeps declarators, enumerators and writes', () => {
    expect(check('SIZE_T size = 4096;', 'size')).toBe(true);
    expect(check('SIZE_T size;', 'size')).toBe(true);
    expect(check('int a, size, b;', 'size')).toBe(true);
    expect(check('enum { A, SIZE, B };', 'SIZE')).toBe(true);
    expect(check('void f(SIZE_T size) {}', 'size')).toBe(true);
    expect(check('void f(int a, size) {}', 'size')).toBe(false);
    expect(check('size += 4;', 'size')).toBe(true);
    expect(check('size <<= 1;', 'size')).toBe(true);
    expect(check('++size;', 'size')).toBe(true);
    expect(check('size--;', 'size')).toBe(true);
    expect(check('g(&size);', 'size')).toBe(true);
    expect(check('int (size);', 'size')).toBe(true);
    expect(check('std::vector<int> size;', 'size')).toBe(true);
    expect(check('for (int i = 0, size, j; ;) {}', 'size')).toBe(true);
  });

  it('keeps occurrences it cannot judge from the text', () => {
    expect(check('f(a, /* the size */ size, b);', 'size', '*/')).toBe(true);
    expect(check('f(")", size, b);', 'size')).toBe(true);
    expect(check('f(a, // (\n size, b);', 'size')).toBe(true);
    expect(check('SIZE_T size /* bytes */ = 4;', 'size')).toBe(true);
  });
});

/**
 * The occurrences the tree says decide a name's value (the roles identifier resolution acts on), by offset, in the
 * text as granule parses it (calling-convention macros blanked). Top-level items with a parse error
 * (ERROR or MISSING nodes) are left out: the roles tree-sitter guesses there are not the code's.
 */
function decidingOffsets(text: string, file: string): number[] {
  const tree = parse(neutralize(text, new Set()), languageFor(file, text));
  const out: number[] = [];
  const cursor = tree.walk();
  // the path from the root: each node's type and the field it fills in its parent
  const path: { type: string; field: string; start: number; hasError?: boolean }[] = [];
  const wrappers = new Set(['pointer_declarator', 'reference_declarator', 'array_declarator', 'parenthesized_declarator']);
  const declarations = new Set(['init_declarator', 'declaration', 'field_declaration', 'parameter_declaration', 'optional_parameter_declaration']);
  for (;;) {
    const type = cursor.nodeType;
    // a top-level item with a parse error anywhere in it (ERROR or MISSING nodes) is left out as a whole
    const entry = {
      type,
      field: cursor.currentFieldName ?? '',
      start: cursor.startIndex,
      hasError: path.length === 1 ? cursor.currentNode.hasError : undefined,
    };
    path.push(entry);
    if ((type === 'identifier' || type === 'field_identifier' || type === 'type_identifier') && !path[1]?.hasError) {
      let k = path.length - 1;
      while (k > 1 && path[k]!.field === 'declarator' && wrappers.has(path[k - 1]!.type)) k--;
      const parent = path[k - 1];
      const field = path[k]!.field;
      const acts =
        !!parent &&
        ((parent.type === 'enumerator' && field === 'name') ||
          (declarations.has(parent.type) && field === 'declarator') ||
          (parent.type === 'assignment_expression' && field === 'left' && k === path.length - 1) ||
          (parent.type === 'update_expression' && k === path.length - 1) ||
          (parent.type === 'pointer_expression' && text[parent.start] === '&' && k === path.length - 1));
      if (acts) out.push(entry.start);
    }
    if (cursor.gotoFirstChild()) continue;
    path.pop();
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) return out;
      path.pop();
    }
  }
}

function sourcesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /\.(c|cc|cpp|h|hpp)$/.test(entry.name)) out.push(path.join(entry.parentPath, entry.name));
  }
  return out.sort();
}

function expectNoneRuledOut(files: string[]): number {
  let checked = 0;
  const missed: string[] = [];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const at of decidingOffsets(text, file)) {
      const end = at + /^[\w$]*/.exec(text.slice(at))![0].length;
      checked++;
      if (!mayDecideValue(text, at, end))
        missed.push(
          `${path.relative(ROOT, file)}@${at}: ${JSON.stringify(text.slice(at, end))} in ${JSON.stringify(text.slice(Math.max(0, at - 30), end + 30))}`,
        );
    }
  }
  expect(missed).toEqual([]);
  return checked;
}

describe('mayDecideValue never rules out an occurrence the tree says decides a value', () => {
  it('on every fixture and example', () => {
    const files = [...sourcesUnder(path.join(ROOT, 'test', 'fixtures')), ...sourcesUnder(path.join(ROOT, 'examples'))];
    expect(expectNoneRuledOut(files)).toBeGreaterThan(150);
  });

  it.skipIf(unavailable('wine-corpus'))('on wine kernelbase, kernel32 and ntdll', { timeout: 300_000 }, () => {
    const wine = corpusPath('wine');
    const files = ['dlls/kernelbase', 'dlls/kernel32', 'dlls/ntdll'].flatMap((d) => sourcesUnder(path.join(wine, d)));
    expect(expectNoneRuledOut(files)).toBeGreaterThan(50_000);
  });
});
