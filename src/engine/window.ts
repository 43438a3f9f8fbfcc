// Windowed parsing: most of a large candidate file is function bodies that never mention an API, a macro
// that reaches one, a wrapper or a pointer. Those bodies are blanked (every character but line breaks
// becomes a space) before the file is preprocessed and parsed, so offsets, lines and columns stay exact and
// tree-sitter skips them at whitespace speed. Everything else is kept: preprocessor lines (also inside
// blanked bodies), top-level declarations, enums, typedefs, globals, class and struct bodies, and every body
// that mentions a name that matters. When the lexer cannot pair the braces of a file (braces split across
// #if branches), the file is parsed whole.

import type { FileAnalysis } from './analyze.js';
import { API_NEEDLES } from './apis.js';
import type { Tree } from './parse.js';

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
  /** Preprocessor lines (logical lines, with continuations) as [start, end) offsets, in text order. */
  directives: [number, number][];
}

/** Words that make a body's own declarations visible to name lookups elsewhere in the file. */
const SCOPELESS_WORDS = ['enum', 'typedef'];

/** Identifiers after a parameter list's `)` that still end in a body: `) const {`, `) noexcept {`. */
const TRAILERS = new Set(['const', 'volatile', 'noexcept', 'override', 'final', 'throw', 'mutable']);

const RAW_PREFIXES = new Set(['R', 'LR', 'uR', 'UR', 'u8R']);

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

/** ASCII letters, digits, `_` and `$`; every non-ASCII character counts as part of an identifier too. */
const IDENT = new Uint8Array(128);
for (let c = 0; c < 128; c++) IDENT[c] = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 ? 1 : (c >= 48 && c <= 57 ? 2 : 0);

type Frame = 'body' | 'transparent' | 'other';

/** Finds function bodies and preprocessor lines with a small C/C++ lexer. Never throws. */
export function outline(text: string): Outline {
  const bodies: Body[] = [];
  const directives: [number, number][] = [];
  const stack: { kind: Frame; open: number; paramless: boolean }[] = [];
  let opaque = 0; // frames on the stack that are not namespaces / extern "C"
  let ok = true;
  // the tokens of the current top-level declaration, as far as body detection needs them
  let lastSig = ''; // ')' | 'ident' | 'string' | other punctuation
  let afterParen = false; // only trailer words since the last ')'
  let declWords = 0; // DECL_* bits of the keywords seen in the declaration
  let lastString = false;
  // the last parenthesised group at file level: a body's parameter list
  let parenDepth = 0;
  let groupOpen = -1;
  let lastGroup: [number, number] = [-1, -1];
  const reset = () => {
    lastSig = '';
    afterParen = false;
    declWords = 0;
    lastString = false;
    parenDepth = 0;
    lastGroup = [-1, -1];
  };

  const n = text.length;
  let i = 0;
  let lineStart = true;
  while (i < n) {
    // inside a body or a class only braces matter: jump to the next character that can start a brace,
    // a comment, a literal or a line (most of a file is bodies, so this is most of the time)
    if (opaque > 0 && !lineStart) {
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
    if (lineStart && (c === 35 /* # */ || (c === 37 /* % */ && text.charCodeAt(i + 1) === 58 /* : */))) {
      const end = directiveEnd(text, i);
      directives.push([lineStartOf(text, i), end]);
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
        const end = text.indexOf('*/', i + 2);
        i = end < 0 ? n : end + 2;
        continue;
      }
    }
    lineStart = false;
    if (opaque > 0 && (c === 34 || c === 39)) {
      // the words before a literal were jumped over: R"(...)" raw strings, and 1'000 digit separators
      if (c === 34 && rawPrefixBefore(text, i)) {
        i = rawStringEnd(text, i);
        continue;
      }
      if (c === 39 && numberBefore(text, i)) {
        i++;
        continue;
      }
    }
    if (c === 34 /* " */ || c === 39 /* ' */) {
      i = quotedEnd(text, i, c);
      lastSig = c === 34 ? 'string' : 'value';
      lastString = c === 34;
      afterParen = false;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentPart(text.charCodeAt(j))) j++;
      const next = text.charCodeAt(j);
      // inside a body or a class only braces matter: no word needs looking at, unless a literal follows
      if (opaque > 0 && next !== 34 && next !== 39) {
        i = j;
        continue;
      }
      const word = text.slice(i, j);
      if (next === 34 && RAW_PREFIXES.has(word)) {
        i = rawStringEnd(text, j);
        lastSig = 'string';
        lastString = true;
        afterParen = false;
        continue;
      }
      if (next === 34 || next === 39) {
        // an encoding prefix (L"...", u8'x'): the literal follows
        i = j;
        continue;
      }
      if (afterParen && !TRAILERS.has(word)) afterParen = false;
      declWords |= DECL_WORDS.get(word) ?? 0;
      lastSig = 'ident';
      lastString = false;
      i = j;
      continue;
    }
    if (c >= 48 && c <= 57) {
      i = numberEnd(text, i);
      lastSig = 'value';
      afterParen = false;
      continue;
    }
    if (c === 46 /* . */ && isDigit(text.charCodeAt(i + 1))) {
      i = numberEnd(text, i);
      lastSig = 'value';
      afterParen = false;
      continue;
    }
    switch (c) {
      case 123: {
        // {
        let kind: Frame = 'other';
        if (opaque === 0) {
          if ((lastSig === ')' || afterParen) && !(declWords & DECL_TYPE)) kind = 'body';
          else if (declWords & DECL_NAMESPACE || (declWords & DECL_EXTERN && lastString)) kind = 'transparent';
        }
        stack.push({ kind, open: i, paramless: kind === 'body' && lastGroup[0] >= 0 && /^\s*(?:void\s*)?$/.test(text.slice(lastGroup[0] + 1, lastGroup[1])) });
        if (kind !== 'transparent') opaque++;
        reset();
        break;
      }
      case 125: {
        // }
        const frame = stack.pop();
        if (!frame) {
          ok = false;
          i = n;
          continue;
        }
        if (frame.kind !== 'transparent') opaque--;
        if (frame.kind === 'body') bodies.push({ open: frame.open, close: i, paramless: frame.paramless });
        reset();
        break;
      }
      case 40: // (
        if (opaque === 0 && parenDepth++ === 0) groupOpen = i;
        lastSig = '(';
        afterParen = false;
        lastString = false;
        break;
      case 41: // )
        if (opaque === 0 && parenDepth > 0 && --parenDepth === 0) lastGroup = [groupOpen, i];
        lastSig = ')';
        afterParen = true;
        lastString = false;
        break;
      case 59: // ;
        if (opaque === 0) reset();
        else lastSig = ';';
        break;
      default:
        lastSig = String.fromCharCode(c);
        afterParen = false;
        lastString = false;
    }
    i++;
  }
  if (stack.length) ok = false;
  return { ok, bodies: ok ? bodies : [], directives };
}

/** A file's text with some bodies blanked, and what was blanked. */
export interface Window {
  text: string;
  /** The blanked spans, [start, end) in text order: only whitespace remains there. */
  blanks: [number, number][];
  /** Characters blanked (line breaks inside the spans are kept and not counted). */
  blanked: number;
  /**
   * When a window is widened: the tree of the narrower one, edited where code came back, so tree-sitter
   * re-parses only that code (a big file's second attempt costs a fraction of its first).
   */
  previousTree?: Tree;
}

/**
 * `tree` (parsed from a window with `before` blanked) edited for a wider window with `after` blanked: every
 * stretch blanked before and not after has changed (the text is the same length, line breaks where they were).
 */
function editedTree(tree: Tree, text: string, before: readonly [number, number][], after: readonly [number, number][]): Tree {
  const points = pointFinder(text);
  let j = 0;
  for (const [s, e] of before) {
    // the parts of [s, e) that no span of `after` covers
    let at = s;
    while (j < after.length && after[j]![1] <= s) j++;
    for (let k = j; k < after.length && after[k]![0] < e; k++) {
      const [as, ae] = after[k]!;
      if (as > at) edit(tree, points, at, Math.min(as, e));
      at = Math.max(at, ae);
    }
    if (at < e) edit(tree, points, at, e);
  }
  return tree;
}

function edit(tree: Tree, points: (offset: number) => { row: number; column: number }, start: number, end: number): void {
  const startPosition = points(start);
  const endPosition = points(end);
  tree.edit({ startIndex: start, oldEndIndex: end, newEndIndex: end, startPosition, oldEndPosition: endPosition, newEndPosition: endPosition });
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

/** Indices of the outlined bodies that contain `needle`: as a whole word, or anywhere when `word` is false. */
export function bodiesMentioning(text: string, shape: Outline, needle: string, word = true): number[] {
  const out: number[] = [];
  if (!needle || !shape.ok) return out;
  let lastBody = -1;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    if (word && (isIdentPart(text.charCodeAt(at - 1)) || isIdentPart(text.charCodeAt(at + needle.length)))) continue;
    const b = bodyAt(shape.bodies, at);
    if (b >= 0 && b !== lastBody) out.push((lastBody = b));
  }
  return out;
}

/** Blanks the bodies whose `keep` flag is 0, keeping the preprocessor lines inside them. */
export function renderWindow(text: string, shape: Outline, keep: Uint8Array): Window {
  const parts: string[] = [];
  const blanks: [number, number][] = [];
  let blanked = 0;
  let last = 0;
  let d = 0;
  const directives = shape.directives;
  const span = (start: number, end: number) => {
    const b = blank(text, start, end);
    parts.push(b.text);
    blanks.push([start, end]);
    blanked += end - start - b.breaks;
  };
  for (let i = 0; i < shape.bodies.length; i++) {
    if (keep[i]) continue;
    const { open, close } = shape.bodies[i]!;
    parts.push(text.slice(last, open + 1));
    let at = open + 1;
    while (d < directives.length && directives[d]![1] <= at) d++;
    while (d < directives.length && directives[d]![0] < close) {
      const [ds, de] = directives[d]!;
      if (ds > at) span(at, ds);
      parts.push(text.slice(Math.max(ds, at), de));
      at = Math.max(at, de);
      d++;
    }
    if (at < close) span(at, close);
    last = close;
  }
  if (blanks.length === 0) return { text, blanks, blanked: 0 };
  parts.push(text.slice(last));
  return { text: parts.join(''), blanks, blanked };
}

/**
 * The text to analyse: `text` with every outlined body blanked unless it mentions a word of `names`
 * (whole word), contains one of `substrings`, or declares something file-wide (enum, typedef).
 * Returns `text` itself when nothing is blanked.
 */
export function windowText(text: string, shape: Outline, names: Iterable<string>, substrings: Iterable<string> = []): string {
  if (!shape.ok || shape.bodies.length === 0) return text;
  const keep = new Uint8Array(shape.bodies.length);
  for (const s of substrings) for (const b of bodiesMentioning(text, shape, s, false)) keep[b] = 1;
  for (const name of [...names, ...SCOPELESS_WORDS]) for (const b of bodiesMentioning(text, shape, name)) keep[b] = 1;
  return renderWindow(text, shape, keep).text;
}

function blank(text: string, start: number, end: number): { text: string; breaks: number } {
  let out = '';
  let run = 0;
  let breaks = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      out += ' '.repeat(run) + text[i];
      run = 0;
      breaks++;
    } else run++;
  }
  return { text: out + ' '.repeat(run), breaks };
}

/** Index of the body whose braces enclose `offset`, or -1. */
function bodyAt(bodies: readonly Body[], offset: number): number {
  let lo = 0;
  let hi = bodies.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = bodies[mid]!;
    if (offset < b.open) hi = mid - 1;
    else if (offset > b.close) lo = mid + 1;
    else return mid;
  }
  return -1;
}

function lineStartOf(text: string, i: number): number {
  let s = i;
  while (s > 0 && text.charCodeAt(s - 1) !== 10 && text.charCodeAt(s - 1) !== 13) s--;
  return s;
}

/** End of a directive's logical line: backslash continuations and block comments extend it. */
function directiveEnd(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
    if (c === 92 && (text.charCodeAt(i + 1) === 10 || text.charCodeAt(i + 1) === 13)) {
      i += text.charCodeAt(i + 1) === 13 && text.charCodeAt(i + 2) === 10 ? 3 : 2;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
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

function lineCommentEnd(text: string, i: number): number {
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

/** End (exclusive) of a string or character literal; an unterminated one ends at the line break. */
function quotedEnd(text: string, i: number, quote: number): number {
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

/** The characters that matter inside a body: braces, literals, comments, line breaks and splices. */
const SKIP = /[{}"'\/\\\n\r]/g;

/** `R`, `LR`, `uR`, `UR` or `u8R`, as a whole word, right before the quote at `q`. */
function rawPrefixBefore(text: string, q: number): boolean {
  if (text.charCodeAt(q - 1) !== 82 /* R */) return false;
  let start = q - 1;
  while (start > 0 && isIdentPart(text.charCodeAt(start - 1))) start--;
  return RAW_PREFIXES.has(text.slice(start, q));
}

/** The quote at `q` follows a number (a C++14 digit separator, `1'000`), not a word like `L` or `u8`. */
function numberBefore(text: string, q: number): boolean {
  if (!isIdentPart(text.charCodeAt(q - 1))) return false;
  let start = q - 1;
  // a number's token may itself contain separators: 1'000'000
  while (start > 0 && (isIdentPart(text.charCodeAt(start - 1)) || text.charCodeAt(start - 1) === 39 || text.charCodeAt(start - 1) === 46)) start--;
  return isDigit(text.charCodeAt(start)) || (text.charCodeAt(start) === 46 && isDigit(text.charCodeAt(start + 1)));
}

/** End of a raw string literal R"delim( ... )delim" whose quote is at `q`. */
function rawStringEnd(text: string, q: number): number {
  const paren = text.indexOf('(', q + 1);
  if (paren < 0 || paren - q - 1 > 16) return quotedEnd(text, q, 34);
  const close = text.indexOf(`)${text.slice(q + 1, paren)}"`, paren + 1);
  return close < 0 ? text.length : close + paren - q + 1;
}

/** End of a preprocessing number: digits, letters, `.`, digit separators `'`, and exponent signs. */
function numberEnd(text: string, i: number): number {
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

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isIdentStart(c: number): boolean {
  return c > 127 || IDENT[c] === 1;
}

function isIdentPart(c: number): boolean {
  // (NaN, past the end of the text, is not)
  return c > 127 || IDENT[c]! > 0;
}

/** Names an analysis found to matter in its file: what its calls go through, its wrappers and pointers. */
export function namesThatMatter(analysis: Pick<FileAnalysis, 'callees' | 'wrappers' | 'pointers' | 'calls'>): string[] {
  return [...(analysis.callees ?? []), ...analysis.wrappers.map((w) => w.name), ...analysis.pointers.map((p) => p.name), ...analysis.calls.map((c) => c.callee)];
}

/**
 * What a window is for: `findings` keeps every body that mentions a name that matters; `wrappers` (a file
 * another shard reports) keeps only the bodies of functions that take parameters, since only those can be
 * wrappers, and the rest of the file is needed for nothing but its wrappers and names.
 */
export type WindowPurpose = 'findings' | 'wrappers';

/**
 * The windows of one run: each file's outline, and the names its own analysis found to matter. A file is
 * analysed in a window; when that analysis names something the window blanked (a pointer filled elsewhere
 * in the file, a local wrapper), it is analysed again in the wider window, until the window stops growing.
 */
export class WindowSet {
  private readonly files = new Map<string, FileWindows>();
  /** Characters of the candidate files analysed, and of them the ones blanked: for measurements. */
  totalChars = 0;
  blankedChars = 0;

  constructor(readonly enabled: boolean) {}

  /** The window of a file, given the names that matter across the run (whole words). */
  windowFor(file: string, text: string, runNames: Iterable<string>, purpose: WindowPurpose = 'findings'): Window {
    if (!this.enabled) return { text, blanks: [], blanked: 0 };
    let entry = this.files.get(file);
    if (!entry || entry.text !== text) this.files.set(file, (entry = new FileWindows(text)));
    return entry.window(runNames, purpose);
  }

  /** Analyses a file through `run` in its window, widening the window until the analysis is settled. */
  analyze<A extends Pick<FileAnalysis, 'callees' | 'wrappers' | 'pointers' | 'calls'> & { tree?: Tree }>(
    file: string,
    text: string,
    runNames: Iterable<string>,
    run: (window: Window) => A | undefined,
    purpose: WindowPurpose = 'findings',
  ): A | undefined {
    const names = [...runNames];
    let window = this.windowFor(file, text, names, purpose);
    // (`window` may carry the previous tree; `base` is the window itself, to see whether it grew)
    let base = window;
    for (let attempt = 0; attempt < 32; attempt++) {
      const analysis = run(window);
      if (!analysis || window.blanks.length === 0) return this.counted(text, window, analysis);
      this.files.get(file)!.learn(namesThatMatter(analysis));
      const wider = this.windowFor(file, text, names, purpose);
      if (wider === base) return this.counted(text, window, analysis);
      window = analysis.tree ? { ...wider, previousTree: editedTree(analysis.tree, text, base.blanks, wider.blanks) } : wider;
      base = wider;
    }
    // never settled (not seen in practice): the whole file
    return this.counted(text, { text, blanks: [], blanked: 0 }, run({ text, blanks: [], blanked: 0 }));
  }

  /** Drops what is kept about a file (its text, outline and windows) once its analysis is final. */
  forget(file: string): void {
    this.files.delete(file);
  }

  private counted<A>(text: string, window: Window, analysis: A): A {
    this.totalChars += text.length;
    this.blankedChars += window.blanked;
    return analysis;
  }
}

/** One file's outline, the bodies each name reaches, and the last window built for each purpose. */
class FileWindows {
  private readonly shape: Outline;
  /** Bodies that mention a name that matters. */
  private readonly keep: Uint8Array;
  /** Bodies that declare something file-wide (enum, typedef): kept for every purpose. */
  private readonly scope: Uint8Array;
  private readonly searched = new Set<string>();
  private readonly last = new Map<WindowPurpose, { kept: number; window: Window }>();
  private kept = 0;

  constructor(readonly text: string) {
    this.shape = outline(text);
    this.keep = new Uint8Array(this.shape.bodies.length);
    this.scope = new Uint8Array(this.shape.bodies.length);
    for (const word of SCOPELESS_WORDS) for (const b of bodiesMentioning(text, this.shape, word)) this.scope[b] = 1;
    for (const s of API_NEEDLES) this.mark(bodiesMentioning(text, this.shape, s, false));
  }

  /** Keeps the bodies that mention any of `names`; each name is searched for once per file. */
  learn(names: Iterable<string>): void {
    for (const name of names) {
      if (this.searched.has(name)) continue;
      this.searched.add(name);
      this.mark(bodiesMentioning(this.text, this.shape, name));
    }
  }

  window(runNames: Iterable<string>, purpose: WindowPurpose): Window {
    this.learn(runNames);
    // bodies are only ever added, so the count of kept bodies identifies the window
    const last = this.last.get(purpose);
    if (last?.kept === this.kept) return last.window;
    const bodies = this.shape.bodies;
    const keep = new Uint8Array(bodies.length);
    for (let b = 0; b < bodies.length; b++) keep[b] = this.scope[b] || (this.keep[b] && (purpose === 'findings' || !bodies[b]!.paramless)) ? 1 : 0;
    const window = renderWindow(this.text, this.shape, keep);
    this.last.set(purpose, { kept: this.kept, window });
    return window;
  }

  private mark(bodies: number[]): void {
    for (const b of bodies) {
      if (this.keep[b]) continue;
      this.keep[b] = 1;
      this.kept++;
    }
  }
}
