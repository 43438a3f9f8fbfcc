// Editing a tree for a text of the same length whose code changed in places (a wider window brings code back,
// another target's `#if` branches keep other code), so that tree-sitter re-parses only those places. Offsets and
// line breaks stay where they were: each edit replaces a stretch by one of the same length.

import type { Tree } from './parse.js';

/** More stretches of changed code than this make a fresh parse cheaper than editing the old tree. */
export const MAX_EDITS = 256;

/**
 * Marks each [start, end) stretch (in increasing order) changed in `tree`, whose text is `text`'s length. The tree
 * is edited in place: its nodes keep their types and offsets (a stretch keeps its length), only the marks that an
 * incremental parse reads change.
 */
export function editStretches(tree: Tree, text: string, stretches: readonly (readonly [number, number])[]): Tree {
  const points = pointFinder(text);
  for (const [start, end] of stretches) {
    const startPosition = points(start);
    const endPosition = points(end);
    tree.edit({ startIndex: start, oldEndIndex: end, newEndIndex: end, startPosition, oldEndPosition: endPosition, newEndPosition: endPosition });
  }
  return tree;
}

/**
 * The stretches where two texts of the same length differ, merged where fewer than `gap` equal characters lie
 * between; undefined when there are more than MAX_EDITS of them.
 */
export function differingStretches(a: string, b: string, gap = 64): [number, number][] | undefined {
  const out: [number, number][] = [];
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n) {
    if (a.charCodeAt(i) === b.charCodeAt(i)) {
      i++;
      continue;
    }
    const start = i;
    let end = i + 1;
    // (on while another difference follows within `gap` characters: each character is read once)
    for (let j = end; j < n && j < end + gap; j++) if (a.charCodeAt(j) !== b.charCodeAt(j)) end = j + 1;
    out.push([start, end]);
    if (out.length > MAX_EDITS) return undefined;
    i = end;
  }
  return out;
}

/** Offset → tree-sitter point (row by line feed, column in UTF-16 units), for increasing offsets. */
function pointFinder(text: string): (offset: number) => { row: number; column: number } {
  let row = 0;
  let rowStart = 0;
  let scanned = 0;
  return (offset) => {
    for (let nl = text.indexOf('\n', scanned); nl >= 0 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
      row++;
      rowStart = nl + 1;
    }
    scanned = Math.max(scanned, offset);
    return { row, column: offset - rowStart };
  };
}
