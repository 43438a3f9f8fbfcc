// The parses a run shares between its configurations. A file checked for x64 and for x86 is preprocessed for
// each (its `#if` branches differ), but the text the parser sees is the same unless the file itself has code
// for one target only: then one tree serves both. Only a run's analyses use a store (the language server edits
// its trees, and never shares them).

import type { Language, Tree } from './parse.js';

type Spans = readonly (readonly [number, number])[] | undefined;

interface Kept {
  readonly parsedText: string;
  readonly language: Language;
  readonly blank: Spans;
  readonly tree: Tree;
}

/** Past this many parses of one file (its windows), the oldest is dropped. */
const KEPT_PER_FILE = 3;

/** One run's parses by file, kept until the run ends (or the file is forgotten). */
export class SharedParses {
  private readonly byFile = new Map<string, Kept[]>();

  /** The tree of an earlier parse of exactly this text, with this grammar and window. */
  find(file: string, parsedText: string, language: Language, blank: Spans): Tree | undefined {
    for (const k of this.byFile.get(file) ?? []) {
      if (k.language === language && sameSpans(k.blank, blank) && k.parsedText === parsedText) return k.tree;
    }
    return undefined;
  }

  keep(file: string, parsedText: string, language: Language, blank: Spans, tree: Tree): void {
    const list = this.byFile.get(file) ?? [];
    if (list.some((k) => k.tree === tree)) return;
    list.push({ parsedText, language, blank, tree });
    if (list.length > KEPT_PER_FILE) list.shift();
    this.byFile.set(file, list);
  }

  /** Drops a file's parses (every configuration has analysed it). */
  forget(file: string): void {
    this.byFile.delete(file);
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
