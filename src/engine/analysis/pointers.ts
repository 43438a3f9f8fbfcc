// Function pointers that hold a known API: `p = VirtualAlloc`, `(PVA)GetProcAddress(k32, "VirtualAlloc")`,
// `(decltype(&VirtualAlloc))GetProcAddress(...)`, struct fields (`tbl.alloc = VirtualAlloc`, `{ .alloc = ... }`).
// Calls through such a pointer are checked as calls of the API. A pointer counts only when every value the
// file stores in it is the same API (or a null pointer), so a table slot that sometimes holds VirtualFree never does.

import { closestAncestor, closestAncestorType } from '../parse/ancestry.js';
import { apiModel } from '../model/apis.js';
import type { SyntaxNode, Tree } from '../parse/parse.js';
import type { Token } from '../text/tokens.js';

export interface PointerBinding {
  /** What calls are written with: a variable's name, or a struct field's name. */
  name: string;
  kind: 'variable' | 'field';
  /** For a local variable: the function it is declared in. Globals and fields are file-wide. */
  scope?: { start: number; end: number };
  api: string;
  /** Where the pointer gets the API (offsets into the file), and that code as text, for evidence. */
  origin: { start: number; end: number; text: string };
}

/** A place where an API's address is stored. */
interface Source {
  key: string;
  name: string;
  kind: 'variable' | 'field';
  scope?: { start: number; end: number };
  api: string;
  origin: { start: number; end: number; text: string };
  /** The stored value's node, when the source is in the tree (not inside a macro expansion). */
  value?: SyntaxNode;
}

const API_WORD = /\b(?:Virtual\w*Alloc\w*|[NZ][tw]AllocateVirtualMemory\w*|MapViewOfFile\w*)\b/g;
const CAST_CALLS = new Set(['reinterpret_cast', 'static_cast', 'const_cast', 'bit_cast', 'std::bit_cast']);
const FUNCTION_TYPES = new Set(['function_definition', 'lambda_expression']);

/** Finds the pointers of a file that certainly hold one API. `expanded` lists macro invocations already expanded. */
export function findPointerBindings(tree: Tree, text: string, expanded: readonly { start: number; end: number; tokens: Token[] }[] = []): PointerBinding[] {
  if (!/GetProcAddress|Virtual\w*Alloc|AllocateVirtualMemory|MapViewOfFile/.test(text)) return [];
  const sources: Source[] = [];
  const root = tree.rootNode;
  for (const m of text.matchAll(/\bGetProcAddress\b/g)) {
    const node = root.descendantForIndex(m.index, m.index + m[0].length);
    if (node.type !== 'identifier' || node.startIndex !== m.index) continue;
    const call = node.parent;
    if (call?.type !== 'call_expression' || call.childForFieldName('function')?.startIndex !== node.startIndex) continue;
    const api = procName(call, text) ?? decltypeApi(call, text);
    if (api) addSink(sources, call, api, text);
  }
  for (const m of text.matchAll(API_WORD)) {
    const model = apiModel(m[0]);
    if (!model) continue;
    const node = root.descendantForIndex(m.index, m.index + m[0].length);
    if ((node.type !== 'identifier' && node.type !== 'namespace_identifier') || node.startIndex !== m.index) continue;
    // (each `.parent` walks down from the root: asked once per node)
    const up = node.parent;
    const qualified = up?.type === 'qualified_identifier' && up.childForFieldName('name')?.startIndex === node.startIndex;
    const value: SyntaxNode = qualified ? up : node;
    const parent = qualified ? up.parent : up;
    if (!parent) continue;
    if (parent.type === 'call_expression' && parent.childForFieldName('function')?.startIndex === value.startIndex) continue;
    if (insideTypeOperator(value)) continue;
    addSink(sources, value, model.name, text);
  }
  for (const inv of expanded) sources.push(...tokenSources(inv, text, root));
  return consolidate(sources, tree, text);
}

/** The API named by GetProcAddress's literal second argument; '' when the literal names something else. */
function procName(call: SyntaxNode, text: string): string | undefined {
  const args = call.childForFieldName('arguments')?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
  const name = args[1];
  if (!name || name.type !== 'string_literal') return undefined;
  const literal = text.slice(name.startIndex, name.endIndex).replace(/^[LuU8]*"|"$/g, '');
  const model = apiModel(literal);
  // a literal that names any other function decides: the pointer is not an API we know
  return model && model.name === literal ? model.name : '';
}

/** `(decltype(&VirtualAlloc))GetProcAddress(k32, name)`: the cast's type names the API. */
function decltypeApi(call: SyntaxNode, text: string): string | undefined {
  for (let n: SyntaxNode | null = call.parent; n; n = n.parent) {
    if (n.type === 'cast_expression') {
      const type = n.childForFieldName('type');
      const m = type && /decltype\s*\(\s*&?\s*(?:::)?\s*(\w+)\s*\)/.exec(text.slice(type.startIndex, type.endIndex));
      const model = m ? apiModel(m[1]!) : undefined;
      if (model) return model.name;
      continue;
    }
    if (n.type !== 'parenthesized_expression') break;
  }
  return undefined;
}

const TYPE_OPERATORS = new Set(['decltype', 'sizeof_expression', 'type_descriptor']);

/** The innermost type operator or statement around the node decides (not climbed with `.parent`: see ancestry.ts). */
function insideTypeOperator(node: SyntaxNode): boolean {
  const decider = closestAncestorType(node, (t) => TYPE_OPERATORS.has(t) || t.endsWith('statement') || t === 'declaration' || FUNCTION_TYPES.has(t));
  return decider !== undefined && TYPE_OPERATORS.has(decider);
}

/** Climbs from a value that holds an API's address to where it is stored, and records that place. */
function addSink(sources: Source[], value: SyntaxNode, api: string, text: string): void {
  let node = value;
  for (;;) {
    const parent = node.parent;
    if (!parent) return;
    if (parent.type === 'parenthesized_expression') node = parent;
    else if (parent.type === 'cast_expression' && parent.childForFieldName('value')?.startIndex === node.startIndex) node = parent;
    else if (parent.type === 'pointer_expression' && text[parent.startIndex] === '&') node = parent;
    else if (parent.type === 'argument_list' && parent.parent?.type === 'call_expression' && isCastCall(parent.parent, text)) node = parent.parent;
    else break;
  }
  const sink = node.parent;
  if (!sink) return;
  const originOf = (n: SyntaxNode) => ({ start: n.startIndex, end: n.endIndex, text: text.slice(n.startIndex, n.endIndex).replace(/\s+/g, ' ') });
  if (sink.type === 'init_declarator' && sink.childForFieldName('value')?.startIndex === node.startIndex) {
    const name = declaredName(sink.childForFieldName('declarator'), text);
    if (!name) return;
    const fn = enclosingFunction(sink);
    const scope = fn ? { start: fn.startIndex, end: fn.endIndex } : undefined;
    sources.push({ key: variableKey(name, scope), name, kind: 'variable', scope, api, origin: originOf(sink), value: node });
    return;
  }
  if (sink.type === 'assignment_expression' && sink.childForFieldName('right')?.startIndex === node.startIndex) {
    const op = text.slice(sink.childForFieldName('left')!.endIndex, node.startIndex).trim();
    if (op !== '=') return;
    const left = sink.childForFieldName('left')!;
    const origin = originOf(sink);
    if (left.type === 'field_expression') {
      const field = left.childForFieldName('field');
      if (!field) return;
      const name = text.slice(field.startIndex, field.endIndex);
      sources.push({ key: `.${name}`, name, kind: 'field', api, origin, value: node });
      return;
    }
    if (left.type === 'identifier' || left.type === 'qualified_identifier') {
      const name = lastName(text.slice(left.startIndex, left.endIndex));
      const fn = enclosingFunction(sink);
      const scope = fn && declaresLocal(fn, name, text) ? { start: fn.startIndex, end: fn.endIndex } : undefined;
      sources.push({ key: variableKey(name, scope), name, kind: 'variable', scope, api, origin, value: node });
    }
    return;
  }
  if (sink.type === 'initializer_pair' && sink.childForFieldName('value')?.startIndex === node.startIndex) {
    const designator = sink.childForFieldName('designator');
    const field = designator?.namedChildren.find((c) => c.type === 'field_identifier');
    if (!field) return;
    const name = text.slice(field.startIndex, field.endIndex);
    sources.push({ key: `.${name}`, name, kind: 'field', api, origin: originOf(sink), value: node });
  }
}

function isCastCall(call: SyntaxNode, text: string): boolean {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'template_function') return false;
  const name = fn.childForFieldName('name');
  return !!name && CAST_CALLS.has(text.slice(name.startIndex, name.endIndex));
}

/** `p`, `(*p)(...)`, `*p`: the identifier a declarator declares. */
function declaredName(declarator: SyntaxNode | null, text: string): string | undefined {
  let d = declarator;
  while (d && d.type !== 'identifier' && d.type !== 'field_identifier') {
    d = d.childForFieldName('declarator') ?? d.namedChildren.find((c) => c.type.endsWith('declarator') || c.type === 'identifier') ?? null;
  }
  return d ? text.slice(d.startIndex, d.endIndex) : undefined;
}

function lastName(qualified: string): string {
  return qualified.split('::').pop()!.trim();
}

function variableKey(name: string, scope: { start: number } | undefined): string {
  return scope ? `${scope.start}:${name}` : name;
}

const DEFINITIONS = new Set(['function_definition']);

function enclosingFunction(node: SyntaxNode): SyntaxNode | undefined {
  // not `.parent` upwards: that is quadratic in the nesting depth (src/engine/parse/ancestry.ts)
  return closestAncestor(node, DEFINITIONS);
}

/** Does the function declare a local variable or parameter with this name? */
export function declaresLocal(fn: SyntaxNode, name: string, text: string): boolean {
  const body = text.slice(fn.startIndex, fn.endIndex);
  const re = new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\b`, 'g');
  for (const m of body.matchAll(re)) {
    const at = fn.startIndex + m.index;
    const node = fn.descendantForIndex(at, at + name.length);
    if (node.type === 'identifier' && node.startIndex === at && isDeclaredHere(node)) return true;
  }
  return false;
}

/** True when the identifier is the name a declaration or parameter declares (not a value in it). */
function isDeclaredHere(node: SyntaxNode): boolean {
  let child = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    const inDeclaratorSlot =
      parent.childForFieldName('declarator')?.startIndex === child.startIndex && parent.childForFieldName('declarator')?.endIndex === child.endIndex;
    if (parent.type === 'declaration' || parent.type === 'parameter_declaration' || parent.type === 'optional_parameter_declaration') return inDeclaratorSlot;
    if (parent.type === 'parenthesized_declarator') continue;
    if (!parent.type.endsWith('declarator') || !inDeclaratorSlot) return false;
  }
  return false;
}

/** `p##f = (void *)GetProcAddress(mod, #f)` inside an expanded macro invocation (Wine's X-macros). */
function tokenSources(inv: { start: number; end: number; tokens: Token[] }, text: string, root: SyntaxNode): Source[] {
  const out: Source[] = [];
  const t = inv.tokens;
  for (let i = 0; i < t.length; i++) {
    if (t[i]!.text !== 'GetProcAddress' || t[i + 1]?.text !== '(') continue;
    // second argument: the first string after the first top-level comma
    let depth = 0;
    let literal: string | undefined;
    let close = -1;
    let commas = 0;
    for (let k = i + 1; k < t.length; k++) {
      const x = t[k]!.text;
      if (x === '(') depth++;
      else if (x === ')' && --depth === 0) {
        close = k;
        break;
      } else if (x === ',' && depth === 1) commas++;
      else if (commas === 1 && depth === 1 && t[k]!.kind === 'string' && literal === undefined) literal = x.replace(/^[LuU8]*"|"$/g, '');
    }
    if (close < 0 || literal === undefined) continue;
    const model = apiModel(literal);
    if (!model || model.name !== literal) continue;
    // walk back over a cast to the `=` and the name before it
    let k = i - 1;
    if (t[k]?.text === ')') {
      let d = 0;
      for (; k >= 0; k--) {
        if (t[k]!.text === ')') d++;
        else if (t[k]!.text === '(' && --d === 0) break;
      }
      k--;
    }
    if (t[k]?.text !== '=' || t[k - 1]?.kind !== 'ident') continue;
    const name = t[k - 1]!.text;
    const isField = t[k - 2]?.text === '.' || t[k - 2]?.text === '->';
    const origin = { start: inv.start, end: inv.end, text: text.slice(inv.start, inv.end).replace(/\s+/g, ' ') };
    if (isField) {
      out.push({ key: `.${name}`, name, kind: 'field', api: model.name, origin });
      continue;
    }
    const node = root.descendantForIndex(inv.start, inv.start);
    const fn = enclosingFunction(node);
    const scope = fn && declaresLocal(fn, name, text) ? { start: fn.startIndex, end: fn.endIndex } : undefined;
    out.push({ key: variableKey(name, scope), name, kind: 'variable', scope, api: model.name, origin });
  }
  return out;
}

/** Keeps the pointers whose every stored value in the file is the same API or a null pointer. */
function consolidate(sources: Source[], tree: Tree, text: string): PointerBinding[] {
  const byKey = new Map<string, Source[]>();
  for (const s of sources) {
    let list = byKey.get(s.key);
    if (!list) byKey.set(s.key, (list = []));
    list.push(s);
  }
  const out: PointerBinding[] = [];
  for (const list of byKey.values()) {
    const first = list[0]!;
    if (list.some((s) => s.api !== first.api)) continue;
    const known = new Set(list.flatMap((s) => (s.value ? [s.value.startIndex] : [])));
    if (otherStores(first, tree, text).some((v) => !known.has(v.startIndex) && !isNullPointer(v, text))) continue;
    out.push({ name: first.name, kind: first.kind, scope: first.scope, api: first.api, origin: first.origin });
  }
  return out;
}

/** Every value the file stores into the pointer (or field) the source names. */
function otherStores(source: Source, tree: Tree, text: string): SyntaxNode[] {
  const values: SyntaxNode[] = [];
  const re = new RegExp(`\\b${source.name.replace(/\$/g, '\\$')}\\b`, 'g');
  const from = source.scope?.start ?? 0;
  const to = source.scope?.end ?? text.length;
  for (const m of text.slice(from, to).matchAll(re)) {
    const at = from + m.index;
    const node = tree.rootNode.descendantForIndex(at, at + source.name.length);
    if (node.startIndex !== at) continue;
    let target: SyntaxNode = node;
    if (source.kind === 'field') {
      if (node.type !== 'field_identifier') continue;
      const parent = node.parent;
      if (parent?.type === 'field_designator') {
        const pair = parent.parent;
        const value = pair?.type === 'initializer_pair' ? pair.childForFieldName('value') : null;
        if (value) values.push(value);
        continue;
      }
      if (parent?.type !== 'field_expression') continue;
      target = parent;
    } else {
      if (node.type !== 'identifier') continue;
      if (node.parent?.type === 'qualified_identifier') target = node.parent;
      // a same-named local elsewhere is a different variable
      if (!source.scope) {
        const fn = enclosingFunction(node);
        if (fn && declaresLocal(fn, source.name, text)) continue;
      }
    }
    const parent = target.parent;
    if (parent?.type === 'assignment_expression' && parent.childForFieldName('left')?.startIndex === target.startIndex) {
      const right = parent.childForFieldName('right');
      if (right) values.push(right);
    } else if (parent?.type === 'init_declarator' && source.kind === 'variable') {
      const value = parent.childForFieldName('value');
      if (value && declaredName(parent.childForFieldName('declarator'), text) === source.name) values.push(value);
    } else if (parent?.type === 'pointer_expression' && text[parent.startIndex] === '&' && parent.parent?.type === 'argument_list') {
      // the pointer's address is passed to a function that may store anything in it
      values.push(parent);
    }
  }
  return values;
}

function isNullPointer(node: SyntaxNode, text: string): boolean {
  let n = node;
  for (let guard = 0; guard < 16; guard++) {
    const inner = n.type === 'parenthesized_expression' ? n.namedChildren[0] : n.type === 'cast_expression' ? n.childForFieldName('value') : undefined;
    if (!inner) break;
    n = inner;
  }
  const word = text.slice(n.startIndex, n.endIndex).trim();
  return word === 'NULL' || word === 'nullptr' || word === '0' || n.type === 'null';
}
