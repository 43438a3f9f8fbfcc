// The one C/C++ lexer: what a character is (identifier, digit), where a comment, a string or character
// literal, a raw string, a preprocessing number or a directive's logical line ends, and the comments of a
// text. Every scanner of C text uses it: the tokenizer (tokens.ts), the window outline (parse/outline.ts),
// disable directives (linter/directives.ts) and the ESLint plugin's comments (eslint/comments.ts).
//
// The rules are translation phases 1–3 as far as granule needs them: a backslash before a line break (LF,
// CRLF or CR) splices the line, in comments, literals and directives alike; an unterminated literal ends at
// the line break; `'` between digits is a digit separator (C++14, C23). Never throws.

/** ASCII letters, digits, `_` and `$`; every non-ASCII character counts as part of an identifier too. */
const IDENT = new Uint8Array(128);
for (let c = 0; c < 128; c++) IDENT[c] = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 ? 1 : c >= 48 && c <= 57 ? 2 : 0;

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isIdentStart(c: number): boolean {
  return c > 127 || IDENT[c] === 1;
}

export function isIdentPart(c: number): boolean {
  // (NaN, past the end of the text, is not)
  return c > 127 || IDENT[c]! > 0;
}

/** The encoding prefixes of raw strings: `R"(...)"`, `LR`, `uR`, `UR`, `u8R`. */
export const RAW_PREFIXES: ReadonlySet<string> = new Set(['R', 'LR', 'uR', 'UR', 'u8R']);

/** End of a `//` comment starting at `i` (at its line break); a backslash before the line break continues it. */
export function lineCommentEnd(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      // a backslash before the newline continues the comment
      let k = i - 1;
      if (c === 10 && text.charCodeAt(k) === 13) k--;
      if (text.charCodeAt(k) === 92 && k > 0) {
        i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
        continue;
      }
      return i;
    }
    i++;
  }
  return n;
}

/** End (exclusive) of a `/* *\/` comment starting at `i`; an unterminated one runs to the end of the text. */
export function blockCommentEnd(text: string, i: number): number {
  const end = text.indexOf('*/', i + 2);
  return end < 0 ? text.length : end + 2;
}

/** End (exclusive) of a string or character literal; an unterminated one ends at the line break. */
export function quotedEnd(text: string, i: number, quote: number): number {
  const n = text.length;
  let j = i + 1;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (c === quote) return j + 1;
    if (c === 92) {
      j += text.charCodeAt(j + 1) === 13 && text.charCodeAt(j + 2) === 10 ? 3 : 2;
      continue;
    }
    if (c === 10 || c === 13) return j;
    j++;
  }
  return n;
}

/** End of a raw string literal R"delim( ... )delim" whose quote is at `q` (a plain string when it has no delimiter). */
export function rawStringEnd(text: string, q: number): number {
  const paren = text.indexOf('(', q + 1);
  if (paren < 0 || paren - q - 1 > 16) return quotedEnd(text, q, 34);
  const close = text.indexOf(`)${text.slice(q + 1, paren)}"`, paren + 1);
  return close < 0 ? text.length : close + paren - q + 1;
}

/** End of a preprocessing number: digits, letters, `.`, digit separators `'`, and exponent signs. */
export function numberEnd(text: string, i: number): number {
  const n = text.length;
  let j = i + 1;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (isIdentPart(c) || c === 46) j++;
    else if (c === 39 && isIdentPart(text.charCodeAt(j + 1))) j += 2;
    else if ((c === 43 || c === 45) && /[eEpP]/.test(text[j - 1]!)) j++;
    else break;
  }
  return j;
}

/** `R`, `LR`, `uR`, `UR` or `u8R`, as a whole word, right before the quote at `q` (for scanners that jump over words). */
export function rawPrefixBefore(text: string, q: number): boolean {
  if (text.charCodeAt(q - 1) !== 82 /* R */) return false;
  let start = q - 1;
  while (start > 0 && isIdentPart(text.charCodeAt(start - 1))) start--;
  return RAW_PREFIXES.has(text.slice(start, q));
}

/** The quote at `q` follows a number (a digit separator, `1'000`), not a word like `L` or `u8` (for scanners that jump over words). */
export function numberBefore(text: string, q: number): boolean {
  if (!isIdentPart(text.charCodeAt(q - 1))) return false;
  let start = q - 1;
  // a number's token may itself contain separators: 1'000'000
  while (start > 0 && (isIdentPart(text.charCodeAt(start - 1)) || text.charCodeAt(start - 1) === 39 || text.charCodeAt(start - 1) === 46)) start--;
  return isDigit(text.charCodeAt(start)) || (text.charCodeAt(start) === 46 && isDigit(text.charCodeAt(start + 1)));
}

/** End of a directive's logical line starting at `i`: line splices and block comments extend it. */
export function directiveEnd(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
    if (c === 92 && (text.charCodeAt(i + 1) === 10 || text.charCodeAt(i + 1) === 13)) {
      i += text.charCodeAt(i + 1) === 13 && text.charCodeAt(i + 2) === 10 ? 3 : 2;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 42) {
      i = blockCommentEnd(text, i);
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 47) return lineCommentEnd(text, i);
    if (c === 34 || c === 39) {
      i = quotedEnd(text, i, c);
      continue;
    }
    i++;
  }
  return n;
}

/** The end (exclusive) of the literal or word starting at `i` that can hide a comment opener, or -1 for none. */
function skippedEnd(text: string, i: number, c: number): number {
  if (c === 34 || c === 39) return quotedEnd(text, i, c);
  if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) return numberEnd(text, i);
  if (!isIdentStart(c)) return -1;
  let j = i + 1;
  while (j < text.length && isIdentPart(text.charCodeAt(j))) j++;
  return text.charCodeAt(j) === 34 && RAW_PREFIXES.has(text.slice(i, j)) ? rawStringEnd(text, j) : j;
}

export interface Comment {
  kind: 'line' | 'block';
  /** 0-based offsets of the whole comment, delimiters included. */
  start: number;
  end: number;
  /** Offsets of the text between the delimiters. */
  bodyStart: number;
  bodyEnd: number;
}

/** The comments of C/C++ text, in order, skipping strings, character literals, raw strings and digit separators. */
export function* comments(text: string): Generator<Comment> {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      const end = lineCommentEnd(text, i);
      yield { kind: 'line', start: i, end, bodyStart: i + 2, bodyEnd: end };
      i = end;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
      const end = blockCommentEnd(text, i);
      const closed = end >= i + 4 && text.charCodeAt(end - 1) === 47 && text.charCodeAt(end - 2) === 42;
      yield { kind: 'block', start: i, end, bodyStart: i + 2, bodyEnd: closed ? end - 2 : end };
      i = end;
      continue;
    }
    const skipped = skippedEnd(text, i, c);
    i = skipped < 0 ? i + 1 : skipped;
  }
}
