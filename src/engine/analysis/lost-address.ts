// Whether a reservation whose address some path loses (lifetime-paths.ts's LostPlace) is provably lost: the
// address never leaves the one local that holds it, and the function counts on the call having succeeded. A
// finding says the reservation can never be released, so every doubt keeps it silent: a copy of the address, its
// address taken, a call that is given it (any function may keep it) other than a release and the few that
// provably keep nothing, a holder that is not a plain pointer (a C++ object may release it in its destructor), a
// release inside a loop (a later iteration may release what the walk saw held), a `goto` backwards, code inside
// a lambda, and a call the function neither tests for failure nor uses the memory of (a test that expects the
// call to fail reserves nothing).

import { visitAncestors } from '../parse/ancestry.js';
import type { SyntaxNode } from '../parse/parse.js';
import { wordOccurrences } from '../text/occurrences.js';
import type { ReleaseCall } from './releases.js';
import { isDeclaredHere, sameNode } from './syntax.js';

export interface LostQuestion {
  text: string;
  /** The function definition. */
  fn: SyntaxNode;
  /** The local that holds the address (it has no copies). */
  holder: string;
  /** The call that makes the reservation or maps the view. */
  call: SyntaxNode;
  /** The function's release calls (releases.ts). */
  releaseCalls: readonly ReleaseCall[];
  /** The function's labels by name (lifetime-paths.ts's findLabels). */
  labels: ReadonlyMap<string, SyntaxNode>;
  /** A path that holds the address tests whether the call failed (lifetime-paths.ts's PathAnswer.tested). */
  tested: boolean;
}

/** What the uses of the address showed: whether one reads or writes the memory (the code counts on the call's success). */
interface Uses {
  memory: boolean;
}

const LOOPS = new Set(['while_statement', 'for_statement', 'for_range_loop', 'do_statement']);
const TESTS = new Set(['==', '!=', '<', '>', '<=', '>=', '&&', '||']);

/** Calls that read or change the pages at an address and keep nothing: they return a status or a count. */
const KEEP_NOTHING = new Set([
  'VirtualProtect',
  'VirtualProtectEx',
  'VirtualQuery',
  'VirtualQueryEx',
  'VirtualLock',
  'VirtualUnlock',
  'FlushInstructionCache',
  'FlushViewOfFile',
  'memcmp',
  'RtlCompareMemory',
]);

/** Calls that keep nothing but return the address they are given (a commit in the reservation, the C library's copies). */
const RETURN_THE_ADDRESS = new Set([
  'VirtualAlloc',
  'VirtualAllocEx',
  'memset',
  'memcpy',
  'memmove',
  'ZeroMemory',
  'SecureZeroMemory',
  'FillMemory',
  'CopyMemory',
  'MoveMemory',
  'RtlZeroMemory',
  'RtlFillMemory',
  'RtlCopyMemory',
  'RtlMoveMemory',
]);

/** Windows' and C's scalar typedefs (`PVOID`, `LPBYTE`, `ULONG_PTR`, `SIZE_T`, `uintptr_t`): no destructor runs on them. */
const SCALAR_TYPEDEF = /^(?:[A-Z][A-Z0-9_]*|u?intptr_t|size_t)$/;

/** Whether the address held by `q.holder` provably stays in it: the path's loss is then the reservation's. */
export function provablyLost(q: LostQuestion): boolean {
  const uses: Uses = { memory: false };
  return holdsAPlainValue(q) && everyUseStaysLocal(q, uses) && (q.tested || uses.memory) && !releasedInALoop(q) && !jumpsBack(q);
}

/** The holder is declared once in the function, as a pointer (`T *p`) or a scalar typedef, not a reference or an object. */
function holdsAPlainValue(q: LostQuestion): boolean {
  const declared = occurrences(q).filter((id) => isDeclaredHere(id));
  if (declared.length !== 1) return false;
  let d = declared[0]!.parent;
  let pointer = false;
  while (d?.type === 'pointer_declarator') {
    pointer = true;
    d = d.parent;
  }
  if (d?.type === 'init_declarator') d = d.parent;
  if (!d || (d.type !== 'declaration' && d.type !== 'parameter_declaration')) return false;
  if (pointer) return true;
  const type = d.childForFieldName('type');
  if (!type) return false;
  if (type.type === 'primitive_type' || type.type === 'sized_type_specifier') return true;
  // `auto p = VirtualAlloc(...)`: the API's pointer
  if (type.type === 'placeholder_type_specifier') return d.type === 'declaration' && q.call.startIndex > d.startIndex && q.call.endIndex <= d.endIndex;
  return type.type === 'type_identifier' && SCALAR_TYPEDEF.test(q.text.slice(type.startIndex, type.endIndex));
}

/** The identifiers naming the holder in the function (not fields, strings or comments of the same spelling). */
function occurrences(q: LostQuestion): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (const at of wordOccurrences(q.text, q.holder, q.fn.startIndex, q.fn.endIndex)) {
    const id = q.fn.descendantForIndex(at, at + q.holder.length);
    if (id.type === 'identifier' && id.startIndex === at) out.push(id);
  }
  return out;
}

function everyUseStaysLocal(q: LostQuestion, uses: Uses): boolean {
  for (const id of occurrences(q)) {
    if (isDeclaredHere(id)) continue;
    if (insideLambda(id, q.fn) || !staysLocal(id, q, uses, true)) return false;
  }
  return true;
}

function insideLambda(node: SyntaxNode, fn: SyntaxNode): boolean {
  let inside = false;
  visitAncestors(node.tree, node.startIndex, node.endIndex, (at) => {
    if (at.startIndex >= fn.startIndex && at.endIndex <= fn.endIndex && at.type === 'lambda_expression') inside = true;
    return inside;
  });
  return inside;
}

/**
 * Whether what the value `node` (the address, or something made from it) becomes stays in the function: it is
 * tested, thrown away, dereferenced, or given to a release or a call that keeps nothing. `holder`: `node` is the
 * holder itself (assigning to it, or taking its address, means something else than for a value made from it).
 */
function staysLocal(node: SyntaxNode, q: LostQuestion, uses: Uses, holder = false): boolean {
  let n = node;
  while (n.parent && (n.parent.type === 'parenthesized_expression' || n.parent.type === 'cast_expression')) n = n.parent;
  const parent = n.parent;
  if (!parent) return false;
  const field = (name: string) => sameNode(parent.childForFieldName(name), n);
  switch (parent.type) {
    case 'expression_statement':
    case 'sizeof_expression':
    case 'condition_clause':
      return true;
    case 'if_statement':
    case 'while_statement':
    case 'do_statement':
    case 'for_statement':
      return field('condition');
    case 'binary_expression':
      // a test gives a truth value; arithmetic (`p + 4096`, `(ULONG_PTR)p & ~0xFFFF`) may still be the address
      return TESTS.has(parent.childForFieldName('operator')?.type ?? '') || staysLocal(parent, q, uses);
    case 'unary_expression':
      return parent.childForFieldName('operator')?.type === '!' || staysLocal(parent, q, uses);
    case 'conditional_expression':
      return field('condition') || staysLocal(parent, q, uses);
    case 'assignment_expression':
      if (!field('left')) return false;
      // `p = other` (the path walk saw it), or a store into the reserved memory (`p[0] = 1`, `p->next = 0`)
      return holder ? parent.childForFieldName('operator')?.type === '=' && staysLocal(parent, q, uses) : true;
    case 'subscript_expression':
      return field('argument') && storedInto(parent, q, uses);
    case 'field_expression':
      return field('argument') && storedInto(parent, q, uses);
    case 'pointer_expression': {
      const operator = parent.childForFieldName('operator')?.type;
      if (operator === '*') return storedInto(parent, q, uses);
      // `&base` given to the call that makes the reservation, or to its release (NtAllocate/NtFreeVirtualMemory)
      return holder && operator === '&' && givenToTheCallOrARelease(parent, q);
    }
    case 'argument_list':
      return parent.parent?.type === 'call_expression' && callKeepsNothing(parent.parent, q, uses);
    default:
      return false;
  }
}

/** `p[i]`, `*p`, `p->f`: an element of the reservation, read or written; its address taken (`&p[i]`) is the address again. */
function storedInto(access: SyntaxNode, q: LostQuestion, uses: Uses): boolean {
  uses.memory = true;
  let n = access;
  while (n.parent && n.parent.type === 'parenthesized_expression') n = n.parent;
  const parent = n.parent;
  if (!parent) return false;
  if (parent.type === 'pointer_expression' && parent.childForFieldName('operator')?.type === '&') return staysLocal(parent, q, uses);
  if (parent.type === 'assignment_expression' && sameNode(parent.childForFieldName('left'), n)) return true;
  if ((parent.type === 'subscript_expression' || parent.type === 'field_expression') && sameNode(parent.childForFieldName('argument'), n))
    return storedInto(parent, q, uses);
  // a field may be an array, an address inside the reservation: only tests of its value are sure to keep nothing
  return access.type === 'field_expression' ? staysLocal(access, q, uses) : true;
}

function givenToTheCallOrARelease(addressOf: SyntaxNode, q: LostQuestion): boolean {
  let n = addressOf;
  while (n.parent && (n.parent.type === 'parenthesized_expression' || n.parent.type === 'cast_expression')) n = n.parent;
  const call = n.parent?.type === 'argument_list' ? n.parent.parent : null;
  return !!call && (sameNode(call, q.call) || isRelease(call, q));
}

function isRelease(call: SyntaxNode, q: LostQuestion): boolean {
  return q.releaseCalls.some((r) => r.start === call.startIndex && r.end === call.endIndex && r.name === q.holder);
}

/** A call given the address that provably keeps nothing of it: its release, or a memory function. */
function callKeepsNothing(call: SyntaxNode, q: LostQuestion, uses: Uses): boolean {
  if (sameNode(call, q.call) || isRelease(call, q)) return true;
  const callee = call.childForFieldName('function');
  const name = callee?.type === 'identifier' ? q.text.slice(callee.startIndex, callee.endIndex) : '';
  const keepsNothing = KEEP_NOTHING.has(name) || (RETURN_THE_ADDRESS.has(name) && staysLocal(call, q, uses));
  // (the memory functions fail, or crash, on a call that failed: the code counts on its success)
  if (keepsNothing) uses.memory = true;
  return keepsNothing;
}

/** A release of the holder inside a loop: a later iteration may release what one iteration's path holds. */
function releasedInALoop(q: LostQuestion): boolean {
  return q.releaseCalls.some((r) => {
    if (r.name !== q.holder) return false;
    let inLoop = false;
    visitAncestors(q.fn.tree, r.start, r.end, (at) => {
      if (at.startIndex >= q.fn.startIndex && at.endIndex <= q.fn.endIndex && LOOPS.has(at.type)) inLoop = true;
      return inLoop;
    });
    return inLoop;
  });
}

/** A `goto` to a label before it: a loop the walk does not see as one. */
function jumpsBack(q: LostQuestion): boolean {
  if (q.labels.size === 0) return false;
  const body = q.text.slice(q.fn.startIndex, q.fn.endIndex);
  for (const m of body.matchAll(/\bgoto\s+(\w+)/g)) {
    const label = q.labels.get(m[1]!);
    if (!label || label.startIndex < q.fn.startIndex + m.index) return true;
  }
  return false;
}
