// The type of an expression, for `sizeof expr` and the element counts (`ARRAYSIZE(a)`): names have their declared
// types (EvalEnv.typeOfName), and `*p`, `&x`, `p->m`, `a.m`, `a[i]`, casts, string literals and parentheses
// derive theirs. The value is never computed, so anything C allows in an unevaluated operand is fine here.

import type { Reason } from '../model/reasons.js';
import type { Token } from '../text/tokens.js';
import type { CType } from '../types/ctype.js';
import { elementType, memberType, resolveType } from '../types/members.js';
import { typeText } from '../types/type-text.js';
import type { EvalEnv } from './env.js';
import { parseIntegerLiteral, stringLiteralBytes } from './literals.js';
import { readTypeName } from './type-names.js';

export type Typing = { type: CType } | { unknown: Reason };

/** The type of the whole of `tokens`, or why it is not known. */
export function typeOfTokens(tokens: readonly Token[], env: EvalEnv): Typing {
  const typer = new ExpressionTyper(tokens, env);
  const expression = tokens.map((t) => t.text).join(' ');
  try {
    const typed = typer.unary();
    if (typer.pos !== tokens.length || !typed) return { unknown: { kind: 'type-of-expression-unknown', expression } };
    return typed;
  } catch {
    return { unknown: { kind: 'type-of-expression-unknown', expression } };
  }
}

/** Thrown when the tokens are not an expression this reads; caught once in typeOfTokens. */
class Unreadable extends Error {}

/** The unary, postfix and primary expressions: those a sizeof operand or an array argument is written as. */
class ExpressionTyper {
  pos = 0;
  private depth = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly env: EvalEnv,
  ) {}

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }

  private take(): Token {
    const t = this.tokens[this.pos++];
    if (!t) throw new Unreadable();
    return t;
  }

  unary(): Typing | undefined {
    if (++this.depth > 200) throw new Unreadable();
    try {
      const t = this.peek();
      if (t?.text === '*') {
        this.take();
        return this.derive(this.unary(), (type) => elementType(type), '*');
      }
      if (t?.text === '&') {
        this.take();
        return this.derive(this.unary(), (type) => ({ kind: 'pointer', to: type }), '&');
      }
      if (t?.text === '(') {
        const cast = readTypeName(this.tokens, this.pos + 1, ')', this.env);
        if (cast && cast.end + 1 < this.tokens.length) {
          this.pos = cast.end + 1;
          this.unary();
          return cast.ctype ? { type: cast.ctype } : { unknown: { kind: 'cast-to-unknown-type', cast: cast.text } };
        }
      }
      return this.postfix();
    } finally {
      this.depth--;
    }
  }

  private postfix(): Typing | undefined {
    let typed = this.primary();
    for (;;) {
      const t = this.peek();
      if (t?.text === '[') {
        this.skipBalanced('[', ']');
        typed = this.derive(typed, (type) => elementType(type), '[]');
      } else if (t?.text === '.' || t?.text === '->') {
        this.take();
        const member = this.take();
        if (member.kind !== 'ident') throw new Unreadable();
        typed = this.derive(typed, (type) => memberOf(t.text === '->' ? elementType(type) : type, member.text), member.text);
      } else return typed;
    }
  }

  private primary(): Typing | undefined {
    const t = this.take();
    if (t.kind === 'string') {
      // adjacent literals are one array: "ab" "cd" is char[5]
      let bytes = stringLiteralBytes(t.text);
      const width = t.text.startsWith('L') || t.text.startsWith('u"') ? 2 : t.text.startsWith('U') ? 4 : 1;
      while (this.peek()?.kind === 'string') bytes += stringLiteralBytes(this.take().text) - width;
      const char: CType = { kind: 'int', int: { bits: width * 8, unsigned: width > 1, rank: width > 1 ? 2 : 1, name: width > 1 ? 'wchar_t' : 'char' } };
      return { type: { kind: 'array', of: char, count: BigInt(bytes / width) } };
    }
    if (t.text === '(') {
      const inner = this.unary();
      if (this.take().text !== ')') throw new Unreadable();
      return inner;
    }
    if (t.text === '::') return this.primary();
    // a number: the operand of a cast (`((struct s *)0)->m`, as RTL_FIELD_SIZE is written)
    if (t.kind === 'number') {
      const literal = parseIntegerLiteral(t.text, this.env.model);
      if ('unknown' in literal) throw new Unreadable();
      return { type: { kind: 'int', int: literal.type } };
    }
    if (t.kind !== 'ident') throw new Unreadable();
    // Foo::kSize, ns::table: the last component names it
    if (this.peek()?.text === '::' && this.peek(1)?.kind === 'ident') {
      this.take();
      return this.primary();
    }
    // `this->m` is the member m, which typeOfName finds among the class's fields
    if (t.text === 'this' && this.peek()?.text === '->' && this.peek(1)?.kind === 'ident') {
      this.take();
      return this.named(this.take().text);
    }
    if (this.peek()?.text === '(') throw new Unreadable();
    return this.named(t.text);
  }

  private named(name: string): Typing {
    const type = this.env.typeOfName?.(name);
    return type ? { type } : { unknown: { kind: 'type-of-expression-unknown', expression: name } };
  }

  /** The type `step` makes of an operand's type; an operand of unknown type stays unknown. */
  private derive(operand: Typing | undefined, step: (type: CType) => CType | undefined, what: string): Typing | undefined {
    if (!operand || 'unknown' in operand) return operand;
    const type = step(operand.type);
    if (type) return { type };
    const resolved = resolveType(operand.type);
    if (what !== '*' && what !== '[]' && what !== '&') return { unknown: { kind: 'no-member', type: typeText(resolved), member: what } };
    return { unknown: { kind: 'type-of-expression-unknown', expression: `${what} of ${typeText(resolved)}` } };
  }

  private skipBalanced(open: string, close: string): void {
    let depth = 0;
    do {
      const t = this.take();
      if (t.text === open) depth++;
      else if (t.text === close) depth--;
    } while (depth > 0);
  }
}

function memberOf(type: CType | undefined, name: string): CType | undefined {
  return type ? memberType(type, name) : undefined;
}
