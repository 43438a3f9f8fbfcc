// Strings that outlive the text they were cut from. V8 makes a slice of 13 characters or more (a node's text, a
// name read from a parsed text) a view of the whole string it came from, which it keeps alive: one callee name in
// a finding, a name in a run-wide cache or set, kept a big file's parsed text (100 MB for a 50 MB file of wine's
// code) alive until the end of the run. What a run keeps beyond one file's analysis is copied with ownCopy.

/** Below this length V8 copies a slice anyway (SlicedString::kMinLength). */
const SLICE_MIN_LENGTH = 13;

/** `s` as a string of its own, keeping nothing else alive (the same characters). */
export function ownCopy(s: string): string {
  // (a concatenation is flattened into a fresh string before it is sliced: the slice's parent is that small copy)
  return s.length < SLICE_MIN_LENGTH ? s : (' ' + s).slice(1);
}

/** Findings, notices and other plain results of one file as data of their own (strings copied, see ownCopy). */
export function ownCopies<T>(value: T): T {
  return structuredClone(value);
}
