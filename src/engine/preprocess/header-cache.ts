import { FileReader } from '../files/file-reader.js';
import { DEFAULT_EFFECTS_BUDGET, HeaderEffects } from './header-effects.js';
import { IncludeSearch } from './include-search.js';
import { findPreprocessorDirectives, type Directive } from './directives.js';

/**
 * Caches header text, directive scans and headers' effects (header-effects.ts) for the whole run (one per thread),
 * and knows the scanned tree an include is searched in.
 */
export class HeaderCache {
  private search: IncludeSearch;
  private tree: readonly string[];

  /**
   * `tree`: the files of the run, where an include the include path misses is looked up (include-search.ts).
   * `effectsBudget`: the weight of headers' effects it keeps at most (HeaderEffects; tests set a small one).
   */
  constructor(tree: readonly string[] = [], effectsBudget = DEFAULT_EFFECTS_BUDGET) {
    this.tree = tree;
    this.search = new IncludeSearch(tree);
    this.effects = new HeaderEffects(effectsBudget);
  }

  searchInclude = (spec: string, from: string): string | undefined => this.search.find(spec, from);

  /** The editor integrations learn the tree from their project scan: a different list starts a new search. */
  searchIn(tree: readonly string[]): void {
    if (tree.length === this.tree.length && tree.every((f, i) => f === this.tree[i])) return;
    this.tree = tree;
    this.search = new IncludeSearch(tree);
    // (what a header includes may now be found elsewhere)
    this.effects.forget();
  }

  /** Each header's effect per configuration, replayed by the includers that agree with it (header-effects.ts). */
  readonly effects: HeaderEffects;

  private readonly texts = new Map<string, string | undefined>();
  private readonly directives = new Map<string, Directive[]>();
  private readonly reader = new FileReader();

  read = (file: string): string | undefined => {
    if (this.texts.has(file)) return this.texts.get(file);
    const text = this.reader.readText(file);
    this.texts.set(file, text);
    return text;
  };

  directivesOf = (file: string, text: string): Directive[] => {
    let list = this.directives.get(file);
    if (!list) this.directives.set(file, (list = findPreprocessorDirectives(text)));
    return list;
  };

  /** The last main file's directives: its configurations are preprocessed one after the other, from the same text. */
  private lastMain: { file: string; text: string; directives: Directive[] } | undefined;

  /**
   * A main file's directives, scanned once for the configurations that preprocess the same text in a row (each
   * configuration scanned the whole file again). Only the last file is kept: a run's candidates are many, and a
   * header's scan (directivesOf) stays for the run. The text is compared, not only the path: an editor's buffer
   * changes, and its directives' definitions are shared (directives.ts definitionOf).
   */
  mainDirectivesOf = (file: string, text: string): Directive[] => {
    const last = this.lastMain;
    if (last?.file === file && last.text === text) return last.directives;
    this.lastMain = { file, text, directives: findPreprocessorDirectives(text) };
    return this.lastMain.directives;
  };

  /** Forgets a header (it changed on disk). */
  invalidate(file: string): void {
    this.texts.delete(file);
    this.directives.delete(file);
    // (an effect holds what every header it entered, or looked for, had to say)
    this.effects.forget();
  }
}
