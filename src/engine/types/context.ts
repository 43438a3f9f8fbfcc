// What measuring one type carries down into the types inside it: the rules, how deep it is, which records are
// being laid out (a record inside itself is an error, not a stack overflow), and the measure of a nested type
// (passed in, so the record layout and the dispatch on kinds need not import each other).

import type { Reason } from '../model/reasons.js';
import type { CType, Measured, RecordType } from './ctype.js';
import type { LayoutRules } from './rules.js';
import type { Placed } from './shapes.js';

/** Typedef chains longer than this end with an unknown: real code never comes close, a chain through itself does. */
export const MAX_REF_DEPTH = 64;
/** Records nested by value deeper than this end with an unknown (the stack stays small whatever the input). */
export const MAX_NESTING = 128;

export interface Context {
  rules: LayoutRules;
  depth: number;
  visiting: ReadonlySet<RecordType>;
  /** The rules' cache of measured records (or one for this measure() call). */
  records: WeakMap<RecordType, Measured<Placed>>;
  measure(type: CType, ctx: Context): Measured<Placed>;
}

/** The type a `ref` chain ends at, or why it ends nowhere. Never returns a `ref` or an `unknown`. */
export function resolveType(type: CType): Exclude<CType, { kind: 'ref' | 'unknown' }> | { unknown: Reason } {
  let t = type;
  for (let steps = 0; t.kind === 'ref'; steps++) {
    if (steps >= MAX_REF_DEPTH) return { unknown: { kind: 'type-too-deep', name: type.kind === 'ref' ? type.name : t.name } };
    t = t.resolve();
  }
  if (t.kind === 'unknown') return { unknown: t.reason };
  return t;
}

export function isUnknown<T extends object>(m: Measured<T>): m is { unknown: Reason } {
  return 'unknown' in m;
}
