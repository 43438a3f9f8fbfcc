// A parsed file as the lifetimes read it (lifetime.ts): its parsed text, its tree and positions, and nothing of a
// configuration (no macros, types or wrappers). The configurations of a run that parse a file to the same text share
// one tree (parse/shared-parses.ts), and with it one of these and the lifetimes derived from it.

import { enclosingFunctionAt } from '../parse/ancestry.js';
import type { SyntaxNode, Tree } from '../parse/parse.js';
import type { Range } from '../model/types.js';
import { wordOccurrences } from '../text/occurrences.js';
import type { LineMap } from '../text/source.js';
import { FUNCTION_TYPES } from './syntax.js';

/** What the lifetimes ask of a parsed file (FileIndex answers the same questions for one configuration's analysis). */
export interface LifetimeSource {
  readonly parsedText: string;
  /** The function, method or lambda that holds an offset. */
  enclosingFunction(offset: number): SyntaxNode | undefined;
  /** The whole-word offsets of a name in the parsed text, in text order. */
  occurrencesOf(name: string, use: 'scoped'): number[];
  range(start: number, end: number): Range;
}

/** The answers FileIndex gives, from the tree and the parsed text alone (remembered, as FileIndex remembers them). */
export class ParsedSource implements LifetimeSource {
  private readonly functionAt = new Map<number, SyntaxNode | undefined>();
  private readonly occurrences = new Map<string, number[]>();

  constructor(
    readonly parsedText: string,
    private readonly tree: Tree,
    private readonly lines: LineMap,
    /**
     * Where a name occurs in `parsedText`, when the caller knows without a search (the language server's file
     * index, which moves the offsets over an edit); undefined to search.
     */
    private readonly known?: (name: string) => number[] | undefined,
  ) {}

  enclosingFunction(offset: number): SyntaxNode | undefined {
    if (this.functionAt.has(offset)) return this.functionAt.get(offset);
    const fn = enclosingFunctionAt(this.tree, offset, FUNCTION_TYPES, true);
    this.functionAt.set(offset, fn);
    return fn;
  }

  occurrencesOf(name: string): number[] {
    let list = this.occurrences.get(name);
    if (!list) this.occurrences.set(name, (list = this.known?.(name) ?? wordOccurrences(this.parsedText, name)));
    return list;
  }

  range(start: number, end: number): Range {
    return { start: this.lines.position(start), end: this.lines.position(end) };
  }
}
