// What the evaluator measures: sizeof and alignof of a type, offsetof and its SDK spellings (FIELD_OFFSET,
// RTL_FIELD_SIZE, ...), and element counts (ARRAYSIZE, _countof, std::size). Each measured value says how it was
// found (`sizeof(struct thunk) = 19 (#pragma pack 1)`), for the evidence of the size it ends up in.

import type { Reason } from '../model/reasons.js';
import type { Token } from '../text/tokens.js';
import type { CType } from '../types/ctype.js';
import { layoutRules, measure, type Layout } from '../types/layout.js';
import { resolveType } from '../types/members.js';
import { typeText } from '../types/type-text.js';
import type { EvalEnv, Result } from './env.js';
import { typeOfTokens } from './expression-types.js';
import { readTypeName } from './type-names.js';

/** A measured number with how it was found, or why it could not be. */
export type Measurement = { value: bigint; note?: string } | { unknown: Reason };

/** The offsetof family: each gives the offset of a member, its size, or both added. */
const OFFSET_OPERATORS: Record<string, 'offset' | 'size' | 'through'> = {
  offsetof: 'offset',
  __builtin_offsetof: 'offset',
  FIELD_OFFSET: 'offset',
  UFIELD_OFFSET: 'offset',
  RTL_FIELD_SIZE: 'size',
  RTL_SIZEOF_THROUGH_FIELD: 'through',
};

/** Element counts of an array: the SDK's, the CRT's and the common spellings (used when no header defines them). */
const COUNT_OPERATORS = new Set(['ARRAYSIZE', '_ARRAYSIZE', '_countof', 'RTL_NUMBER_OF', 'RTL_NUMBER_OF_V1', 'RTL_NUMBER_OF_V2', 'ARRAY_SIZE']);

export function isOffsetOperator(name: string): boolean {
  return name in OFFSET_OPERATORS;
}

export function isTypeOperator(name: string, qualifiedByStd: boolean): boolean {
  return name in OFFSET_OPERATORS || COUNT_OPERATORS.has(name) || (qualifiedByStd && name === 'size');
}

function layoutOf(type: CType, env: EvalEnv) {
  return measure(type, layoutRules(env.model.name, env.compiler ?? 'msvc'));
}

/** True for the types a size needs no explanation for: integers, floating point, pointers. */
function isScalar(type: CType): boolean {
  return type.kind === 'int' || type.kind === 'float' || type.kind === 'pointer' || type.kind === 'void';
}

function explained(layout: Layout): string {
  return layout.notes.length ? ` (${layout.notes.join(', ')})` : '';
}

/** sizeof or alignof of a type written `written` (a type name, or an expression of that type). */
export function measureType(type: CType, written: string, what: 'size' | 'align', env: EvalEnv, expression = false): Measurement {
  const layout = layoutOf(type, env);
  if ('unknown' in layout) return { unknown: { kind: 'size-of-type-unknown', type: expression ? writtenType(type) : written, inner: layout.unknown } };
  const value = what === 'size' ? layout.size : layout.align;
  const operator = what === 'size' ? 'sizeof' : 'alignof';
  if (isScalar(resolveType(type)) && !expression) return { value };
  const of = expression ? ` (${writtenType(type)}${layout.notes.length ? `, ${layout.notes.join(', ')}` : ''})` : explained(layout);
  return { value, note: `${operator}(${written}) = ${value}${of}` };
}

/** sizeof or alignof of the expression `tokens`. */
export function measureExpression(tokens: readonly Token[], what: 'size' | 'align', env: EvalEnv): Measurement {
  const typed = typeOfTokens(tokens, env);
  // an evaluation without declarations (a #if, a header's constant) does not type names at all
  if ('unknown' in typed) return env.typeOfName ? typed : { unknown: { kind: 'sizeof-expression' } };
  return measureType(typed.type, tokensText(unparenthesised(tokens)), what, env, true);
}

/** `(x)` as `x`: the parentheses of `sizeof(x)` are not part of the operand's text. */
function unparenthesised(tokens: readonly Token[]): readonly Token[] {
  if (tokens[0]?.text !== '(' || tokens[tokens.length - 1]?.text !== ')') return tokens;
  let depth = 0;
  for (let i = 0; i < tokens.length - 1; i++) {
    if (tokens[i]!.text === '(') depth++;
    else if (tokens[i]!.text === ')') depth--;
    if (depth === 0) return tokens;
  }
  return tokens.slice(1, -1);
}

/**
 * `offsetof(T, m)` and its kin: `args` are the tokens of each argument. The member may be a designator, as GCC,
 * Clang and MSVC accept: `s.inner`, `a[2]`, `a[N - 1].x`, each subscript a constant expression `subscript` evaluates.
 */
export function offsetOperator(name: string, args: readonly Token[][], env: EvalEnv, subscript: (tokens: readonly Token[]) => Result): Measurement {
  const kind = OFFSET_OPERATORS[name]!;
  const [typeTokens, designator] = args;
  if (args.length !== 2 || !typeTokens?.length || !designator?.length) return { unknown: { kind: 'call', callee: name } };
  const written = readTypeName([...typeTokens, { kind: 'punct', text: ')', offset: 0, spaceBefore: false }], 0, ')', env);
  if (!written?.ctype) return { unknown: { kind: 'type-not-declared', type: tokensText(typeTokens) } };
  return memberOffset(kind === 'offset' ? 'offsetof' : name, written.ctype, written.text, designator, env, subscript);
}

/**
 * What `operator(T, designator)` measures in `record` (written `written`): the member's offset (offsetof), its
 * size (RTL_FIELD_SIZE) or both added (RTL_SIZEOF_THROUGH_FIELD).
 */
export function memberOffset(
  operator: string,
  record: CType,
  written: string,
  designator: readonly Token[],
  env: EvalEnv,
  subscript: (tokens: readonly Token[]) => Result,
): Measurement {
  const kind = OFFSET_OPERATORS[operator] ?? 'offset';
  let type = record;
  let offset = 0n;
  for (let i = 0; i < designator.length; i++) {
    const t = designator[i]!;
    if (t.text === '.') continue;
    const layout = layoutOf(type, env);
    if ('unknown' in layout) return { unknown: { kind: 'size-of-type-unknown', type: writtenType(type), inner: layout.unknown } };
    if (t.kind === 'ident') {
      const member = layout.members.get(t.text);
      if (!member) return { unknown: { kind: 'no-member', type: writtenType(type), member: t.text } };
      offset += member.offset;
      type = member.type;
    } else if (t.text === '[') {
      const close = closingBracket(designator, i);
      const element = resolveType(type);
      if (close === undefined) return { unknown: { kind: 'expected-token', expected: ']', found: tokensText(designator.slice(i)) } };
      if (element.kind !== 'array') return { unknown: { kind: 'array-element' } };
      const index = subscript(designator.slice(i + 1, close));
      if ('unknown' in index) return index;
      const size = layoutOf(element.of, env);
      if ('unknown' in size) return { unknown: size.unknown };
      offset += index.value * size.size;
      type = element.of;
      i = close;
    } else return { unknown: { kind: 'unexpected-token', token: t.text } };
  }
  const memberText = tokensText(designator);
  if (kind === 'offset') return { value: offset, note: `offsetof(${written}, ${memberText}) = ${offset}` };
  const size = layoutOf(type, env);
  if ('unknown' in size) return { unknown: { kind: 'size-of-type-unknown', type: writtenType(type), inner: size.unknown } };
  const value = kind === 'size' ? size.size : offset + size.size;
  return { value, note: `${operator}(${written}, ${memberText}) = ${value}` };
}

/** The index of the `]` that closes the `[` at `open`, or undefined. */
function closingBracket(tokens: readonly Token[], open: number): number | undefined {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i]!.text === '[') depth++;
    else if (tokens[i]!.text === ']' && --depth === 0) return i;
  }
  return undefined;
}

/** `ARRAYSIZE(a)`, `std::size(a)`: the element count of an array expression. */
export function countOperator(name: string, args: readonly Token[][], env: EvalEnv): Measurement {
  if (args.length !== 1 || !args[0]!.length) return { unknown: { kind: 'call', callee: name } };
  const typed = typeOfTokens(args[0]!, env);
  if ('unknown' in typed) return typed;
  const array = resolveType(typed.type);
  const written = tokensText(args[0]!);
  if (array.kind !== 'array') return { unknown: { kind: 'type-of-expression-unknown', expression: `${written}, which is not an array,` } };
  if (array.count === undefined) return { unknown: { kind: 'array-without-bound', type: typeText(array.of) } };
  return { value: array.count, note: `${name}(${written}) = ${array.count} (${typeText(array)})` };
}

/** `std::extent<T>`: `argument` is `decltype(expr)` or a type name; its outermost array bound (0 when not an array). */
export function extentOperator(argument: readonly Token[], env: EvalEnv): Measurement {
  const decltype = argument[0]?.text === 'decltype' && argument[1]?.text === '(' && argument[argument.length - 1]?.text === ')';
  let type: CType | undefined;
  if (decltype) {
    const typed = typeOfTokens(argument.slice(2, -1), env);
    if ('unknown' in typed) return typed;
    type = typed.type;
  } else type = readTypeName([...argument, { kind: 'punct', text: ')', offset: 0, spaceBefore: false }], 0, ')', env)?.ctype;
  const written = tokensText(argument);
  if (!type) return { unknown: { kind: 'type-not-declared', type: written } };
  const array = resolveType(type);
  if (array.kind !== 'array') return { value: 0n };
  if (array.count === undefined) return { unknown: { kind: 'array-without-bound', type: typeText(array.of) } };
  return { value: array.count, note: `std::extent<${written}> = ${array.count} (${typeText(array)})` };
}

/** A type as the code names it: a typedef's or a tag's name when it is one (`THUNK`, an untagged struct's typedef). */
function writtenType(type: CType): string {
  return type.kind === 'ref' ? type.name : typeText(resolveType(type));
}

function tokensText(tokens: readonly Token[]): string {
  let out = '';
  for (const t of tokens) out += out && /\w$/.test(out) && /^\w/.test(t.text) ? ` ${t.text}` : t.text;
  return out;
}
