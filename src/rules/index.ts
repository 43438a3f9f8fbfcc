// Every rule granule has. Ids are public API: never rename one.

import type { GranuleRule } from './create-rule.js';
import largePageSize from './large-page-size.js';
import mapviewGranularity from './mapview-granularity.js';
import unresolvedAllocationSize from './unresolved-allocation-size.js';
import virtualallocGranularity from './virtualalloc-granularity.js';
import virtualfreeMisuse from './virtualfree-misuse.js';

export const rules: readonly GranuleRule<string, unknown[]>[] = [
  virtualallocGranularity,
  largePageSize,
  mapviewGranularity,
  unresolvedAllocationSize,
  virtualfreeMisuse,
];

export const rulesById: ReadonlyMap<string, GranuleRule<string, unknown[]>> = new Map(rules.map((r) => [r.name, r]));

/** A rule by its id or its short code (GR1; any letter case). */
export function findRule(idOrCode: string): GranuleRule<string, unknown[]> | undefined {
  return rulesById.get(idOrCode) ?? rules.find((r) => r.meta.code.toLowerCase() === idOrCode.toLowerCase());
}
