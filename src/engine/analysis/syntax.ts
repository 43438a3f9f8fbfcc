// What the syntax tree says about declarations and functions: the pure questions the analysis asks of a node
// (its function's name and parameters, whether a declaration is const, which block holds it...).

import { closestAncestor } from '../parse/ancestry.js';
import type { SyntaxNode } from '../parse/parse.js';
import { tokenize } from '../text/tokens.js';

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

const CLASS_OR_SCOPE = new Set(['class_specifier', 'struct_specifier', 'translation_unit', 'namespace_definition', 'function_definition']);

/**
 * The class template whose parameters a member function's body sees as its own, when it has none of its own: the
 * class it is defined in (`template <size_t N> class Arena { Arena() { ... N ... } };`), or the class its name is
 * qualified with (`template <size_t N> Arena<N>::Arena() { ... }`). A member that is a template itself binds its
 * own parameters (see templateParams), not its class's.
 */
export function classTemplateOf(fn: SyntaxNode, text: string): { name: string; template: SyntaxNode } | undefined {
  const found = classTemplateNodes(fn);
  return found && { name: text.slice(found.name.startIndex, found.name.endIndex), template: found.template };
}

function classTemplateNodes(fn: SyntaxNode): { name: SyntaxNode; template: SyntaxNode } | undefined {
  const own = templateOf(fn);
  if (own) {
    let d: SyntaxNode | null = fn.childForFieldName('declarator');
    while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
    const scope = d?.childForFieldName('declarator')?.childForFieldName('scope');
    const name = scope?.type === 'template_type' ? scope.childForFieldName('name') : null;
    return name ? { name, template: own } : undefined;
  }
  if (!isInClass(fn)) return undefined;
  const cls = closestAncestor(fn, CLASS_OR_SCOPE);
  if (cls?.type !== 'class_specifier' && cls?.type !== 'struct_specifier') return undefined;
  const template = cls.parent;
  const name = cls.childForFieldName('name');
  return template?.type === 'template_declaration' && name ? { name, template } : undefined;
}

/** The template whose parameters bind in a function's body: its own, else its class template's (classTemplateOf). */
function bindingTemplateOf(fn: SyntaxNode): SyntaxNode | undefined {
  return templateOf(fn) ?? classTemplateNodes(fn)?.template;
}

/** `Ring<N>::Ring` as `Ring::Ring`: a qualified name without its template arguments (nested ones too). */
export function withoutTemplateArguments(name: string): string {
  let out = name;
  // innermost first; each pass removes at least one pair, so the passes are bounded by the name's length
  for (let before = ''; before !== out;) {
    before = out;
    out = out.replace(/\s*<[^<>]*>/g, '');
  }
  return out;
}

/**
 * A function template's parameters, in order, with their declared types and defaults (`size_t N = 4096`): name ''
 * for those that are not values (`typename T`, packs). A member function of a class template without parameters
 * of its own has its class's (classTemplateOf).
 */
export function templateParams(fn: SyntaxNode, text: string): { name: string; type: string; defaultValue?: SyntaxNode }[] {
  const template = bindingTemplateOf(fn);
  return template ? templateDeclarationParams(template, text) : [];
}

/** The parameters of a template declaration, as templateParams gives them. */
export function templateDeclarationParams(template: SyntaxNode, text: string): { name: string; type: string; defaultValue?: SyntaxNode }[] {
  const list = template.childForFieldName('parameters');
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

/** Whether a parameter declaration is one of the template parameters `fn` binds (its own, or its class template's). */
export function isTemplateParameterOf(param: SyntaxNode, fn: SyntaxNode): boolean {
  const template = bindingTemplateOf(fn);
  const list = param.parent;
  return !!template && list?.type === 'template_parameter_list' && list.parent?.startIndex === template.startIndex && list.parent.type === template.type;
}

/**
 * The class template whose parameter `param` is, when `offset` is in that class's body (`static constexpr size_t
 * kSize = N;` in `template <size_t N> struct Ring`): the class's name, else undefined.
 */
export function classOfTemplateParameter(param: SyntaxNode, offset: number, text: string): string | undefined {
  const list = param.parent;
  const template = list?.type === 'template_parameter_list' ? list.parent : null;
  if (template?.type !== 'template_declaration') return undefined;
  const cls = template.namedChildren.find((c) => c.type === 'class_specifier' || c.type === 'struct_specifier');
  const name = cls?.childForFieldName('name');
  return cls && name && containsOffset(cls.childForFieldName('body'), offset) ? text.slice(name.startIndex, name.endIndex) : undefined;
}

/** Whether a function definition is C++ `constexpr` or `consteval` (a specifier before its declarator). */
export function isConstexprFunction(fn: SyntaxNode, text: string): boolean {
  return fn.children.some((c) => c.type === 'type_qualifier' && /^(?:constexpr|consteval)$/.test(text.slice(c.startIndex, c.endIndex)));
}

/**
 * The class a member function is defined in, as a call through a class template chooses it: the class's name, the
 * arguments of an explicit specialization (`template <> struct Traits<Small>`: ['Small']), or the parameters of
 * the primary template it belongs to (`template <size_t N> struct Traits`), which the call's arguments bind.
 */
export interface MemberOwner {
  className: string;
  specialization?: string[];
  params: { name: string; type: string }[];
}

export function memberOwner(fn: SyntaxNode, text: string): MemberOwner | undefined {
  if (!isInClass(fn)) return undefined;
  const cls = closestAncestor(fn, CLASS_OR_SCOPE);
  if (cls?.type !== 'class_specifier' && cls?.type !== 'struct_specifier') return undefined;
  const name = cls.childForFieldName('name');
  const template = cls.parent?.type === 'template_declaration' ? cls.parent : undefined;
  if (name?.type === 'template_type') {
    const className = name.childForFieldName('name');
    const args = name.childForFieldName('arguments');
    if (!className || !args) return undefined;
    const specialization = args.namedChildren.filter((c) => c.type !== 'comment').map((c) => spacedTokens(text.slice(c.startIndex, c.endIndex)));
    return { className: text.slice(className.startIndex, className.endIndex), specialization, params: [] };
  }
  if (!name) return undefined;
  const params = template ? templateDeclarationParams(template, text).map(({ name: n, type }) => ({ name: n, type })) : [];
  return { className: text.slice(name.startIndex, name.endIndex), params };
}

/** Text with one space between its tokens (`Pair< int,8 >` and `Pair<int, 8>` compare equal as `int , 8`), as the evaluator writes a template argument. */
export function spacedTokens(text: string): string {
  return tokenize(text)
    .map((t) => t.text)
    .join(' ');
}

/** The expression of a function body that is `static_assert`s and one `return`, else undefined. */
export function singleReturn(fn: SyntaxNode): SyntaxNode | undefined {
  const body = fn.childForFieldName('body');
  if (body?.type !== 'compound_statement') return undefined;
  const statements = body.namedChildren.filter((c) => c.type !== 'comment');
  const last = statements.pop();
  if (last?.type !== 'return_statement' || statements.some((s) => s.type !== 'static_assert_declaration')) return undefined;
  return last.namedChildren.find((c) => c.type !== 'comment');
}

/** The return type of a function definition as written, when it returns by value (not a pointer or a reference). */
export function returnTypeText(fn: SyntaxNode, text: string): string | undefined {
  const declarator = fn.childForFieldName('declarator');
  const typeNode = fn.childForFieldName('type');
  return declarator?.type === 'function_declarator' && typeNode ? text.slice(typeNode.startIndex, typeNode.endIndex) : undefined;
}

export function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}
