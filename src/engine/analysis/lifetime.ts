// The lifetime of a reservation or a view inside the function that makes it: *transient* when every path from
// the call to the function's exits releases the address, *escapes* when the address is stored outside the
// function (a global, a field, an out-parameter, a return value, an element of an array or container that is
// not local), *unknown* otherwise. The address is followed from what holds it after the call: the variable the
// call's result is assigned to, or (NtAllocateVirtualMemory) the variable whose address the call writes to;
// local copies of it are followed too. The paths are lifetime-paths.ts's; releases, releases.ts's.

import { hasErrorAncestor } from '../parse/ancestry.js';
import type { SyntaxNode } from '../parse/parse.js';
import { wordOccurrences } from '../text/occurrences.js';
import type { CallSite, FreedAddress, Lifetime, LifetimeReason, LostAddress } from './facts.js';
import type { FileIndex } from './file-index.js';
import { findLabels, followPaths, type PathAnswer } from './lifetime-paths.js';
import { findReleaseCalls, findReleaseWrappers, RELEASE_API_NAMES, stripExpression, type ReleaseCall, type ReleaseWrappers } from './releases.js';
import { provablyLost } from './lost-address.js';
import { functionName, isDeclaredHere, isInClass, sameNode, truncate } from './syntax.js';

type EscapeReason = Exclude<LifetimeReason, 'released' | 'not-held' | 'leaked-on-a-path' | 'not-followed' | 'entry-point'>;

/** Where the address escapes: why, and what it is stored in as the code writes it (Lifetime.to). */
interface Escape {
  reason: EscapeReason;
  to?: string;
}

/** What holds the address right after the call. */
type Holder =
  | { kind: 'name'; name: string }
  /** `name`: the global variable the address is stored in, when it is one (its release is followed too). */
  | { kind: 'escapes'; reason: EscapeReason; name?: string; to?: string }
  | { kind: 'none' };

/** Names a function's copies of the address may take before the search stops (hostile input). */
const MAX_ALIASES = 32;

/** Functions that run as long as the program does. */
const ENTRY_POINTS = new Set(['main', 'wmain', '_tmain', 'WinMain', 'wWinMain', '_tWinMain']);

const CONTAINER_INSERTS = new Set(['push_back', 'emplace_back', 'push_front', 'emplace_front', 'insert', 'emplace', 'push', 'Add', 'Append', 'append']);
const NULLS = /^(?:0+[uUlL]*|NULL|nullptr|STATUS_SUCCESS|S_OK)$/;

/**
 * Calls that never release a reservation given to them: commits, protection changes, queries. (Any other free
 * call counts as a possible release: its free type may be a MEM_RELEASE the analysis cannot read.)
 */
const KEEPS_THE_RESERVATION = /^(?:VirtualAlloc(?:Ex)?|VirtualProtect(?:Ex)?|VirtualQuery(?:Ex)?|VirtualLock|VirtualUnlock)$/;

/** Whether a call of `callee` keeps the reservation it is given: a memory API that does not free, or a plain decommit. */
function keepsTheReservation(call: SyntaxNode, callee: string, text: string): boolean {
  if (KEEPS_THE_RESERVATION.test(callee)) return true;
  const freeType = callee === 'VirtualFree' ? 2 : callee === 'VirtualFreeEx' ? 3 : undefined;
  if (freeType === undefined) return false;
  const arg = call.childForFieldName('arguments')?.namedChildren.filter((c) => c.type !== 'comment')[freeType];
  return !!arg && DECOMMIT_ONLY.test(text.slice(arg.startIndex, arg.endIndex).trim());
}

const DECOMMIT_ONLY = /^(?:MEM_DECOMMIT|0x0*4000[uUlL]*|16384[uUlL]*)$/;

/** The lifetimes of one file's calls, remembered per call site (a wrapper's body is asked for each caller). */
export class Lifetimes {
  private readonly memo = new Map<string, Lifetime>();
  private readonly locals = new Map<string, boolean>();
  /** Per function (by its start): its release calls and its labels, shared by the calls in it. */
  private readonly releaseCalls = new Map<number, ReleaseCall[]>();
  private readonly labels = new Map<number, Map<string, SyntaxNode>>();
  private readonly children = new Map<string, readonly SyntaxNode[]>();
  private readonly copies = new Map<string, { names: Set<string>; escapes: Escape[] }>();
  private wrappers?: ReleaseWrappers;

  constructor(private readonly index: FileIndex) {}

  /** The lifetime of the address a call returns (an API that returns it, a wrapper that passes it on). */
  ofReturned(site: CallSite): Lifetime {
    return this.remember(`r${site.start}`, () => this.follow(site, (call) => this.holderOfResult(call), false));
  }

  /** The lifetime of the address a call writes through its argument `arg` (`NtAllocateVirtualMemory(h, &base, ...)`). */
  ofWritten(site: CallSite, arg: number): Lifetime {
    return this.remember(`w${site.start}:${arg}`, () =>
      this.follow(
        site,
        (call, fn) => {
          const a = call.childForFieldName('arguments')?.namedChildren.filter((c) => c.type !== 'comment')[arg];
          return a ? this.holderOfPointer(a, fn) : { kind: 'none' };
        },
        true,
      ),
    );
  }

  /**
   * The local a free call passes as its address argument `arg` (`VirtualFree(p, ...)`), and whether any call of
   * its function releases that local or a copy of it (MEM_RELEASE, a release wrapper); undefined for anything else.
   */
  freed(site: CallSite, arg: number): FreedAddress | undefined {
    const call = site.node;
    if (!call || call.type !== 'call_expression') return undefined;
    const fn = this.index.enclosingFunction(site.start);
    if (!fn || fn.type !== 'function_definition') return undefined;
    const a = call.childForFieldName('arguments')?.namedChildren.filter((c) => c.type !== 'comment')[arg];
    const n = a ? stripExpression(a) : undefined;
    if (n?.type !== 'identifier') return undefined;
    const name = this.index.parsedText.slice(n.startIndex, n.endIndex);
    if (!this.isLocal(fn, name)) return undefined;
    const { names } = this.copiesOf(name, fn);
    const released = this.releaseCallsOf(fn).some((r) => names.has(r.name)) || [...names].some((n) => this.passedOn(n, fn, call));
    return { name, releasedInFunction: released };
  }

  /**
   * Whether a call of the function other than `free` itself and the memory APIs that keep a reservation gets
   * `name` as an argument: a macro or a function of another file may release it, so a decommit of it is not
   * provably left unreleased.
   */
  private passedOn(name: string, fn: SyntaxNode, free: SyntaxNode): boolean {
    const text = this.index.parsedText;
    for (const at of wordOccurrences(text, name, fn.startIndex, fn.endIndex - name.length)) {
      let n: SyntaxNode | null = fn.descendantForIndex(at, at + name.length);
      while (n?.parent && (n.parent.type === 'parenthesized_expression' || n.parent.type === 'cast_expression')) n = n.parent;
      const call = n?.parent?.type === 'argument_list' ? n.parent.parent : null;
      if (call?.type !== 'call_expression' || sameNode(call, free)) continue;
      const callee = call.childForFieldName('function');
      if (!callee || !keepsTheReservation(call, text.slice(callee.startIndex, callee.endIndex), text)) return true;
    }
    return false;
  }

  private remember(key: string, compute: () => Lifetime): Lifetime {
    let lifetime = this.memo.get(key);
    if (!lifetime) this.memo.set(key, (lifetime = compute()));
    return lifetime;
  }

  private follow(site: CallSite, holderOf: (call: SyntaxNode, fn: SyntaxNode) => Holder, byStatus: boolean): Lifetime {
    const call = site.node;
    if (!call || call.type !== 'call_expression') return { kind: 'unknown', reason: 'not-followed' };
    const fn = this.index.enclosingFunction(site.start);
    // at file scope, the initializer of a global; in code the parser could not place, or a lambda, not followed
    if (!fn) return hasErrorAncestor(call) ? { kind: 'unknown', reason: 'not-followed' } : { kind: 'escapes', reason: 'global' };
    if (fn.type !== 'function_definition') return { kind: 'unknown', reason: 'not-followed' };
    const holder = holderOf(call, fn);
    if (holder.kind === 'none') return { kind: 'unknown', reason: 'not-held' };
    if (holder.kind === 'escapes' && !holder.name) return { kind: 'escapes', reason: holder.reason, ...(holder.to ? { to: holder.to } : {}) };
    // a global that holds the address and is released on every path before the function returns holds nothing
    // after it (php's opcache maps a view into a global, reads it and unmaps it)
    const { names, escapes } =
      holder.kind === 'escapes' ? { names: new Set([holder.name!]), escapes: [{ reason: holder.reason, to: holder.name }] } : this.copiesOf(holder.name, fn);
    const holderName = holder.name!;
    const text = this.index.parsedText;
    const status = byStatus ? this.statusHolder(call, fn) : undefined;
    const answer = followPaths(
      {
        text,
        fn,
        names,
        releaseCalls: this.releaseCallsOf(fn),
        labels: () => this.labelsOf(fn),
        childrenOf: (block) => this.childrenOf(block),
        failedWhen: (cond) =>
          failedWhen(cond, text, byStatus ? (n) => sameNode(n, call) || (!!status && isName(n, status, text)) : (n) => isNameIn(n, names, text), byStatus),
      },
      call,
    );
    if (!answer.gaveUp && !answer.leaks) {
      // the program's entry point runs as long as the program: what it releases before returning stays that long
      if (ENTRY_POINTS.has(functionName(fn, text) ?? '')) return { kind: 'unknown', reason: 'entry-point', holder: holderName };
      return { kind: 'transient', reason: 'released', holder: holderName };
    }
    if (escapes.length > 0) return { kind: 'escapes', reason: escapes[0]!.reason, holder: holderName, ...(escapes[0]!.to ? { to: escapes[0]!.to } : {}) };
    if (answer.gaveUp) return { kind: 'unknown', reason: 'not-followed', holder: holderName };
    const lost = holder.kind === 'name' && names.size === 1 ? this.lostAddress(answer, holderName, call, fn) : undefined;
    return { kind: 'unknown', reason: 'leaked-on-a-path', holder: holderName, ...(lost ? { lost } : {}) };
  }

  /** Where a path provably loses the address a local holds (lost-address.ts); undefined when anything is in doubt. */
  private lostAddress(answer: PathAnswer, holder: string, call: SyntaxNode, fn: SyntaxNode): LostAddress | undefined {
    const place = answer.lost;
    // (the program's entry point returns into the end of the process)
    if (!place || ENTRY_POINTS.has(functionName(fn, this.index.parsedText) ?? '')) return undefined;
    const question = { text: this.index.parsedText, fn, holder, call, releaseCalls: this.releaseCallsOf(fn), labels: this.labelsOf(fn), tested: answer.tested };
    return provablyLost(question) ? { how: place.how, range: this.index.range(place.start, place.end) } : undefined;
  }

  /** The names whose bodies the lifetimes depend on: the release APIs and the file's release wrappers. */
  releasers(): string[] {
    return [...RELEASE_API_NAMES, ...this.releaseWrappers().keys()];
  }

  private releaseCallsOf(fn: SyntaxNode): ReleaseCall[] {
    let calls = this.releaseCalls.get(fn.startIndex);
    if (!calls) this.releaseCalls.set(fn.startIndex, (calls = findReleaseCalls(fn, this.index.parsedText, this.releaseWrappers())));
    return calls;
  }

  private childrenOf(block: SyntaxNode): readonly SyntaxNode[] {
    const key = `${block.startIndex}:${block.endIndex}:${block.type}`;
    let children = this.children.get(key);
    if (!children) this.children.set(key, (children = block.namedChildren));
    return children;
  }

  private labelsOf(fn: SyntaxNode): Map<string, SyntaxNode> {
    let labels = this.labels.get(fn.startIndex);
    if (!labels) this.labels.set(fn.startIndex, (labels = findLabels(fn, this.index.parsedText)));
    return labels;
  }

  private releaseWrappers(): ReleaseWrappers {
    const { index } = this;
    // the index's occurrences, not a search of the whole text: the language server moves them over an edit ('scoped':
    // a release's name is no name lookup, and the windows of a large file learn nothing from it)
    return (this.wrappers ??= findReleaseWrappers(
      index.parsedText,
      (offset) => index.enclosingFunction(offset),
      (name) => index.occurrencesOf(name, 'scoped'),
    ));
  }

  private isLocal(fn: SyntaxNode, name: string): boolean {
    const key = `${fn.startIndex}:${name}`;
    let local = this.locals.get(key);
    if (local === undefined) this.locals.set(key, (local = declaresLocal(fn, name, this.index.parsedText)));
    return local;
  }

  /** Where the value of `call` goes: `p = call`, `T *p = call`, `return call`, `g->f = call`. */
  private holderOfResult(call: SyntaxNode, arithmetic = false): Holder {
    const { node, parent } = climbValue(call, arithmetic);
    if (!parent) return { kind: 'none' };
    const text = this.index.parsedText;
    if (parent.type === 'return_statement') return { kind: 'escapes', reason: 'returned' };
    if (parent.type === 'assignment_expression' && sameNode(parent.childForFieldName('right'), node)) {
      const left = parent.childForFieldName('left');
      return left && isPlainAssignment(parent) ? this.holderOfTarget(left, this.index.enclosingFunction(call.startIndex)!) : { kind: 'none' };
    }
    if (parent.type === 'init_declarator' && sameNode(parent.childForFieldName('value'), node)) {
      const declaration = parent.parent;
      const name = declaredName(parent.childForFieldName('declarator'));
      if (declaration && isStaticDeclaration(declaration, text)) return { kind: 'escapes', reason: 'static', ...(name ? { to: written(name, text) } : {}) };
      return name ? { kind: 'name', name: text.slice(name.startIndex, name.endIndex) } : { kind: 'none' };
    }
    return { kind: 'none' };
  }

  /** `&base`, `&ctx->base`, `base_out`: what a call writes the address into. */
  private holderOfPointer(arg: SyntaxNode, fn: SyntaxNode): Holder {
    const n = stripExpression(arg);
    const text = this.index.parsedText;
    if (n.type === 'pointer_expression' && text.slice(n.startIndex, n.endIndex).trimStart().startsWith('&')) {
      const target = n.childForFieldName('argument');
      return target ? this.holderOfTarget(target, fn) : { kind: 'none' };
    }
    // a pointer the function was given: the caller's variable receives the address
    if (n.type === 'identifier' && isParameter(fn, text.slice(n.startIndex, n.endIndex), text))
      return { kind: 'escapes', reason: 'out-parameter', to: written(n, text) };
    return { kind: 'none' };
  }

  /** What an assignment to `target` stores the address in. */
  private holderOfTarget(target: SyntaxNode, fn: SyntaxNode): Holder {
    const t = stripExpression(target);
    const text = this.index.parsedText;
    switch (t.type) {
      case 'identifier': {
        const name = text.slice(t.startIndex, t.endIndex);
        if (this.isLocal(fn, name)) return isStaticLocal(fn, name, text) ? { kind: 'escapes', reason: 'static', to: name } : { kind: 'name', name };
        // a name the function does not declare: a global, or in a method a member
        return isMethod(fn, text) ? { kind: 'escapes', reason: 'field', to: name } : { kind: 'escapes', reason: 'global', name, to: name };
      }
      case 'field_expression': {
        const object = t.childForFieldName('argument');
        const arrow =
          t.childForFieldName('operator')?.type === '->' ||
          /->/.test(text.slice(object?.endIndex ?? t.startIndex, t.childForFieldName('field')?.startIndex ?? t.endIndex));
        if (!object) return { kind: 'none' };
        if (arrow || object.type === 'this') return { kind: 'escapes', reason: 'field', to: written(t, text) };
        const inner = this.holderOfTarget(object, fn);
        // a field of a local structure: followed no further (nor a field of a global: only the global itself)
        return inner.kind === 'escapes' ? { kind: 'escapes', reason: inner.reason, to: written(t, text) } : { kind: 'none' };
      }
      case 'pointer_expression':
        return { kind: 'escapes', reason: 'out-parameter', to: written(t, text) };
      case 'subscript_expression': {
        const array = t.childForFieldName('argument');
        const inner = array ? this.holderOfTarget(array, fn) : ({ kind: 'none' } as Holder);
        return inner.kind === 'escapes' ? { kind: 'escapes', reason: 'element', to: written(t, text) } : { kind: 'none' };
      }
      default:
        return { kind: 'none' };
    }
  }

  /** `status = NtAllocateVirtualMemory(...)`: the local that holds the call's status, tested for failure. */
  private statusHolder(call: SyntaxNode, fn: SyntaxNode): string | undefined {
    const h = this.holderOfResult(call);
    return h.kind === 'name' && this.isLocal(fn, h.name) ? h.name : undefined;
  }

  /** The local copies of the address (`q = p`, `T *q = (T *)p`) and where the address escapes the function. */
  private copiesOf(name: string, fn: SyntaxNode): { names: Set<string>; escapes: Escape[] } {
    // (a function that reuses one variable for many reservations asks for it once)
    const key = `${fn.startIndex}:${name}`;
    let copies = this.copies.get(key);
    if (!copies) this.copies.set(key, (copies = this.findCopies(name, fn)));
    return copies;
  }

  private findCopies(name: string, fn: SyntaxNode): { names: Set<string>; escapes: Escape[] } {
    const names = new Set([name]);
    const escapes: Escape[] = [];
    const queue = [name];
    const text = this.index.parsedText;
    while (queue.length > 0 && names.size <= MAX_ALIASES) {
      const current = queue.pop()!;
      for (const at of wordOccurrences(text, current, fn.startIndex, fn.endIndex)) {
        const id = fn.descendantForIndex(at, at + current.length);
        if (id.type !== 'identifier' || id.startIndex !== at) continue;
        const use = this.useOf(id, fn);
        if (use.kind === 'escapes') escapes.push({ reason: use.reason, ...(use.to ? { to: use.to } : {}) });
        else if (use.kind === 'name' && !names.has(use.name)) {
          names.add(use.name);
          queue.push(use.name);
        }
      }
    }
    return { names, escapes };
  }

  /** Where one occurrence of a name holding the address sends it. */
  private useOf(id: SyntaxNode, fn: SyntaxNode): Holder {
    const { node, parent } = climbValue(id, true);
    if (!parent) return { kind: 'none' };
    if (parent.type === 'return_statement') return { kind: 'escapes', reason: 'returned' };
    if (parent.type === 'assignment_expression' || parent.type === 'init_declarator') {
      if (parent.type === 'assignment_expression' && !sameNode(parent.childForFieldName('right'), node)) return { kind: 'none' };
      if (parent.type === 'init_declarator' && !sameNode(parent.childForFieldName('value'), node)) return { kind: 'none' };
      return this.holderOfResult(id, true);
    }
    if (parent.type === 'argument_list') return this.containerInsert(parent, fn);
    return { kind: 'none' };
  }

  /** `list.push_back(p)`, `g_pages->Add(p)`: an element of a container that is not local. */
  private containerInsert(args: SyntaxNode, fn: SyntaxNode): Holder {
    const call = args.parent;
    const callee = call?.childForFieldName('function');
    if (callee?.type !== 'field_expression') return { kind: 'none' };
    const field = callee.childForFieldName('field');
    const text = this.index.parsedText;
    if (!field || !CONTAINER_INSERTS.has(text.slice(field.startIndex, field.endIndex))) return { kind: 'none' };
    const object = callee.childForFieldName('argument');
    const holder = object ? this.holderOfTarget(object, fn) : ({ kind: 'none' } as Holder);
    return holder.kind === 'escapes' || object?.type === 'field_expression'
      ? { kind: 'escapes', reason: 'element', to: written(object!, text) }
      : { kind: 'none' };
  }
}

/** What the code writes for a place the address is stored in (`a->base`, `*out`, `g_table[i]`), short. */
function written(node: SyntaxNode, text: string): string {
  return truncate(text.slice(node.startIndex, node.endIndex).replace(/\s+/g, ' '), MAX_WRITTEN);
}

/** (A place printed in a message: longer ones are cut.) */
const MAX_WRITTEN = 40;

/** Up from a value through parentheses, casts and pointer arithmetic (`(char *)p + 16`): the node and what uses it. */
function climbValue(start: SyntaxNode, arithmetic = false): { node: SyntaxNode; parent: SyntaxNode | null } {
  let node = start;
  let parent = node.parent;
  while (
    parent &&
    (parent.type === 'parenthesized_expression' ||
      parent.type === 'cast_expression' ||
      (arithmetic && parent.type === 'binary_expression' && /^[+-]$/.test(parent.childForFieldName('operator')?.type ?? '')) ||
      (arithmetic && parent.type === 'conditional_expression' && !sameNode(parent.childForFieldName('condition'), node)))
  ) {
    node = parent;
    parent = node.parent;
  }
  return { node, parent };
}

/** Whether the function declares `name` (a local or a parameter): any declarator of a declaration, `char *a, *b`. */
function declaresLocal(fn: SyntaxNode, name: string, text: string): boolean {
  for (const at of wordOccurrences(text, name, fn.startIndex, fn.endIndex)) {
    const node = fn.descendantForIndex(at, at + name.length);
    if (node.type === 'identifier' && node.startIndex === at && isDeclaredHere(node)) return true;
  }
  return false;
}

function isPlainAssignment(assignment: SyntaxNode): boolean {
  return assignment.childForFieldName('operator')?.type === '=';
}

function declaredName(declarator: SyntaxNode | null): SyntaxNode | undefined {
  let d = declarator;
  while (d && d.type !== 'identifier') d = d.childForFieldName('declarator');
  return d ?? undefined;
}

function isStaticDeclaration(declaration: SyntaxNode, text: string): boolean {
  return declaration.children.some((c) => c.type === 'storage_class_specifier' && text.slice(c.startIndex, c.endIndex) === 'static');
}

/** A `static` local keeps the address after the function returns. */
function isStaticLocal(fn: SyntaxNode, name: string, text: string): boolean {
  const body = fn.childForFieldName('body');
  if (!body) return false;
  const re = new RegExp(`\\bstatic\\b[^;{}()]*\\b${name.replace(/\$/g, '\\$')}\\b`);
  return re.test(text.slice(body.startIndex, body.endIndex));
}

function isParameter(fn: SyntaxNode, name: string, text: string): boolean {
  let d: SyntaxNode | null = fn.childForFieldName('declarator');
  while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
  const params = d?.childForFieldName('parameters');
  return !!params && new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\b`).test(text.slice(params.startIndex, params.endIndex));
}

function isMethod(fn: SyntaxNode, text: string): boolean {
  return (functionName(fn, text) ?? '').includes('::') || isInClass(fn);
}

function isName(node: SyntaxNode, name: string, text: string): boolean {
  return node.type === 'identifier' && text.slice(node.startIndex, node.endIndex) === name;
}

function isNameIn(node: SyntaxNode, names: ReadonlySet<string>, text: string): boolean {
  if (node.type === 'identifier') return names.has(text.slice(node.startIndex, node.endIndex));
  // `(p = VirtualAlloc(...))` tested in place
  if (node.type === 'assignment_expression') {
    const left = node.childForFieldName('left');
    return !!left && left.type === 'identifier' && names.has(text.slice(left.startIndex, left.endIndex));
  }
  return false;
}

/**
 * Which outcome of an `if` condition means nothing is held. `subject` says whether a node is what the test is
 * about: the address (`!p`, `p == NULL`, `p`), or with `byStatus` the status of the call (`status`,
 * `!NT_SUCCESS(status)`, `status != STATUS_SUCCESS`), which is non-zero when the call failed.
 */
function failedWhen(condition: SyntaxNode, text: string, subject: (n: SyntaxNode) => boolean, byStatus: boolean): boolean | undefined {
  let c: SyntaxNode | null = condition.type === 'condition_clause' ? condition.childForFieldName('value') : condition;
  if (!c) return undefined;
  let truthy = true;
  // `truthy`: whether the condition is true exactly when the subject is non-zero
  for (;;) {
    c = stripExpression(c);
    if (c.type === 'unary_expression' && c.childForFieldName('operator')?.type === '!') {
      truthy = !truthy;
      c = c.childForFieldName('argument');
      if (!c) return undefined;
      continue;
    }
    break;
  }
  let status = byStatus;
  if (c.type === 'binary_expression') {
    const op = c.childForFieldName('operator')?.type;
    const left = c.childForFieldName('left');
    const right = c.childForFieldName('right');
    if (!left || !right || (op !== '==' && op !== '!=')) return undefined;
    const isNull = (n: SyntaxNode) => NULLS.test(text.slice(stripExpression(n).startIndex, stripExpression(n).endIndex));
    const other = isNull(right) ? left : isNull(left) ? right : undefined;
    if (!other) return undefined;
    if (op === '==') truthy = !truthy;
    c = stripExpression(other);
  } else if (
    byStatus &&
    c.type === 'call_expression' &&
    /^NT_SUCCESS$/.test(text.slice(c.childForFieldName('function')?.startIndex ?? 0, c.childForFieldName('function')?.endIndex ?? 0))
  ) {
    // NT_SUCCESS(status) is true when the call succeeded: the subject is then success, not failure
    const arg = c.childForFieldName('arguments')?.namedChildren[0];
    if (!arg) return undefined;
    c = stripExpression(arg);
    status = false;
  }
  if (!subject(c)) return undefined;
  // the address: nothing held when it is zero; a status: nothing held when it is non-zero
  return status ? truthy : !truthy;
}
