// Integer arithmetic with C's rules: integer promotions, the usual arithmetic conversions, unsigned wrap-around,
// casts. Whatever C leaves undefined (division by zero, signed overflow, oversized shifts) is unknown, never a
// guess. In `#if` every value is intmax_t or uintmax_t, so types are normalised to those.

import { INT, LLONG, ULLONG, type IntType } from '../model/target.js';
import { isUnknown, type Result, type Typed } from './env.js';

export function wrap(value: bigint, type: IntType): bigint {
  return type.unsigned ? BigInt.asUintN(type.bits, value) : BigInt.asIntN(type.bits, value);
}

export function fits(value: bigint, type: IntType): boolean {
  return wrap(value, type) === value;
}

export class IntegerArithmetic {
  /** `directive`: `#if` arithmetic, where every value is intmax_t or uintmax_t. */
  constructor(private readonly directive: boolean | undefined) {}

  normalise(type: IntType): IntType {
    if (!this.directive) return type;
    return type.unsigned ? ULLONG : LLONG;
  }

  int(value: bigint): Result {
    return { value, type: this.normalise(INT) };
  }

  /** A literal's or a name's value with its type normalised. */
  normaliseResult(r: Result): Result {
    return isUnknown(r) ? r : { value: r.value, type: this.normalise(r.type) };
  }

  /** The type both operands convert to (the usual arithmetic conversions). */
  common(a: IntType, b: IntType): IntType {
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

  /** `cond ? whenTrue : whenFalse` once all three are read. */
  conditional(cond: Result, whenTrue: Result, whenFalse: Result): Result {
    if (isUnknown(cond)) return cond;
    if (isUnknown(whenTrue) || isUnknown(whenFalse)) return cond.value !== 0n ? whenTrue : whenFalse;
    const type = this.common(whenTrue.type, whenFalse.type);
    const chosen = cond.value !== 0n ? whenTrue : whenFalse;
    return { value: wrap(chosen.value, type), type };
  }

  binary(op: string, left: Result, right: Result): Result {
    if (op === '&&' || op === '||') return this.logical(op, left, right);
    if (isUnknown(left)) return left;
    if (isUnknown(right)) return right;
    if (op === '<<' || op === '>>') return this.shift(op, left, right);
    const type = this.common(left.type, right.type);
    const a = wrap(left.value, type);
    const b = wrap(right.value, type);
    let exact: bigint;
    switch (op) {
      case '*':
        exact = a * b;
        break;
      case '/':
      case '%':
        if (b === 0n) return { unknown: { kind: 'division-by-zero' } };
        exact = op === '/' ? a / b : a % b;
        break;
      case '+':
        exact = a + b;
        break;
      case '-':
        exact = a - b;
        break;
      case '&':
        exact = a & b;
        break;
      case '^':
        exact = a ^ b;
        break;
      case '|':
        exact = a | b;
        break;
      case '<':
        return this.int(a < b ? 1n : 0n);
      case '<=':
        return this.int(a <= b ? 1n : 0n);
      case '>':
        return this.int(a > b ? 1n : 0n);
      case '>=':
        return this.int(a >= b ? 1n : 0n);
      case '==':
        return this.int(a === b ? 1n : 0n);
      case '!=':
        return this.int(a !== b ? 1n : 0n);
      default:
        return { unknown: { kind: 'operator', operator: op } };
    }
    if (!type.unsigned && !fits(exact, type)) return { unknown: { kind: 'signed-overflow', left: a, operator: op, right: b, type: type.name } };
    return { value: wrap(exact, type), type };
  }

  /** `&&` and `||`: a known operand that decides the answer makes an unknown other one irrelevant. */
  private logical(op: '&&' | '||', left: Result, right: Result): Result {
    const decisive = op === '&&' ? (v: bigint) => v === 0n : (v: bigint) => v !== 0n;
    const decided = op === '&&' ? 0n : 1n;
    if (!isUnknown(left) && decisive(left.value)) return this.int(decided);
    if (!isUnknown(right) && decisive(right.value) && !isUnknown(left)) return this.int(decided);
    if (isUnknown(left)) return left;
    if (isUnknown(right)) return right;
    return this.int(1n - decided);
  }

  private shift(op: '<<' | '>>', left: Typed, right: Typed): Result {
    const type = this.normalise(left.type.rank < 3 ? INT : left.type);
    const count = right.value;
    if (count < 0n) return { unknown: { kind: 'negative-shift', count } };
    if (count >= BigInt(type.bits)) return { unknown: { kind: 'shift-too-far', count, bits: type.bits } };
    const value = op === '<<' ? wrap(left.value << count, type) : left.value >> count;
    return { value, type };
  }

  /** `+x`, `-x`, `~x`, `!x`. */
  unary(op: string, operand: Result): Result {
    if (isUnknown(operand)) return operand;
    if (op === '!') return this.int(operand.value === 0n ? 1n : 0n);
    const type = this.normalise(operand.type.rank < 3 ? INT : operand.type);
    if (op === '+') return { value: wrap(operand.value, type), type };
    if (op === '~') return { value: wrap(~operand.value, type), type };
    const negated = -wrap(operand.value, type);
    if (!type.unsigned && !fits(negated, type)) return { unknown: { kind: 'negation-overflow', operand: operand.value } };
    return { value: wrap(negated, type), type };
  }

  /** A cast to `type` (undefined when its width is not known), written `text`. */
  convert(operand: Result, type: IntType | undefined, text: string): Result {
    if (isUnknown(operand)) return operand;
    if (!type) {
      if (/\b(float|double)\b/.test(text)) return { unknown: { kind: 'cast-to-floating', type: text } };
      // a cast to a type whose width is unknown keeps the value when it is small enough for any integer type
      return operand.value >= 0n && operand.value < 0x80000000n ? operand : { unknown: { kind: 'cast-to-unsized', type: text } };
    }
    if (type.name === 'bool') return { value: operand.value !== 0n ? 1n : 0n, type };
    return { value: wrap(operand.value, type), type: this.normalise(type) };
  }
}
