// The ancestors of a node, found by one descent from the root. tree-sitter keeps no parent pointers: each
// `.parent` is found by descending from the root again, so climbing from a node to the root costs time
// quadratic in its depth: minutes for code nested a few thousand levels deep, as generated or hostile
// input is. One cursor descent sees every ancestor once.

import type { SyntaxNode, Tree } from './parse.js';

export interface AncestorVisit {
  type: string;
  startIndex: number;
  endIndex: number;
  /** The node itself (creating it costs more than reading its type). */
  node(): SyntaxNode;
}

/**
 * Visits the nodes that contain [start, end), outermost first (the root, which may itself be an ERROR), down
 * to the node that `descendantForIndex(start, end)` returns. Stops early when `visit` returns true.
 */
export function visitAncestors(tree: Tree, start: number, end: number, visit: (at: AncestorVisit) => boolean | void): void {
  const cursor = tree.walk();
  const at: AncestorVisit = { type: '', startIndex: 0, endIndex: 0, node: () => cursor.currentNode };
  do {
    at.type = cursor.nodeType;
    at.startIndex = cursor.startIndex;
    at.endIndex = cursor.endIndex;
    if (visit(at)) return;
  } while (firstChildForIndex(cursor, start) && cursor.startIndex <= start && cursor.endIndex >= end);
}

/**
 * Moves to the first child that ends after `index`. The binding answers with the child's number (0 for the
 * first child), or null, whatever its type declarations say, so the answer is compared with null.
 */
function firstChildForIndex(cursor: ReturnType<Tree['walk']>, index: number): boolean {
  const moved = cursor.gotoFirstChildForIndex(index) as unknown;
  return moved !== null && moved !== false && moved !== undefined;
}

/** Is the node, or any node above it, an ERROR? */
export function hasErrorAncestor(node: SyntaxNode): boolean {
  if (node.type === 'ERROR') return true;
  if (!node.tree.rootNode.hasError) return false;
  let found = false;
  visitAncestors(node.tree, node.startIndex, node.endIndex, (at) => {
    if (at.type === node.type && at.startIndex === node.startIndex && at.endIndex === node.endIndex) return true;
    return (found = at.type === 'ERROR');
  });
  return found;
}

/**
 * The innermost function (or lambda) that contains `offset`. A lambda is named after the function around it,
 * so with `lambdaOwner` the function definition around a lambda is returned in its place (the lambda when none).
 */
export function enclosingFunctionAt(tree: Tree, offset: number, types: ReadonlySet<string>, lambdaOwner: boolean): SyntaxNode | undefined {
  let innermost: SyntaxNode | undefined;
  let definition: SyntaxNode | undefined;
  let definitionAbove: SyntaxNode | undefined;
  visitAncestors(tree, offset, offset, (at) => {
    if (!types.has(at.type)) return;
    definitionAbove = definition;
    innermost = at.node();
    if (at.type === 'function_definition') definition = innermost;
  });
  if (lambdaOwner && innermost?.type === 'lambda_expression') return definitionAbove ?? innermost;
  return innermost;
}

/** The innermost node of one of `types` strictly above `node`. */
export function closestAncestor(node: SyntaxNode, types: ReadonlySet<string>): SyntaxNode | undefined {
  let found: SyntaxNode | undefined;
  visitAncestors(node.tree, node.startIndex, node.endIndex, (at) => {
    if (at.type === node.type && at.startIndex === node.startIndex && at.endIndex === node.endIndex) return true;
    if (types.has(at.type)) found = at.node();
  });
  return found;
}

/** The type of the innermost node strictly above `node` whose type passes `test`. */
export function closestAncestorType(node: SyntaxNode, test: (type: string) => boolean): string | undefined {
  let found: string | undefined;
  visitAncestors(node.tree, node.startIndex, node.endIndex, (at) => {
    if (at.type === node.type && at.startIndex === node.startIndex && at.endIndex === node.endIndex) return true;
    if (test(at.type)) found = at.type;
  });
  return found;
}
