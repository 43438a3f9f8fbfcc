// One document's incremental state in every configuration it is checked in (x64 and x86 by default). Each
// configuration preprocesses the buffer in its own way (`#ifdef _WIN64` blanks other code), and its tree,
// preprocessor facts and calls are the starting point of that configuration's next version. When two
// configurations parse the same text, they share the parse of each version (version-parses.ts): one tree, parsed
// once, which both then hold.

import { IncrementalTree } from './incremental.js';
import { VersionParses } from './version-parses.js';

/**
 * The incremental state of each configuration of one document, keyed by the configuration's name (its target).
 * The name is enough of a key: what else a configuration's preprocessor reads (compiler, defines, include path)
 * is checked by the IncrementalTree itself before it takes preprocessor facts or calls over, and its tree is
 * edited from the text it last parsed, whatever the settings were. A configuration the settings no longer name is
 * dropped (`keepOnly`) with its tree.
 */
export class IncrementalStates {
  private readonly byConfiguration = new Map<string, IncrementalTree>();
  /** The parses of the version under way, shared between the configurations; undefined when they share none. */
  private readonly version: VersionParses | undefined;

  /** `share`: whether configurations whose parsed texts are equal share one parse (false only to compare, in tests). */
  constructor({ share = true }: { share?: boolean } = {}) {
    this.version = share ? new VersionParses() : undefined;
  }

  /** The state of one configuration, made empty on first use. */
  of(configuration: string): IncrementalTree {
    let tree = this.byConfiguration.get(configuration);
    if (!tree) this.byConfiguration.set(configuration, (tree = new IncrementalTree(this.version)));
    return tree;
  }

  /** Runs the analyses of one version of the document: the parses they share are forgotten after it. */
  inVersion<T>(analyse: () => T): T {
    this.version?.clear();
    try {
      return analyse();
    } catch (e) {
      // a configuration that failed may have edited a tree others hold: every one starts from scratch next time
      this.reset();
      throw e;
    } finally {
      this.version?.clear();
    }
  }

  /** Drops the state of every configuration not in `configurations` (the settings changed the targets). */
  keepOnly(configurations: readonly string[]): void {
    for (const name of [...this.byConfiguration.keys()]) if (!configurations.includes(name)) this.byConfiguration.delete(name);
  }

  /** The configurations that hold a state, in the order they were first analysed. */
  configurations(): string[] {
    return [...this.byConfiguration.keys()];
  }

  /** Drops every configuration's state (a buffer too large to analyse: nothing of an older version is worth keeping). */
  reset(): void {
    this.byConfiguration.clear();
  }
}
