// The order of everything granule reports: by UTF-16 code unit, the same on every machine. `localeCompare` would
// follow the user's locale (Swedish sorts `ä` after `z`, English beside `a`), so the same tree would give reports in
// different orders, and its first call loads ICU's collation data, which a single-file run pays for.

/** Compares two strings by code unit: negative, zero or positive, as a sort comparator wants. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
