// Constant evaluation of C/C++ expressions: tokens → exact BigInt with its C type, or unknown with a reason.
// Arithmetic follows C's integer rules (promotions, usual arithmetic conversions, unsigned wrap-around);
// whatever C leaves undefined (division by zero, signed overflow, oversized shifts) is unknown, never a guess.
// The parts: env.ts (shared shapes), grammar.ts (the expression grammar), arithmetic.ts (integer arithmetic),
// type-names.ts (casts and sizeof), literals.ts (numbers and characters).

import { expand, type ExpansionContext, type MacroDef } from '../macros/macros.js';
import { mentionsMacroProblem } from '../model/reasons.js';
import type { IntType } from '../model/target.js';
import { unknownValue, type Value } from '../model/types.js';
import { tokenize, type Token } from '../text/tokens.js';
import { isUnknown, ParseError, type EvalEnv, type Result } from './env.js';
import { ExpressionParser } from './grammar.js';

export type { EvalEnv, Typed } from './env.js';
export { parseCharLiteral, parseIntegerLiteral } from './literals.js';

export interface Evaluation {
  value: Value;
  type?: IntType;
  expansions: { name: string; def: MacroDef }[];
  /** How the sizes measured through types were found (`sizeof(struct S) = 24 (#pragma pack 4)`), for evidence. */
  sizes?: string[];
}

export function evaluateText(text: string, env: EvalEnv): Evaluation {
  return evaluateTokens(tokenize(text), env);
}

export function evaluateTokens(tokens: readonly Token[], env: EvalEnv): Evaluation {
  const ctx: ExpansionContext = { lookup: (n) => env.macros(n), inDirective: env.directive, expansions: [], fileBudget: env.expansionBudget };
  const expanded = expand(tokens, ctx);
  let r: Result;
  let sizes: string[] | undefined;
  if (expanded.length === 0) r = { unknown: { kind: 'empty-expression' } };
  else {
    const parser = new ExpressionParser(expanded, env);
    try {
      r = parser.parseComma();
      if (parser.notes.length) sizes = parser.notes;
      if (!isUnknown(r) && parser.pos < expanded.length) r = { unknown: { kind: 'unreadable-token', token: expanded[parser.pos]!.text } };
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      r = { unknown: e.reason };
    }
  }
  // a problem of the expansion (too large, ambiguous) explains the value better than what became of the tokens
  if (isUnknown(r) && ctx.problem && !mentionsMacroProblem(r.unknown, ctx.problem)) r = { unknown: { kind: 'macro-problem', problem: ctx.problem } };
  return isUnknown(r)
    ? { value: unknownValue(r.unknown), expansions: ctx.expansions }
    : { value: { known: true, value: r.value }, type: r.type, expansions: ctx.expansions, ...(sizes ? { sizes } : {}) };
}
