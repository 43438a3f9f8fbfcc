// Values that depend on the path to a call: a conditional expression whose condition is not known
// (`c ? 65536 : 4096`), and a local assigned in the branches of an `if`/`else` or the cases of a `switch` before
// the call. Each path gives a value and the conditions that lead to it ("c is false"); every value stays exact and
// the number of paths is bounded (MAX_PATHS), beyond which the value is unknown with a reason.

import type { Reason } from '../model/reasons.js';
import type { Value } from '../model/types.js';
import type { SyntaxNode } from '../parse/parse.js';
import { tokenize, tokensToText, type Token } from '../text/tokens.js';

/** One path to the call: the value it gives and the conditions that lead to it, outermost first. */
export interface PathValue {
  value: bigint;
  when: string[];
  /** Where the innermost statement condition on the path is written (file offsets); none for `?:` alone. */
  at?: [number, number];
}

export type Paths = { paths: PathValue[] } | { unknown: Reason };

/** Paths followed for one value; more make it unknown. */
export const MAX_PATHS = 16;
/** Nesting of conditionals and assignments followed. */
const MAX_DEPTH = 8;

/** Evaluates tokens written at an offset of the file (names resolved as at that offset). */
export type EvaluateAt = (tokens: readonly Token[], offset: number) => Value;

/** What a statement does to the local followed: nothing, gives its value on each path, or ends every path through it. */
type Effect = 'none' | 'no-path' | Paths;

const JUMP = /\b(return|goto|break|continue|throw|longjmp|_?exit|abort|ExitProcess|__leave)\b/;
const LOOPS = new Set(['for_statement', 'for_range_loop', 'while_statement', 'do_statement']);

export class PathValueFinder {
  constructor(
    private readonly text: string,
    private readonly evaluate: EvaluateAt,
  ) {}

  /** The paths of `tokens` written at `offset` inside `node` (the call whose argument they are). */
  valuesOf(tokens: readonly Token[], offset: number, node: SyntaxNode | undefined, depth = 0): Paths {
    const v = this.evaluate(tokens, offset);
    if (v.known) return { paths: [{ value: v.value, when: [] }] };
    if (depth >= MAX_DEPTH) return { unknown: v.cause };
    const t = stripParens(tokens);
    const split = splitConditional(t);
    if (split) {
      const cond = this.evaluate(split.condition, offset);
      if (cond.known) return this.valuesOf(cond.value !== 0n ? split.whenTrue : split.whenFalse, offset, node, depth + 1);
      const c = tokensToText(split.condition);
      return combine([
        [`${c} is true`, this.valuesOf(split.whenTrue, offset, node, depth + 1)],
        [`${c} is false`, this.valuesOf(split.whenFalse, offset, node, depth + 1)],
      ]);
    }
    // a local assigned on several paths before the call (the name resolver found its last write conditional)
    if (t.length === 1 && t[0]!.kind === 'ident' && node && v.cause.kind === 'assigned-conditionally' && v.cause.name === t[0]!.text) {
      return this.before(t[0]!.text, node, depth + 1);
    }
    return { unknown: v.cause };
  }

  /**
   * The value of a member (`ctx->base`, `s.size`) assigned just before the call: among the assignments without
   * calls right before the call's statement, the last one to `member`; undefined when there is none.
   */
  memberAssignedBefore(member: string, node: SyntaxNode): Value | undefined {
    const want = member.replace(/\s+/g, '');
    let stmt: SyntaxNode | null = node;
    while (stmt?.parent && stmt.parent.type !== 'compound_statement') stmt = stmt.parent;
    for (let s = stmt?.previousNamedSibling; s?.type === 'expression_statement'; s = s.previousNamedSibling) {
      const e = s.namedChildren[0];
      const text = this.text.slice(s.startIndex, s.endIndex);
      // a call may write the member through another pointer; `&` may keep its address
      if (e?.type !== 'assignment_expression' || /[&(]/.test(text.replace(/\(\s*\w+\s*\*?\s*\)/g, ''))) return undefined;
      const left = e.childForFieldName('left');
      const right = e.childForFieldName('right');
      if (!left || !right || left.text.replace(/\s+/g, '') !== want) continue;
      if (this.text.slice(left.endIndex, right.startIndex).trim() !== '=') return undefined;
      return this.evaluate(tokenize(this.text.slice(right.startIndex, right.endIndex)), right.startIndex);
    }
    return undefined;
  }

  /** The values `name` may hold when `node` runs: the statements before it, climbing out of blocks. */
  private before(name: string, node: SyntaxNode, depth: number): Paths {
    const notFollowed = (why: string): Paths => ({ unknown: { kind: 'path-not-followed', name, why } });
    let cur = node;
    for (;;) {
      const parent = cur.parent;
      if (!parent || parent.type === 'function_definition') return notFollowed('its declaration is not before the call');
      if (LOOPS.has(parent.type)) return notFollowed('a loop');
      if (parent.type === 'case_statement' || parent.type === 'labeled_statement') return notFollowed('a label before the call');
      if (parent.type === 'compound_statement') {
        for (let s = cur.previousNamedSibling; s; s = s.previousNamedSibling) {
          if (s.type === 'labeled_statement' || s.type === 'case_statement') return notFollowed('a label before the call');
          const e = this.effect(name, s, depth);
          if (e === 'no-path') return notFollowed('no path reaches the call');
          if (e !== 'none') return e;
        }
      }
      cur = parent;
    }
  }

  /** What running statement `s` leaves in `name`. */
  private effect(name: string, s: SyntaxNode, depth: number): Effect {
    const text = this.text.slice(s.startIndex, s.endIndex);
    if (!new RegExp(`\\b${name}\\b`).test(text)) return 'none';
    if (new RegExp(`&\\s*${name}\\b`).test(text)) return { unknown: { kind: 'address-taken', name } };
    switch (s.type) {
      case 'declaration':
        return this.declared(name, s, depth);
      case 'expression_statement':
        return this.assigned(name, s, depth);
      case 'compound_statement': {
        for (let c = s.lastNamedChild; c; c = c.previousNamedSibling) {
          if (c.type === 'labeled_statement' || c.type === 'case_statement') return { unknown: { kind: 'path-not-followed', name, why: 'a label' } };
          const e = this.effect(name, c, depth);
          if (e !== 'none') return e;
        }
        return 'none';
      }
      case 'if_statement':
        return this.branches(name, s, depth);
      case 'switch_statement':
        return this.cases(name, s, depth);
      default:
        return writes(name, text) ? { unknown: { kind: 'path-not-followed', name, why: `a ${s.type.replace(/_/g, ' ')}` } } : 'none';
    }
  }

  private declared(name: string, s: SyntaxNode, depth: number): Effect {
    for (const d of s.namedChildren) {
      if (d.type === 'identifier' && d.text === name) return { unknown: { kind: 'no-initial-value', name } };
      if (d.type !== 'init_declarator') continue;
      if (d.childForFieldName('declarator')?.text !== name) continue;
      const value = d.childForFieldName('value');
      return value ? this.valueOfNode(value, depth) : { unknown: { kind: 'no-initial-value', name } };
    }
    return 'none';
  }

  private assigned(name: string, s: SyntaxNode, depth: number): Effect {
    const e = s.namedChildren[0];
    const text = this.text.slice(s.startIndex, s.endIndex);
    if (e?.type === 'assignment_expression' && e.childForFieldName('left')?.text === name) {
      const right = e.childForFieldName('right');
      const op = this.text.slice(e.childForFieldName('left')!.endIndex, right?.startIndex).trim();
      if (op !== '=' || !right) return { unknown: { kind: 'modified', name } };
      if (writes(name, this.text.slice(right.startIndex, right.endIndex))) return { unknown: { kind: 'modified', name } };
      return this.valueOfNode(right, depth);
    }
    if (JUMP.test(text) && /^\s*(longjmp|_?exit|abort|ExitProcess)\b/.test(text)) return 'no-path';
    return writes(name, text) ? { unknown: { kind: 'modified', name } } : 'none';
  }

  private valueOfNode(node: SyntaxNode, depth: number): Paths {
    return this.valuesOf(tokenize(this.text.slice(node.startIndex, node.endIndex)), node.startIndex, node, depth + 1);
  }

  /** An `if`: the branch taken decides; a branch that writes nothing leaves the value from before the `if`. */
  private branches(name: string, s: SyntaxNode, depth: number): Effect {
    const condNode = s.childForFieldName('condition');
    const condText = condNode ? this.text.slice(condNode.startIndex, condNode.endIndex) : '';
    if (writes(name, condText)) return { unknown: { kind: 'modified', name } };
    const c = tokensToText(stripParens(tokenize(condText)));
    const consequence = s.childForFieldName('consequence');
    const alt = s.childForFieldName('alternative');
    const alternative = alt?.type === 'else_clause' ? (alt.namedChildren[0] ?? undefined) : (alt ?? undefined);
    const arm = (branch: SyntaxNode | undefined | null): Effect | 'before' => {
      if (!branch) return 'before';
      const e = this.branch(name, branch, depth);
      return e === 'none' ? 'before' : e;
    };
    // a condition known here (`sizeof(void *) == 8`) takes one branch on this target
    const known = condNode ? this.evaluate(stripParens(tokenize(condText)), condNode.startIndex) : undefined;
    if (known?.known) {
      const taken = arm(known.value !== 0n ? consequence : alternative);
      return taken === 'before' ? 'none' : taken;
    }
    const t = arm(consequence);
    const f = arm(alternative);
    if (t === 'before' && f === 'before') return 'none';
    const before = t === 'before' || f === 'before' ? this.before(name, s, depth) : undefined;
    return combineEffects(
      [
        [`${c} is true`, t === 'before' ? before! : t],
        [`${c} is false`, f === 'before' ? before! : f],
      ],
      condNode,
    );
  }

  /** A branch of an `if` or a case's statements: a jump at its end ends the path; one elsewhere is not followed. */
  private branch(name: string, b: SyntaxNode, depth: number, endsWithBreak = false): Effect {
    const last = b.type === 'compound_statement' ? b.lastNamedChild : b;
    const text = this.text.slice(b.startIndex, b.endIndex);
    const body = endsWithBreak && last?.type === 'break_statement' ? text.slice(0, last.startIndex - b.startIndex) : text;
    if (JUMP.test(body)) {
      const jumpsAtEnd = last && /^(return|goto|throw|continue|break)_statement$/.test(last.type) && !JUMP.test(body.slice(0, last.startIndex - b.startIndex));
      if (jumpsAtEnd && !endsWithBreak) return 'no-path';
      return { unknown: { kind: 'path-not-followed', name, why: 'a jump' } };
    }
    return this.effect(name, b, depth);
  }

  /** A `switch` whose cases each end with `break` (or share the statements of the next): each case is a path. */
  private cases(name: string, s: SyntaxNode, depth: number): Effect {
    const condNode = s.childForFieldName('condition');
    const condText = condNode ? this.text.slice(condNode.startIndex, condNode.endIndex) : '';
    if (writes(name, condText)) return { unknown: { kind: 'modified', name } };
    const c = tokensToText(stripParens(tokenize(condText)));
    const body = s.childForFieldName('body');
    const notFollowed: Effect = { unknown: { kind: 'path-not-followed', name, why: 'a switch whose cases fall through' } };
    if (!body) return notFollowed;
    const arms: [string, Effect | 'before'][] = [];
    let labels: string[] = [];
    let hasDefault = false;
    for (const k of body.namedChildren) {
      if (k.type === 'comment') continue;
      if (k.type !== 'case_statement') return notFollowed;
      const value = k.childForFieldName('value');
      if (value) labels.push(this.text.slice(value.startIndex, value.endIndex).trim());
      else hasDefault = true;
      // (by position: the binding may give the case's value as another object than the one in its children)
      const stmts = k.namedChildren.filter((x) => x.startIndex !== value?.startIndex && x.type !== 'comment');
      if (stmts.length === 0) continue;
      const last = stmts[stmts.length - 1]!;
      if (last.type !== 'break_statement' && last.type !== 'return_statement') return notFollowed;
      let e: Effect | 'before' = 'before';
      for (let i = stmts.length - 2; i >= 0 && e === 'before'; i--) {
        const x = this.branch(name, stmts[i]!, depth);
        if (x !== 'none') e = x;
      }
      if (
        JUMP.test(
          stmts
            .slice(0, -1)
            .map((x) => this.text.slice(x.startIndex, x.endIndex))
            .join(' '),
        )
      )
        return notFollowed;
      if (last.type === 'return_statement') e = 'no-path';
      arms.push([hasDefault && !value ? `${c} is not one of the cases` : `${c} is ${labels.join(' or ')}`, e]);
      labels = [];
    }
    if (labels.length) return notFollowed;
    if (!hasDefault) arms.push([`${c} is not one of the cases`, 'before']);
    if (arms.every(([, e]) => e === 'before')) return 'none';
    const before = arms.some(([, e]) => e === 'before') ? this.before(name, s, depth) : undefined;
    return combineEffects(
      arms.map(([w, e]) => [w, e === 'before' ? before! : e]),
      condNode,
    );
  }
}

/** Paths of several arms, each under its condition; unknown when one arm is, or when there are too many. */
function combine(arms: [string, Paths][], at?: [number, number]): Paths {
  const out: PathValue[] = [];
  for (const [when, p] of arms) {
    if ('unknown' in p) return p;
    for (const path of p.paths) {
      const where = path.at ?? at;
      out.push({ value: path.value, when: [when, ...path.when], ...(where ? { at: where } : {}) });
    }
  }
  return out.length > MAX_PATHS ? { unknown: { kind: 'too-many-paths', limit: MAX_PATHS } } : { paths: out };
}

function combineEffects(arms: [string, Effect][], at: SyntaxNode | null): Effect {
  const reached = arms.filter((a): a is [string, Paths] => a[1] !== 'no-path' && a[1] !== 'none');
  return reached.length === 0 ? 'no-path' : combine(reached, at ? [at.startIndex, at.endIndex] : undefined);
}

/** Whether `text` may write `name`: an assignment, `++`/`--`, or its address. */
function writes(name: string, text: string): boolean {
  return new RegExp(`\\b${name}\\s*([-+*/%&|^]|<<|>>)?=(?!=)|\\b${name}\\s*(\\+\\+|--)|(\\+\\+|--)\\s*${name}\\b|&\\s*${name}\\b`).test(text);
}

function stripParens(tokens: readonly Token[]): readonly Token[] {
  let t = tokens;
  while (t.length >= 2 && t[0]!.text === '(' && t[t.length - 1]!.text === ')' && closingOf(t, 0) === t.length - 1) t = t.slice(1, -1);
  return t;
}

function closingOf(t: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < t.length; i++) {
    if (t[i]!.text === '(') depth++;
    else if (t[i]!.text === ')' && --depth === 0) return i;
  }
  return -1;
}

/** `c ? a : b` at the top level of `t` (the conditional binds loosest but for assignment and comma). */
function splitConditional(t: readonly Token[]): { condition: readonly Token[]; whenTrue: readonly Token[]; whenFalse: readonly Token[] } | undefined {
  let depth = 0;
  let question = -1;
  let pending = 0;
  for (let i = 0; i < t.length; i++) {
    const x = t[i]!.text;
    if (x === '(' || x === '[' || x === '{') depth++;
    else if (x === ')' || x === ']' || x === '}') depth--;
    else if (depth === 0 && (x === ',' || /^[-+*/%&|^]?=$|^(<<|>>)=$/.test(x))) return undefined;
    else if (depth === 0 && x === '?') {
      if (question < 0) question = i;
      pending++;
    } else if (depth === 0 && x === ':' && question >= 0 && --pending === 0) {
      return { condition: t.slice(0, question), whenTrue: t.slice(question + 1, i), whenFalse: t.slice(i + 1) };
    }
  }
  return undefined;
}
