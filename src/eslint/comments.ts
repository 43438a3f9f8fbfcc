// Finds the comments of a C/C++ text, with the engine's lexer. Read from the original text, not the tree: the
// tree is built from text whose dead `#if` branches and decided directive lines are blanked, and a disable
// comment may sit on such a line.

import { comments } from '../engine/text/lexer.js';

export interface Comment {
  kind: 'line' | 'block';
  /** 0-based offsets of the whole comment, delimiters included. */
  start: number;
  end: number;
  /** The text between the delimiters. */
  value: string;
}

export function scanComments(text: string): Comment[] {
  return Array.from(comments(text), (c) => ({ kind: c.kind, start: c.start, end: c.end, value: text.slice(c.bodyStart, c.bodyEnd) }));
}
