// The parses a run shares between its configurations. A file checked for x64 and for x86 is preprocessed for
// each (its `#if` branches differ), but the text the parser sees is the same unless the file itself has code
// for one target only: then one tree serves both. A run keeps its parses here; the language server, which edits
// its trees for the next version, keeps those of one version of a buffer in its own store (see the end).
//
// A run analyses its configurations one after the other, so a parse kept for the next configuration is held
// through the whole of this one's run: the store holds at most KEPT_CHARS characters of parsed text (oldest
// dropped first), and a file bigger than that is never kept. A tree is a few tens of bytes per character parsed,
// and a 50 MB file's trees and parsed texts held for x86 while x64 went on doubled the run's peak; a dropped parse
// only costs the next configuration a parse of its own, which gives the same tree.
//
// Beside each kept tree, a cache of what the analysis derives from that tree and its parsed text alone, whatever
// the configuration (SharedParse.derived: the lifetimes of its calls, analysis/lifetime.ts, and its function
// pointers when no macro of the configuration fills one, analysis/pointers.ts). Its key is the kept
// parse itself: a configuration that finds the tree finds what another derived from it, and nothing derived from a
// tree is ever looked up by a node of another (tree-sitter nodes are not compared across trees). It lives exactly as
// long as the tree is kept; a configuration that parses again derives again, and gets the same answers.
//
// The language server shares the parses of one version of a buffer through the same two questions (ParseStore,
// src/lsp/version-parses.ts), with its own rules for the trees it edits.

import type { Language, Tree } from './parse.js';
import { differingStretches, editStretches } from './tree-edits.js';

export type Spans = readonly (readonly [number, number])[] | undefined;

interface Kept {
  readonly parsedText: string;
  readonly language: Language;
  readonly blank: Spans;
  readonly tree: Tree;
  readonly shared: SharedParse;
}

/** A kept parse, as the configurations that use it see it. */
export interface SharedParse {
  readonly tree: Tree;
  /**
   * What `make` derives from this tree and its parsed text alone (never from a configuration's macros, types or
   * wrappers), made once under `key` and given back to every configuration that uses the tree.
   */
  derived<T>(key: string, make: () => T): T;
}

/** Where the analysis of one configuration finds another's parse of the same text, and leaves its own. */
export interface ParseStore {
  /** An earlier parse of exactly this text, with this grammar and window. */
  find(file: string, parsedText: string, language: Language, blank: Spans): SharedParse | undefined;
  /** Keeps a parse for the next configuration; undefined when it is not kept. */
  keep(file: string, parsedText: string, language: Language, blank: Spans, tree: Tree): SharedParse | undefined;
  /**
   * When no parse of exactly this text is kept: another configuration's parse of the file to re-parse from,
   * edited where its text differs from `parsedText` (undefined: parse from scratch).
   */
  startingPoint?(file: string, parsedText: string, language: Language): Tree | undefined;
}

/** A parse and the cache of what was derived from it (see SharedParse.derived). */
export function sharedParse(tree: Tree): SharedParse {
  const made = new Map<string, unknown>();
  return {
    tree,
    derived<T>(key: string, make: () => T): T {
      if (!made.has(key)) made.set(key, make());
      return made.get(key) as T;
    },
  };
}

/** Past this many parses of one file (its windows), the oldest is dropped. */
const KEPT_PER_FILE = 3;

/** Characters of parsed text (and their trees) the store holds at most, over every file. */
export const KEPT_CHARS = 2 << 20;

/** One run's parses by file, kept until the run ends (or the file is forgotten, or newer parses push them out). */
export class SharedParses implements ParseStore {
  private readonly byFile = new Map<string, Kept[]>();
  /** Every kept parse, oldest first, with its file: the order they are dropped in. */
  private readonly order: { file: string; kept: Kept }[] = [];
  private chars = 0;

  constructor(private readonly budget = KEPT_CHARS) {}

  /** An earlier parse of exactly this text, with this grammar and window. */
  find(file: string, parsedText: string, language: Language, blank: Spans): SharedParse | undefined {
    for (const k of this.byFile.get(file) ?? []) {
      if (k.language === language && sameSpans(k.blank, blank) && k.parsedText === parsedText) return k.shared;
    }
    return undefined;
  }

  /** Keeps a parse for the next configuration; undefined when it is too big to keep. */
  keep(file: string, parsedText: string, language: Language, blank: Spans, tree: Tree): SharedParse | undefined {
    if (parsedText.length > this.budget) return undefined;
    const list = this.byFile.get(file) ?? [];
    const known = list.find((k) => k.tree === tree);
    if (known) return known.shared;
    const kept = { parsedText, language, blank, tree, shared: sharedParse(tree) };
    list.push(kept);
    this.byFile.set(file, list);
    this.order.push({ file, kept });
    this.chars += parsedText.length;
    if (list.length > KEPT_PER_FILE) this.drop(file, list[0]!);
    while (this.chars > this.budget) this.drop(this.order[0]!.file, this.order[0]!.kept);
    return kept.shared;
  }

  /**
   * The latest kept parse of the file with this grammar, edited where its parsed text differs from `parsedText`
   * (the other target's `#if` branches, a window a little wider or narrower; the texts have the file's length, and
   * what is blanked is spaces at the same offsets), so that tree-sitter parses only those places again. The tree
   * is edited in place, which changes none of its nodes (each stretch keeps its length) but the marks an
   * incremental parse reads: a configuration that finds it later reads the same tree. Undefined when none is
   * kept or too much differs (tree-edits.ts MAX_EDITS).
   */
  startingPoint(file: string, parsedText: string, language: Language): Tree | undefined {
    const list = this.byFile.get(file) ?? [];
    for (let i = list.length - 1; i >= 0; i--) {
      const k = list[i]!;
      if (k.language !== language || k.parsedText.length !== parsedText.length) continue;
      const stretches = differingStretches(k.parsedText, parsedText);
      return stretches && editStretches(k.tree, k.parsedText, stretches);
    }
    return undefined;
  }

  /** Drops a file's parses (every configuration has analysed it). */
  forget(file: string): void {
    for (const kept of this.byFile.get(file) ?? []) this.drop(file, kept);
  }

  private drop(file: string, kept: Kept): void {
    const list = this.byFile.get(file);
    const at = list?.indexOf(kept) ?? -1;
    if (!list || at < 0) return;
    list.splice(at, 1);
    if (list.length === 0) this.byFile.delete(file);
    const i = this.order.findIndex((o) => o.kept === kept);
    if (i >= 0) this.order.splice(i, 1);
    this.chars -= kept.parsedText.length;
  }
}

function sameSpans(a: Spans, b: Spans): boolean {
  if (a === b) return true;
  const x = a ?? [];
  const y = b ?? [];
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i]![0] !== y[i]![0] || x[i]![1] !== y[i]![1]) return false;
  return true;
}
