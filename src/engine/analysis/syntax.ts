// What the syntax tree says about declarations and functions: the pure questions the analysis asks of a node
// (its function's name and parameters, whether a declaration is const, which block holds it...).

import { closestAncestor } from '../parse/ancestry.js';
import type { SyntaxNode } from '../parse/parse.js';

export const IDENTIFIER_TYPES = new Set(['identifier', 'field_identifier', 'type_identifier', 'namespace_identifier']);
export const SKIP_TYPES = new Set([
  'comment',
  'string_literal',
  'string_content',
  'raw_string_literal',
  'char_literal',
  'system_lib_string',
  'preproc_arg',
  'concatenated_string',
]);
export const FUNCTION_TYPES = new Set(['function_definition', 'lambda_expression']);
export const DECLARATOR_WRAPPERS = new Set(['pointer_declarator', 'reference_declarator', 'array_declarator', 'parenthesized_declarator']);

export function isAncestor(ancestor: SyntaxNode, node: SyntaxNode): boolean {
  return node.startIndex >= ancestor.startIndex && node.endIndex <= ancestor.endIndex;
}

export function containsOffset(node: SyntaxNode | null | undefined, offset: number): boolean {
  return !!node && node.startIndex <= offset && offset <= node.endIndex;
}

export const DECLARATIONS = new Set(['declaration', 'field_declaration', 'parameter_declaration', 'optional_parameter_declaration']);

/** Whether `declared` is one of the names `parent` declares (`SIZE_T len, size;` declares several), not its type or value. */
export function declaresName(parent: SyntaxNode, declared: SyntaxNode): boolean {
  return parent.childrenForFieldName('declarator').some((d) => d.startIndex === declared.startIndex && d.endIndex === declared.endIndex);
}

/** The identifier is the name a declaration or a parameter declares, not a value in it. */
export function isDeclaredHere(node: SyntaxNode): boolean {
  let child = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (parent.type === 'declaration' || parent.type === 'parameter_declaration' || parent.type === 'optional_parameter_declaration')
      return declaresName(parent, child);
    if (parent.type === 'parenthesized_declarator') continue;
    const slot = parent.childForFieldName('declarator');
    if (!parent.type.endsWith('declarator') || !slot || !sameNode(slot, child)) return false;
  }
  return false;
}

/** The same node of the tree (tree-sitter gives a new object for each visit). */
export function sameNode(a: SyntaxNode | null | undefined, b: SyntaxNode): boolean {
  return !!a && a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;
}

export function enclosingBlock(node: SyntaxNode): SyntaxNode | undefined {
  let n: SyntaxNode | null = node.parent;
  while (n && n.type !== 'compound_statement' && n.type !== 'for_statement' && n.type !== 'translation_unit') n = n.parent;
  return n ?? undefined;
}

export function isConstDeclaration(decl: SyntaxNode, text: string): boolean {
  for (const c of decl.children) {
    if (c.type === 'type_qualifier' || c.type === 'storage_class_specifier') {
      const word = text.slice(c.startIndex, c.endIndex);
      if (word === 'const' || word === 'constexpr' || word === 'constinit') return true;
    }
  }
  const typeNode = decl.childForFieldName('type');
  return !!typeNode && /\bconst\b/.test(text.slice(decl.startIndex, typeNode.endIndex));
}

/** `f(&x)`: the address goes to a call (which is done with it when it returns), not into a variable. */
export function isCallArgument(node: SyntaxNode): boolean {
  let n = node;
  while (n.parent?.type === 'parenthesized_expression' || n.parent?.type === 'cast_expression') n = n.parent;
  return n.parent?.type === 'argument_list';
}

export function isStatic(fn: SyntaxNode, text: string): boolean {
  return fn.children.some((c) => c.type === 'storage_class_specifier' && text.slice(c.startIndex, c.endIndex) === 'static');
}

/** Whether a function is defined in a namespace without a name (internal linkage, as `static`). */
export function inAnonymousNamespace(fn: SyntaxNode): boolean {
  for (let n = closestAncestor(fn, NAMESPACES); n; n = closestAncestor(n, NAMESPACES)) {
    if (n.type === 'namespace_definition' && !n.childForFieldName('name')) return true;
    if (n.type === 'translation_unit') return false;
  }
  return false;
}

const NAMESPACES = new Set(['namespace_definition', 'translation_unit']);

// the innermost of these above a function decides (found without climbing `.parent`: see ancestry.ts)
const CLASS_SCOPES = new Set(['class_specifier', 'struct_specifier', 'translation_unit', 'namespace_definition']);
const MEMBER_SCOPES = new Set(['field_declaration_list', 'translation_unit', 'namespace_definition']);

export function enclosingClassName(fn: SyntaxNode, text: string): string | undefined {
  const n = closestAncestor(fn, CLASS_SCOPES);
  if (n?.type !== 'class_specifier' && n?.type !== 'struct_specifier') return undefined;
  const name = n.childForFieldName('name');
  return name ? text.slice(name.startIndex, name.endIndex) : undefined;
}

export function isInClass(fn: SyntaxNode): boolean {
  return closestAncestor(fn, MEMBER_SCOPES)?.type === 'field_declaration_list';
}

export function functionName(fn: SyntaxNode, text: string): string | undefined {
  let d: SyntaxNode | null = fn.childForFieldName('declarator');
  while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
  const name = d?.childForFieldName('declarator');
  return name ? text.slice(name.startIndex, name.endIndex) : undefined;
}

/** Parameter names and declared types (`''` for an unnamed parameter). */
export function functionParams(fn: SyntaxNode, text: string): { name: string; type: string }[] {
  let d: SyntaxNode | null = fn.childForFieldName('declarator');
  while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
  const list = d?.childForFieldName('parameters');
  if (!list) return [];
  return list.namedChildren
    .filter((p) => p.type.endsWith('parameter_declaration'))
    .map((p) => {
      let n: SyntaxNode | null = p.childForFieldName('declarator');
      const pointer = !!n && n.type !== 'identifier' && /\*|&/.test(text.slice(n.startIndex, n.endIndex));
      while (n && n.type !== 'identifier') n = n.childForFieldName('declarator') ?? n.namedChildren.find((c) => c.type === 'identifier') ?? null;
      const typeNode = p.childForFieldName('type');
      const type = pointer ? 'void *' : typeNode ? text.slice(typeNode.startIndex, typeNode.endIndex) : '';
      return { name: n ? text.slice(n.startIndex, n.endIndex) : '', type };
    });
}

/** The template a function definition is (`template <size_t N> void *reserve()`), if it is one. */
export function templateOf(fn: SyntaxNode): SyntaxNode | undefined {
  const parent = fn.parent;
  return parent?.type === 'template_declaration' ? parent : undefined;
}

/**
 * A function template's parameters, in order, with their declared types and defaults (`size_t N = 4096`): name ''
 * for those that are not values (`typename T`, packs).
 */
export function templateParams(fn: SyntaxNode, text: string): { name: string; type: string; defaultValue?: SyntaxNode }[] {
  const list = templateOf(fn)?.childForFieldName('parameters');
  if (!list) return [];
  return list.namedChildren
    .filter((p) => p.type !== 'comment')
    .map((p) => {
      const value = p.type === 'parameter_declaration' || p.type === 'optional_parameter_declaration';
      const name = value ? p.childForFieldName('declarator') : null;
      const type = value ? p.childForFieldName('type') : null;
      if (name?.type !== 'identifier' || !type) return { name: '', type: '' };
      const defaultValue = p.childForFieldName('default_value') ?? undefined;
      return { name: text.slice(name.startIndex, name.endIndex), type: text.slice(type.startIndex, type.endIndex), ...(defaultValue ? { defaultValue } : {}) };
    });
}

/** Whether a parameter declaration is one of the template parameters of the function template `fn`. */
export function isTemplateParameterOf(param: SyntaxNode, fn: SyntaxNode): boolean {
  const template = templateOf(fn);
  const list = param.parent;
  return !!template && list?.type === 'template_parameter_list' && list.parent?.startIndex === template.startIndex && list.parent.type === template.type;
}

export function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}
