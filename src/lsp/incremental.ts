// Incremental re-parsing for the language server. The tree is edited from the difference between the text
// parsed last time and the text about to be parsed: that text is the buffer after preprocessing (dead branches
// blanked, calling-convention macros neutralised), so a change to an `#if` that blanks or restores code far away
// is an edit tree-sitter hears about too, which the editor's own change ranges would not tell it.

import type ParserType from 'tree-sitter';
import type { Language, Tree } from '../engine/parse.js';

type Edit = ParserType.Edit;
type Point = ParserType.Point;

/** The single edit that turns `before` into `after` (common prefix and suffix kept), or undefined when equal. */
export function editBetween(before: string, after: string): Edit | undefined {
  if (before === after) return undefined;
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let suffix = 0;
  while (suffix < max - start && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
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
 * Keeps one document's last tree and the text it was parsed from, and hands the analysis the tree edited to
 * match the new text. `commit` makes the tree of a finished analysis the next starting point; a failed analysis
 * calls `reset`, since the old tree may already have been edited.
 */
export class IncrementalTree {
  private tree: Tree | undefined;
  private text: string | undefined;
  private language: Language | undefined;
  private pendingText: string | undefined;
  private pendingLanguage: Language | undefined;
  /** Whether the last parse started from an earlier tree (for tests and the benchmark). */
  reused = false;

  readonly previousTree = (parsedText: string, language: Language): Tree | undefined => {
    this.pendingText = parsedText;
    this.pendingLanguage = language;
    this.reused = false;
    if (!this.tree || this.text === undefined || language !== this.language) return undefined;
    const edit = editBetween(this.text, parsedText);
    if (edit) this.tree.edit(edit);
    this.reused = true;
    return this.tree;
  };

  commit(tree: Tree): void {
    this.tree = tree;
    this.text = this.pendingText;
    this.language = this.pendingLanguage;
  }

  reset(): void {
    this.tree = undefined;
    this.text = undefined;
    this.language = undefined;
  }
}
