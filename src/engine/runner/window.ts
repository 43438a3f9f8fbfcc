// Windowed parsing: most of a large candidate file is function bodies that never mention an API, a macro
// that reaches one, a wrapper or a pointer. Those bodies are blanked (every character but line breaks
// becomes a space) before the file is preprocessed and parsed, so offsets, lines and columns stay exact and
// tree-sitter skips them at whitespace speed. Everything else is kept: preprocessor lines (also inside
// blanked bodies), top-level declarations, enums, typedefs, globals, class and struct bodies, and every body
// that mentions a name that matters. In a file of a megabyte or more, file-level declarations are windowed
// too: those that mention no name that matters and no name the analysis looked up are blanked, and the
// analysis runs again whenever it looks up a name whose declarations were blanked. When the lexer cannot pair
// the braces of a file (braces split across #if branches), the file is parsed whole. The bodies, declarations
// and directive lines come from outline.ts.

import type { FileAnalysis } from '../analysis/facts.js';
import { API_NEEDLES } from '../model/apis.js';
import { blankSpans, isWide } from '../text/blanking.js';
import { isIdentPart } from '../text/lexer.js';
import { MANY_NAMES, wordsIn } from '../text/occurrences.js';
import { ownCopy } from '../text/own-copy.js';
import { outline, type Body, type Outline } from '../parse/outline.js';
import type { Tree } from '../parse/parse.js';
import { editStretches, MAX_EDITS } from '../parse/tree-edits.js';
import type { PreprocessResult } from '../preprocess/preprocess.js';

/** Keywords of C (and so of C++) that an analysis may look up (`sizeof`, `void` in a cast) but nothing declares. */
const KEYWORDS = new Set(
  (
    'auto break case char const continue default do double else enum extern float for goto if inline int long register ' +
    'restrict return short signed sizeof static struct switch typedef union unsigned void volatile while _Bool'
  ).split(' '),
);

const TYPEDEF = new Set(['typedef']);

/** Words that make a body's own declarations visible to name lookups elsewhere in the file. */
const SCOPELESS_WORDS = ['enum', 'typedef'];

/** Words before a body that make it a value constant expressions anywhere in the file may compute (analysis/constexpr-functions.ts). */
const CONSTANT_FUNCTION_WORDS = ['constexpr', 'consteval'];

/** Which spans of a file's text a window blanks. */
export interface Window {
  /**
   * The text with the spans blanked, built when first asked for: the analysis blanks them itself, together
   * with the inactive `#if` branches, so a big file's text is not held twice.
   */
  readonly text: string;
  /** The blanked spans, [start, end) in text order: only whitespace remains there. */
  blanks: [number, number][];
  /** Characters blanked (line breaks inside the spans are kept and not counted). */
  blanked: number;
  /**
   * When a window is widened: the tree of the narrower one, edited where code came back, so tree-sitter
   * re-parses only that code (a big file's second attempt costs a fraction of its first).
   */
  previousTree?: Tree;
  /**
   * When a window is widened: the preprocessor's result of the narrower one's analysis. A window blanks code
   * only after the preprocessor has run on the whole text, so every window of a file gives the same result.
   */
  preprocessed?: PreprocessResult;
}

/** `w` with what the analysis of a narrower window leaves to reuse: its tree, edited to re-parse from, and its preprocessing. */
function withPrevious(w: Window, previousTree: Tree | undefined, preprocessed: PreprocessResult | undefined): Window {
  return {
    get text() {
      return w.text;
    },
    blanks: w.blanks,
    blanked: w.blanked,
    ...(previousTree ? { previousTree } : {}),
    ...(preprocessed ? { preprocessed } : {}),
  };
}

/** What the windows learn from an analysis. */
type WindowedAnalysis = Pick<FileAnalysis, 'callees' | 'wrappers' | 'pointers' | 'calls' | 'occurrences' | 'lookups' | 'typeLookups' | 'releasers'> & {
  tree?: Tree;
  pre?: PreprocessResult;
};

/** The window of `text` that blanks nothing. */
export function wholeWindow(text: string): Window {
  return { text, blanks: [], blanked: 0 };
}

/** Files of this many characters or more have their file-level declarations windowed too. */
export const UNITS_FROM = 1 << 20;

/**
 * `tree` (parsed from a window with `before` blanked) edited for a wider window with `after` blanked: every
 * stretch blanked before and not after has changed (the text is the same length, line breaks where they were).
 * Undefined when too many stretches changed: each edit copies the path from the root to the stretch (a file
 * level with thousands of declarations) and updates every node object the analysis made.
 */
function editedTree(tree: Tree, text: string, before: readonly [number, number][], after: readonly [number, number][]): Tree | undefined {
  const stretches: [number, number][] = [];
  let j = 0;
  for (const [s, e] of before) {
    // the parts of [s, e) that no span of `after` covers
    let at = s;
    while (j < after.length && after[j]![1] <= s) j++;
    for (let k = j; k < after.length && after[k]![0] < e; k++) {
      const [as, ae] = after[k]!;
      if (as > at) stretches.push([at, Math.min(as, e)]);
      at = Math.max(at, ae);
    }
    if (at < e) stretches.push([at, e]);
    if (stretches.length > MAX_EDITS) return undefined;
  }
  return editStretches(tree, text, stretches);
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

/**
 * Blanks the bodies whose `keep` flag is 0 and, when `keepUnits` is given, the file-level declarations whose
 * flag is 0 (a declaration must be kept when one of its bodies is), keeping the preprocessor lines inside them.
 */
export function renderWindow(text: string, shape: Outline, keep: Uint8Array, keepUnits?: Uint8Array, wide = isWide(text)): Window {
  const spans: [number, number][] = [];
  const { bodies, units } = shape;
  let b = 0;
  const blankBodies = (before: number) => {
    for (; b < bodies.length && bodies[b]!.open < before; b++) if (!keep[b]) spans.push([bodies[b]!.open + 1, bodies[b]!.close]);
  };
  if (keepUnits) {
    for (let u = 0; u < units.length; u++) {
      const [start, end] = units[u]!;
      if (keepUnits[u]) {
        blankBodies(end);
        continue;
      }
      blankBodies(start);
      spans.push([start, end]);
      while (b < bodies.length && bodies[b]!.open < end) b++;
    }
  }
  blankBodies(Infinity);
  return blankExceptDirectives(text, spans, shape.directives, wide);
}

/** The window that blanks the spans (in text order), except the preprocessor lines inside them. */
function blankExceptDirectives(text: string, spans: readonly [number, number][], directives: readonly [number, number][], wide: boolean): Window {
  const blanks: [number, number][] = [];
  let blanked = 0;
  let d = 0;
  const crlf = text.includes('\r');
  const blank = (start: number, end: number) => {
    blanks.push([start, end]);
    blanked += end - start - lineBreaks(text, start, end, crlf);
  };
  for (const [from, to] of spans) {
    let at = from;
    while (d < directives.length && directives[d]![1] <= at) d++;
    while (d < directives.length && directives[d]![0] < to) {
      const [ds, de] = directives[d]!;
      if (ds > at) blank(at, ds);
      at = Math.max(at, de);
      d++;
    }
    if (at < to) blank(at, to);
  }
  if (blanks.length === 0) return wholeWindow(text);
  let built: string | undefined;
  return {
    get text() {
      return (built ??= blankSpans(text, blanks, wide));
    },
    blanks,
    blanked,
  };
}

/** The number of `\n` (and of `\r`, when the text has any) in text[start, end). */
function lineBreaks(text: string, start: number, end: number, crlf: boolean): number {
  let n = 0;
  for (let i = text.indexOf('\n', start); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  if (crlf) for (let i = text.indexOf('\r', start); i >= 0 && i < end; i = text.indexOf('\r', i + 1)) n++;
  return n;
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

const WORD = /[\w$\u0080-\uffff]+/y;

/** Whether a whole word of text[from, to) is one of `words`. */
function mentionsWord(text: string, from: number, to: number, words: ReadonlySet<string>): boolean {
  for (let i = from; i < to;) {
    if (!isIdentPart(text.charCodeAt(i))) {
      i++;
      continue;
    }
    WORD.lastIndex = i;
    const m = WORD.exec(text)!;
    const end = Math.min(i + m[0].length, to);
    if (words.has(end === i + m[0].length ? m[0] : text.slice(i, end))) return true;
    i = end;
  }
  return false;
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

/** Index of the first body that opens after `offset` (bodies.length when none does). */
function firstBodyAfter(bodies: readonly Body[], offset: number): number {
  let lo = 0;
  let hi = bodies.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (bodies[mid]!.open <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Names an analysis found to matter in its file: what its calls go through, its wrappers and pointers. */
export function namesThatMatter(analysis: Pick<FileAnalysis, 'callees' | 'wrappers' | 'pointers' | 'calls' | 'releasers'>): string[] {
  return [
    ...(analysis.callees ?? []),
    ...(analysis.releasers ?? []),
    ...analysis.wrappers.map((w) => w.name),
    ...analysis.pointers.map((p) => p.name),
    ...analysis.calls.map((c) => c.callee),
  ];
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

  /** `unitsFrom`: files of this many characters or more have their file-level declarations windowed too. */
  constructor(
    readonly enabled: boolean,
    readonly unitsFrom = UNITS_FROM,
  ) {}

  /** The window of a file, given the names that matter across the run (whole words). */
  windowFor(file: string, text: string, runNames: Iterable<string>, purpose: WindowPurpose = 'findings'): Window {
    if (!this.enabled) return wholeWindow(text);
    let entry = this.files.get(file);
    if (!entry || entry.text !== text) this.files.set(file, (entry = new FileWindows(text, this.unitsFrom)));
    return entry.window(runNames, purpose);
  }

  /** Analyses a file through `run` in its window, widening the window until the analysis is settled. */
  analyze<A extends WindowedAnalysis>(
    file: string,
    text: string,
    runNames: Iterable<string>,
    run: (window: Window) => A | undefined,
    purpose: WindowPurpose = 'findings',
  ): A | undefined {
    const attempts = this.attempts<A>(file, text, runNames, purpose);
    let step = attempts.next();
    while (!step.done) step = attempts.next(run(step.value));
    return step.value;
  }

  /**
   * analyze, one attempt at a time: each window is yielded, and the analysis of it passed back through `next`
   * (so that a caller can let the event loop turn between attempts, and free the last one's tree). Returns the
   * final analysis.
   */
  *attempts<A extends WindowedAnalysis>(
    file: string,
    text: string,
    runNames: Iterable<string>,
    purpose: WindowPurpose = 'findings',
  ): Generator<Window, A | undefined, A | undefined> {
    const names = [...runNames];
    let window = this.windowFor(file, text, names, purpose);
    // (`window` may carry the previous tree; `base` is the window itself, to see whether it grew)
    let base = window;
    for (let attempt = 0; attempt < 32; attempt++) {
      let analysis = yield window;
      if (!analysis || window.blanks.length === 0) return this.counted(text, window, analysis);
      const entry = this.files.get(file)!;
      entry.learn(namesThatMatter(analysis));
      entry.learnLookups(analysis.lookups ?? analysis.occurrences?.keys(), analysis.typeLookups);
      const wider = this.windowFor(file, text, names, purpose);
      if (wider === base) return this.counted(text, window, analysis);
      const previousTree = analysis.tree && editedTree(analysis.tree, text, base.blanks, wider.blanks);
      const preprocessed = analysis.pre;
      // (not held while the next attempt runs: its tree and texts may be as big as the file)
      // eslint-disable-next-line no-useless-assignment -- a suspended generator keeps its locals: this frees the analysis before the next yield
      analysis = undefined;
      window = previousTree || preprocessed ? withPrevious(wider, previousTree, preprocessed) : wider;
      base = wider;
    }
    // never settled (not seen in practice): the whole file
    return this.counted(text, wholeWindow(text), yield wholeWindow(text));
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

/**
 * One file's outline, the bodies and file-level declarations each name reaches, and the last window built for
 * each purpose. A body is kept when it mentions a name that matters (an API, a macro, wrapper or pointer that
 * reaches one); a file-level declaration when it mentions such a name, any name the analysis looked up (a
 * constant, a type, a variable, a class), or holds a kept body. What the analysis reads of a name is its
 * occurrences and the tree around them, so a window that keeps every declaration naming what it looked up
 * gives the analysis of the whole file; the tree of each kept declaration is the same either way, since
 * tree-sitter does not carry facts from one declaration to the next.
 */
class FileWindows {
  private readonly shape: Outline;
  /** Bodies that mention a name that matters. */
  private readonly keep: Uint8Array;
  /** Bodies that declare something file-wide (enum, typedef): kept for every purpose. */
  private readonly scope: Uint8Array;
  /** File-level declarations to keep. */
  private readonly keepUnits: Uint8Array;
  /** The declaration of each body. */
  private readonly unitOf: Int32Array;
  private readonly searched = new Set<string>();
  /** The words of the text, once many names have been searched for (see learn). */
  private words?: Set<string>;
  private readonly looked = new Set<string>();
  private readonly lookedTypes = new Set<string>();
  private readonly last = new Map<WindowPurpose, { kept: number; window: Window }>();
  private kept = 0;
  /** The text has characters beyond Latin-1. */
  private readonly wide: boolean;

  constructor(
    readonly text: string,
    unitsFrom: number,
  ) {
    this.wide = isWide(text);
    const shape = (this.shape = outline(text));
    this.keep = new Uint8Array(shape.bodies.length);
    this.scope = new Uint8Array(shape.bodies.length);
    this.keepUnits = new Uint8Array(shape.units.length);
    this.unitOf = new Int32Array(shape.bodies.length).fill(-1);
    for (let b = 0, u = 0; b < shape.bodies.length; b++) {
      const open = shape.bodies[b]!.open;
      while (u < shape.units.length && shape.units[u]![1] <= open) u++;
      if (u < shape.units.length && shape.units[u]![0] <= open) this.unitOf[b] = u;
    }
    for (const word of SCOPELESS_WORDS) {
      for (const b of bodiesMentioning(text, shape, word)) {
        this.scope[b] = 1;
        this.markUnit(this.unitOf[b]!);
      }
    }
    for (const word of CONSTANT_FUNCTION_WORDS) this.keepConstantFunctions(word);
    for (const s of API_NEEDLES) this.mark(s, false);
    // a smaller file keeps its declarations: the rounds of re-analysis that bring back what the analysis looks
    // up cost more (time, and a tree each) than parsing them
    if (text.length < unitsFrom) this.learnLookups(undefined);
  }

  /** Keeps the bodies and declarations that mention any of `names`; each name is searched for once per file. */
  learn(names: Iterable<string>): void {
    for (const name of names) {
      if (this.searched.has(name)) continue;
      // a run with thousands of wrapper names: past a few searches the file's words are listed once, and a name
      // that is not one of them is not searched for (nor remembered: the next window skips it the same way)
      if (this.searched.size >= MANY_NAMES && !(this.words ??= wordsIn(this.text)).has(name)) continue;
      // (kept while the file's windows are: a copy, or the set would keep the parsed text the name came from)
      const own = ownCopy(name);
      this.searched.add(own);
      this.looked.add(own);
      this.mark(own, true);
    }
  }

  /**
   * Keeps the file-level declarations that mention any of `names` (names the analysis looked up), and the
   * `typedef` declarations that mention any of `typeNames` (names it asked about only as types); every
   * declaration when the analysis does not say what it looked up.
   */
  learnLookups(names: Iterable<string> | undefined, typeNames: Iterable<string> = []): void {
    if (!names) {
      for (let u = 0; u < this.keepUnits.length; u++) this.markUnit(u);
      return;
    }
    const fresh = this.unseen(names, this.looked);
    const freshTypes = this.unseen(typeNames, this.lookedTypes);
    if ((fresh.size === 0 && freshTypes.size === 0) || !this.shape.ok) return;
    // an analysis looks up hundreds of names: one pass over the words of the declarations not kept yet
    // (outside their bodies) costs less than a search of the whole text for each
    for (let u = 0; u < this.shape.units.length; u++) {
      if (this.keepUnits[u]) continue;
      if ((fresh.size && this.unitMentions(u, fresh)) || (freshTypes.size && this.unitMentions(u, TYPEDEF) && this.unitMentions(u, freshTypes)))
        this.markUnit(u);
    }
  }

  /** The names not in `seen` (and not keywords), added to it. */
  private unseen(names: Iterable<string>, seen: Set<string>): Set<string> {
    const fresh = new Set<string>();
    for (const name of names) {
      if (seen.has(name) || this.looked.has(name) || KEYWORDS.has(name)) continue;
      const own = ownCopy(name);
      seen.add(own);
      fresh.add(own);
    }
    return fresh;
  }

  /** Whether a file-level declaration mentions one of `words` outside the function bodies it holds. */
  private unitMentions(u: number, words: ReadonlySet<string>): boolean {
    const { units, bodies } = this.shape;
    const [start, end] = units[u]!;
    // the first body that closes at or after the declaration's start (bodies are in text order)
    let lo = 0;
    let hi = bodies.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (bodies[mid]!.close < start) lo = mid + 1;
      else hi = mid;
    }
    let at = start;
    for (let k = lo; at < end; k++) {
      const stop = k < bodies.length && bodies[k]!.open < end ? bodies[k]!.open : end;
      if (mentionsWord(this.text, at, stop, words)) return true;
      if (stop === end) return false;
      at = bodies[k]!.close + 1;
    }
    return false;
  }

  window(runNames: Iterable<string>, purpose: WindowPurpose): Window {
    this.learn(runNames);
    // bodies and declarations are only ever added, so their count identifies the window
    const last = this.last.get(purpose);
    if (last?.kept === this.kept) return last.window;
    const bodies = this.shape.bodies;
    const keep = new Uint8Array(bodies.length);
    for (let b = 0; b < bodies.length; b++) keep[b] = this.scope[b] || (this.keep[b] && (purpose === 'findings' || !bodies[b]!.paramless)) ? 1 : 0;
    const window = renderWindow(this.text, this.shape, keep, this.keepUnits, this.wide);
    this.last.set(purpose, { kept: this.kept, window });
    return window;
  }

  /**
   * Keeps, for every purpose, the body of each file-level declaration that `word` specifies (`constexpr size_t
   * pages(size_t n) { return n * 4096; }`): the body is the function's value wherever it is called.
   */
  private keepConstantFunctions(word: string): void {
    if (!this.shape.ok) return;
    const { text } = this;
    const { units, bodies } = this.shape;
    let u = 0;
    for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
      if (isIdentPart(text.charCodeAt(at - 1)) || isIdentPart(text.charCodeAt(at + word.length)) || bodyAt(bodies, at) >= 0) continue;
      while (u < units.length && units[u]![1] <= at) u++;
      if (u >= units.length || units[u]![0] > at) continue;
      // the declaration's first body after the word: the function's own
      const b = firstBodyAfter(bodies, at);
      if (b >= bodies.length || bodies[b]!.open >= units[u]![1]) continue;
      this.scope[b] = 1;
      this.markUnit(u);
    }
  }

  /** Keeps the bodies and declarations that mention `needle` (as a whole word, or anywhere). */
  private mark(needle: string, word: boolean): void {
    if (!needle || !this.shape.ok) return;
    const { text } = this;
    const { units } = this.shape;
    let u = 0;
    for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
      if (word && (isIdentPart(text.charCodeAt(at - 1)) || isIdentPart(text.charCodeAt(at + needle.length)))) continue;
      const b = bodyAt(this.shape.bodies, at);
      if (b >= 0) {
        if (!this.keep[b]) {
          this.keep[b] = 1;
          this.kept++;
          this.markUnit(this.unitOf[b]!);
        }
        continue;
      }
      while (u < units.length && units[u]![1] <= at) u++;
      if (u < units.length && units[u]![0] <= at) this.markUnit(u);
    }
  }

  private markUnit(u: number): void {
    if (u < 0 || this.keepUnits[u]) return;
    this.keepUnits[u] = 1;
    this.kept++;
  }
}
