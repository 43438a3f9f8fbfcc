// Reading types without measuring them: what a `ref` stands for, what a pointer points to, an array's element,
// a record's member by name (through anonymous members and bases). The evaluator types expressions with these.

import type { CType, Field, RecordType } from './ctype.js';

/** Refs followed this deep; deeper is a typedef defined through itself. */
const MAX_REFS = 64;

/** The type a chain of refs (typedefs, tags defined elsewhere) stands for. */
export function resolveType(type: CType): CType {
  let t = type;
  for (let i = 0; t.kind === 'ref' && i < MAX_REFS; i++) t = t.resolve();
  return t;
}

/** What `*e` or `e[i]` has, for a pointer or an array; undefined for anything else. */
export function elementType(type: CType): CType | undefined {
  const t = resolveType(type);
  if (t.kind === 'pointer') return t.to;
  if (t.kind === 'array') return t.of;
  return undefined;
}

/** The member `name` of a record (or of a ref to one): its type, or undefined when it has none. */
export function memberType(type: CType, name: string): CType | undefined {
  const t = resolveType(type);
  return t.kind === 'record' ? findField(t.record, name, 0)?.type : undefined;
}

function findField(record: RecordType, name: string, depth: number): Field | undefined {
  if (depth > MAX_REFS) return undefined;
  for (const field of record.fields ?? []) {
    if (field.name === name) return field;
    if (field.name === undefined) {
      const inner = resolveType(field.type);
      const found = inner.kind === 'record' ? findField(inner.record, name, depth + 1) : undefined;
      if (found) return found;
    }
  }
  for (const base of record.bases ?? []) {
    const b = resolveType(base);
    const found = b.kind === 'record' ? findField(b.record, name, depth + 1) : undefined;
    if (found) return found;
  }
  return undefined;
}
