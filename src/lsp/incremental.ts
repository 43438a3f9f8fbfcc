// Incremental re-parsing for the language server. The tree is edited from the difference between the text
// parsed last time and the text about to be parsed: that text is the buffer after preprocessing (dead branches
// blanked, calling-convention macros neutralised), so a change to an `#if` that blanks or restores code far away
// is an edit tree-sitter hears about too, which the editor's own change ranges would not tell it.

import type ParserType from 'tree-sitter';
import { occurrencesAfterEdit } from '../engine/occurrences.js';
import type { Language, Tree } from '../engine/parse.js';

type Edit = ParserType.Edit;
type Point = ParserType.Point;

/** The single edit that turns `before` into `after` (common prefix and suffix kept), or undefined when equal. */
export function editBetween(before: string, after: string): Edit | undefined {
  if (before === after) return undefined;
  const max = Math.min(before.length, after.length);
  const start = commonPrefix(before, after, max);
  const suffix = commonSuffix(before, after, max - start);
  const oldEnd = before.length - suffix;
  const newEnd = after.length - suffix;
  const startPosition = pointAt(before, start);
  return {
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition,
    oldEndPosition: pointFrom(before, start, startPosition, oldEnd),
    newEndPosition: pointFrom(after, start, startPosition, newEnd),
  };
}

/** Compared a block at a time: string equality runs natively, a character loop would not. */
const BLOCK = 1024;

function commonPrefix(a: string, b: string, max: number): number {
  let n = 0;
  while (n + BLOCK <= max && a.slice(n, n + BLOCK) === b.slice(n, n + BLOCK)) n += BLOCK;
  while (n < max && a.charCodeAt(n) === b.charCodeAt(n)) n++;
  return n;
}

function commonSuffix(a: string, b: string, max: number): number {
  let n = 0;
  while (n + BLOCK <= max && a.slice(a.length - n - BLOCK, a.length - n) === b.slice(b.length - n - BLOCK, b.length - n)) n += BLOCK;
  while (n < max && a.charCodeAt(a.length - 1 - n) === b.charCodeAt(b.length - 1 - n)) n++;
  return n;
}

/** tree-sitter points: rows count `\n` only; columns are UTF-16 units, as node tree-sitter reads JS strings. */
function pointAt(text: string, offset: number): Point {
  return pointFrom(text, 0, { row: 0, column: 0 }, offset);
}

function pointFrom(text: string, from: number, at: Point, offset: number): Point {
  let row = at.row;
  let lineStart = from - at.column;
  for (let i = text.indexOf('\n', from); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

/**
 * Keeps one document's last tree, the text it was parsed from and where names occur in that text, and hands the
 * next analysis the tree edited to match its text (tree-sitter reuses the unchanged parts) and the occurrences
 * moved past the edit. `commit` makes a finished analysis the next starting point; a failed analysis calls
 * `reset`, since the old tree may already have been edited.
 */
export class IncrementalTree {
  private tree: Tree | undefined;
  private text: string | undefined;
  private language: Language | undefined;
  private occurrences: ReadonlyMap<string, readonly number[]> | undefined;
  private pendingText: string | undefined;
  private pendingLanguage: Language | undefined;
  /** The edit from the committed text to the pending one; undefined when they are equal or unrelated. */
  private pendingEdit: Edit | undefined;
  private related = false;
  /** Whether the last parse started from an earlier tree (for tests and the benchmark). */
  reused = false;

  readonly previousTree = (parsedText: string, language: Language): Tree | undefined => {
    this.pendingText = parsedText;
    this.pendingLanguage = language;
    this.pendingEdit = undefined;
    this.related = false;
    this.reused = false;
    if (!this.tree || this.text === undefined || language !== this.language) return undefined;
    const edit = editBetween(this.text, parsedText);
    if (edit) this.tree.edit(edit);
    this.pendingEdit = edit;
    this.related = true;
    this.reused = true;
    return this.tree;
  };

  /** A name's whole-word offsets in the pending text, from those of the committed text; undefined when unknown. */
  readonly knownOccurrences = (name: string): number[] | undefined => {
    const before = this.related ? this.occurrences?.get(name) : undefined;
    if (!before || this.pendingText === undefined) return undefined;
    return this.pendingEdit ? occurrencesAfterEdit(before, this.pendingEdit, name, this.pendingText) : [...before];
  };

  commit(tree: Tree, occurrences?: ReadonlyMap<string, readonly number[]>): void {
    this.tree = tree;
    this.text = this.pendingText;
    this.language = this.pendingLanguage;
    this.occurrences = occurrences;
  }

  reset(): void {
    this.tree = undefined;
    this.text = undefined;
    this.language = undefined;
    this.occurrences = undefined;
  }
}
