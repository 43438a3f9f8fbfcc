// The expression grammar: recursive descent over macro-expanded tokens, from the comma operator down to
// primaries, with C's precedence. Arithmetic is arithmetic.ts's, type names are type-names.ts's; this file
// decides what the tokens say.

import { ULLONG, UINT, type IntType } from '../model/target.js';
import { elementType } from '../types/members.js';
import { splitTemplateArguments, type Token } from '../text/tokens.js';
import { IntegerArithmetic } from './arithmetic.js';
import { isUnknown, ParseError, type ConstantFunction, type EvalEnv, type Result } from './env.js';
import { parseCharLiteral, parseIntegerLiteral, stringLiteralBytes } from './literals.js';
import { integerTypeNamed, isTypeName, readTypeName, type TypeName } from './type-names.js';
import {
  countOperator,
  extentOperator,
  isOffsetOperator,
  isTypeOperator,
  measureExpression,
  memberOffset,
  measureType,
  offsetOperator,
  type Measurement,
} from './type-operators.js';

const BINARY_PRECEDENCE: Record<string, number> = {
  '*': 10,
  '/': 10,
  '%': 10,
  '+': 9,
  '-': 9,
  '<<': 8,
  '>>': 8,
  '<': 7,
  '<=': 7,
  '>': 7,
  '>=': 7,
  '==': 6,
  '!=': 6,
  '&': 5,
  '^': 4,
  '|': 3,
  '&&': 2,
  '||': 1,
};

const CXX_CASTS = new Set(['static_cast', 'reinterpret_cast', 'const_cast']);
const ALIGNOF = new Set(['alignof', '_Alignof', '__alignof', '__alignof__']);

/** Recursion budget of one expression: deeper input is unknown, never a stack overflow. */
const MAX_NESTING = 600;

export class ExpressionParser {
  pos = 0;
  /** How each size measured through a type was found (`sizeof(struct S) = 24 (#pragma pack 4)`), for evidence. */
  readonly notes: string[] = [];
  private depth = 0;
  /**
   * Above 0 while reading the branch of a `?:` whose condition is known not to take it: constant functions are not
   * called there (a recursive one's base case is written as `n <= 1 ? 1 : n * f(n - 1)`, and the untaken call recurses).
   */
  private untaken = 0;
  private readonly arithmetic: IntegerArithmetic;

  /** `depth`: the nesting of the expression this one is part of (a designator's subscript), counted against MAX_NESTING. */
  constructor(
    private readonly tokens: Token[],
    private readonly env: EvalEnv,
    depth = 0,
  ) {
    this.arithmetic = new IntegerArithmetic(env.directive);
    this.depth = depth;
  }

  // ---- reading tokens ----

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }

  private take(): Token {
    const t = this.tokens[this.pos++];
    if (!t) throw new ParseError({ kind: 'incomplete-expression' });
    return t;
  }

  private expect(text: string): void {
    const t = this.take();
    if (t.text !== text) throw new ParseError({ kind: 'expected-token', expected: text, found: t.text });
  }

  private skipBalanced(): void {
    const open = this.take();
    const closeFor: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
    const close = closeFor[open.text];
    if (!close) return;
    let depth = 1;
    while (depth > 0) {
      const t = this.take();
      if (t.text === open.text) depth++;
      else if (t.text === close) depth--;
    }
  }

  private typeName(index: number, close: string): TypeName | undefined {
    return readTypeName(this.tokens, index, close, this.env);
  }

  /** Runs one level of recursive descent, counting it against MAX_NESTING. */
  private nested(parse: () => Result): Result {
    if (++this.depth > MAX_NESTING) throw new ParseError({ kind: 'nested-too-deeply' });
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  // ---- the levels of the grammar, loosest first ----

  parseComma(): Result {
    return this.nested(() => {
      let r = this.parseAssignment();
      while (this.peek()?.text === ',') {
        this.take();
        const right = this.parseAssignment();
        r = isUnknown(r) ? r : right;
      }
      return r;
    });
  }

  private parseAssignment(): Result {
    return this.nested(() => {
      const r = this.parseConditional();
      const t = this.peek();
      if (t && t.kind === 'punct' && /^([-+*/%&|^]|<<|>>)?=$/.test(t.text)) {
        this.take();
        this.parseAssignment();
        return { unknown: { kind: 'assignment' } };
      }
      return r;
    });
  }

  private parseConditional(): Result {
    return this.nested(() => {
      const cond = this.parseBinary(1);
      if (this.peek()?.text !== '?') return cond;
      this.take();
      const taken = isUnknown(cond) ? undefined : cond.value !== 0n;
      const whenTrue = this.inBranch(taken !== false, () => this.parseComma());
      this.expect(':');
      const whenFalse = this.inBranch(taken !== true, () => this.parseConditional());
      return this.arithmetic.conditional(cond, whenTrue, whenFalse);
    });
  }

  /** Reads one branch of a `?:`, marked untaken when the condition is known to skip it. */
  private inBranch(taken: boolean, parse: () => Result): Result {
    if (!taken) this.untaken++;
    try {
      return parse();
    } finally {
      if (!taken) this.untaken--;
    }
  }

  private parseBinary(minPrecedence: number): Result {
    let left = this.parseUnary();
    for (;;) {
      const t = this.peek();
      const prec = t && t.kind === 'punct' ? BINARY_PRECEDENCE[t.text] : undefined;
      if (prec === undefined || prec < minPrecedence) return left;
      // `a < b` in a template argument would be ambiguous; we only evaluate expressions, so treat as comparison
      this.take();
      const right = this.parseBinary(prec + 1);
      left = this.arithmetic.binary(t!.text, left, right);
    }
  }

  private parseUnary(): Result {
    return this.nested(() => this.parseUnaryLevel());
  }

  private parseUnaryLevel(): Result {
    const t = this.peek();
    if (!t) throw new ParseError({ kind: 'incomplete-expression' });
    if (t.kind === 'punct') {
      switch (t.text) {
        case '+':
        case '-':
        case '~':
        case '!':
          this.take();
          return this.arithmetic.unary(t.text, this.parseUnary());
        case '&':
        case '*': {
          this.take();
          const offset = t.text === '&' ? this.nullMemberOffset() : undefined;
          if (offset) return offset;
          this.parseUnary();
          return { unknown: { kind: t.text === '&' ? 'address-of' : 'dereference' } };
        }
        case '++':
        case '--':
          this.take();
          this.parseUnary();
          return { unknown: { kind: 'changes-variable', operator: t.text } };
        case '(': {
          const cast = this.typeName(this.pos + 1, ')');
          if (cast && this.startsOperand(cast.end + 1)) {
            this.pos = cast.end + 1;
            return this.arithmetic.convert(this.parseUnary(), cast.type, cast.text);
          }
          break;
        }
      }
    }
    if (t.kind === 'ident' && t.text === 'sizeof') return this.parseSizeof();
    if (t.kind === 'ident' && ALIGNOF.has(t.text)) return this.parseAlignof();
    return this.parsePostfix();
  }

  /** True when an operand can start at `index` (so `(T)` before it is a cast, not a parenthesised name). */
  private startsOperand(index: number): boolean {
    const t = this.tokens[index];
    if (!t) return false;
    if (t.kind !== 'punct') return true;
    return ['(', '-', '+', '~', '!', '&', '*', '::'].includes(t.text);
  }

  private parseSizeof(): Result {
    this.take();
    if (this.peek()?.text === '...') {
      this.take();
      this.skipBalanced();
      return { unknown: { kind: 'sizeof-pack' } };
    }
    if (this.peek()?.text === '(') {
      const type = this.typeName(this.pos + 1, ')');
      if (type) {
        this.pos = type.end + 1;
        // an integer type's size is the target model's; records, arrays and typedefs of them are measured
        if (type.size !== undefined && (!type.ctype || type.ctype.kind === 'int' || type.ctype.kind === 'pointer')) return this.sized(BigInt(type.size));
        if (type.ctype) return this.measured(measureType(type.ctype, type.text, 'size', this.env));
        return { unknown: { kind: 'size-of-type-unknown', type: type.text } };
      }
    }
    const start = this.pos;
    this.parseUnary();
    const first = this.tokens[start];
    const single = this.pos === start + 1 || (first?.text === '(' && this.pos === start + 3);
    const literal = single ? this.tokens[first?.text === '(' ? start + 1 : start] : undefined;
    if (literal?.kind === 'string') return this.sized(BigInt(stringLiteralBytes(literal.text)));
    return this.measured(measureExpression(this.tokens.slice(start, this.pos), 'size', this.env));
  }

  /** alignof(T), _Alignof(T), __alignof(T), __alignof__(T), and of an expression (a GNU extension). */
  private parseAlignof(): Result {
    this.take();
    if (this.peek()?.text === '(') {
      const type = this.typeName(this.pos + 1, ')');
      if (type) {
        this.pos = type.end + 1;
        if (type.ctype) return this.measured(measureType(type.ctype, type.text, 'align', this.env));
        return { unknown: { kind: 'size-of-type-unknown', type: type.text } };
      }
    }
    const start = this.pos;
    this.parseUnary();
    return this.measured(measureExpression(this.tokens.slice(start, this.pos), 'align', this.env));
  }

  private sized(value: bigint): Result {
    return { value, type: this.sizeType() };
  }

  private measured(m: Measurement): Result {
    if ('unknown' in m) return m;
    if (m.note) this.notes.push(m.note);
    return this.sized(m.value);
  }

  /** `offsetof(T, m)`, `ARRAYSIZE(a)`, `std::size(a)` and their kin, read when no header defines them as macros. */
  private typeOperator(name: string): Result {
    const open = this.pos;
    this.skipBalanced();
    const args: Token[][] = [[]];
    let depth = 0;
    for (const t of this.tokens.slice(open + 1, this.pos - 1)) {
      if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
      else if (t.text === ')' || t.text === ']' || t.text === '}') depth--;
      if (depth === 0 && t.text === ',') args.push([]);
      else args[args.length - 1]!.push(t);
    }
    if (name === 'size' || !isOffsetOperator(name)) return this.measured(countOperator(name, args, this.env));
    return this.measured(offsetOperator(name, args, this.env, (tokens) => this.subexpression(tokens)));
  }

  /** The value of `tokens` alone (a subscript of a designator), in this parser's environment. */
  private subexpression(tokens: readonly Token[]): Result {
    if (tokens.length === 0) return { unknown: { kind: 'empty-expression' } };
    const parser = new ExpressionParser([...tokens], this.env, this.depth);
    try {
      const r = parser.parseComma();
      this.notes.push(...parser.notes);
      return parser.pos < tokens.length ? { unknown: { kind: 'unreadable-token', token: tokens[parser.pos]!.text } } : r;
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      return { unknown: e.reason };
    }
  }

  /**
   * `&((T *)0)->m`, the address of a member of a null pointer: the member's offset, as the headers of MSVC, mingw and
   * wine define offsetof (`(size_t)&(((s*)0)->m)`, and `&reinterpret_cast<char const volatile&>((((s*)0)->m))` in
   * C++). Undefined, having read nothing, when the operand is anything else.
   */
  private nullMemberOffset(): Result | undefined {
    const start = this.pos;
    try {
      const found = this.readNullMember();
      if (found) return found;
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
    }
    this.pos = start;
    return undefined;
  }

  private readNullMember(): Result | undefined {
    let open = 0;
    if (this.peek()?.text === 'reinterpret_cast' && this.peek(1)?.text === '<') {
      this.take();
      this.skipAngles();
      this.expect('(');
      open++;
    }
    let cast: TypeName | undefined;
    while (this.peek()?.text === '(' && !(cast = this.typeName(this.pos + 1, ')'))) {
      this.take();
      open++;
    }
    const record = cast?.ctype ? elementType(cast.ctype) : undefined;
    if (!cast || !record || open === 0) return undefined;
    this.pos = cast.end + 1;
    const pointer = this.parseUnary();
    if (isUnknown(pointer) || pointer.value !== 0n) return undefined;
    this.expect(')');
    open--;
    if (this.take().text !== '->') return undefined;
    const from = this.pos;
    while (this.peek()?.kind === 'ident' || this.peek()?.text === '.' || this.peek()?.text === '[') {
      if (this.peek()?.text === '[') this.skipBalanced();
      else this.take();
    }
    const designator = this.tokens.slice(from, this.pos);
    for (; open > 0; open--) this.expect(')');
    const written = cast.text.replace(/\s*\*$/, '');
    const measured = memberOffset('offsetof', record, written, designator, this.env, (tokens) => this.subexpression(tokens));
    return this.measured(measured);
  }

  /** Skips a template argument list `<...>`, nested ones included. */
  private skipAngles(): void {
    let depth = 0;
    do {
      const t = this.take();
      if (t.text === '<') depth++;
      else if (t.text === '>') depth--;
      else if (t.text === '>>') depth -= 2;
    } while (depth > 0);
  }

  /** `std::extent<T>::value` and `std::extent_v<T>`: the bound of an array type (`decltype(a)` or a typedef). */
  private extent(name: string): Result {
    const open = this.pos;
    let depth = 0;
    do {
      const t = this.take();
      if (t.text === '<' || t.text === '(') depth++;
      else if (t.text === '>' || t.text === ')') depth--;
    } while (depth > 0);
    const argument = this.tokens.slice(open + 1, this.pos - 1);
    if (name === 'extent') {
      if (this.peek()?.text !== '::' || this.peek(1)?.text !== 'value') return { unknown: { kind: 'unknown-name', name: 'std::extent' } };
      this.pos += 2;
    }
    return this.measured(extentOperator(argument, this.env));
  }

  private sizeType(): IntType {
    return this.arithmetic.normalise(this.env.model.pointerBits === 64 ? ULLONG : UINT);
  }

  private parsePostfix(): Result {
    let r = this.parsePrimary();
    for (;;) {
      const t = this.peek();
      if (!t) return r;
      if (t.text === '(') {
        const name = this.tokens[this.pos - 1]?.text ?? '';
        this.skipBalanced();
        r = { unknown: { kind: 'call', callee: name } };
      } else if (t.text === '[') {
        this.skipBalanced();
        r = { unknown: { kind: 'array-element' } };
      } else if (t.text === '.' || t.text === '->') {
        this.take();
        const member = this.take();
        r = { unknown: { kind: 'member', member: member.text } };
      } else if (t.text === '++' || t.text === '--') {
        this.take();
        r = { unknown: { kind: 'changes-variable', operator: t.text } };
      } else return r;
    }
  }

  private parsePrimary(): Result {
    const t = this.take();
    switch (t.kind) {
      case 'number':
        return this.arithmetic.normaliseResult(parseIntegerLiteral(t.text, this.env.model));
      case 'char':
        return this.arithmetic.normaliseResult(parseCharLiteral(t.text));
      case 'string':
        return { unknown: { kind: 'string' } };
      case 'punct':
        if (t.text === '(') {
          const inner = this.parseComma();
          this.expect(')');
          return inner;
        }
        if (t.text === '::') return this.parsePrimary();
        throw new ParseError({ kind: 'unexpected-token', token: t.text });
      case 'ident':
        return this.identifier(t);
    }
  }

  // ---- names ----

  private identifier(t: Token): Result {
    const name = t.text;
    if (this.env.directive && name === 'defined') return this.definedOperator();
    if (name === 'true' || name === 'TRUE') return this.arithmetic.int(1n);
    if (name === 'false' || name === 'FALSE') return this.arithmetic.int(0n);
    if (name === 'nullptr' || name === 'NULL' || name === '__null') return { value: 0n, type: this.arithmetic.normalise(ULLONG) };
    if (CXX_CASTS.has(name) && this.peek()?.text === '<') return this.cxxCast(name);
    // a member function called through a class template with its arguments (`Traits<3>::size()`)
    if (this.env.cplusplus && this.env.constantFunction && this.peek()?.text === '<') {
      const member = this.classTemplateMemberCall(name);
      if (member) return member;
    }
    // qualified names: use the last component (Foo::kSize, ::kSize, std::size_t(...))
    if (this.peek()?.text === '::' && this.peek(1)?.kind === 'ident') {
      this.take();
      return this.identifier(this.take());
    }
    const qualifiedByStd = this.tokens[this.pos - 2]?.text === '::' && this.tokens[this.pos - 3]?.text === 'std';
    if (this.peek()?.text === '(' && isTypeOperator(name, qualifiedByStd)) return this.typeOperator(name);
    if (qualifiedByStd && (name === 'extent' || name === 'extent_v') && this.peek()?.text === '<') return this.extent(name);
    // functional casts: SIZE_T(4096), size_t{4096}
    if ((this.peek()?.text === '(' || this.peek()?.text === '{') && isTypeName(name, this.env)) {
      const open = this.take().text;
      const inner = this.parseComma();
      this.expect(open === '(' ? ')' : '}');
      return this.arithmetic.convert(inner, integerTypeNamed(name, this.env), name);
    }
    if (this.env.directive) return this.directiveName(name);
    if (this.peek()?.text === '(') {
      // a constant function of the sources is evaluated; any other call is made unknown by parsePostfix, whatever
      // the name means (the environment answers from a list made once per file, not by a lookup in the file)
      const constant = this.env.constantFunction?.(name);
      return constant ? this.constantCall(name, constant) : { unknown: { kind: 'call', callee: name } };
    }
    const found = this.env.identifier?.(name);
    if (found) return 'unknown' in found ? found : { value: found.value, type: this.arithmetic.normalise(found.type) };
    return { unknown: { kind: 'unknown-name', name } };
  }

  /**
   * `Traits<3>::size(...)` read from the `<` after the class's name: the call of the constant function `size` of
   * that class with its template arguments, or an unknown call; undefined (nothing read) when the tokens are not
   * `< args > :: name (`, a comparison then.
   */
  private classTemplateMemberCall(className: string): Result | undefined {
    const split = splitTemplateArguments(this.tokens, this.pos);
    if (!split) return undefined;
    const { args, close } = split;
    const member = this.tokens[close + 2];
    if (this.tokens[close + 1]?.text !== '::' || member?.kind !== 'ident' || this.tokens[close + 3]?.text !== '(') return undefined;
    const values = args.map((tokens) => ({ text: tokens.map((t) => t.text).join(' '), value: this.argumentValue(tokens) }));
    this.pos = close + 3;
    const constant = this.env.constantFunction?.(member.text, { name: className, args: values });
    return constant ? this.constantCall(member.text, constant) : { unknown: { kind: 'call', callee: member.text } };
  }

  /** A template argument's value: an expression of its own (a type, or what cannot be read, is unknown). */
  private argumentValue(tokens: Token[]): Result {
    if (tokens.length === 0) return { unknown: { kind: 'empty-expression' } };
    const parser = new ExpressionParser(tokens, this.env, this.depth + 1);
    try {
      const value = parser.parseConditional();
      return parser.pos < tokens.length && !isUnknown(value) ? { unknown: { kind: 'unreadable-token', token: tokens[parser.pos]!.text } } : value;
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      return { unknown: e.reason };
    }
  }

  /** `f(a, b)` of a constant function: the arguments are read and evaluated here, then given to it. */
  private constantCall(name: string, constant: ConstantFunction): Result {
    this.expect('(');
    const args: Result[] = [];
    if (this.peek()?.text === ')') this.take();
    else
      for (;;) {
        args.push(this.parseAssignment());
        const t = this.take();
        if (t.text === ')') break;
        if (t.text !== ',') throw new ParseError({ kind: 'expected-token', expected: ')', found: t.text });
      }
    if (this.untaken > 0) return { unknown: { kind: 'call', callee: name } };
    const { result, notes } = constant(args);
    this.notes.push(...notes);
    return this.arithmetic.normaliseResult(result);
  }

  /** `defined X` / `defined(X)` in a directive. */
  private definedOperator(): Result {
    const paren = this.peek()?.text === '(';
    if (paren) this.take();
    const id = this.take();
    if (paren) this.expect(')');
    const d = this.env.defined?.(id.text);
    return d === undefined ? { unknown: { kind: 'defined-unknown', name: id.text } } : this.arithmetic.int(d ? 1n : 0n);
  }

  /** `static_cast<T>(x)` and its kin. */
  private cxxCast(name: string): Result {
    const type = this.typeName(this.pos + 1, '>');
    if (!type) return { unknown: { kind: 'cast-to-unknown-type', cast: name } };
    this.pos = type.end + 1;
    this.expect('(');
    const inner = this.parseComma();
    this.expect(')');
    return this.arithmetic.convert(inner, type.type, type.text);
  }

  /** A name in `#if` that is not a macro: 0 when known undefined, unknown when it may be defined elsewhere. */
  private directiveName(name: string): Result {
    // a name known to be undefined is 0 (C11 6.10.1p4), __cplusplus in a C file included
    if (this.env.defined?.(name) === false) return this.arithmetic.int(0n);
    if (name === '__cplusplus') return { unknown: { kind: 'compiler-dependent', name } };
    if (this.env.cplusplus && (name === 'true' || name === 'false')) return this.arithmetic.int(name === 'true' ? 1n : 0n);
    if (this.peek()?.text === '(') {
      this.skipBalanced();
      return { unknown: { kind: 'directive-call', name } };
    }
    return { unknown: { kind: 'undefined-in-sources', name } };
  }
}
