// The size, alignment and member offsets of a type, for one target and compiler, as the compiler computes them.
// Builtins are in builtins.ts, records in record.ts (alignment.ts: where pack meets align; bitfields.ts: MSVC's
// units). A `ref` resolves here, with a bound on the chain; a record inside itself, or nested past a bound,
// ends with an unknown and its reason, never with a stack overflow.

import { measureBuiltin } from './builtins.js';
import { MAX_NESTING, isUnknown, resolveType, type Context } from './context.js';
import type { CType, Measured, RecordType } from './ctype.js';
import { layoutRecord, recordName } from './record.js';
import type { LayoutRules } from './rules.js';
import type { Layout, Placed } from './shapes.js';

export type { Layout, Member } from './shapes.js';
export { layoutRules, type LayoutRules } from './rules.js';

/** The layout of `type` under `rules` (one `layoutRules(target, compiler)` per configuration: it caches records). */
export function measure(type: CType, rules: LayoutRules): Measured<Layout> {
  const placed = measurePlaced(type, { rules, depth: 0, visiting: new Set(), records: rules.records ?? new WeakMap(), measure: measurePlaced });
  if (isUnknown(placed)) return placed;
  return { size: placed.size, align: placed.align, members: placed.members, notes: placed.notes };
}

function measurePlaced(type: CType, ctx: Context): Measured<Placed> {
  const t = resolveType(type);
  if ('unknown' in t) return t;
  switch (t.kind) {
    case 'array': {
      if (t.count === undefined) return { unknown: { kind: 'type-without-size', type: 'an array of unknown bound' } };
      const element = measurePlaced(t.of, ctx);
      if (isUnknown(element)) return element;
      // the element's notes stay: an array of a packed struct is the size it is for the same reason
      return { ...element, size: element.size * t.count, members: new Map(), empty: false, vptr: false, dataSize: undefined };
    }
    case 'record':
      return measureRecord(t.record, ctx);
    default:
      return measureBuiltin(t, ctx.rules);
  }
}

function measureRecord(record: RecordType, ctx: Context): Measured<Placed> {
  const cached = ctx.records.get(record);
  if (cached) return cached;
  if (ctx.visiting.has(record)) return { unknown: { kind: 'record-contains-itself', record: recordName(record) } };
  if (ctx.depth > MAX_NESTING) return { unknown: { kind: 'type-too-deep', name: recordName(record) } };
  const placed = layoutRecord(record, ctx);
  // only a layout is kept: an unknown may come from how deep this path was, which another path is not
  if (!isUnknown(placed)) ctx.records.set(record, placed);
  return placed;
}
