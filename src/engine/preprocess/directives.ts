// Finding a file's preprocessor directives: its logical lines that begin with `#`, comments removed, without
// reading the rest of the text as tokens; and what a `#define` directive defines, parsed once.

import { parseDefine, type MacroDef } from '../macros/macros.js';

export interface Directive {
  /** 1-based line of the `#`. */
  line: number;
  name: string;
  /** Text after the directive name, line splices joined and comments removed. */
  rest: string;
  /** Offsets of the whole logical line (without the newline). */
  start: number;
  end: number;
}

/**
 * Finds every preprocessor directive, skipping `#` inside comments and strings. It reads logical lines, not
 * tokens (a directive is a line, and most lines are not one), so it keeps its own literal rule rather than
 * text/lexer.ts's: inside a logical line a literal ends only at its quote (test/engine/scan-directives.test.ts
 * pins this against a plain reading; the lexer ends one at a line break, which a splice can sit before). Most lines are not directives:
 * those are only scanned for the block-comment state they leave behind, without copying them.
 */
export function findPreprocessorDirectives(text: string): Directive[] {
  const out: Directive[] = [];
  const state = new CommentState(text);
  let inComment = false;
  let offset = 0;
  let line = 1;
  const n = text.length;
  while (offset < n) {
    // one logical line: from offset to an unspliced newline
    let end = offset;
    let physicalLines = 1;
    for (;;) {
      const nl = text.indexOf('\n', end);
      const lineEnd = nl < 0 ? n : nl;
      const trimmedEnd = text.charCodeAt(lineEnd - 1) === CR ? lineEnd - 1 : lineEnd;
      if (text.charCodeAt(trimmedEnd - 1) === BACKSLASH && nl >= 0) {
        end = nl + 1;
        physicalLines++;
        continue;
      }
      end = lineEnd;
      break;
    }
    if (inComment || !mayStartDirective(text, offset, end)) {
      // a line that begins inside a block comment is never a directive
      inComment = state.after(offset, end, inComment);
    } else {
      const { code, stillInComment } = stripComments(text.slice(offset, end), false);
      inComment = stillInComment;
      const m = /^\s*(?:#|%:)\s*([A-Za-z_]\w*)?/.exec(code);
      if (m) {
        out.push({
          line,
          name: m[1] ?? '',
          rest: code
            .slice(m[0].length)
            .replace(/\\\r?\n/g, ' ')
            .trim(),
          start: offset,
          end,
        });
      }
    }
    offset = end + 1;
    line += physicalLines;
  }
  return out;
}

const CR = 13;
const BACKSLASH = 92;
const SLASH = 47;
const STAR = 42;
const HASH = 35;
const PERCENT = 37;
const COLON = 58;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;

/** Whether the first character after leading whitespace can begin a directive (`#`, `%:`, or a comment before one). */
export function mayStartDirective(text: string, start: number, end: number): boolean {
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    // the whitespace `\s` matches in the directive pattern, within one line
    if (c === 32 || c === 9 || c === 11 || c === 12 || c === CR || c === 0xa0 || c === 0xfeff || (c >= 0x2000 && c <= 0x200a) || c === 0x3000) i++;
    else return c === HASH || c === SLASH || c === BACKSLASH || (c === PERCENT && text.charCodeAt(i + 1) === COLON) || c > 0x7f;
  }
  return false;
}

/**
 * The block-comment state at the end of a line, scanning like stripComments but without building the code text.
 * Lines are asked in order, so the next character that can matter (`/`, a quote) and the end of an open comment
 * are found once and remembered: a line with neither costs nothing, and a long comment is not searched again
 * from each of its lines.
 */
class CommentState {
  private special = -1;
  private close = -1;
  private static readonly SPECIAL = /[/"']/g;

  constructor(private readonly text: string) {}

  private nextSpecial(from: number): number {
    if (this.special < from) {
      const re = CommentState.SPECIAL;
      re.lastIndex = from;
      const m = re.exec(this.text);
      this.special = m ? m.index : this.text.length;
    }
    return this.special;
  }

  private commentEnd(from: number): number {
    if (this.close < from) {
      const at = this.text.indexOf('*/', from);
      this.close = at < 0 ? this.text.length : at;
    }
    return this.close;
  }

  after(i: number, end: number, inComment: boolean): boolean {
    const text = this.text;
    while (i < end) {
      if (inComment) {
        const close = this.commentEnd(i);
        if (close + 2 > end) return true;
        i = close + 2;
        inComment = false;
        continue;
      }
      i = this.nextSpecial(i);
      if (i >= end) return false;
      const c = text.charCodeAt(i);
      if (c === SLASH && i + 1 < end) {
        const d = text.charCodeAt(i + 1);
        if (d === SLASH) return false;
        if (d === STAR) {
          inComment = true;
          i += 2;
          continue;
        }
      }
      if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
        let j = i + 1;
        while (j < end && text.charCodeAt(j) !== c) j += text.charCodeAt(j) === BACKSLASH ? 2 : 1;
        i = j + 1;
        continue;
      }
      i++;
    }
    return inComment;
  }
}

/** Removes comments from one logical line, tracking an unterminated block comment. */
function stripComments(raw: string, inComment: boolean): { code: string; stillInComment: boolean } {
  let code = '';
  let i = 0;
  while (i < raw.length) {
    if (inComment) {
      const close = raw.indexOf('*/', i);
      if (close < 0) return { code, stillInComment: true };
      i = close + 2;
      inComment = false;
      code += ' ';
      continue;
    }
    const c = raw[i]!;
    if (c === '/' && raw[i + 1] === '/') break;
    if (c === '/' && raw[i + 1] === '*') {
      inComment = true;
      i += 2;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < raw.length && raw[j] !== c) j += raw[j] === '\\' ? 2 : 1;
      code += raw.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    code += c;
    i++;
  }
  // a comment opened by the line's last two characters goes on past it
  return { code, stillInComment: inComment };
}

// eslint-disable-next-line no-restricted-syntax -- a cache: each #define of a kept header parsed once (an entry lives as long as its directive)
const definitions = new WeakMap<Directive, MacroDef | null>();

/**
 * The definition a `#define` of `file` makes (undefined when malformed), parsed once per directive: a header's
 * directives are kept by the run's HeaderCache, so every includer and target that runs the header again shares
 * its definitions, as those that replay it do.
 */
export function definitionOf(d: Directive, file: string): MacroDef | undefined {
  let def = definitions.get(d);
  if (def === undefined) definitions.set(d, (def = parseDefine(d.rest, file, d.line) ?? null));
  return def ?? undefined;
}
