// tree-sitter trees as plain objects for ESLint. Native nodes are getters over the C tree and a new wrapper is
// made on every access, so identity (`===`, WeakMap) breaks; ESLint needs stable objects, as @eslint/css does.

import type { Language, Tree } from '../engine/parse/parse.js';
import { parserFor } from '../engine/parse/parse.js';
import type { LineMap } from '../engine/text/source.js';

export interface Loc {
  start: { line: number; column: number };
  end: { line: number; column: number };
}

/** A named tree-sitter node: `type` is the grammar's node type (`call_expression`, `identifier`, ...). */
export interface CNode {
  type: string;
  /** 0-based UTF-16 offsets, end exclusive. */
  range: [number, number];
  /** 1-based lines, 0-based columns (ESLint's JavaScript convention). */
  loc: Loc;
  /** Named children, in source order. */
  children: CNode[];
  /** Children by grammar field (`function`, `arguments`, `declarator`, ...). */
  fields: Record<string, CNode>;
  /** Source text, on leaves only (identifiers, literals, comments). */
  text?: string;
}

export interface TranslationUnit extends CNode {
  type: 'translation_unit';
}

/**
 * Converts the named nodes of a tree. Locations come from granule's line map (CR, LF and CRLF end a line), the
 * same one findings use, so selectors and findings agree on positions.
 */
export function toPlainTree(tree: Tree, text: string, lines: LineMap): TranslationUnit {
  const locOf = (start: number, end: number): Loc => {
    const s = lines.position(start);
    const e = lines.position(end);
    return { start: { line: s.line, column: s.column - 1 }, end: { line: e.line, column: e.column - 1 } };
  };
  // ESLint takes the language's first line and column from the root: it must span the whole text
  const root: TranslationUnit = { type: 'translation_unit', range: [0, text.length], loc: locOf(0, text.length), children: [], fields: {} };
  const cursor = tree.walk();
  // one entry per cursor depth: the nearest named ancestor, and whether that depth is the ancestor itself
  const stack: { node: CNode; own: boolean }[] = [{ node: root, own: true }];
  const finish = (node: CNode) => {
    if (node !== root && node.children.length === 0) node.text = text.slice(node.range[0], node.range[1]);
  };
  // depth-first over all nodes; anonymous ones (punctuation, keywords) are skipped but their named descendants kept
  if (!cursor.gotoFirstChild()) return root;
  for (;;) {
    const parent = stack[stack.length - 1]!.node;
    let node: CNode | undefined;
    if (cursor.nodeIsNamed) {
      const start = cursor.startIndex;
      const end = cursor.endIndex;
      node = { type: cursor.nodeType, range: [start, end], loc: locOf(start, end), children: [], fields: {} };
      parent.children.push(node);
      const field = cursor.currentFieldName;
      if (field && !(field in parent.fields)) parent.fields[field] = node;
    }
    if (cursor.gotoFirstChild()) {
      stack.push(node ? { node, own: true } : { node: parent, own: false });
      continue;
    }
    if (node) finish(node);
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) return root;
      const done = stack.pop()!;
      if (done.own) finish(done.node);
      if (stack.length === 0) return root;
    }
  }
}

// eslint-disable-next-line no-restricted-syntax -- a cache: the visitor keys of each grammar (two at most), read from the grammar, which never changes
const keysCache = new Map<Language, Record<string, string[]>>();

/** Every named node type of the grammar walks its `children` (fields point into the same nodes). */
export function visitorKeysFor(language: Language): Record<string, string[]> {
  let keys = keysCache.get(language);
  if (keys) return keys;
  keys = { translation_unit: ['children'], ERROR: ['children'], AllocationCall: [] };
  const info = (parserFor(language).getLanguage() as { nodeTypeInfo?: { type: string; named: boolean }[] }).nodeTypeInfo ?? [];
  for (const t of info) if (t.named) keys[t.type] = ['children'];
  keysCache.set(language, keys);
  return keys;
}
