// What one lint run knows beyond a single file: the compilation database's flags per file, the constants of
// the headers it reads, the wrappers every file defines (several files may define a static helper of the
// same name), and each file's parse, kept across the rounds of the wrapper fixpoint.

import * as path from 'node:path';
import type { FileAnalysis, PreparedFile, ProjectFacts, WrapperModel } from '../analysis/analyze.js';
import { prepareFile, type AnalysisOptions } from '../analysis/analyze.js';
import { CompileCommandsError, loadCompilationDatabase, type CompilationDatabase, type CompileFlags } from '../preprocess/compile-commands.js';
import type { HeaderCache } from '../preprocess/header-cache.js';
import { HeaderFacts } from '../analysis/header-facts.js';
import { HeaderTypes } from '../analysis/header-types.js';
import type { LintOptions } from './options.js';
import { wordsIn } from '../text/occurrences.js';
import type { MacroTable } from '../macros/macros.js';
import type { Notice } from '../model/types.js';

/**
 * An explicit cache: the constants read from headers, per header cache (one per run, or per editor session).
 * Keyed weakly by the HeaderCache, so it lives exactly as long as the header texts it was read from; safe to
 * share because a HeaderCache's texts never change (a changed header gets a new HeaderCache).
 */
// eslint-disable-next-line no-restricted-syntax -- the cache described above: keyed weakly by the HeaderCache, whose texts never change
const factsByCache = new WeakMap<HeaderCache, HeaderFacts>();

/** The header-constant lookup for a header cache (one per run, or one per editor session). */
export function headerConstantsFor(headers: HeaderCache): NonNullable<AnalysisOptions['headerConstant']> {
  let facts = factsByCache.get(headers);
  if (!facts) factsByCache.set(headers, (facts = new HeaderFacts(headers.read)));
  return facts.lookup;
}

/** The header-types lookup for a header cache: the same explicit cache, keyed weakly by the HeaderCache. */
// eslint-disable-next-line no-restricted-syntax -- the cache described above: keyed weakly by the HeaderCache, whose texts never change
const typesByCache = new WeakMap<HeaderCache, HeaderTypes>();

export function headerTypesFor(headers: HeaderCache): NonNullable<AnalysisOptions['headerTypes']> {
  let types = typesByCache.get(headers);
  if (!types) typesByCache.set(headers, (types = new HeaderTypes(headers.read)));
  return types.source;
}

export class RunReach {
  readonly database?: CompilationDatabase;
  /** The compilation database could not be read: a configuration error (exit 2). */
  configError = false;
  private readonly merged = new Map<string, LintOptions>();
  private readonly prepared = new Map<string, { text: string; blank: AnalysisOptions['blank']; options: AnalysisOptions; file: PreparedFile }>();
  private byName = new Map<string, WrapperModel[]>();
  /** The position of each name in the wrapper maps offered (files are offered a map's names in its order). */
  private readonly order = new WeakMap<ReadonlyMap<string, unknown>, Map<string, number>>();
  /** Wrapper names offered to files so far, summed over the analyses (for the fixpoint's statistics). */
  namesOffered = 0;

  constructor(options: LintOptions, notices: Notice[]) {
    if (options.compileCommands) {
      const file = path.resolve(options.cwd, options.compileCommands);
      try {
        this.database = loadCompilationDatabase(file);
      } catch (e) {
        if (!(e instanceof CompileCommandsError)) throw e;
        this.configError = true;
        notices.push({ level: 'error', file, code: 'config', message: e.message });
      }
    }
  }

  /** A file's options with its compile command's macros, include paths and forced includes (the command line's own come last and win). */
  optionsFor(file: string, options: LintOptions): LintOptions {
    const flags = this.database?.flagsFor(file);
    if (!flags) return options;
    let merged = this.merged.get(file);
    if (!merged || merged.cwd !== options.cwd) this.merged.set(file, (merged = mergeFlags(options, flags)));
    return merged;
  }

  /** Wrappers of every name found in the last round, for the next one. */
  setWrappers(wrappers: Iterable<WrapperModel>): void {
    const byName = new Map<string, WrapperModel[]>();
    for (const w of wrappers) {
      let list = byName.get(w.name);
      if (!list) byName.set(w.name, (list = []));
      list.push(w);
    }
    this.byName = byName;
  }

  get overloads(): ReadonlyMap<string, readonly WrapperModel[]> {
    return this.byName;
  }

  /** Drops a file's parse (a wider window is coming). */
  forget(file: string): void {
    this.prepared.delete(file);
  }

  /**
   * Analyses a file, reusing its parse from an earlier round when its text and options are the same. The file is
   * offered only the run's wrappers whose names it mentions (in its text, or in a macro it can expand): what it
   * does not mention it cannot call, and a run with thousands of wrappers must not cost each file thousands.
   */
  analyze(file: string, text: string, options: AnalysisOptions, project: ProjectFacts): FileAnalysis {
    let entry = this.prepared.get(file);
    // (a window is built once for each set of blanked spans: the same spans are the same array)
    if (!entry || entry.text !== text || entry.blank !== options.blank || !sameOptions(entry.options, options)) {
      // (the old parse goes first: a big file's two trees must not be held at once)
      this.prepared.delete(file);
      entry = { text, blank: options.blank, options, file: prepareFile(file, text, options) };
      this.prepared.set(file, entry);
    }
    const overloads = this.byName.size ? this.byName : project.overloads;
    if (project.wrappers.size === 0 && !overloads?.size) return entry.file.analyze({ ...project, overloads });
    const mentioned = namesReaching(text, entry.file.pre.macros, (name) => project.wrappers.has(name) || !!overloads?.has(name));
    this.namesOffered += mentioned.size;
    return entry.file.analyze({ ...project, wrappers: this.offered(project.wrappers, mentioned), overloads: overloads && this.offered(overloads, mentioned) });
  }

  /** The entries of `map` whose names are in `names`, in the map's own order. */
  private offered<V>(map: ReadonlyMap<string, V>, names: ReadonlySet<string>): ReadonlyMap<string, V> {
    let at = this.order.get(map);
    if (!at) this.order.set(map, (at = new Map([...map.keys()].map((k, i) => [k, i]))));
    const kept = [...names].filter((n) => map.has(n)).sort((a, b) => at!.get(a)! - at!.get(b)!);
    return new Map(kept.map((n) => [n, map.get(n)!]));
  }
}

/**
 * The names passing `wanted` that a file can reach: the words of its text, the names of its macros and the words
 * of their bodies. (The macro tables's mention index is built to list the body words, and dropped again after.)
 */
export function namesReaching(text: string, macros: MacroTable, wanted: (name: string) => boolean): Set<string> {
  const found = new Set<string>();
  for (const word of wordsIn(text)) if (wanted(word)) found.add(word);
  for (const name of macros.names()) if (wanted(name)) found.add(name);
  macros.macrosMentioningAny((word) => {
    if (wanted(word)) found.add(word);
    return false;
  });
  macros.releaseIndexes();
  return found;
}

function mergeFlags(options: LintOptions, flags: CompileFlags): LintOptions {
  const defines = { ...flags.defines };
  for (const name of options.undefines) delete defines[name];
  Object.assign(defines, options.defines);
  return {
    ...options,
    defines,
    undefines: [...flags.undefines.filter((u) => !(u in options.defines)), ...options.undefines],
    includePaths: [...options.includePaths, ...flags.includePaths],
    forceIncludes: [...flags.forceIncludes, ...options.forceIncludes],
  };
}

function sameOptions(a: AnalysisOptions, b: AnalysisOptions): boolean {
  return (
    a.model === b.model &&
    a.language === b.language &&
    JSON.stringify([a.defines, a.undefines, a.includePaths, a.forceIncludes]) === JSON.stringify([b.defines, b.undefines, b.includePaths, b.forceIncludes])
  );
}
