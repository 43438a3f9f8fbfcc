// Constant evaluation of C/C++ expressions: tokens → exact BigInt with its C type, or unknown with a reason.
// Arithmetic follows C's integer rules (promotions, usual arithmetic conversions, unsigned wrap-around);
// whatever C leaves undefined (division by zero, signed overflow, oversized shifts) is unknown, never a guess.

import { expand, type ExpansionContext, type MacroDef, type MacroLookup } from '../macros/macros.js';
import { INT, LLONG, LONG, UINT, ULLONG, ULONG, type IntType, type TargetModel } from '../model/target.js';
import { tokenize, type Token } from '../text/tokens.js';
import { describeReason, mentionsMacroProblem, type Reason } from '../model/reasons.js';
import { unknownValue, type Value } from '../model/types.js';

export type Typed = { value: bigint; type: IntType };
type R = Typed | { unknown: Reason };

export interface EvalEnv {
  model: TargetModel;
  /** `#if` semantics: `defined`, intmax_t arithmetic, unknown names are unknown (they may be defined elsewhere). */
  directive?: boolean;
  cplusplus?: boolean;
  macros(name: string): MacroLookup;
  /** `defined X` in directives: true, false, or undefined when it cannot be decided. */
  defined?(name: string): boolean | undefined;
  /** A non-macro identifier: enum constant, const variable, local... Undefined when nothing is known of it. */
  identifier?(name: string): Typed | { unknown: Reason } | undefined;
  /** A typedef from the sources, resolved to an integer type or a byte size. */
  typedef?(name: string): { type?: IntType; size?: number } | undefined;
  /** The file's expansion budget (ExpansionContext.fileBudget). */
  expansionBudget?: { left: number };
}

export interface Evaluation {
  value: Value;
  type?: IntType;
  expansions: { name: string; def: MacroDef }[];
}

export function evaluateText(text: string, env: EvalEnv): Evaluation {
  return evaluateTokens(tokenize(text), env);
}

export function evaluateTokens(tokens: readonly Token[], env: EvalEnv): Evaluation {
  const ctx: ExpansionContext = { lookup: (n) => env.macros(n), inDirective: env.directive, expansions: [], fileBudget: env.expansionBudget };
  const expanded = expand(tokens, ctx);
  let r: R;
  if (expanded.length === 0) r = { unknown: { kind: 'empty-expression' } };
  else {
    const parser = new Parser(expanded, env);
    try {
      r = parser.parseComma();
      if (!isUnknown(r) && parser.pos < expanded.length) r = { unknown: { kind: 'unreadable-token', token: expanded[parser.pos]!.text } };
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      r = { unknown: e.reason };
    }
  }
  if (isUnknown(r) && ctx.problem && !mentionsMacroProblem(r.unknown, ctx.problem)) r = { unknown: { kind: 'macro-problem', problem: ctx.problem } };
  return isUnknown(r)
    ? { value: unknownValue(r.unknown), expansions: ctx.expansions }
    : { value: { known: true, value: r.value }, type: r.type, expansions: ctx.expansions };
}

/** Input the grammar cannot read: thrown from deep in the descent, caught once in evaluateTokens. */
class ParseError extends Error {
  constructor(readonly reason: Reason) {
    super(describeReason(reason));
  }
}

function isUnknown(r: R): r is { unknown: Reason } {
  return 'unknown' in r;
}

function wrap(value: bigint, type: IntType): bigint {
  return type.unsigned ? BigInt.asUintN(type.bits, value) : BigInt.asIntN(type.bits, value);
}

function fits(value: bigint, type: IntType): boolean {
  return wrap(value, type) === value;
}

const BINARY_PRECEDENCE: Record<string, number> = {
  '*': 10, '/': 10, '%': 10, '+': 9, '-': 9, '<<': 8, '>>': 8, '<': 7, '<=': 7, '>': 7, '>=': 7,
  '==': 6, '!=': 6, '&': 5, '^': 4, '|': 3, '&&': 2, '||': 1,
};

const TYPE_WORDS = new Set([
  'unsigned', 'signed', 'int', 'long', 'short', 'char', 'const', 'volatile', 'void', 'float', 'double',
  'bool', '_Bool', '__int64', '__int32', '__int16', '__int8', 'struct', 'union', 'enum', 'class', 'typename',
]);

const CXX_CASTS = new Set(['static_cast', 'reinterpret_cast', 'const_cast']);

/** Recursion budget of one expression: deeper input is unknown, never a stack overflow. */
const MAX_NESTING = 600;

class Parser {
  pos = 0;
  private depth = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly env: EvalEnv,
  ) {}

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

  private normalise(type: IntType): IntType {
    if (!this.env.directive) return type;
    return type.unsigned ? ULLONG : LLONG;
  }

  private int(value: bigint): R {
    return { value, type: this.normalise(INT) };
  }

  /** Runs one level of recursive descent, counting it against MAX_NESTING. */
  private nested(parse: () => R): R {
    if (++this.depth > MAX_NESTING) throw new ParseError({ kind: 'nested-too-deeply' });
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  parseComma(): R {
    return this.nested(() => this.parseCommaLevel());
  }

  private parseCommaLevel(): R {
    let r = this.parseAssignment();
    while (this.peek()?.text === ',') {
      this.take();
      const right = this.parseAssignment();
      r = isUnknown(r) ? r : right;
    }
    return r;
  }

  private parseAssignment(): R {
    return this.nested(() => this.parseAssignmentLevel());
  }

  private parseAssignmentLevel(): R {
    const r = this.parseConditional();
    const t = this.peek();
    if (t && t.kind === 'punct' && /^([-+*/%&|^]|<<|>>)?=$/.test(t.text)) {
      this.take();
      this.parseAssignment();
      return { unknown: { kind: 'assignment' } };
    }
    return r;
  }

  private parseConditional(): R {
    return this.nested(() => this.parseConditionalLevel());
  }

  private parseConditionalLevel(): R {
    const cond = this.parseBinary(1);
    if (this.peek()?.text !== '?') return cond;
    this.take();
    const whenTrue = this.parseComma();
    this.expect(':');
    const whenFalse = this.parseConditional();
    if (isUnknown(cond)) return cond;
    if (isUnknown(whenTrue) || isUnknown(whenFalse)) return cond.value !== 0n ? whenTrue : whenFalse;
    const type = this.common(whenTrue.type, whenFalse.type);
    const chosen = cond.value !== 0n ? whenTrue : whenFalse;
    return { value: wrap(chosen.value, type), type };
  }

  private parseBinary(minPrecedence: number): R {
    let left = this.parseUnary();
    for (;;) {
      const t = this.peek();
      const prec = t && t.kind === 'punct' ? BINARY_PRECEDENCE[t.text] : undefined;
      if (prec === undefined || prec < minPrecedence) return left;
      // `a < b` in a template argument would be ambiguous; we only evaluate expressions, so treat as comparison
      this.take();
      const right = this.parseBinary(prec + 1);
      left = this.binary(t!.text, left, right);
    }
  }

  private common(a: IntType, b: IntType): IntType {
    const pa = a.rank < 3 ? INT : a;
    const pb = b.rank < 3 ? INT : b;
    let t: IntType;
    if (pa.unsigned === pb.unsigned) t = pa.rank >= pb.rank ? pa : pb;
    else {
      const [u, s] = pa.unsigned ? [pa, pb] : [pb, pa];
      if (u.rank >= s.rank) t = u;
      else if (s.bits > u.bits) t = s;
      else t = { ...s, unsigned: true, name: `unsigned ${s.name}` };
    }
    return this.normalise(t);
  }

  private binary(op: string, left: R, right: R): R {
    if (op === '&&') {
      if (!isUnknown(left) && left.value === 0n) return this.int(0n);
      if (!isUnknown(right) && right.value === 0n && !isUnknown(left)) return this.int(0n);
      if (isUnknown(left)) return left;
      if (isUnknown(right)) return right;
      return this.int(1n);
    }
    if (op === '||') {
      if (!isUnknown(left) && left.value !== 0n) return this.int(1n);
      if (!isUnknown(right) && right.value !== 0n && !isUnknown(left)) return this.int(1n);
      if (isUnknown(left)) return left;
      if (isUnknown(right)) return right;
      return this.int(0n);
    }
    if (isUnknown(left)) return left;
    if (isUnknown(right)) return right;
    if (op === '<<' || op === '>>') {
      const type = this.normalise(left.type.rank < 3 ? INT : left.type);
      const count = right.value;
      if (count < 0n) return { unknown: { kind: 'negative-shift', count } };
      if (count >= BigInt(type.bits)) return { unknown: { kind: 'shift-too-far', count, bits: type.bits } };
      const value = op === '<<' ? wrap(left.value << count, type) : left.value >> count;
      return { value, type };
    }
    const type = this.common(left.type, right.type);
    const a = wrap(left.value, type);
    const b = wrap(right.value, type);
    let exact: bigint;
    switch (op) {
      case '*': exact = a * b; break;
      case '/':
      case '%':
        if (b === 0n) return { unknown: { kind: 'division-by-zero' } };
        exact = op === '/' ? a / b : a % b;
        break;
      case '+': exact = a + b; break;
      case '-': exact = a - b; break;
      case '&': exact = a & b; break;
      case '^': exact = a ^ b; break;
      case '|': exact = a | b; break;
      case '<': return this.int(a < b ? 1n : 0n);
      case '<=': return this.int(a <= b ? 1n : 0n);
      case '>': return this.int(a > b ? 1n : 0n);
      case '>=': return this.int(a >= b ? 1n : 0n);
      case '==': return this.int(a === b ? 1n : 0n);
      case '!=': return this.int(a !== b ? 1n : 0n);
      default: return { unknown: { kind: 'operator', operator: op } };
    }
    if (!type.unsigned && !fits(exact, type)) return { unknown: { kind: 'signed-overflow', left: a, operator: op, right: b, type: type.name } };
    return { value: wrap(exact, type), type };
  }

  private parseUnary(): R {
    return this.nested(() => this.parseUnaryLevel());
  }

  private parseUnaryLevel(): R {
    const t = this.peek();
    if (!t) throw new ParseError({ kind: 'incomplete-expression' });
    if (t.kind === 'punct') {
      switch (t.text) {
        case '+':
        case '-':
        case '~':
        case '!': {
          this.take();
          const operand = this.parseUnary();
          if (isUnknown(operand)) return operand;
          if (t.text === '!') return this.int(operand.value === 0n ? 1n : 0n);
          const type = this.normalise(operand.type.rank < 3 ? INT : operand.type);
          if (t.text === '+') return { value: wrap(operand.value, type), type };
          if (t.text === '~') return { value: wrap(~operand.value, type), type };
          const negated = -wrap(operand.value, type);
          if (!type.unsigned && !fits(negated, type)) return { unknown: { kind: 'negation-overflow', operand: operand.value } };
          return { value: wrap(negated, type), type };
        }
        case '&':
        case '*':
          this.take();
          this.parseUnary();
          return { unknown: { kind: t.text === '&' ? 'address-of' : 'dereference' } };
        case '++':
        case '--':
          this.take();
          this.parseUnary();
          return { unknown: { kind: 'changes-variable', operator: t.text } };
        case '(': {
          const cast = this.tryTypeName(this.pos + 1, ')');
          if (cast && this.startsOperand(cast.end + 1)) {
            this.pos = cast.end + 1;
            return this.convert(this.parseUnary(), cast.type, cast.text);
          }
          break;
        }
      }
    }
    if (t.kind === 'ident' && t.text === 'sizeof') return this.parseSizeof();
    if (t.kind === 'ident' && (t.text === 'alignof' || t.text === '_Alignof' || t.text === '__alignof')) {
      this.take();
      this.skipBalanced();
      return { unknown: { kind: 'alignof' } };
    }
    return this.parsePostfix();
  }

  /** True when an operand can start at `index` (so `(T)` before it is a cast, not a parenthesised name). */
  private startsOperand(index: number): boolean {
    const t = this.tokens[index];
    if (!t) return false;
    if (t.kind !== 'punct') return true;
    return ['(', '-', '+', '~', '!', '&', '*', '::'].includes(t.text);
  }

  private parseSizeof(): R {
    this.take();
    if (this.peek()?.text === '...') {
      this.take();
      this.skipBalanced();
      return { unknown: { kind: 'sizeof-pack' } };
    }
    if (this.peek()?.text === '(') {
      const type = this.tryTypeName(this.pos + 1, ')');
      if (type) {
        this.pos = type.end + 1;
        const size = type.size;
        return size === undefined ? { unknown: { kind: 'size-of-type-unknown', type: type.text } } : { value: BigInt(size), type: this.sizeType() };
      }
    }
    const start = this.pos;
    const operand = this.parseUnary();
    const first = this.tokens[start];
    const single = this.pos === start + 1 || (first?.text === '(' && this.pos === start + 3);
    const literal = single ? this.tokens[first?.text === '(' ? start + 1 : start] : undefined;
    if (literal?.kind === 'string') return { value: BigInt(stringLiteralBytes(literal.text)), type: this.sizeType() };
    void operand;
    return { unknown: { kind: 'sizeof-expression' } };
  }

  private sizeType(): IntType {
    return this.normalise(this.env.model.pointerBits === 64 ? ULLONG : UINT);
  }

  /** Reads a type name from `index` up to the `close` token; returns undefined if it is not a type. */
  private tryTypeName(index: number, close: string): { type?: IntType; size?: number; text: string; end: number } | undefined {
    const words: string[] = [];
    let pointer = false;
    let i = index;
    let sawType = false;
    for (; i < this.tokens.length; i++) {
      const t = this.tokens[i]!;
      if (t.text === close) break;
      if (t.text === '*' || t.text === '&' || t.text === '&&') {
        if (!sawType) return undefined;
        pointer = true;
        continue;
      }
      if (t.text === '::') continue;
      if (t.kind !== 'ident') return undefined;
      if (t.text === 'const' || t.text === 'volatile' || t.text === 'typename') continue;
      if (t.text === 'std' && this.tokens[i + 1]?.text === '::') continue;
      if (TYPE_WORDS.has(t.text) || this.isTypeName(t.text)) {
        words.push(t.text);
        sawType = true;
        if (t.text === 'struct' || t.text === 'union' || t.text === 'enum' || t.text === 'class') {
          const tag = this.tokens[i + 1];
          if (tag?.kind === 'ident') words.push(tag.text), i++;
        }
        continue;
      }
      return undefined;
    }
    if (!sawType || this.tokens[i]?.text !== close) return undefined;
    const text = words.join(' ') + (pointer ? ' *' : '');
    const model = this.env.model;
    if (pointer) return { type: { bits: model.pointerBits, unsigned: true, rank: 5, name: 'pointer' }, size: model.pointerBits / 8, text, end: i };
    if (words[0] === 'enum') return { type: INT, size: 4, text, end: i };
    if (words[0] === 'struct' || words[0] === 'union' || words[0] === 'class') return { text, end: i };
    const key = words.filter((w) => w !== 'signed' || words.length === 1).join(' ');
    const builtin = model.types.get(words.join(' ')) ?? model.types.get(key) ?? (words.length === 1 ? undefined : model.types.get(normaliseIntWords(words)));
    if (builtin) return { type: builtin, size: builtin.bits / 8, text, end: i };
    const other = model.otherSizes.get(words.join(' '));
    if (other !== undefined) return { size: other, text, end: i };
    if (words.length === 1) {
      const td = this.env.typedef?.(words[0]!);
      if (td) return { type: td.type, size: td.size ?? (td.type ? td.type.bits / 8 : undefined), text, end: i };
    }
    return { text, end: i };
  }

  private isTypeName(name: string): boolean {
    const model = this.env.model;
    return model.types.has(name) || model.otherSizes.has(name) || this.env.typedef?.(name) !== undefined;
  }

  private convert(operand: R, type: IntType | undefined, text: string): R {
    if (isUnknown(operand)) return operand;
    if (!type) {
      if (/\b(float|double)\b/.test(text)) return { unknown: { kind: 'cast-to-floating', type: text } };
      // a cast to a type whose width is unknown keeps the value when it is small enough for any integer type
      return operand.value >= 0n && operand.value < 0x80000000n ? operand : { unknown: { kind: 'cast-to-unsized', type: text } };
    }
    const t = type.name === 'bool' ? type : type;
    if (t.name === 'bool') return { value: operand.value !== 0n ? 1n : 0n, type: t };
    return { value: wrap(operand.value, t), type: this.normalise(t) };
  }

  private parsePostfix(): R {
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

  private parsePrimary(): R {
    const t = this.take();
    switch (t.kind) {
      case 'number':
        return this.normaliseR(parseIntegerLiteral(t.text, this.env.model));
      case 'char':
        return this.normaliseR(parseCharLiteral(t.text));
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

  private normaliseR(r: R): R {
    return isUnknown(r) ? r : { value: r.value, type: this.normalise(r.type) };
  }

  private identifier(t: Token): R {
    const name = t.text;
    if (this.env.directive && name === 'defined') {
      const paren = this.peek()?.text === '(';
      if (paren) this.take();
      const id = this.take();
      if (paren) this.expect(')');
      const d = this.env.defined?.(id.text);
      return d === undefined ? { unknown: { kind: 'defined-unknown', name: id.text } } : this.int(d ? 1n : 0n);
    }
    if (name === 'true' || name === 'TRUE') return this.int(1n);
    if (name === 'false' || name === 'FALSE') return this.int(0n);
    if (name === 'nullptr' || name === 'NULL' || name === '__null') return { value: 0n, type: this.normalise(ULLONG) };
    if (CXX_CASTS.has(name) && this.peek()?.text === '<') {
      const type = this.tryTypeName(this.pos + 1, '>');
      if (!type) return { unknown: { kind: 'cast-to-unknown-type', cast: name } };
      this.pos = type.end + 1;
      this.expect('(');
      const inner = this.parseComma();
      this.expect(')');
      return this.convert(inner, type.type, type.text);
    }
    // qualified names: use the last component (Foo::kSize, ::kSize, std::size_t(...))
    if (this.peek()?.text === '::' && this.peek(1)?.kind === 'ident') {
      this.take();
      return this.identifier(this.take());
    }
    // functional casts: SIZE_T(4096), size_t{4096}
    if ((this.peek()?.text === '(' || this.peek()?.text === '{') && this.isTypeName(name)) {
      const open = this.take().text;
      const inner = this.parseComma();
      this.expect(open === '(' ? ')' : '}');
      const type = this.tryTypeNameOf(name);
      return this.convert(inner, type, name);
    }
    if (this.env.directive) {
      if (name === '__cplusplus') return { unknown: { kind: 'compiler-dependent', name } };
      if (this.env.cplusplus && (name === 'true' || name === 'false')) return this.int(name === 'true' ? 1n : 0n);
      if (this.env.defined?.(name) === false) return this.int(0n);
      if (this.peek()?.text === '(') {
        this.skipBalanced();
        return { unknown: { kind: 'directive-call', name } };
      }
      return { unknown: { kind: 'undefined-in-sources', name } };
    }
    // a call: parsePostfix makes it unknown whatever the name means, so the name is not looked up (a lookup
    // can cost time proportional to the file, for each of thousands of nested calls)
    if (this.peek()?.text === '(') return { unknown: { kind: 'call', callee: name } };
    const found = this.env.identifier?.(name);
    if (found) return 'unknown' in found ? found : { value: found.value, type: this.normalise(found.type) };
    return { unknown: { kind: 'unknown-name', name } };
  }

  private tryTypeNameOf(name: string): IntType | undefined {
    return this.env.model.types.get(name) ?? this.env.typedef?.(name)?.type;
  }
}

function normaliseIntWords(words: string[]): string {
  const unsigned = words.includes('unsigned');
  const longs = words.filter((w) => w === 'long').length;
  const base = words.includes('short') ? 'short' : words.includes('char') ? 'char' : longs === 2 ? 'long long' : longs === 1 ? 'long' : 'int';
  return (unsigned ? 'unsigned ' : '') + base;
}

function stringLiteralBytes(text: string): number {
  const body = text.slice(text.indexOf('"') + 1, text.lastIndexOf('"'));
  const chars = body.replace(/\\(x[0-9a-fA-F]+|[0-7]{1,3}|.)/g, 'x').length;
  const width = text.startsWith('L') || text.startsWith('u"') ? 2 : text.startsWith('U') ? 4 : 1;
  return (chars + 1) * width;
}

/** Parses an integer literal of any base, with digit separators and C/C++/MSVC suffixes. */
export function parseIntegerLiteral(text: string, model: TargetModel): R {
  const clean = text.replace(/'/g, '');
  const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)([uUlLzZ]*|[uU]?i(?:8|16|32|64|128))$/.exec(clean);
  if (!m) {
    if (/^[0-9.]/.test(clean) && /[.eEpP]|[fF]$/.test(clean)) return { unknown: { kind: 'floating-literal', literal: text } };
    return { unknown: { kind: 'invalid-number', literal: text } };
  }
  const digits = m[1]!;
  const suffix = m[2]!.toLowerCase();
  const value = digits.length > 1 && digits[0] === '0' && /[0-7]/.test(digits[1]!) ? BigInt('0o' + digits.slice(1)) : BigInt(digits);
  const decimal = !/^0[xXbB]/.test(digits) && !(digits.length > 1 && digits[0] === '0');
  const unsigned = suffix.includes('u');
  let candidates: IntType[];
  if (/i(8|16|32)$/.test(suffix)) candidates = [unsigned ? UINT : INT];
  else if (/i64$/.test(suffix)) candidates = [unsigned ? ULLONG : LLONG];
  else if (suffix.includes('z')) candidates = [model.pointerBits === 64 ? ULLONG : UINT];
  else if (suffix.includes('ll')) candidates = unsigned ? [ULLONG] : decimal ? [LLONG] : [LLONG, ULLONG];
  else if (suffix.includes('l')) candidates = unsigned ? [ULONG, ULLONG] : decimal ? [LONG, LLONG] : [LONG, ULONG, LLONG, ULLONG];
  else if (unsigned) candidates = [UINT, ULONG, ULLONG];
  else candidates = decimal ? [INT, LONG, LLONG] : [INT, UINT, LONG, ULONG, LLONG, ULLONG];
  const type = candidates.find((t) => fits(value, t));
  if (!type) return { unknown: { kind: 'number-too-large', literal: text } };
  return { value, type };
}

const SIMPLE_ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, a: 7, b: 8, f: 12, v: 11, '\\': 92, "'": 39, '"': 34, '?': 63, e: 27 };

export function parseCharLiteral(text: string): R {
  const quote = text.indexOf("'");
  const prefix = text.slice(0, quote);
  const body = text.slice(quote + 1, text.endsWith("'") ? -1 : undefined);
  const codes: number[] = [];
  for (let i = 0; i < body.length; ) {
    if (body[i] === '\\') {
      const rest = body.slice(i + 1);
      let m: RegExpExecArray | null;
      if ((m = /^x([0-9a-fA-F]+)/.exec(rest))) codes.push(parseInt(m[1]!, 16)), (i += 1 + m[0].length);
      else if ((m = /^[0-7]{1,3}/.exec(rest))) codes.push(parseInt(m[0], 8)), (i += 1 + m[0].length);
      else if ((m = /^u([0-9a-fA-F]{4})|^U([0-9a-fA-F]{8})/.exec(rest))) codes.push(parseInt((m[1] ?? m[2])!, 16)), (i += 1 + m[0].length);
      else if (rest[0] !== undefined && rest[0] in SIMPLE_ESCAPES) codes.push(SIMPLE_ESCAPES[rest[0]]!), (i += 2);
      else return { unknown: { kind: 'unknown-escape', literal: text } };
    } else {
      const cp = body.codePointAt(i)!;
      codes.push(cp);
      i += cp > 0xffff ? 2 : 1;
    }
  }
  if (codes.length === 0) return { unknown: { kind: 'empty-character' } };
  if (prefix) return { value: BigInt(codes[0]!), type: prefix === 'L' || prefix === 'u' ? UINT : ULONG };
  if (codes.length === 1) {
    const c = codes[0]!;
    return { value: BigInt(c > 127 && c < 256 ? c - 256 : c), type: INT };
  }
  // multi-character constant: implementation-defined; MSVC and GCC both pack bytes big-endian into an int
  let v = 0n;
  for (const c of codes) v = (v << 8n) | BigInt(c & 0xff);
  return { value: BigInt.asIntN(32, v), type: INT };
}

