// What every part of the evaluator shares: the result of evaluating part of an expression, what the caller
// tells the evaluator about names and types, and the error that stops reading an expression.

import type { MacroLookup } from '../macros/macros.js';
import { describeReason, type Reason } from '../model/reasons.js';
import type { IntType, TargetModel } from '../model/target.js';
import type { Compiler } from '../model/configuration.js';
import type { CType } from '../types/ctype.js';

export type Typed = { value: bigint; type: IntType };
/** A (sub)expression's value with its C type, or why it is not known. */
export type Result = Typed | { unknown: Reason };

/**
 * The Windows SDK's built-in types (the generated tables of types/sdk.ts: `sdkTypedef`, `sdkRecord`), asked for
 * a type name after the sources and their headers, which win over it. None is given until the tables exist.
 */
export interface SdkLookup {
  /** The type `words` names in the SDK (`SYSTEM_INFO`, `struct _MEMORY_BASIC_INFORMATION`, `PVOID`), if any. */
  type(words: string): CType | undefined;
}

/** A constant function's value for its arguments' values, with how each size in it was found (for evidence). */
export type ConstantFunction = (args: readonly Result[]) => { result: Result; notes: readonly string[] };

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
  /** The declared type of a name visible here: a local, a parameter, a global, a member reached through `this`. */
  typeOfName?(name: string): CType | undefined;
  /** The type a type name stands for (`struct S`, `SYSTEM_INFO`, `PFOO`), or undefined when it names no type. */
  typeNamed?(words: string): CType | undefined;
  /**
   * A function a constant expression may call (a C++ `constexpr` function of the sources), as what its value is for
   * given arguments; undefined when `name` names none. Asked only for a name followed by `(`.
   */
  constantFunction?(name: string): ConstantFunction | undefined;
  /** Whose layout rules measure records (sizeof, alignof, offsetof); msvc when not given. */
  compiler?: Compiler;
  /** The file's expansion budget (ExpansionContext.fileBudget). */
  expansionBudget?: { left: number };
}

/** Input the grammar cannot read: thrown from deep in the descent, caught once in evaluateTokens. */
export class ParseError extends Error {
  constructor(readonly reason: Reason) {
    super(describeReason(reason));
  }
}

export function isUnknown(r: Result): r is { unknown: Reason } {
  return 'unknown' in r;
}
