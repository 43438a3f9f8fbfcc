// MSBuild conditions, the subset real projects use: quoted strings and bare words, `==` and `!=` (case-insensitive,
// as MSBuild compares), `!`, `and`, `or`, parentheses, `Exists('path')` and `HasTrailingSlash('path')`. Anything
// else (`<` on versions, property functions, other functions) is unknown, with the reason; so is a comparison of
// a value that contains an unknown property. `and`/`or` keep three-valued logic: `false and unknown` is false.

import { expand, isKnown, unknownParts, type ExpandContext, type UnknownPart } from './expand.js';

export type ConditionResult = { value: boolean } | { value: undefined; unknown: UnknownPart[]; unsupported?: string };

export interface ConditionContext extends ExpandContext {
  /** Whether a path (already expanded, relative to the project) names an existing file or directory. */
  exists(path: string): boolean;
}

type Token = { kind: 'string'; text: string } | { kind: 'word'; text: string } | { kind: 'op'; text: string };

/** Longer than any real condition; a longer one is unknown rather than parsed. */
const MAX_CONDITION = 4096;

export function evaluateCondition(condition: string, context: ConditionContext): ConditionResult {
  if (condition.trim() === '') return { value: true };
  if (condition.length > MAX_CONDITION) return unsupported(`a condition of ${condition.length} characters`);
  const tokens = tokenize(condition);
  if (!tokens) return unsupported(condition);
  const parser = new Parser(tokens, context);
  try {
    const result = parser.or();
    if (!parser.done()) return unsupported(condition);
    return result;
  } catch (e) {
    if (e instanceof Unsupported) return unsupported(condition);
    throw e;
  }
}

class Unsupported extends Error {}

function unsupported(text: string): ConditionResult {
  return { value: undefined, unknown: [], unsupported: text };
}

function tokenize(text: string): Token[] | undefined {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) i++;
    else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return undefined;
      tokens.push({ kind: 'string', text: text.slice(i + 1, end) });
      i = end + 1;
    } else if (/[=!<>]/.test(c)) {
      const two = text.slice(i, i + 2);
      const op = ['==', '!=', '<=', '>='].includes(two) ? two : c;
      if (op === '=') return undefined;
      tokens.push({ kind: 'op', text: op });
      i += op.length;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: 'op', text: c });
      i++;
    } else if (c === '$' || c === '@' || c === '%') {
      // an unquoted property reference: up to its closing parenthesis
      const m = /^[$@%]\([^()]*\)/.exec(text.slice(i));
      if (!m) return undefined;
      tokens.push({ kind: 'string', text: m[0] });
      i += m[0].length;
    } else {
      const m = /^[\w.\\/:-]+/.exec(text.slice(i));
      if (!m) return undefined;
      tokens.push({ kind: 'word', text: m[0] });
      i += m[0].length;
    }
  }
  return tokens;
}

class Parser {
  private at = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly context: ConditionContext,
  ) {}

  done(): boolean {
    return this.at === this.tokens.length;
  }

  or(): ConditionResult {
    let left = this.and();
    while (this.isWord('or')) {
      this.at++;
      const right = this.and();
      left =
        left.value === true || right.value === true
          ? { value: true }
          : left.value === false && right.value === false
            ? { value: false }
            : unknownOf(left, right);
    }
    return left;
  }

  private and(): ConditionResult {
    let left = this.comparison();
    while (this.isWord('and')) {
      this.at++;
      const right = this.comparison();
      left =
        left.value === false || right.value === false
          ? { value: false }
          : left.value === true && right.value === true
            ? { value: true }
            : unknownOf(left, right);
    }
    return left;
  }

  private comparison(): ConditionResult {
    const t = this.tokens[this.at];
    if (t?.kind === 'op' && t.text === '!') {
      this.at++;
      const inner = this.comparison();
      return inner.value === undefined ? inner : { value: !inner.value };
    }
    if (t?.kind === 'op' && t.text === '(') {
      this.at++;
      const inner = this.or();
      this.expect(')');
      return inner;
    }
    const left = this.operand();
    const op = this.tokens[this.at];
    if (op?.kind !== 'op' || !['==', '!=', '<', '>', '<=', '>='].includes(op.text)) return truth(left);
    this.at++;
    const right = this.operand();
    if (op.text !== '==' && op.text !== '!=') throw new Unsupported();
    if (left.value === undefined || right.value === undefined) return unknownOf(left, right);
    const equal = left.value.toLowerCase() === right.value.toLowerCase();
    return { value: op.text === '==' ? equal : !equal };
  }

  /** A string, a word or a function call, as its (expanded) text. */
  private operand(): { value: string } | { value: undefined; unknown: UnknownPart[]; unsupported?: string } {
    const t = this.tokens[this.at++];
    if (!t || t.kind === 'op') throw new Unsupported();
    if (t.kind === 'word' && this.tokens[this.at]?.text === '(') return this.call(t.text);
    const value = expand(t.text, this.context);
    return isKnown(value) ? { value } : { value: undefined, unknown: unknownParts(value) };
  }

  private call(name: string): { value: string } | { value: undefined; unknown: UnknownPart[] } {
    this.at++;
    const arg = this.operand();
    this.expect(')');
    const fn = name.toLowerCase();
    if (fn !== 'exists' && fn !== 'hastrailingslash') throw new Unsupported();
    if (arg.value === undefined) return arg;
    const value = fn === 'exists' ? arg.value.trim() !== '' && this.context.exists(arg.value.trim()) : /[\\/]$/.test(arg.value);
    return { value: value ? 'true' : 'false' };
  }

  private isWord(word: string): boolean {
    const t = this.tokens[this.at];
    return t?.kind === 'word' && t.text.toLowerCase() === word;
  }

  private expect(text: string): void {
    const t = this.tokens[this.at++];
    if (t?.kind !== 'op' || t.text !== text) throw new Unsupported();
  }
}

/** A lone operand as a condition: `true`/`false` (any case), as MSBuild reads `'$(Flag)'` on its own. */
function truth(operand: { value: string } | { value: undefined; unknown: UnknownPart[] }): ConditionResult {
  if (operand.value === undefined) return operand;
  const v = operand.value.trim().toLowerCase();
  if (v === 'true' || v === 'on' || v === 'yes') return { value: true };
  if (v === 'false' || v === 'off' || v === 'no') return { value: false };
  throw new Unsupported();
}

function unknownOf(...results: ({ value: unknown; unknown?: UnknownPart[]; unsupported?: string } | { value: string | boolean })[]): ConditionResult {
  const unknown: UnknownPart[] = [];
  let why: string | undefined;
  for (const r of results) {
    if ('unknown' in r && r.unknown) unknown.push(...r.unknown);
    if ('unsupported' in r && r.unsupported) why ??= r.unsupported;
  }
  return why === undefined ? { value: undefined, unknown } : { value: undefined, unknown, unsupported: why };
}
