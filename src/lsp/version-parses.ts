// The parses of one version of a document, shared between the configurations it is checked in. x64 and x86
// preprocess the buffer each in their own way, but unless the file has code for one target only, the text the
// parser sees is the same: then the first configuration's tree serves the others as it is, with what is derived
// from the tree alone (the lifetimes, parse/shared-parses.ts), and each takes it as the starting point of its
// next version.
//
// Ownership. A tree is edited in place (`tree.edit`) before the next version is parsed from it, and the Node
// binding cannot copy a tree; configurations that shared a tree in one version all hold it in the next. So an
// old tree is the base of at most one parse per version (`claim`): the first configuration to parse edits it and
// parses from it; another whose new text is the same takes that parse, with the same edit and the same changed
// ranges (computed once); another whose text differs parses from scratch, since the old tree is now edited for a
// text that is not its own, and redoes its calls. Changed ranges always compare a base tree with the tree parsed
// from it, never trees of two lineages, and no node of one tree is compared with a node of another.

import type ParserType from 'tree-sitter';
import { sharedParse, type SharedParse } from '../engine/parse/shared-parses.js';
import type { Language, Tree } from '../engine/parse/parse.js';
import type { TopLevelItem } from '../engine/analysis/facts.js';

type Edit = ParserType.Edit;

/** The tree a parse started from: edited by `edit` (none when the text was unchanged) from `text`, which it was parsed from. */
export interface ParseBase {
  readonly tree: Tree;
  readonly text: string;
  readonly edit: Edit | undefined;
}

/** One parse of this version: its text, grammar and tree, and the base tree it was parsed from, if any. */
export class VersionParse {
  private changed: readonly ParserType.Range[] | undefined;
  readonly shared: SharedParse;
  /** The tree's top-level items, found by the configurations that take calls over (PreviousCalls.items). */
  readonly items = new Map<number, TopLevelItem>();

  constructor(
    readonly text: string,
    readonly language: Language,
    readonly tree: Tree,
    readonly base: ParseBase | undefined,
  ) {
    this.shared = sharedParse(tree);
  }

  /** The ranges whose syntax differs between the edited base tree and this one (asked once, whoever asks). */
  changedRanges(): readonly ParserType.Range[] {
    if (!this.base) return [];
    return (this.changed ??= this.base.tree.getChangedRanges(this.tree));
  }
}

/** The parses of the version of one document under way; cleared when its configurations are done. */
export class VersionParses {
  private parses: VersionParse[] = [];
  private readonly bases = new Set<Tree>();

  /** This version's parse of exactly this text with this grammar. */
  find(text: string, language: Language): VersionParse | undefined {
    return this.parses.find((p) => p.language === language && p.text === text);
  }

  /** Whether `tree` may be edited and parsed from in this version: true once, for the first that asks. */
  claim(tree: Tree): boolean {
    if (this.bases.has(tree)) return false;
    this.bases.add(tree);
    return true;
  }

  add(text: string, language: Language, tree: Tree, base: ParseBase | undefined): VersionParse {
    const parse = new VersionParse(text, language, tree, base);
    this.parses.push(parse);
    return parse;
  }

  /** Forgets the version's parses (its configurations hold the trees they committed). */
  clear(): void {
    this.parses = [];
    this.bases.clear();
  }
}
