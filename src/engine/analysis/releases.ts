// Releases of a reservation or a view: the Windows calls that give address space back (VirtualFree with
// MEM_RELEASE, NtFreeVirtualMemory, UnmapViewOfFile, ...) and the functions of a file that pass one of their
// parameters to such a call (release wrappers). The lifetime analysis asks whether a statement releases one of
// the names that hold an address.

import type { SyntaxNode } from '../parse/parse.js';
import { wordOccurrences } from '../text/occurrences.js';
import { functionName, functionParams } from './syntax.js';

/** Where a release API takes the address, and, for the free calls, the size and the free type. */
interface ReleaseModel {
  address: number;
  /** The address is passed by pointer (`&base`). */
  byPointer?: boolean;
  size?: number;
  /** The free type: MEM_RELEASE is what gives the address space back (MEM_DECOMMIT keeps it reserved). */
  freeType?: number;
}

const RELEASES: ReadonlyMap<string, ReleaseModel> = new Map([
  ['VirtualFree', { address: 0, size: 1, freeType: 2 }],
  ['VirtualFreeEx', { address: 1, size: 2, freeType: 3 }],
  ['NtFreeVirtualMemory', { address: 1, byPointer: true, freeType: 3 }],
  ['ZwFreeVirtualMemory', { address: 1, byPointer: true, freeType: 3 }],
  ['UnmapViewOfFile', { address: 0 }],
  ['UnmapViewOfFileEx', { address: 0 }],
  ['UnmapViewOfFile2', { address: 1 }],
  ['NtUnmapViewOfSection', { address: 1 }],
  ['ZwUnmapViewOfSection', { address: 1 }],
  ['NtUnmapViewOfSectionEx', { address: 1 }],
  ['ZwUnmapViewOfSectionEx', { address: 1 }],
]);

export const RELEASE_API_NAMES: readonly string[] = [...RELEASES.keys()];

const MEM_RELEASE_WORDS = /^(?:MEM_RELEASE|0x0*8000[uUlL]*|32768[uUlL]*)$/;
const MEM_DECOMMIT_WORDS = /\b(?:MEM_DECOMMIT|0x0*4000[uUlL]*|16384[uUlL]*)\b/;
const ZERO = /^(?:0+[uUlL]*|0x0+[uUlL]*|NULL|nullptr)$/;

/** A release wrapper: the function's name and which parameter it releases. */
export type ReleaseWrappers = ReadonlyMap<string, number>;

/** The expression without the parentheses and casts around it. */
export function stripExpression(node: SyntaxNode): SyntaxNode {
  let n = node;
  for (;;) {
    if (n.type === 'parenthesized_expression' && n.namedChildCount === 1) n = n.namedChild(0)!;
    else if (n.type === 'cast_expression' && n.childForFieldName('value')) n = n.childForFieldName('value')!;
    else return n;
  }
}

function nodeText(node: SyntaxNode, text: string): string {
  return text.slice(node.startIndex, node.endIndex);
}

/** The name a call calls: `VirtualFree`, `::VirtualFree`; undefined for `obj.f()`, `ns::f()` and pointers. */
function calleeName(call: SyntaxNode, text: string): string | undefined {
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  if (fn.type === 'identifier') return nodeText(fn, text);
  if (fn.type === 'qualified_identifier' && !fn.childForFieldName('scope')) {
    const name = fn.childForFieldName('name');
    return name?.type === 'identifier' ? nodeText(name, text) : undefined;
  }
  return undefined;
}

/** Whether the free type releases: it names MEM_RELEASE, and not MEM_DECOMMIT (the two together fail). */
function freeTypeReleases(arg: SyntaxNode | undefined, text: string): boolean {
  if (!arg) return false;
  const words = nodeText(arg, text);
  if (MEM_DECOMMIT_WORDS.test(words)) return false;
  return words.split(/[^\w]+/).some((w) => MEM_RELEASE_WORDS.test(w));
}

/** Whether the size of a MEM_RELEASE is zero, or not written as a number (MEM_RELEASE with a non-zero size fails). */
function sizeAllowsRelease(arg: SyntaxNode | undefined, text: string): boolean {
  if (!arg) return false;
  const stripped = stripExpression(arg);
  if (stripped.type !== 'number_literal') return stripped.type === 'identifier' || stripped.type === 'null';
  return ZERO.test(nodeText(stripped, text));
}

/** The name an address argument passes: `p`, `(void *)p`, `&base` (by pointer). */
function addressName(arg: SyntaxNode | undefined, byPointer: boolean, text: string): string | undefined {
  if (!arg) return undefined;
  let n = stripExpression(arg);
  if (byPointer) {
    if (n.type !== 'pointer_expression' || nodeText(n, text).trimStart()[0] !== '&') return undefined;
    n = stripExpression(n.childForFieldName('argument')!);
  }
  return n.type === 'identifier' ? nodeText(n, text) : undefined;
}

/** The name a call releases, when it is a release (of an API or a wrapper) of a plain name. */
export function releasedName(call: SyntaxNode, text: string, wrappers: ReleaseWrappers): string | undefined {
  const name = calleeName(call, text);
  if (!name) return undefined;
  const args = call.childForFieldName('arguments')?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
  const model = RELEASES.get(name);
  if (!model) {
    const param = wrappers.get(name);
    return param === undefined ? undefined : addressName(args[param], false, text);
  }
  if (model.freeType !== undefined && !freeTypeReleases(args[model.freeType], text)) return undefined;
  if (model.size !== undefined && !sizeAllowsRelease(args[model.size], text)) return undefined;
  return addressName(args[model.address], !!model.byPointer, text);
}

/** Rounds of finding wrappers of wrappers. */
const WRAPPER_ROUNDS = 3;

/**
 * The functions of a file that release one of their parameters (`void free_pages(void *p) { VirtualFree(p, 0,
 * MEM_RELEASE); }`), and wrappers of those. The release needs to be in the function, not on every path: a
 * wrapper that checks its argument for NULL first is still a release.
 */
export function findReleaseWrappers(
  text: string,
  functionAt: (offset: number) => SyntaxNode | undefined,
  /** Where a name occurs as a whole word in `text` (the file index's: the language server carries them over edits). */
  occurrencesOf: (name: string) => readonly number[],
): Map<string, number> {
  const wrappers = new Map<string, number>();
  for (let round = 0; round < WRAPPER_ROUNDS; round++) {
    const before = wrappers.size;
    const names = [...RELEASE_API_NAMES, ...wrappers.keys()];
    const seen = new Set<number>();
    for (const name of names) {
      for (const at of occurrencesOf(name)) {
        const fn = functionAt(at);
        if (!fn || fn.type !== 'function_definition' || seen.has(fn.startIndex)) continue;
        seen.add(fn.startIndex);
        const fnName = functionName(fn, text)?.split('::').pop();
        const body = fn.childForFieldName('body');
        if (!fnName || !body || wrappers.has(fnName) || RELEASES.has(fnName)) continue;
        const params = functionParams(fn, text).map((p) => p.name);
        if (!params.some((p) => p)) continue;
        const released = new Set(findReleaseCalls(fn, text, wrappers).map((c) => c.name));
        const index = params.findIndex((p) => p && released.has(p));
        if (index >= 0) wrappers.set(fnName, index);
      }
    }
    if (wrappers.size === before) break;
  }
  return wrappers;
}

/** A call that releases the name it passes (`VirtualFree(p, 0, MEM_RELEASE)`, `free_pages(p)`), and where it is. */
export interface ReleaseCall {
  start: number;
  end: number;
  name: string;
}

/**
 * The release calls of a function, found from the text (the occurrences of the release APIs' and wrappers'
 * names) rather than by walking its tree: the path walk asks, for every statement, whether it releases.
 * Calls inside a lambda are left out: the lambda's body runs when it is called, not where it is written.
 */
export function findReleaseCalls(fn: SyntaxNode, text: string, wrappers: ReleaseWrappers): ReleaseCall[] {
  const out: ReleaseCall[] = [];
  for (const callee of [...RELEASE_API_NAMES, ...wrappers.keys()]) {
    for (const at of wordOccurrences(text, callee, fn.startIndex, fn.endIndex - callee.length)) {
      let call: SyntaxNode | null = fn.descendantForIndex(at, at + callee.length);
      while (
        call &&
        call.type !== 'call_expression' &&
        call.startIndex >= fn.startIndex &&
        call.type !== 'lambda_expression' &&
        !call.type.endsWith('statement')
      )
        call = call.parent;
      if (!call || call.type !== 'call_expression' || insideLambda(call, fn)) continue;
      const name = releasedName(call, text, wrappers);
      if (name) out.push({ start: call.startIndex, end: call.endIndex, name });
    }
  }
  return out;
}

function insideLambda(node: SyntaxNode, fn: SyntaxNode): boolean {
  for (let n = node.parent; n && n.startIndex >= fn.startIndex; n = n.parent) {
    if (n.type === 'lambda_expression') return true;
    if (n.startIndex === fn.startIndex && n.endIndex === fn.endIndex) return false;
  }
  return false;
}
