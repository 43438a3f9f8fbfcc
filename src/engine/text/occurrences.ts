// Where a name occurs as a whole word in a text: how the analysis finds calls and declarations without walking
// the tree. The language server carries the offsets over from one version of a buffer to the next, searching
// again only around the edit.

/** Offsets where `name` occurs in `text` as a whole word, starting in [from, to]. */
export function wordOccurrences(text: string, name: string, from = 0, to = text.length): number[] {
  const out: number[] = [];
  // searched within a slice: indexOf on the whole text would run on to the next occurrence, however far away
  const within = to + name.length + 1 < text.length ? text.slice(0, to + name.length + 1) : text;
  for (let i = within.indexOf(name, from); i >= 0 && i <= to; i = within.indexOf(name, i + name.length)) {
    const before = i > 0 ? text.charCodeAt(i - 1) : 32;
    const after = within.charCodeAt(i + name.length);
    if (!isWordChar(before) && !isWordChar(after)) out.push(i);
  }
  return out;
}

/** One replacement in a text: [start, oldEnd) of the old text became [start, newEnd) of the new one. */
export interface TextEdit {
  startIndex: number;
  oldEndIndex: number;
  newEndIndex: number;
}

/**
 * A name's whole-word offsets after an edit, from its offsets before: occurrences whose surrounding characters
 * the edit did not touch are kept or moved, and only the edited span (widened by the name's length) is searched.
 */
export function occurrencesAfterEdit(before: readonly number[], edit: TextEdit, name: string, after: string): number[] {
  const { startIndex: start, oldEndIndex: oldEnd, newEndIndex: newEnd } = edit;
  const out: number[] = [];
  // untouched before the edit: the character after the name comes before it
  for (const at of before) {
    if (at + name.length >= start) break;
    out.push(at);
  }
  out.push(...wordOccurrences(after, name, Math.max(0, start - name.length), newEnd));
  // untouched after the edit: the character before the name comes after it
  const delta = newEnd - oldEnd;
  for (const at of before) if (at > oldEnd) out.push(at + delta);
  return out;
}

/** Every whole word of a text with its offsets (what wordOccurrences gives for each), in one pass. */
export function wordIndex(text: string): Map<string, number[]> {
  const index = new Map<string, number[]>();
  for (const m of text.matchAll(/[\w$]+/g)) {
    const list = index.get(m[0]);
    if (list) list.push(m.index);
    else index.set(m[0], [m.index]);
  }
  return index;
}

/** Every whole word of a text: its maximal runs of identifier characters. */
export function wordsIn(text: string): Set<string> {
  const words = new Set<string>();
  for (const m of text.matchAll(/[\w$]+/g)) words.add(m[0]);
  return words;
}

/**
 * Whether any of `names` occurs in `text` as a whole word. With many names (a run that found thousands of
 * wrappers) the text's words are listed once, so the cost grows with the text and the names, not their product.
 */
export function mentionsAnyWord(text: string, names: ReadonlySet<string> | ReadonlyMap<string, unknown>): boolean {
  if (names.size === 0) return false;
  if (names.size > MANY_NAMES) {
    for (const word of wordsIn(text)) if (names.has(word)) return true;
    return false;
  }
  for (const name of names.keys()) if (wordOccurrences(text, name).length > 0) return true;
  return false;
}

/** Past this many names, listing a text's words once beats searching the text for each name. */
export const MANY_NAMES = 32;

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
}
