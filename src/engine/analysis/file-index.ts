// One parsed file as the analysis reads it: its texts, tree and macros, where each name occurs, which function
// holds an offset, and positions. Every part of the analysis (finding calls, resolving names, wrappers) asks
// these questions of the same index, which remembers the answers.

import { enclosingFunctionAt } from '../parse/ancestry.js';
import { FILE_EXPANSION_BUDGET, type MacroLookup } from '../macros/macros.js';
import type { Language, SyntaxNode, Tree } from '../parse/parse.js';
import type { PreprocessResult } from '../preprocess/preprocess.js';
import { MANY_NAMES, wordIndex, wordOccurrences } from '../text/occurrences.js';
import type { LineMap } from '../text/source.js';
import type { TargetModel } from '../model/target.js';
import type { Compiler } from '../model/configuration.js';
import type { Range } from '../model/types.js';
import type { AllocationCall } from './facts.js';
import { DECLARATOR_WRAPPERS, FUNCTION_TYPES, functionName, IDENTIFIER_TYPES } from './syntax.js';
import type { HeaderConstant } from './header-facts.js';

/** What the index needs of the analysis options. */
export interface IndexOptions {
  model: TargetModel;
  /** Whose layout rules measure records (sizeof, alignof, offsetof): the configuration's compiler; msvc when not given. */
  compiler?: Compiler;
  /** See AnalysisOptions.knownOccurrences. */
  knownOccurrences?: (name: string) => number[] | undefined;
  /** See AnalysisOptions.headerConstant. */
  headerConstant?: (header: string, name: string) => HeaderConstant | undefined;
  /** The root of a file's project (files/project-root.ts); undefined: every file is of one project. */
  projectOf?: (file: string) => string;
  /** See AnalysisOptions.builds. */
  builds?: readonly string[];
  /** Whether a header declares a function of that name (header-declarations.ts); cached per run by the caller. */
  headerDeclares?: (header: string, name: string) => boolean;
}

/** An identifier occurrence's node, lifted through the declarators around it (`*p`, `a[4]`), and the node above. */
export interface Occurrence {
  declared: SyntaxNode;
  parent: SyntaxNode;
}

export class FileIndex {
  /** The whole-word offsets of every name looked up (FileAnalysis.occurrences). */
  readonly occurrences = new Map<string, number[]>();
  /** See FileAnalysis.lookups and typeLookups. */
  readonly lookups = new Set<string>();
  readonly typeLookups = new Set<string>();
  /** What the macro expansions of this file may still produce (macros.ts FILE_EXPANSION_BUDGET). */
  readonly expansionBudget = { left: FILE_EXPANSION_BUDGET };
  /** The text's words and their offsets, once many names have been searched for (see occurrencesOf). */
  private words?: Map<string, number[]>;
  private searches = 0;
  /** Each occurrence's identifier node and the node above it; asked once per call that resolves the name. */
  private readonly occurrenceNodes = new Map<number, Occurrence | null>();
  /** Identifier resolution asks this for every occurrence of a name at every call: remember the answers. */
  private readonly functionAt = new Map<number, SyntaxNode | undefined>();
  private functionNames?: Set<string>;

  constructor(
    readonly file: string,
    readonly text: string,
    readonly parsedText: string,
    readonly tree: Tree,
    readonly lines: LineMap,
    readonly pre: PreprocessResult,
    readonly options: IndexOptions,
    readonly language: Language,
  ) {}

  get model(): TargetModel {
    return this.options.model;
  }

  /**
   * The whole-word offsets of a name. `use` says which of its declarations can matter: any (`lookup`), a
   * `typedef`, or only those a scoped lookup decides with (`scoped`: the name resolver records those).
   */
  occurrencesOf(name: string, use: 'lookup' | 'typedef' | 'scoped' = 'lookup'): number[] {
    if (use === 'lookup') this.lookups.add(name);
    else if (use === 'typedef') this.typeLookups.add(name);
    let list = this.occurrences.get(name) ?? this.options.knownOccurrences?.(name);
    if (list) {
      this.occurrences.set(name, list);
      return list;
    }
    // a run with thousands of wrappers asks every file for each name: past a few searches the file's words are
    // indexed once, with their offsets (the same as a search for each: whole words, in text order)
    const words = ++this.searches > MANY_NAMES ? this.fileWords() : undefined;
    list = words ? (words.get(name) ?? []) : wordOccurrences(this.parsedText, name);
    this.occurrences.set(name, list);
    return list;
  }

  /** The words of the parsed text, listed once (see occurrencesOf and the callee names). */
  fileWords(): Map<string, number[]> {
    return (this.words ??= wordIndex(this.parsedText));
  }

  mentions(word: string): boolean {
    return this.occurrencesOf(word).length > 0;
  }

  /** The identifier at `at` (an occurrence of `name`) with the declarator levels above it, or null when none is there. */
  occurrenceAt(at: number, name: string): Occurrence | null {
    let found = this.occurrenceNodes.get(at);
    if (found !== undefined) return found;
    found = null;
    const node = this.tree.rootNode.descendantForIndex(at, at + name.length);
    if (IDENTIFIER_TYPES.has(node.type) && node.startIndex === at) {
      // `void *base`, `char (*p)[4]`: the name sits in a pointer or array declarator of the declaration
      let declared: SyntaxNode = node;
      while (
        declared.parent &&
        DECLARATOR_WRAPPERS.has(declared.parent.type) &&
        declared.parent.childForFieldName('declarator')?.startIndex === declared.startIndex
      )
        declared = declared.parent;
      if (declared.parent) found = { declared, parent: declared.parent };
    }
    this.occurrenceNodes.set(at, found);
    return found;
  }

  macroAt(name: string, line: number): MacroLookup {
    return this.pre.macros.lookup(name, line);
  }

  range(start: number, end: number): Range {
    return { start: this.lines.position(start), end: this.lines.position(end) };
  }

  loc(range: Range): AllocationCall['loc'] {
    return {
      start: { line: range.start.line, column: range.start.column - 1 },
      end: { line: range.end.line, column: range.end.column - 1 },
    };
  }

  enclosingFunction(offset: number): SyntaxNode | undefined {
    if (this.functionAt.has(offset)) return this.functionAt.get(offset);
    // not `.parent` upwards: that is quadratic in the nesting depth (ancestry.ts); a lambda's name is its function's
    const fn = enclosingFunctionAt(this.tree, offset, FUNCTION_TYPES, true);
    this.functionAt.set(offset, fn);
    return fn;
  }

  enclosingFunctionName(offset: number): string {
    const fn = this.enclosingFunction(offset);
    return fn ? (functionName(fn, this.parsedText) ?? '') : '';
  }

  /** The names of the functions this file defines (the last part of a qualified name). */
  definedFunctions(): Set<string> {
    if (this.functionNames) return this.functionNames;
    const names = new Set<string>();
    const visit = (node: SyntaxNode) => {
      for (const child of node.namedChildren) {
        if (child.type === 'function_definition') {
          const name = functionName(child, this.parsedText);
          if (name) names.add(name.split('::').pop()!);
        } else if (CONTAINERS.includes(child.type)) {
          visit(child);
        }
      }
    };
    visit(this.tree.rootNode);
    return (this.functionNames = names);
  }
}

/** Nodes whose children may define functions. */
const CONTAINERS = [
  'declaration_list',
  'namespace_definition',
  'linkage_specification',
  'preproc_if',
  'preproc_ifdef',
  'preproc_else',
  'preproc_elif',
  'class_specifier',
  'struct_specifier',
  'field_declaration_list',
  'template_declaration',
];
