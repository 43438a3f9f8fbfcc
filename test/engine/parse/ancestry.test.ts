// ancestry.ts answers what climbing `.parent` answers, without its cost (quadratic in the nesting depth).
// Checked node by node against the plain climb on every fixture, on text whose root is an ERROR, and on
// code nested a few thousand levels deep.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { closestAncestor, closestAncestorType, enclosingFunctionAt, hasErrorAncestor } from '../../../src/engine/parse/ancestry.js';
import { languageFor, parse, type SyntaxNode, type Tree } from '../../../src/engine/parse/parse.js';
import { ROOT } from '../../helpers/cli.js';

const FUNCTIONS = new Set(['function_definition', 'lambda_expression']);
const DEFINITIONS = new Set(['function_definition']);
const SCOPES = new Set(['class_specifier', 'struct_specifier', 'field_declaration_list', 'translation_unit', 'namespace_definition']);

function climbError(node: SyntaxNode): boolean {
  for (let n: SyntaxNode | null = node; n; n = n.parent) if (n.type === 'ERROR') return true;
  return false;
}

function climbTo(node: SyntaxNode, types: ReadonlySet<string>): string | undefined {
  for (let n: SyntaxNode | null = node.parent; n; n = n.parent) if (types.has(n.type)) return `${n.type}@${n.startIndex}`;
  return undefined;
}

function closest(node: SyntaxNode, types: ReadonlySet<string>): string | undefined {
  const n = closestAncestor(node, types);
  return n && `${n.type}@${n.startIndex}`;
}

function climbFunctionAt(tree: Tree, offset: number): number | undefined {
  let node: SyntaxNode | null = tree.rootNode.descendantForIndex(offset, offset);
  while (node && !FUNCTIONS.has(node.type)) node = node.parent;
  while (node?.type === 'lambda_expression') {
    let up: SyntaxNode | null = node.parent;
    while (up && up.type !== 'function_definition') up = up.parent;
    if (!up) break;
    node = up;
  }
  return node?.startIndex;
}

function allNodes(tree: Tree): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const cursor = tree.walk();
  for (;;) {
    out.push(cursor.currentNode);
    if (cursor.gotoFirstChild() || cursor.gotoNextSibling()) continue;
    let up = true;
    while (up && !cursor.gotoNextSibling()) up = cursor.gotoParent();
    if (!up) return out;
  }
}

/** Differences between ancestry.ts and the plain climb, for every node and every offset of the text. */
function differences(file: string, text: string): string[] {
  const tree = parse(text, languageFor(file, text));
  const out: string[] = [];
  for (const node of allNodes(tree)) {
    if (hasErrorAncestor(node) !== climbError(node)) out.push(`error above ${node.type}@${node.startIndex}`);
    for (const types of [DEFINITIONS, SCOPES])
      if (closest(node, types) !== climbTo(node, types)) out.push(`${[...types][0]} above ${node.type}@${node.startIndex}`);
    const statement = (t: string) => t.endsWith('statement') || t === 'sizeof_expression';
    if (closestAncestorType(node, statement) !== climbTo(node, { has: statement } as ReadonlySet<string>)?.split('@')[0])
      out.push(`statement above ${node.type}@${node.startIndex}`);
  }
  for (let offset = 0; offset <= text.length; offset++) {
    if (enclosingFunctionAt(tree, offset, FUNCTIONS, true)?.startIndex !== climbFunctionAt(tree, offset)) out.push(`function at ${offset}`);
  }
  return out;
}

function fixtureSources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return fixtureSources(full);
    return /\.(c|h|cpp|hpp|cc)$/.test(e.name) ? [full] : [];
  });
}

describe('ancestry', () => {
  it('agrees with climbing .parent on every node and offset of every fixture', () => {
    const files = fixtureSources(path.join(ROOT, 'test', 'fixtures'));
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) expect(differences(file, fs.readFileSync(file, 'utf8')), file).toEqual([]);
  });

  it('agrees where the first child is the answer, where the root is an ERROR, and inside lambdas', () => {
    const cases: [string, string][] = [
      ['first.c', 'void f(void) { g(VirtualAlloc(NULL, 1, 2, 3)); }\nint x;\n'],
      ['root-error.c', '#include <a.h>\n#include "b.h"\n}}} ((( void f( { VirtualAlloc(NULL, 1'],
      ['lambda.cpp', 'int f() { auto l = [](int x) { return [&]() { return x; }(); }; return l(1); }\nauto top = [](){ return 2; };\n'],
      ['unicode.c', '/* é😀 */ void f(void) { int ü = 1; }\nvoid g(void) { }\n'],
      ['classes.cpp', 'namespace n { struct A { void f() { struct B { void g() {} }; } }; }\nclass C { int h() { return 1; } };\nvoid k() {}\n'],
    ];
    for (const [file, text] of cases) expect(differences(file, text), file).toEqual([]);
  });

  it('finds the function and the error region around code nested thousands of levels deep', () => {
    const depth = 3000;
    const text = `void outer(void) {${'{'.repeat(depth)} VirtualAlloc(NULL, ${'F('.repeat(depth)}1${')'.repeat(depth)}, MEM_RESERVE, 1) ${'}'.repeat(depth)}}\n`;
    const tree = parse(text, 'c');
    const at = text.indexOf('VirtualAlloc');
    expect(enclosingFunctionAt(tree, at, FUNCTIONS, true)?.startIndex).toBe(0);
    const node = tree.rootNode.descendantForIndex(at, at + 'VirtualAlloc'.length);
    expect(node.type).toBe('identifier');
    expect(closestAncestor(node, DEFINITIONS)?.startIndex).toBe(0);
    expect(hasErrorAncestor(node)).toBe(false);
    const broken = parse(text.replace(' VirtualAlloc', ' ) VirtualAlloc'), 'c');
    const inError = broken.rootNode.descendantForIndex(at + 2, at + 2 + 'VirtualAlloc'.length);
    expect(hasErrorAncestor(inError)).toBe(climbError(inError));
  });
});
