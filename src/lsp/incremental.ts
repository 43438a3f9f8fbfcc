// Incremental re-parsing for the language server. The tree is edited from the difference between the text
// parsed last time and the text about to be parsed: that text is the buffer after preprocessing (dead branches
// blanked, calling-convention macros neutralised), so a change to an `#if` that blanks or restores code far away
// is an edit tree-sitter hears about too, which the editor's own change ranges would not tell it.

import type ParserType from 'tree-sitter';
import { occurrencesAfterEdit } from '../engine/text/occurrences.js';
import type { FileAnalysis, PreviousCalls, ReusableCalls } from '../engine/analysis/facts.js';
import type { Language, Tree } from '../engine/parse/parse.js';
import type { ParseStore, SharedParse, Spans } from '../engine/parse/shared-parses.js';
import { neutralizeAfterEdit, type KeptWords, type TextSpanEdit } from '../engine/parse/neutralize.js';
import { mayStartDirective } from '../engine/preprocess/directives.js';
import type { PreprocessResult } from '../engine/preprocess/preprocess.js';
import type { ParseBase, VersionParse, VersionParses } from './version-parses.js';

type Edit = ParserType.Edit;
type Point = ParserType.Point;

/**
 * The single edit that turns `before` into `after` (common prefix and suffix kept), or undefined when equal.
 * `known`: where the texts are known to differ at most (they agree before `start` and from `oldEnd`/`newEnd`
 * on), which only saves comparing what is known to be equal.
 */
export function editBetween(before: string, after: string, known?: TextSpanEdit): Edit | undefined {
  if (before === after) return undefined;
  const { start, oldEnd, newEnd } = changedSpan(before, after, known);
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

/** The span that differs: [start, oldEnd) of `before` became [start, newEnd) of `after` (common prefix and suffix). */
function changedSpan(before: string, after: string, known?: TextSpanEdit): TextSpanEdit {
  const max = Math.min(before.length, after.length);
  const start = commonPrefix(before, after, max, Math.min(known?.start ?? 0, max));
  const suffix = commonSuffix(before, after, max - start, known ? before.length - known.oldEnd : 0);
  return { start, oldEnd: before.length - suffix, newEnd: after.length - suffix };
}

/** Compared a block at a time: string equality runs natively, a character loop would not. */
const BLOCK = 1024;

/** `from`: a length the texts are known to have in common (at most `max`). */
function commonPrefix(a: string, b: string, max: number, from = 0): number {
  let n = from;
  while (n + BLOCK <= max && a.slice(n, n + BLOCK) === b.slice(n, n + BLOCK)) n += BLOCK;
  while (n < max && a.charCodeAt(n) === b.charCodeAt(n)) n++;
  return n;
}

function commonSuffix(a: string, b: string, max: number, from = 0): number {
  let n = Math.min(from, max);
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

/** Characters whose insertion or removal can change what the preprocessor sees: lines, comments, strings, directives. */
const PREPROCESSOR_SIGNIFICANT = /[\n\r#%:/*"'\\?]/;

/**
 * The preprocessor facts of `after`, from those of `before`, when the edit between them cannot have changed them:
 * it stays within one line that is not a directive (nor continues one), and removes or inserts none of the
 * characters that begin or end lines, comments, strings and directives. Dead-branch ranges move with the edit.
 * Undefined when the preprocessor must run again.
 */
export function preprocessAfterEdit(
  before: string,
  after: string,
  pre: PreprocessResult,
  { start, oldEnd, newEnd }: TextSpanEdit = changedSpan(before, after),
): PreprocessResult | undefined {
  if (before === after) return pre;
  if (PREPROCESSOR_SIGNIFICANT.test(before.slice(start, oldEnd)) || PREPROCESSOR_SIGNIFICANT.test(after.slice(start, newEnd))) return undefined;
  const lineStart = before.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = lineEndAt(before, oldEnd);
  const newLineEnd = lineEndAt(after, newEnd);
  if (continuesPreviousLine(before, lineStart)) return undefined;
  if (mayStartDirective(before, lineStart, lineEnd) || mayStartDirective(after, lineStart, newLineEnd)) return undefined;
  const delta = newEnd - oldEnd;
  const blank: [number, number][] = [];
  for (const [a, b] of pre.blank) {
    if (a <= start && oldEnd <= b && start < b) blank.push([a, b + delta]);
    else if (b <= start) blank.push([a, b]);
    else if (a >= oldEnd) blank.push([a + delta, b + delta]);
    else return undefined;
  }
  return { ...pre, blank };
}

function lineEndAt(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl;
}

/** Whether the line before the one starting at `lineStart` ends with a splice, making both one logical line. */
function continuesPreviousLine(text: string, lineStart: number): boolean {
  let i = lineStart - 2;
  if (text[i] === '\r') i--;
  return i >= 0 && text[i] === '\\';
}

/**
 * Keeps what one document's last analysis produced in one configuration: the tree, the text it was parsed from,
 * where names occur in that text, the preprocessor facts of the buffer and its calls. The next analysis gets the
 * tree edited to match its text (tree-sitter reuses the unchanged parts), the occurrences moved past the edit,
 * and the preprocessor facts and the calls when the edit cannot have changed them. `commit` makes a finished
 * analysis the next starting point; a failed analysis calls `reset`, since the old tree may already have been
 * edited.
 *
 * Given the document's VersionParses, the configurations share the parses of a version (`parses`): one whose
 * parsed text another has parsed already takes that tree (see version-parses.ts for who edits which tree).
 */
export class IncrementalTree {
  private tree: Tree | undefined;
  private text: string | undefined;
  private language: Language | undefined;
  private occurrences: ReadonlyMap<string, readonly number[]> | undefined;
  private preprocessed: { text: string; pre: PreprocessResult; inputs: string; headers: object } | undefined;
  private calls: ReusableCalls | undefined;
  /** Whether the text about to be parsed is known (`prepare`), until the version is committed. */
  private prepared = false;
  private pendingText: string | undefined;
  private pendingLanguage: Language | undefined;
  /** The edit from the committed text to the pending one; undefined when they are equal or unrelated. */
  private pendingEdit: Edit | undefined;
  /** Whether the committed text is the pending one's predecessor (same grammar): occurrences move over the edit. */
  private related = false;
  /** The committed tree, edited, when this configuration parsed from it in this version. */
  private base: ParseBase | undefined;
  /** This version's parse in the document's VersionParses (this configuration's, or another's it took). */
  private parse: VersionParse | undefined;
  /** The edit of the buffer since the committed version, when its preprocessor facts were taken over. */
  private sourceEdit: TextSpanEdit | undefined;
  /** Where the parsed text can differ from the committed one, when it was neutralised from it (neutralizeAfterEdit). */
  private parsedHint: TextSpanEdit | undefined;
  /** What the preprocessor reads besides the buffer (options, language, header cache), for the version under way. */
  private pendingInputs = '';
  private pendingHeaders: object | undefined;
  /** Whether the last parse started from an earlier tree, here or in the configuration whose tree it took (for tests and the benchmark). */
  reused = false;
  /** Whether the last analysis took another configuration's tree of the same parsed text (for tests and the benchmark). */
  sharedTree = false;
  /** Whether the last analysis took the preprocessor facts over from the previous version (for tests). */
  reusedPreprocessing = false;
  /** How many calls the last analysis took over from the previous version (for tests and the benchmark). */
  keptCalls = 0;
  /** The parses of this version shared with the document's other configurations; undefined when it shares none. */
  readonly parses: ParseStore | undefined;

  constructor(private readonly version?: VersionParses) {
    this.parses = version && {
      find: (_file: string, parsedText: string, language: Language, blank: Spans): SharedParse | undefined => {
        this.prepare(parsedText, language);
        const found = blank?.length ? undefined : version.find(parsedText, language);
        if (!found) return undefined;
        this.parse = found;
        this.sharedTree = true;
        this.reused = found.base !== undefined;
        return found.shared;
      },
      keep: (_file: string, parsedText: string, language: Language, blank: Spans, tree: Tree): SharedParse | undefined => {
        if (blank?.length) return undefined;
        this.parse = version.add(parsedText, language, tree, this.base);
        return this.parse.shared;
      },
    };
  }

  /** Starts a version: `inputs` and the header cache are everything besides the buffer the preprocessor reads. */
  begin(inputs: string, headers: object): void {
    this.pendingInputs = inputs;
    this.pendingHeaders = headers;
    this.reusedPreprocessing = false;
    this.endVersion();
  }

  readonly previousPreprocess = (text: string, language: Language): PreprocessResult | undefined => {
    const last = this.preprocessed;
    if (!last || last.inputs !== `${language}:${this.pendingInputs}` || last.headers !== this.pendingHeaders) return undefined;
    const edit = changedSpan(last.text, text);
    const pre = preprocessAfterEdit(last.text, text, last.pre, edit);
    this.reusedPreprocessing = pre !== undefined;
    this.sourceEdit = pre && edit;
    return pre;
  };

  /**
   * The neutralised text, made from the committed one around the edit, when the preprocessor facts were taken
   * over: the same macros decide which words are kept, and the hidden spans moved with the edit.
   */
  readonly neutralizedAfterEdit = (text: string, keep: KeptWords, hidden: readonly (readonly [number, number])[]): string | undefined => {
    const last = this.preprocessed;
    if (!this.reusedPreprocessing || !this.sourceEdit || !last || this.text === undefined) return undefined;
    const made = neutralizeAfterEdit({ text: last.text, neutralized: this.text, hidden: last.pre.blank }, text, this.sourceEdit, keep, hidden);
    this.parsedHint = made?.piece;
    return made?.text;
  };

  /** Learns the text about to be parsed, and the edit to it from the committed one. */
  private prepare(parsedText: string, language: Language): void {
    this.prepared = true;
    this.pendingText = parsedText;
    this.pendingLanguage = language;
    this.related = this.text !== undefined && language === this.language;
    this.pendingEdit = this.related ? editBetween(this.text!, parsedText, this.parsedHint) : undefined;
    this.base = undefined;
    this.parse = undefined;
    this.reused = false;
    this.sharedTree = false;
  }

  readonly previousTree = (parsedText: string, language: Language): Tree | undefined => {
    if (!this.prepared) this.prepare(parsedText, language);
    const tree = this.tree;
    // (a tree shared in the last version that another configuration has edited for its own text is no base here)
    if (!tree || !this.related || (this.version && !this.version.claim(tree))) return undefined;
    if (this.pendingEdit) tree.edit(this.pendingEdit);
    this.base = { tree, text: this.text!, edit: this.pendingEdit };
    this.reused = true;
    return tree;
  };

  /**
   * The previous version's calls, when the edit since stays within one line and left the preprocessor facts as
   * they were; `tree` is the new one, compared with the edited old one for the ranges whose syntax changed. The
   * new tree must have been parsed from this configuration's own old tree (here or by a configuration that held
   * the same tree): a tree parsed from scratch, or from another lineage, is compared with nothing.
   */
  readonly previousCalls = (tree: Tree): PreviousCalls | undefined => {
    const before = this.text;
    const after = this.pendingText;
    const base = this.parse ? this.parse.base : this.base;
    if (!this.calls || !this.reusedPreprocessing || !base || base.tree !== this.tree || before === undefined || after === undefined) return undefined;
    // (a tree is committed with the text it was parsed from, so this holds; it is checked all the same)
    if (base.text !== before) return undefined;
    const edit = base.edit;
    if (!edit) return { state: this.calls, edit: { startIndex: 0, oldEndIndex: 0, newEndIndex: 0 }, dirty: [], lineBefore: '', lineAfter: '' };
    if (before.slice(edit.startIndex, edit.oldEndIndex).includes('\n') || after.slice(edit.startIndex, edit.newEndIndex).includes('\n')) return undefined;
    const lineStart = before.lastIndexOf('\n', edit.startIndex - 1) + 1;
    const newLineEnd = lineEndAt(after, edit.newEndIndex);
    const dirty: [number, number][] = [[lineStart, newLineEnd]];
    for (const r of this.parse ? this.parse.changedRanges() : base.tree.getChangedRanges(tree)) dirty.push([r.startIndex, r.endIndex]);
    return {
      state: this.calls,
      edit,
      dirty,
      lineBefore: before.slice(lineStart, lineEndAt(before, edit.oldEndIndex)),
      lineAfter: after.slice(lineStart, newLineEnd),
      ...(this.parse ? { items: this.parse.items } : {}),
    };
  };

  /** A name's whole-word offsets in the pending text, from those of the committed text; undefined when unknown. */
  readonly knownOccurrences = (name: string): number[] | undefined => {
    const before = this.related ? this.occurrences?.get(name) : undefined;
    if (!before || this.pendingText === undefined) return undefined;
    return this.pendingEdit ? occurrencesAfterEdit(before, this.pendingEdit, name, this.pendingText) : [...before];
  };

  commit(analysis: Pick<FileAnalysis, 'tree' | 'text' | 'pre' | 'language' | 'occurrences' | 'reusable'>): void {
    this.calls = analysis.reusable;
    this.keptCalls = analysis.reusable?.kept ?? 0;
    this.tree = analysis.tree;
    this.text = this.pendingText;
    this.language = this.pendingLanguage;
    this.occurrences = analysis.occurrences;
    this.preprocessed = this.pendingHeaders && {
      text: analysis.text,
      pre: analysis.pre,
      inputs: `${analysis.language}:${this.pendingInputs}`,
      headers: this.pendingHeaders,
    };
    this.endVersion();
  }

  reset(): void {
    this.tree = undefined;
    this.text = undefined;
    this.language = undefined;
    this.occurrences = undefined;
    this.preprocessed = undefined;
    this.calls = undefined;
    this.endVersion();
  }

  /** Forgets what only one version needed (the edit, its base, its parse): when it is done, and before the next. */
  private endVersion(): void {
    this.prepared = false;
    this.sourceEdit = undefined;
    this.parsedHint = undefined;
    this.related = false;
    this.pendingEdit = undefined;
    this.base = undefined;
    this.parse = undefined;
  }
}
