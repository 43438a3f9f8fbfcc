// The paths of one function from a reservation to the function's exits, on the syntax tree: does every path
// release the address? The walk follows statements in order with the set of states the address can be in
// (held, or nothing held: released, or never obtained because the call failed), through `if`/`else`,
// `switch`, loops (conservatively: a body may run any number of times), `return`, `goto` to a label,
// `break`/`continue`, `__try`/`__finally`/`__except` and C++ `try`/`catch`. Bounded by the size of the function:
// every statement is walked once per entry state, and a label's continuation once per state.

import { visitAncestors } from '../parse/ancestry.js';
import type { SyntaxNode } from '../parse/parse.js';
import { wordOccurrences } from '../text/occurrences.js';
import { noReturn, settled } from './leaving.js';
import { stripExpression, type ReleaseCall } from './releases.js';

/** The address is held (a path that ends here leaks it). */
const HELD = 1;
/** Nothing is held: released (or lost: a path that loses the address leaks it once). */
const FREE = 2;
/** Nothing is held: the call failed (the address is null, the status a failure). */
const FAILED = 4;
/** Nothing is held, whichever way. */
const NOTHING = FREE | FAILED;

/** Steps one function's walk may take before it gives up (hostile input: generated code with huge functions). */
const MAX_STEPS = 200_000;

/** Text that makes an unparsed region more than straight code: it may leave the function, a loop, or a block. */
const JUMPS_OR_BLOCKS = /[{}]|\b(?:return|goto|break|continue|throw|__leave|longjmp)\b/;

const LOOPS = new Set(['while_statement', 'for_statement', 'for_range_loop', 'do_statement']);
const STATEMENTS = new Set([
  'expression_statement',
  'declaration',
  'return_statement',
  'if_statement',
  'switch_statement',
  'while_statement',
  'for_statement',
  'for_range_loop',
  'do_statement',
  'labeled_statement',
  'compound_statement',
]);

export interface PathQuestion {
  text: string;
  /** The function definition. */
  fn: SyntaxNode;
  /** The names that hold the address (the holder and its local copies). */
  names: ReadonlySet<string>;
  /** The function's release calls (releases.ts's findReleaseCalls), found once per function. */
  releaseCalls: readonly ReleaseCall[];
  /** The function's labels by name, found once per function. */
  labels(): ReadonlyMap<string, SyntaxNode>;
  /** The named children of a block, read once per function (a long body is climbed through for every call in it). */
  childrenOf(block: SyntaxNode): readonly SyntaxNode[];
  /** Which outcome of a condition means nothing is held (the reservation failed): true, false, or neither. */
  failedWhen(cond: SyntaxNode): boolean | undefined;
}

export interface PathAnswer {
  /** Some path reaches an exit of the function, or loses the address, while it is held. */
  leaks: boolean;
  /** The walk could not follow the function (a syntax it does not know, an ERROR, a budget). */
  gaveUp: boolean;
  /**
   * The first place the walk met where the address is lost and every path that reaches it holds the address
   * (none released it, none failed to get it): an assignment that overwrites it, a `return`, or the end of the
   * function. Leaks the walk only suspects are not places: a path joined with one that released the address
   * (the two may not both be possible), an exception handler, a `throw` (a `catch` of the function may take it),
   * a loop's next iteration.
   */
  lost?: LostPlace;
  /** An `if` on a path that holds the address tests whether the call failed (`if (!p)`, `if (!NT_SUCCESS(status))`). */
  tested: boolean;
}

/** Where a path loses the address (offsets in the text): `overwritten` by an assignment, or the function `returns` or `ends`. */
export interface LostPlace {
  how: 'overwritten' | 'returns' | 'ends';
  start: number;
  end: number;
}

interface Frame {
  kind: 'loop' | 'switch' | 'leave';
  breaks: number;
  continues: number;
}

/** Follows the paths from the statement that holds `call` (a node inside `q.fn`) to the function's exits. */
export function followPaths(q: PathQuestion, call: SyntaxNode): PathAnswer {
  const walker = new PathWalker(q);
  const chain = walker.chainTo(call);
  if (!chain) return { leaks: false, gaveUp: true, tested: false };
  walker.start(chain);
  return { leaks: walker.leaks, gaveUp: walker.gaveUp, tested: walker.tested, ...(walker.lost && !walker.gaveUp ? { lost: walker.lost } : {}) };
}

class PathWalker {
  leaks = false;
  gaveUp = false;
  lost?: LostPlace;
  tested = false;
  /** How many exception handlers (`__except`, `catch`) the walk is in: a leak there is only suspected. */
  private handlers = 0;
  private steps = 0;
  private frames: Frame[] = [];
  /** How many `__try` bodies with a releasing `__finally` the walk is in. */
  private finallyDepth = 0;
  private readonly jumps = new Set<string>();

  constructor(private readonly q: PathQuestion) {}

  /**
   * The statements from the function's body down to the innermost statement holding `node`, outermost first;
   * undefined when a lambda or an unparsed region lies between.
   */
  chainTo(node: SyntaxNode): SyntaxNode[] | undefined {
    const all: SyntaxNode[] = [];
    let inside = false;
    let blocked = false;
    visitAncestors(node.tree, node.startIndex, node.endIndex, (at) => {
      if (!inside) {
        inside = at.startIndex === this.q.fn.startIndex && at.endIndex === this.q.fn.endIndex && at.type === this.q.fn.type;
        if (inside) all.push(at.node());
        return;
      }
      if (at.type === 'lambda_expression' || at.type === 'ERROR') blocked = true;
      all.push(at.node());
    });
    if (!inside || blocked) return undefined;
    let last = all.length - 1;
    while (last > 0 && !STATEMENTS.has(all[last]!.type)) last--;
    return last > 0 ? all.slice(0, last + 1) : undefined;
  }

  /** The statement holding the call runs with the address held (its condition branches when it is an `if`). */
  start(chain: SyntaxNode[]): void {
    const statement = chain[chain.length - 1]!;
    const held =
      statement.type === 'if_statement'
        ? this.walk(statement, HELD)
        : statement.type === 'expression_statement' || statement.type === 'declaration'
          ? HELD
          : -1;
    if (held < 0) {
      // a loop's or a switch's header, a return: not a place the address is followed from
      this.gaveUp = true;
      return;
    }
    this.resume(chain, held);
  }

  /** Runs the rest of the function after the last statement of `chain` ended in `state`. */
  private resume(chain: SyntaxNode[], state: number): void {
    const savedFrames = this.frames;
    const savedFinally = this.finallyDepth;
    const frames = new Map<SyntaxNode, Frame>();
    this.frames = [];
    for (let k = 0; k < chain.length - 1; k++) {
      const n = chain[k]!;
      const child = chain[k + 1]!;
      if (LOOPS.has(n.type) && sameNode(n.childForFieldName('body'), child)) this.pushFrame(frames, n, 'loop');
      else if (n.type === 'switch_statement') this.pushFrame(frames, n, 'switch');
      else if (n.type === 'seh_try_statement' && sameNode(n.childForFieldName('body'), child)) {
        this.pushFrame(frames, n, 'leave');
        if (this.finallyReleases(n)) this.finallyDepth++;
      }
    }
    let s = state;
    // (once nothing is held, and no `break` or `continue` out of an enclosing loop or switch holds it either,
    // nothing after can leak: the walk stops there)
    for (let k = chain.length - 1; k >= 1 && (s & HELD || this.heldByJumps()) && !this.gaveUp; k--) {
      s = this.climb(chain[k]!, chain[k - 1]!, s, frames);
    }
    // (the end of the function: its closing brace)
    if (s & HELD && !this.gaveUp && chain[0]!.type === 'function_definition') this.exit(s, chain[0]!.endIndex - 1, chain[0]!.endIndex, 'ends');
    this.frames = savedFrames;
    this.finallyDepth = savedFinally;
  }

  /** A `break` or `continue` taken with the address held waits at an enclosing loop or switch. */
  private heldByJumps(): boolean {
    return this.frames.some((f) => (f.breaks | f.continues) & HELD);
  }

  private pushFrame(frames: Map<SyntaxNode, Frame>, n: SyntaxNode, kind: Frame['kind']): void {
    const frame: Frame = { kind, breaks: 0, continues: 0 };
    frames.set(n, frame);
    this.frames.push(frame);
  }

  /** `node` ended in state `s`: what runs next inside `parent`, and the state when `parent` ends. */
  private climb(node: SyntaxNode, parent: SyntaxNode, s: number, frames: Map<SyntaxNode, Frame>): number {
    switch (parent.type) {
      case 'compound_statement':
      case 'case_statement':
        return this.sequence(
          this.q.childrenOf(parent).filter((c) => c.startIndex >= node.endIndex),
          s,
        );
      case 'function_definition':
      case 'labeled_statement':
      case 'if_statement':
      case 'else_clause':
      case 'seh_finally_clause':
      case 'seh_except_clause':
      case 'catch_clause':
        return s;
      case 'switch_statement': {
        const frame = this.popFrame(frames, parent);
        return s | frame.breaks;
      }
      case 'seh_try_statement': {
        if (!sameNode(parent.childForFieldName('body'), node)) return s;
        const frame = this.popFrame(frames, parent);
        const released = this.finallyReleases(parent);
        if (released) this.finallyDepth--;
        return this.afterTryBody(parent, s | frame.breaks, s | HELD);
      }
      case 'try_statement':
        return sameNode(parent.childForFieldName('body'), node) ? this.afterCatches(parent, s, s | HELD) : s;
      default:
        if (LOOPS.has(parent.type) && sameNode(parent.childForFieldName('body'), node)) {
          const frame = this.popFrame(frames, parent);
          const end = s | frame.continues;
          // the next iteration, or the loop's end, with the address still held: the code that got it runs again
          if (end & HELD) this.leaks = true;
          return (end & NOTHING) | frame.breaks;
        }
        this.gaveUp = true;
        return 0;
    }
  }

  private popFrame(frames: Map<SyntaxNode, Frame>, n: SyntaxNode): Frame {
    const frame = frames.get(n)!;
    this.frames.splice(this.frames.lastIndexOf(frame), 1);
    return frame;
  }

  private sequence(statements: readonly SyntaxNode[], state: number): number {
    let s = state;
    for (let i = 0; i < statements.length; i++) {
      const st = statements[i]!;
      if (this.gaveUp) return 0;
      // nothing held (released, or the path never got it): what follows cannot leak it
      if (!(s & HELD)) return settled(statements.slice(i), s, this.q.text);
      if (st.type === 'comment') continue;
      s = this.walk(st, s);
    }
    return s;
  }

  private exit(s: number, start: number, end: number, how?: LostPlace['how']): void {
    if (s & HELD && this.finallyDepth === 0) this.lose(s, start, end, how);
  }

  /**
   * A path loses the address held in state `s`; a place when every path there holds it, or never got it (see
   * PathAnswer.lost): none of them released it.
   */
  private lose(s: number, start: number, end: number, how: LostPlace['how'] | undefined): void {
    this.leaks = true;
    if (how && !(s & FREE) && this.handlers === 0 && !this.lost) this.lost = { how, start, end };
  }

  /** A jump out of the current construct: a releasing `__finally` on the way releases the address. */
  private jumping(s: number): number {
    return this.finallyDepth > 0 && s & HELD ? (s & ~HELD) | FREE : s;
  }

  private releases(node: SyntaxNode): boolean {
    const { startIndex: start, endIndex: end } = node;
    return this.q.releaseCalls.some((c) => c.start >= start && c.end <= end && this.q.names.has(c.name));
  }

  /** The state after one statement entered in state `s` (0: it does not fall through). */
  private walk(st: SyntaxNode, s: number): number {
    if (++this.steps > MAX_STEPS) this.gaveUp = true;
    if (this.gaveUp) return 0;
    // nothing held: no path from here can leak it
    if (!(s & HELD)) return settled([st], s, this.q.text);
    switch (st.type) {
      case 'compound_statement':
        return this.sequence(this.q.childrenOf(st), s);
      case 'labeled_statement':
        return this.sequence(
          st.namedChildren.filter((c) => c.type !== 'statement_identifier'),
          s,
        );
      case 'case_statement':
        // reached by falling through from the case before
        return this.sequence(
          st.namedChildren.filter((c) => !sameNode(st.childForFieldName('value'), c)),
          s,
        );
      case 'return_statement':
      case 'throw_statement':
        this.exit(this.releases(st) ? FREE : s, st.startIndex, st.endIndex, st.type === 'return_statement' ? 'returns' : undefined);
        return 0;
      case 'if_statement':
        return this.walkIf(st, s);
      case 'goto_statement':
        this.jump(st, this.jumping(s));
        return 0;
      case 'break_statement':
      case 'continue_statement':
        return this.walkBreak(st.type === 'break_statement', s);
      case 'seh_leave_statement': {
        const frame = lastFrame(this.frames, (f) => f.kind === 'leave');
        if (frame) frame.breaks |= s;
        return 0;
      }
      case 'switch_statement':
        return this.walkSwitch(st, s);
      case 'seh_try_statement':
        return this.walkSehTry(st, s);
      case 'try_statement': {
        const body = st.childForFieldName('body');
        const end = body ? this.walk(body, s) : s;
        return this.afterCatches(st, end, s | end);
      }
      case 'ERROR':
        // a statement macro the parser could not place (Wine's `todo_wine ok(...)`): straight code, unless it may jump
        if (JUMPS_OR_BLOCKS.test(this.q.text.slice(st.startIndex, st.endIndex))) {
          this.gaveUp = true;
          return 0;
        }
        return this.walkSimple(st, s);
      default:
        if (LOOPS.has(st.type)) return this.walkLoop(st, s);
        return this.walkSimple(st, s);
    }
  }

  /** An expression statement, a declaration, or anything else that runs straight through. */
  private walkSimple(st: SyntaxNode, s: number): number {
    if (this.releases(st)) return FREE;
    if (noReturn(st, this.q.text)) return 0;
    const overwrite = s & HELD ? this.overwrites(st) : undefined;
    if (overwrite) {
      this.lose(s, overwrite.startIndex, overwrite.endIndex, 'overwritten');
      return (s & ~HELD) | FREE;
    }
    return s;
  }

  /** `p = other`: the assignment where a name holding the address gets another value (not a copy of the address). */
  private overwrites(st: SyntaxNode): SyntaxNode | undefined {
    // (most statements do not name the address: a text search spares the walk of their trees)
    if (![...this.q.names].some((n) => wordOccurrences(this.q.text, n, st.startIndex, st.endIndex - n.length).length > 0)) return undefined;
    const stack = [st];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n.type === 'assignment_expression' && n.childForFieldName('operator')?.type === '=') {
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        if (left?.type === 'identifier' && this.q.names.has(this.q.text.slice(left.startIndex, left.endIndex)) && right && !this.mentions(right)) return n;
      }
      if (n.type !== 'lambda_expression') for (const c of n.namedChildren) stack.push(c);
    }
    return undefined;
  }

  private mentions(node: SyntaxNode): boolean {
    const stack = [node];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n.type === 'identifier' && this.q.names.has(this.q.text.slice(n.startIndex, n.endIndex))) return true;
      for (const c of n.namedChildren) stack.push(c);
    }
    return false;
  }

  private walkIf(st: SyntaxNode, state: number): number {
    const cond = st.childForFieldName('condition');
    let s = state;
    if (cond && this.releases(cond)) s = FREE;
    const failed = cond ? this.q.failedWhen(cond) : undefined;
    if (failed !== undefined) this.tested = true;
    const nothing = (x: number) => (x & HELD ? (x & ~HELD) | FAILED : x);
    const whenTrue = failed === true ? nothing(s) : s;
    const whenFalse = failed === false ? nothing(s) : s;
    const consequence = st.childForFieldName('consequence');
    const alternative = st.childForFieldName('alternative');
    const t = consequence ? this.walk(consequence, whenTrue) : whenTrue;
    const e = alternative ? this.walk(alternative.type === 'else_clause' ? (alternative.namedChildren[0] ?? alternative) : alternative, whenFalse) : whenFalse;
    return t | e;
  }

  private walkBreak(isBreak: boolean, s: number): number {
    const frame = isBreak ? lastFrame(this.frames, (f) => f.kind !== 'leave') : lastFrame(this.frames, (f) => f.kind === 'loop');
    if (!frame) {
      this.gaveUp = true;
      return 0;
    }
    if (isBreak) frame.breaks |= this.jumping(s);
    else frame.continues |= this.jumping(s);
    return 0;
  }

  private walkLoop(st: SyntaxNode, s: number): number {
    const body = st.childForFieldName('body');
    const frame: Frame = { kind: 'loop', breaks: 0, continues: 0 };
    this.frames.push(frame);
    const condition = st.childForFieldName('condition');
    if (condition && this.releases(condition)) s = FREE;
    const end = body ? this.walk(body, s) : s;
    this.frames.pop();
    const again = end | frame.continues;
    if (st.type === 'do_statement') return again | frame.breaks;
    // `for (;;)` and `while (1)` end only by `break`
    if (forever(st, this.q.text)) return frame.breaks;
    return s | again | frame.breaks;
  }

  private walkSwitch(st: SyntaxNode, s: number): number {
    const body = st.childForFieldName('body');
    if (!body) return s;
    const frame: Frame = { kind: 'switch', breaks: 0, continues: 0 };
    this.frames.push(frame);
    let fall = 0;
    let hasDefault = false;
    for (const c of body.namedChildren) {
      if (c.type !== 'case_statement') {
        fall = this.walk(c, fall);
        continue;
      }
      if (!c.childForFieldName('value')) hasDefault = true;
      fall = this.sequence(
        c.namedChildren.filter((x) => !sameNode(c.childForFieldName('value'), x)),
        fall | s,
      );
    }
    this.frames.pop();
    return fall | frame.breaks | (hasDefault ? 0 : s);
  }

  private walkSehTry(st: SyntaxNode, s: number): number {
    const body = st.childForFieldName('body');
    if (!body) return s;
    const frame: Frame = { kind: 'leave', breaks: 0, continues: 0 };
    const released = this.finallyReleases(st);
    this.frames.push(frame);
    if (released) this.finallyDepth++;
    const end = this.walk(body, s) | frame.breaks;
    if (released) this.finallyDepth--;
    this.frames.pop();
    return this.afterTryBody(st, end, s | end | HELD);
  }

  /** After a `__try` body ended in `end`: its `__finally` runs, or its `__except` handler may have (entered in `raised`). */
  private afterTryBody(st: SyntaxNode, end: number, raised: number): number {
    const fin = st.namedChildren.find((c) => c.type === 'seh_finally_clause');
    const finBody = fin?.childForFieldName('body') ?? fin?.namedChildren.find((c) => c.type === 'compound_statement');
    if (finBody) return this.walk(finBody, end);
    const handler = st.namedChildren.find((c) => c.type === 'seh_except_clause');
    const handlerBody = handler?.childForFieldName('body') ?? handler?.namedChildren.find((c) => c.type === 'compound_statement');
    return handlerBody ? end | this.inHandler(() => this.walk(handlerBody, raised)) : end;
  }

  private afterCatches(st: SyntaxNode, end: number, raised: number): number {
    let s = end;
    for (const c of st.namedChildren) if (c.type === 'catch_clause') s |= this.inHandler(() => this.walk(c.childForFieldName('body') ?? c, raised));
    return s;
  }

  /** A handler runs when the code before it raised, at a point the walk does not know: its leaks are only suspected. */
  private inHandler(walk: () => number): number {
    this.handlers++;
    const s = walk();
    this.handlers--;
    return s;
  }

  /** Whether a `__try`'s `__finally` releases the address on every path through it. */
  private finallyReleases(st: SyntaxNode): boolean {
    const fin = st.namedChildren.find((c) => c.type === 'seh_finally_clause');
    const body = fin?.childForFieldName('body') ?? fin?.namedChildren.find((c) => c.type === 'compound_statement');
    if (!body) return false;
    const { leaks, lost } = this;
    const frames = this.frames;
    this.frames = [];
    const end = this.walk(body, HELD);
    this.frames = frames;
    const releases = end !== 0 && !(end & HELD) && this.leaks === leaks;
    this.leaks = leaks;
    this.lost = lost;
    return releases;
  }

  /** `goto label`: the label's statement and the rest of the function after it, once per state. */
  private jump(st: SyntaxNode, s: number): void {
    const label = st.childForFieldName('label');
    const name = label ? this.q.text.slice(label.startIndex, label.endIndex) : '';
    const target = this.labelled(name);
    if (!target) {
      this.gaveUp = true;
      return;
    }
    const key = `${name}\0${s}`;
    if (this.jumps.has(key)) return;
    this.jumps.add(key);
    const chain = this.chainTo(target);
    if (!chain || chain[chain.length - 1]!.startIndex !== target.startIndex) {
      this.gaveUp = true;
      return;
    }
    // the label's own statement runs first, inside the loops around it; then the rest of the function
    this.resume(chain, this.walkLabelled(chain, target, s));
  }

  private walkLabelled(chain: SyntaxNode[], target: SyntaxNode, s: number): number {
    const frames = new Map<SyntaxNode, Frame>();
    const saved = this.frames;
    this.frames = [];
    for (const n of chain.slice(0, -1)) {
      if (LOOPS.has(n.type)) this.pushFrame(frames, n, 'loop');
      else if (n.type === 'switch_statement') this.pushFrame(frames, n, 'switch');
    }
    // a break or continue right under the label leaves the loop around it: followed conservatively as a leak
    const end = this.walk(target, s);
    const lost = this.frames.some((f) => (f.breaks | f.continues) & HELD);
    if (lost) this.leaks = true;
    this.frames = saved;
    return end;
  }

  private labelled(name: string): SyntaxNode | undefined {
    return this.q.labels().get(name);
  }
}

function lastFrame(frames: readonly Frame[], test: (f: Frame) => boolean): Frame | undefined {
  for (let i = frames.length - 1; i >= 0; i--) if (test(frames[i]!)) return frames[i];
  return undefined;
}

function sameNode(a: SyntaxNode | null | undefined, b: SyntaxNode): boolean {
  return !!a && a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;
}

/** `for (;;)`, `while (1)`, `while (TRUE)`, `while (true)`. */
function forever(st: SyntaxNode, text: string): boolean {
  if (st.type === 'for_statement') return !st.childForFieldName('condition');
  if (st.type !== 'while_statement') return false;
  const cond = st.childForFieldName('condition');
  if (!cond) return false;
  const inner = cond.type === 'condition_clause' ? cond.childForFieldName('value') : cond;
  if (!inner) return false;
  const value = text.slice(stripExpression(inner).startIndex, stripExpression(inner).endIndex);
  return value === '1' || value === 'TRUE' || value === 'true';
}

/** The labels of a function (`cleanup:`), by name; not those inside its lambdas. */
export function findLabels(fn: SyntaxNode, text: string): Map<string, SyntaxNode> {
  const labels = new Map<string, SyntaxNode>();
  // (only a `goto` reaches a label: a function without one needs no walk)
  if (!/\bgoto\b/.test(text.slice(fn.startIndex, fn.endIndex))) return labels;
  const stack = [fn];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'labeled_statement') {
      const l = n.childForFieldName('label');
      if (l) labels.set(text.slice(l.startIndex, l.endIndex), n);
    }
    if (n.type !== 'lambda_expression') for (const c of n.namedChildren) stack.push(c);
  }
  return labels;
}
