// What one lint run knows beyond a single file: the compilation database's flags per file, the constants of
// the headers it reads, the wrappers every file defines (several files may define a static helper of the
// same name), and each file's parse, kept across the rounds of the wrapper fixpoint.

import { analysisTarget } from '../model/target.js';
import * as path from 'node:path';
import type { FileAnalysis, PreparedFile, ProjectFacts, WrapperModel } from '../analysis/analyze.js';
import { prepareFile, type AnalysisOptions } from '../analysis/analyze.js';
import { BuildConfigurations, type ReadProjects } from '../preprocess/build-configurations.js';
import type { Configuration } from '../model/configuration.js';
import type { HeaderCache } from '../preprocess/header-cache.js';
import { HeaderFacts } from '../analysis/header-facts.js';
import { HeaderFunctions } from '../analysis/header-functions.js';
import { HeaderDeclarations } from '../analysis/header-declarations.js';
import { ProjectRoots } from '../files/project-root.js';
import { HeaderTypes } from '../analysis/header-types.js';
import type { LintOptions } from './options.js';
import { wordsIn } from '../text/occurrences.js';
import type { MacroTable } from '../macros/macros.js';
import type { Notice } from '../model/types.js';
import { configurationLabel, configurationsOf, optionsIn, targetConfigurations, type FileConfiguration } from './file-configurations.js';

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

/** The header constexpr-function lookup for a header cache: the same explicit cache, keyed weakly by the HeaderCache. */
// eslint-disable-next-line no-restricted-syntax -- the cache described above: keyed weakly by the HeaderCache, whose texts never change
const functionsByCache = new WeakMap<HeaderCache, HeaderFunctions>();

export function headerFunctionsFor(headers: HeaderCache): NonNullable<AnalysisOptions['headerFunction']> {
  let functions = functionsByCache.get(headers);
  if (!functions) functionsByCache.set(headers, (functions = new HeaderFunctions(headers.read)));
  return functions.lookup;
}

/**
 * An explicit cache: the functions headers declare and the project roots of directories, per header cache (one
 * per run, or per editor session), for linkage (analysis/linkage.ts). Keyed weakly by the HeaderCache like the
 * constants above; a language server that sees files change starts a new HeaderCache, and with it new roots.
 */
// eslint-disable-next-line no-restricted-syntax -- the cache described above: keyed weakly by the HeaderCache, whose texts never change
const linkageByCache = new WeakMap<HeaderCache, Required<Pick<AnalysisOptions, 'headerDeclares' | 'projectOf'>>>();

/** What linkage reads across files: whether a header declares a function, and a file's project root. */
export function linkageFor(headers: HeaderCache): Required<Pick<AnalysisOptions, 'headerDeclares' | 'projectOf'>> {
  let linkage = linkageByCache.get(headers);
  if (!linkage) {
    linkage = { headerDeclares: new HeaderDeclarations(headers.read).declares, projectOf: new ProjectRoots().rootOf };
    linkageByCache.set(headers, linkage);
  }
  return linkage;
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
  /** The run's compilation databases and Visual Studio projects: where each file's configurations come from. */
  readonly build: BuildConfigurations;
  /** Each file's options in each build configuration (keyed by file and configuration), for the options they were made from. */
  private readonly merged = new Map<string, { from: LintOptions; merged: LintOptions }>();
  private readonly prepared = new Map<string, { text: string; blank: AnalysisOptions['blank']; options: AnalysisOptions; file: PreparedFile }>();
  private byName = new Map<string, WrapperModel[]>();
  /** The position of each name in the wrapper maps offered (files are offered a map's names in its order). */
  private readonly order = new WeakMap<ReadonlyMap<string, unknown>, Map<string, number>>();
  /** Wrapper names offered to files so far, summed over the analyses (for the fixpoint's statistics). */
  namesOffered = 0;

  /**
   * `projects`: the projects already read (lintPaths reads them first, for the files they compile); `only`: the
   * project configuration this run checks (a run over projects checks each in turn, see configuration-runs.ts).
   */
  constructor(
    options: LintOptions,
    notices: Notice[],
    projects?: ReadProjects,
    readonly only?: string,
  ) {
    this.build = new BuildConfigurations(options, notices, projects);
  }

  /** A database or project could not be read: a configuration error (exit 2). */
  get configError(): boolean {
    return this.build.configError;
  }

  /**
   * A file's options with the macros, include paths, forced includes and target of its build configuration (the
   * command line's own macros and paths come last and win).
   */
  optionsFor(file: string, options: LintOptions): LintOptions {
    if (this.build.empty) return options;
    // (without `only`, a file is read in the first configuration that builds it)
    const configurations = this.build.configurationsOfFile(path.resolve(options.cwd, file), analysisTarget(options.target));
    const configuration = this.only === undefined ? configurations[0] : (configurations.find((c) => c.name === this.only) ?? configurations[0]);
    return configuration ? this.optionsIn(file, options, configuration) : options;
  }

  /**
   * Every configuration `file` is checked in, as the CLI checks it (each database or project configuration that
   * builds it, each in its targets; none: the targets of `options`), named as the CLI names them.
   */
  configurationsFor(file: string, options: LintOptions): FileConfiguration[] {
    const absolute = path.resolve(options.cwd, file);
    const builds = this.build.empty ? [] : this.build.configurationsOfFile(absolute, analysisTarget(options.target));
    if (builds.length === 0) return targetConfigurations(options);
    const databases = this.build.databasesOf(absolute);
    return builds.flatMap((build) => {
      const own = this.optionsIn(file, options, build);
      // (a project configuration has its one platform; a database names none, and the run's targets apply)
      return configurationsOf(own).map((c) => ({
        name: configurationLabel(c.target, build, databases),
        options: optionsIn(own, c),
        run: { options: build.targetOfRun ? optionsIn(options, c) : options, only: build.name },
      }));
    });
  }

  /** `options` with the build configuration's macros and include path (made once per options, file and configuration). */
  private optionsIn(file: string, options: LintOptions, configuration: Configuration): LintOptions {
    const key = `${file}\u0000${configuration.name}`;
    let entry = this.merged.get(key);
    if (!entry || entry.from !== options) {
      const builds = this.build.buildsOf(path.resolve(options.cwd, file));
      this.merged.set(key, (entry = { from: options, merged: withConfiguration(options, configuration, builds) }));
    }
    return entry.merged;
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

/** `options` in a build configuration of a file that `builds` list (see FileSettings.builds). */
function withConfiguration(options: LintOptions, flags: Configuration, builds: readonly string[]): LintOptions {
  const defines = { ...flags.defines };
  for (const name of options.undefines) delete defines[name];
  Object.assign(defines, options.defines);
  return {
    ...options,
    // (an editor or --stdin lints every target of the settings at once; a compilation database names none)
    target: flags.targetOfRun ? options.target : flags.target,
    defines,
    undefines: [...flags.undefines.filter((u) => !(u in options.defines)), ...options.undefines],
    includePaths: [...options.includePaths, ...flags.includePaths],
    forceIncludes: [...flags.forceIncludes, ...options.forceIncludes],
    ...(builds.length ? { builds } : {}),
  };
}

function sameOptions(a: AnalysisOptions, b: AnalysisOptions): boolean {
  return (
    a.model === b.model &&
    a.compiler === b.compiler &&
    // the include search of another header cache, or none, may find other headers
    a.searchInclude === b.searchInclude &&
    a.language === b.language &&
    // (the builds decide which wrappers of other files the file's calls reach)
    JSON.stringify([a.defines, a.undefines, a.includePaths, a.forceIncludes, a.builds]) ===
      JSON.stringify([b.defines, b.undefines, b.includePaths, b.forceIncludes, b.builds])
  );
}
