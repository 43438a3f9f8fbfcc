// The outline of a C/C++ file that windowed parsing (window.ts) works from: its function bodies, its
// file-level declarations and its preprocessor lines, found with the shared lexer (text/lexer.ts) in one pass
// and without a parse. Inside a body or a class only braces, literals, comments and line breaks matter, so
// the reader jumps from one of those to the next there: most of a file is bodies.

import {
  blockCommentEnd,
  directiveEnd,
  isDigit,
  isIdentPart,
  isIdentStart,
  lineCommentEnd,
  numberBefore,
  numberEnd,
  quotedEnd,
  RAW_PREFIXES,
  rawPrefixBefore,
  rawStringEnd,
} from '../text/lexer.js';

export interface Body {
  /** Offset of the `{` that opens the body. */
  open: number;
  /** Offset of the `}` that closes it. */
  close: number;
  /** The function certainly takes no parameters (`(void)` or `()`), so it cannot be a wrapper. */
  paramless: boolean;
}

export interface Outline {
  /** False when the braces do not pair up: the file must be parsed whole. */
  ok: boolean;
  /** Function bodies at file, namespace or `extern "C"` level, in text order. */
  bodies: Body[];
  /**
   * Declarations at file, namespace or `extern "C"` level (a function definition is one, body included), as
   * [start, end) offsets in text order: from the first token to the `;` or the body's `}` that ends it. Tokens
   * the lexer cannot pair up this way (a macro invocation without `;`, a K&R parameter list) join the next one.
   */
  units: [number, number][];
  /** Preprocessor lines (logical lines, with continuations) as [start, end) offsets, in text order. */
  directives: [number, number][];
}

/** Identifiers after a parameter list's `)` that still end in a body: `) const {`, `) noexcept {`. */
const TRAILERS = new Set(['const', 'volatile', 'noexcept', 'override', 'final', 'throw', 'mutable']);

const DECL_NAMESPACE = 1;
const DECL_EXTERN = 2;
/** struct, class, union, enum: a brace after these opens a type, not a function body. */
const DECL_TYPE = 4;
const DECL_WORDS = new Map([
  ['namespace', DECL_NAMESPACE],
  ['extern', DECL_EXTERN],
  ['struct', DECL_TYPE],
  ['class', DECL_TYPE],
  ['union', DECL_TYPE],
  ['enum', DECL_TYPE],
]);

/** The characters that matter inside a body: braces, literals, comments, line breaks and splices. */
const SKIP = /[{}"'/\\\n\r]/g;

type Frame = 'body' | 'transparent' | 'other';

/** Finds function bodies and preprocessor lines with a small C/C++ lexer. Never throws. */
export function outline(text: string): Outline {
  return new OutlineReader(text).read();
}

/** One pass over one text; the fields are the reader's state between tokens. */
class OutlineReader {
  private readonly bodies: Body[] = [];
  private readonly units: [number, number][] = [];
  private readonly directives: [number, number][] = [];
  // the start of the file-level declaration being read (-1: between declarations), and where the last
  // namespace or extern "C" block opened or closed (a declaration never joins one across that)
  private unitStart = -1;
  private boundary = 0;
  // a declaration takes the comments and blank lines before it (where the previous one, or a block, ended)
  private gapStart = 0;
  private unitToken = -1; // the first token of the declaration being read
  // the first token after the last brace or `;` at file level
  private headStart = -1;
  private readonly stack: { kind: Frame; open: number; paramless: boolean }[] = [];
  private opaque = 0; // frames on the stack that are not namespaces / extern "C"
  private ok = true;
  // the tokens of the current top-level declaration, as far as body detection needs them
  private lastSig = ''; // ')' | 'ident' | 'string' | other punctuation
  private afterParen = false; // only trailer words since the last ')'
  private declWords = 0; // DECL_* bits of the keywords seen in the declaration
  private lastString = false;
  // the last parenthesised group at file level: a body's parameter list
  private parenDepth = 0;
  private groupOpen = -1;
  private lastGroup: [number, number] = [-1, -1];

  constructor(private readonly text: string) {}

  read(): Outline {
    const text = this.text;
    const n = text.length;
    let i = 0;
    let lineStart = true;
    while (i < n) {
      // inside a body or a class only braces matter: jump to the next character that can start a brace,
      // a comment, a literal or a line (most of a file is bodies, so this is most of the time)
      if (this.opaque > 0 && !lineStart) {
        SKIP.lastIndex = i;
        const m = SKIP.exec(text);
        if (!m) break;
        i = m.index;
      }
      const c = text.charCodeAt(i);
      // line breaks and blanks
      if (c === 10 || c === 13) {
        lineStart = true;
        i++;
        continue;
      }
      if (c === 32 || c === 9 || c === 11 || c === 12) {
        i++;
        continue;
      }
      // a backslash-newline splice outside a directive: skip it
      if (c === 92 && (text.charCodeAt(i + 1) === 10 || text.charCodeAt(i + 1) === 13)) {
        i += text.charCodeAt(i + 1) === 13 && text.charCodeAt(i + 2) === 10 ? 3 : 2;
        continue;
      }
      if (lineStart && (c === 35 /* # */ || (c === 37 /* % */ && text.charCodeAt(i + 1) === 58)) /* : */) {
        const end = directiveEnd(text, i);
        this.directives.push([lineStartOf(text, i), end]);
        i = end;
        continue;
      }
      // comments do not end the blank start of a line: `/* c */ #define X` is a directive
      if (c === 47 /* / */) {
        const d = text.charCodeAt(i + 1);
        if (d === 47) {
          i = lineCommentEnd(text, i);
          continue;
        }
        if (d === 42) {
          i = blockCommentEnd(text, i);
          continue;
        }
      }
      lineStart = false;
      i = this.token(i, c);
    }
    if (this.stack.length) this.ok = false;
    if (this.unitStart >= 0) this.units.push([this.unitStart, n]);
    const ok = this.ok;
    return { ok, bodies: ok ? this.bodies : [], units: ok ? this.units : [], directives: this.directives };
  }

  /** Reads the token at `i` (not a blank, comment or directive); returns where the next one may start. */
  private token(i: number, c: number): number {
    const text = this.text;
    if (this.opaque === 0 && c !== 123 && c !== 125 && c !== 59) {
      if (this.unitStart < 0) {
        this.unitStart = this.gapStart;
        this.unitToken = i;
      }
      if (this.headStart < 0) this.headStart = i;
    }
    if (this.opaque > 0 && (c === 34 || c === 39)) {
      // the words before a literal were jumped over: R"(...)" raw strings, and 1'000 digit separators
      if (c === 34 && rawPrefixBefore(text, i)) return rawStringEnd(text, i);
      if (c === 39 && numberBefore(text, i)) return i + 1;
    }
    if (c === 34 /* " */ || c === 39 /* ' */) {
      this.lastSig = c === 34 ? 'string' : 'value';
      this.lastString = c === 34;
      this.afterParen = false;
      return quotedEnd(text, i, c);
    }
    if (isIdentStart(c)) return this.word(i);
    if (isDigit(c) || (c === 46 /* . */ && isDigit(text.charCodeAt(i + 1)))) {
      this.lastSig = 'value';
      this.afterParen = false;
      return numberEnd(text, i);
    }
    switch (c) {
      case 123: // {
        this.openBrace(i);
        break;
      case 125: // }
        if (!this.closeBrace(i)) return text.length;
        break;
      case 40: // (
        if (this.opaque === 0 && this.parenDepth++ === 0) this.groupOpen = i;
        this.lastSig = '(';
        this.afterParen = false;
        this.lastString = false;
        break;
      case 41: // )
        if (this.opaque === 0 && this.parenDepth > 0 && --this.parenDepth === 0) this.lastGroup = [this.groupOpen, i];
        this.lastSig = ')';
        this.afterParen = true;
        this.lastString = false;
        break;
      case 59: // ;
        if (this.opaque === 0) {
          this.reset();
          // (a `;` of its own stays, as it is)
          if (this.unitStart >= 0) this.units.push([this.unitStart, i + 1]);
          this.unitStart = -1;
          this.gapStart = i + 1;
        } else this.lastSig = ';';
        break;
      default:
        this.lastSig = String.fromCharCode(c);
        this.afterParen = false;
        this.lastString = false;
    }
    return i + 1;
  }

  /** An identifier at `i`: a declaration keyword, a trailer, or the encoding prefix of a literal. */
  private word(i: number): number {
    const text = this.text;
    const n = text.length;
    let j = i + 1;
    while (j < n && isIdentPart(text.charCodeAt(j))) j++;
    const next = text.charCodeAt(j);
    // inside a body or a class only braces matter: no word needs looking at, unless a literal follows
    if (this.opaque > 0 && next !== 34 && next !== 39) return j;
    const word = text.slice(i, j);
    if (next === 34 && RAW_PREFIXES.has(word)) {
      this.lastSig = 'string';
      this.lastString = true;
      this.afterParen = false;
      return rawStringEnd(text, j);
    }
    // an encoding prefix (L"...", u8'x'): the literal follows
    if (next === 34 || next === 39) return j;
    if (this.afterParen && !TRAILERS.has(word)) this.afterParen = false;
    this.declWords |= DECL_WORDS.get(word) ?? 0;
    this.lastSig = 'ident';
    this.lastString = false;
    return j;
  }

  private openBrace(i: number): void {
    let kind: Frame = 'other';
    if (this.opaque === 0) {
      if ((this.lastSig === ')' || this.afterParen) && !(this.declWords & DECL_TYPE)) kind = 'body';
      else if (this.declWords & DECL_NAMESPACE || (this.declWords & DECL_EXTERN && this.lastString)) kind = 'transparent';
      if (kind === 'transparent') {
        // `namespace n {`, `extern "C" {`: kept, and the declarations inside are units of their own; what
        // came before the head (`struct s { ... }` with no `;`) is one
        if (this.unitStart >= 0 && this.headStart > this.unitToken) {
          let end = this.headStart;
          while (end > this.unitStart && /\s/.test(this.text[end - 1]!)) end--;
          this.units.push([this.unitStart, end]);
        }
        this.unitStart = -1;
        this.boundary = this.gapStart = i + 1;
      } else if (this.unitStart < 0) {
        // a brace that opens a declaration: `int kr(a) int a; { ... }` is one with the one before it
        const last = this.units[this.units.length - 1];
        if (last && last[1] > this.boundary) this.unitStart = this.units.pop()![0];
        else this.unitStart = this.gapStart;
      }
    }
    const [groupOpen, groupClose] = this.lastGroup;
    const paramless = kind === 'body' && groupOpen >= 0 && /^\s*(?:void\s*)?$/.test(this.text.slice(groupOpen + 1, groupClose));
    this.stack.push({ kind, open: i, paramless });
    if (kind !== 'transparent') this.opaque++;
    this.reset();
  }

  /** False when the brace closes nothing: the braces do not pair up, and the reading stops. */
  private closeBrace(i: number): boolean {
    const frame = this.stack.pop();
    if (!frame) {
      this.ok = false;
      return false;
    }
    if (frame.kind !== 'transparent') this.opaque--;
    if (frame.kind === 'body') this.bodies.push({ open: frame.open, close: i, paramless: frame.paramless });
    if (frame.kind === 'transparent') {
      // a declaration left open at the end of the block ends there; the `}` is kept
      if (this.unitStart >= 0) this.units.push([this.unitStart, i]);
      this.unitStart = -1;
      this.boundary = this.gapStart = i + 1;
    } else if (this.opaque === 0 && frame.kind === 'body') {
      this.units.push([this.unitStart, i + 1]);
      this.unitStart = -1;
      this.gapStart = i + 1;
    }
    this.reset();
    return true;
  }

  private reset(): void {
    this.lastSig = '';
    this.afterParen = false;
    this.declWords = 0;
    this.lastString = false;
    this.parenDepth = 0;
    this.lastGroup = [-1, -1];
    this.headStart = -1;
  }
}

function lineStartOf(text: string, i: number): number {
  let s = i;
  while (s > 0 && text.charCodeAt(s - 1) !== 10 && text.charCodeAt(s - 1) !== 13) s--;
  return s;
}
