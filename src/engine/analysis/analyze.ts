// Per-file analysis: preprocess, parse, find every call that reaches a known API (directly, through macros,
// function pointers or wrappers) and evaluate its interesting arguments. The parts: file-index.ts (the parsed
// file, where names occur), call-sites.ts (finding calls), names.ts (resolving names), call-values.ts
// (evaluating a call), wrapper-lookup.ts and wrappers.ts (wrappers), call-reuse.ts (the language server's reuse
// of the previous version's calls). The shapes of the results are in facts.ts.

import type { ParseStore, SharedParse } from '../parse/shared-parses.js';
import { checkTimeLimit } from '../model/limits.js';
import { isAnnotation, neutralize, type KeptWords } from '../parse/neutralize.js';
import { languageFor, parse, type Language, type Tree } from '../parse/parse.js';
import { preprocess, type PreprocessOptions, type PreprocessResult } from '../preprocess/preprocess.js';
import { LineMap } from '../text/source.js';
import { apiMacrosOf } from './api-macros.js';
import { reusableCalls } from './call-reuse.js';
import { CallSites } from './call-sites.js';
import { callerText, CallEvaluator } from './call-values.js';
import type { AnalysisEffort, FileAnalysis, FoundCall, PreparedFile, PreviousCalls, ProjectFacts, ReusableCalls, WrapperModel } from './facts.js';
import { FileIndex } from './file-index.js';
import type { SdkLookup } from '../evaluate/env.js';
import type { HeaderConstant } from './header-facts.js';
import type { HeaderFunction } from './header-functions.js';
import { HeaderDeclarations } from './header-declarations.js';
import { Linkage } from './linkage.js';
import type { TypeSource } from './type-builder.js';
import { Lifetimes } from './lifetime.js';
import { ParsedSource } from './parsed-source.js';
import { withLocalWrappers } from './local-wrappers.js';
import { NameResolver, provenanceOf } from './names.js';
import { groupRootCauses } from './root-causes.js';
import { WrapperLookup } from './wrapper-lookup.js';
import { findWrappers } from './wrappers.js';
import { globalPointers } from './global-pointers.js';

// the analyzer's callers have always taken the shapes of its results from here
export type {
  AllocationCall,
  ArgBinding,
  ArgValue,
  CallBase,
  CallRecipe,
  CallSite,
  DeclaredWrapper,
  FileAnalysis,
  FoundCall,
  PreparedFile,
  ProjectFacts,
  WrapperModel,
} from './facts.js';

export interface AnalysisOptions extends Omit<PreprocessOptions, 'cplusplus'> {
  language?: Language;
  /**
   * Incremental re-parse (language server): given the text about to be parsed, returns the previous tree already
   * adjusted with `tree.edit`, so tree-sitter reuses its unchanged parts.
   */
  previousTree?: (parsedText: string, language: Language) => Tree | undefined;
  /**
   * The calls of the previous version of the buffer and the edit since (language server): calls the edit cannot
   * have changed are taken over. Asked with the new tree once it is parsed.
   */
  previousCalls?: (tree: Tree) => PreviousCalls | undefined;
  /** The preprocessor facts of the text when the caller knows an edit cannot have changed them (language server). */
  previousPreprocess?: (text: string, language: Language) => PreprocessResult | undefined;
  /**
   * The text neutralised (neutralize), when the caller can make it from the previous version's: the preprocessor
   * facts were taken over (so the words kept and the spans hidden are those of the previous version, moved over
   * the edit). Language server only.
   */
  neutralizedAfterEdit?: (text: string, keep: KeptWords, hidden: readonly (readonly [number, number])[]) => string | undefined;
  /**
   * Spans of the text a window hides (in text order, never a preprocessor line): they are blanked like the
   * inactive `#if` branches, and tree-sitter skips them.
   */
  blank?: readonly (readonly [number, number])[];
  /**
   * Where a name occurs as a whole word in the text about to be parsed, when the caller already knows it (the
   * language server carries the offsets over from the previous version of the buffer); undefined to search.
   */
  knownOccurrences?: (name: string) => number[] | undefined;
  /**
   * The parses shared between configurations (src/engine/parse/shared-parses.ts): a run's, or the language
   * server's for one version of a buffer (src/lsp/version-parses.ts).
   */
  parses?: ParseStore;
  /** A constant an included header declares (enumerator, const, constexpr); cached per run by the caller. */
  headerConstant?: (header: string, name: string) => HeaderConstant | undefined;
  /** The constexpr functions of a name an included header defines (header-functions.ts); cached per run by the caller. */
  headerFunction?: (header: string, name: string) => readonly HeaderFunction[] | undefined;
  /** Whether a header declares a function of that name (linkage.ts); cached per run by the caller, else per file. */
  headerDeclares?: (header: string, name: string) => boolean;
  /** The root of a file's project (files/project-root.ts); without it every file is of one project. */
  projectOf?: (file: string) => string;
  /**
   * The builds (compilation databases, Visual Studio projects) that list this file. When a build lists this file
   * or a wrapper's (and this file is not a header no build lists), they are one program exactly when a build
   * lists both (linkage.ts), and projectOf is not asked.
   */
  builds?: readonly string[];
  /** An included header parsed for its types (sizeof of a struct a header defines); cached per run by the caller. */
  headerTypes?: (header: string) => TypeSource | undefined;
  /** The Windows SDK's built-in types (types/sdk.ts), asked after the sources and their headers; none when absent. */
  sdk?: SdkLookup;
  /**
   * Give the words the file's macro bodies mention (FileAnalysis.macroWords), from the mention index the analysis
   * has built anyway: a thread's result carries them to the rounds after it (runner/workers.ts).
   */
  macroWords?: boolean;
}

export function analyzeFile(file: string, text: string, options: AnalysisOptions, project: ProjectFacts): FileAnalysis {
  return prepareFile(file, text, options).analyze(project);
}

export function prepareFile(file: string, text: string, options: AnalysisOptions): PreparedFile {
  const language = options.language ?? languageFor(file, text);
  const pre =
    options.previousPreprocess?.(text, language) ??
    preprocess(file, text, { ...options, cplusplus: language === 'cpp' ? true : file.endsWith('.c') ? false : undefined });
  // a word the sources or their headers #define as something of their own stays; one defined as nothing or as
  // another annotation (wine's `#define WINAPI __stdcall`) is still blanked, or the parse breaks at every use
  const kept = new Map<string, boolean>();
  const definedHere: KeptWords = {
    has: (word) => {
      let keep = kept.get(word);
      if (keep === undefined) kept.set(word, (keep = pre.macros.definitions(word).some((d) => !isAnnotation(d.bodyText))));
      return keep;
    },
  };
  const hidden = options.blank?.length ? [...options.blank, ...pre.blank] : pre.blank;
  const parsedText = (options.blank?.length ? undefined : options.neutralizedAfterEdit?.(text, definedHere, hidden)) ?? neutralize(text, definedHere, hidden);
  // (another configuration's tree of the same text serves as it is)
  const found = options.parses?.find(file, parsedText, language, options.blank);
  // (else a narrower window's tree, or another configuration's, edited where the code differs, to re-parse from)
  const tree =
    found?.tree ??
    parse(parsedText, language, options.previousTree?.(parsedText, language) ?? options.parses?.startingPoint?.(file, parsedText, language), options.blank);
  const shared = found ?? options.parses?.keep(file, parsedText, language, options.blank, tree);
  const lines = new LineMap(text);
  const indexOptions = options.headerDeclares ? options : { ...options, headerDeclares: new HeaderDeclarations(options.readFile).declares };
  const index = new FileIndex(file, text, parsedText, tree, lines, pre, indexOptions, language);
  // the language server's: lifetimes shared with other configurations read where a name occurs from this index,
  // which moved the offsets over the edit and keeps what it is asked for the next version; only while this
  // analysis is under way (a configuration that takes them later has them search, and what is returned stays)
  const indexed = options.previousCalls ? occurrencesWhileOpen(index) : undefined;
  const analyzer = new FileAnalyzer(index, options, shared, indexed?.known);
  return {
    file,
    language,
    pre,
    analyze(project) {
      const { calls, wrappers, callees, kept, effort } = analyzer.run(project);
      const reusable: ReusableCalls | undefined = options.previousCalls && {
        calls,
        occurrences: index.occurrences,
        project,
        callees,
        reusable: wrappers.length === 0 && analyzer.pointers.length === 0,
        kept,
      };
      const analysis = {
        file,
        text,
        language,
        tree,
        lines,
        pre,
        calls,
        wrappers,
        pointers: analyzer.pointers,
        callees,
        releasers: calls.length > 0 ? analyzer.lifetimes.releasers() : undefined,
        occurrences: index.occurrences,
        lookups: index.lookups,
        typeLookups: index.typeLookups,
        reusable,
        effort,
        apiMacros: apiMacrosOf(pre.macros, file),
        ...(options.macroWords ? { macroWords: pre.macros.bodyWords() } : {}),
      };
      indexed?.close();
      // a run keeps every file's analysis: what only the next version of a buffer can use is not kept with it
      if (!options.previousCalls) {
        pre.macros.releaseIndexes();
        // (a tree's syntax errors, counted once for the configurations that share it)
        return { ...analysis, errorCount: shared ? shared.derived('error-count', () => countErrors(tree)) : countErrors(tree) };
      }
      return withErrorCount(analysis);
    },
  };
}

/**
 * An index's occurrences until `close`. Made outside prepareFile: a closure made there would hold everything its
 * other closures read (the index, the tree) for as long as the shared lifetimes keep it, which a run's shared
 * parses do until the file's last configuration (130 MB more at the peak of a wine scan).
 */
function occurrencesWhileOpen(index: FileIndex): { known: (name: string) => number[] | undefined; close: () => void } {
  let open: FileIndex | undefined = index;
  return {
    known: (name) => open?.occurrencesOf(name, 'scoped'),
    close: () => {
      open = undefined;
    },
  };
}

/**
 * The analysis with its parse errors counted when first asked: a walk of every erroneous subtree, which the
 * language server never needs. (Only for the language server: a run counts at once, since a getter keeps what
 * it reads alive as long as the analysis, and a run keeps every file's analysis.)
 */
function withErrorCount(analysis: Omit<FileAnalysis, 'errorCount'>): FileAnalysis {
  let count: number | undefined;
  return {
    ...analysis,
    get errorCount() {
      return (count ??= countErrors(analysis.tree));
    },
  };
}

function countErrors(tree: Tree): number {
  if (!tree.rootNode.hasError) return 0;
  let n = 0;
  const cursor = tree.walk();
  if (!cursor.gotoFirstChild()) return 0;
  // a loop, not recursion: code nested thousands of levels deep would overflow the stack
  for (;;) {
    const node = cursor.currentNode;
    if (node.type === 'ERROR' || node.isMissing) n++;
    else if (node.hasError && cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) if (!cursor.gotoParent()) return n;
  }
}

/** Rounds of finding the file's own wrappers and the calls through them (wrappers calling wrappers). */
const LOCAL_ROUNDS = 8;

/**
 * One file's analysis, found again whenever the project's wrappers change: its parts are made once per file,
 * and each run takes the project's facts as an argument.
 */
class FileAnalyzer {
  readonly index: FileIndex;
  private readonly sites: CallSites;
  private readonly names: NameResolver;
  private readonly evaluator: CallEvaluator;
  private readonly linkage: Linkage;
  readonly lifetimes: Lifetimes;
  /**
   * The facts of the file's last run (its own wrappers over the project's): the wrappers it defines are
   * instantiated with them when other files call them, since those calls may go through further wrappers.
   */
  private project: ProjectFacts = { wrappers: new Map() };
  /** The counts of the current run (see AnalysisEffort). */
  private effort: AnalysisEffort = { rounds: 0, sitesExamined: 0, evaluations: 0 };

  /**
   * `shared`: the run's kept parse of this text, when it keeps one (its lifetimes are shared with other
   * configurations); `known`: where a name occurs, when this configuration knows without a search.
   */
  constructor(
    index: FileIndex,
    private readonly options: AnalysisOptions,
    shared?: SharedParse,
    known?: (name: string) => number[] | undefined,
  ) {
    this.index = index;
    this.sites = new CallSites(index, shared && ((key, make) => shared.derived(key, make)));
    this.names = new NameResolver(index, options.headerConstant, { header: options.headerTypes, sdk: options.sdk }, options.headerFunction);
    this.linkage = new Linkage(index);
    // (read from the tree and the parsed text alone, not from this configuration's index, which they would keep alive)
    this.lifetimes = shared
      ? shared.derived('lifetimes', () => new Lifetimes(new ParsedSource(index.parsedText, index.tree, index.lines, known)))
      : new Lifetimes(index);
    this.evaluator = new CallEvaluator(index, this.names, new WrapperLookup(index, this.linkage), this.lifetimes);
  }

  get pointers() {
    return this.sites.pointers;
  }

  /**
   * Finds the calls and the wrappers of this file; wrappers it defines are followed within the file too. Also
   * the names whose calls can reach an API, and how many calls were taken over from the previous version.
   */
  run(project: ProjectFacts): { calls: FoundCall[]; wrappers: WrapperModel[]; callees: string[]; kept: number; effort: AnalysisEffort } {
    let local: WrapperModel[] = [];
    let result = { calls: [] as FoundCall[], wrappers: [] as WrapperModel[], callees: [] as string[], kept: 0 };
    const effort: AnalysisEffort = (this.effort = { rounds: 0, sitesExamined: 0, evaluations: 0 });
    for (let round = 0; round < LOCAL_ROUNDS; round++) {
      effort.rounds++;
      this.project = withLocalWrappers(project, local);
      // calls are taken over from the previous version only in a file without wrappers of its own
      const { calls, callees, kept } = this.findCalls(this.project, round === 0 ? project : undefined);
      const wrappers = findWrappers(
        calls,
        this.index,
        this.names,
        (recipe, scope, stack) => {
          effort.evaluations++;
          return this.evaluator.realize(recipe, scope, stack, this.project).calls;
        },
        callerText,
        this.linkage,
      );
      result = { calls, wrappers, callees, kept };
      const same = wrappers.length === local.length && wrappers.every((w, i) => w.name === local[i]!.name);
      if (same) break;
      local = wrappers;
    }
    // (the file's own wrappers are final only now: the calls of one root cause in this file are grouped)
    const calls = groupRootCauses(result.calls, this.index.file);
    // its global pointers other files may call through are offered to the run beside its wrappers
    const pointers = globalPointers(this.sites.pointers, this.index, this.linkage, (p) => this.sites.pointerStep(p));
    return { ...result, wrappers: pointers.length ? [...result.wrappers, ...pointers] : result.wrappers, calls, effort };
  }

  /** `previousProject`: the facts from outside the file, when calls of the previous version may be taken over. */
  private findCalls(project: ProjectFacts, previousProject?: ProjectFacts): { calls: FoundCall[]; callees: string[]; kept: number } {
    const names = this.sites.calleeNames(project);
    const callees = [...names.keys()];
    let keptCalls = 0;
    const { tree, parsedText, file } = this.index;
    const previous = previousProject && this.options.previousCalls?.(tree);
    const kept = previous && reusableCalls(previous, tree, parsedText, file, previousProject, callees);
    const calls: FoundCall[] = [];
    const seen = new Set<number>();
    for (const [name, kind] of names) {
      for (const offset of this.index.occurrencesOf(name)) {
        checkTimeLimit();
        this.effort.sitesExamined++;
        const same = kept?.get(offset);
        if (same) {
          if (!seen.has(same.start)) {
            calls.push(...same.calls);
            keptCalls += same.calls.length;
          }
          seen.add(same.start);
          continue;
        }
        const site = this.sites.callSiteAt(offset, name);
        if (!site || seen.has(site.start)) continue;
        const recipes = this.sites.recipesAt(site, name, kind, project);
        if (recipes.length === 0) continue;
        seen.add(site.start);
        this.effort.evaluations += recipes.length;
        const realized = recipes.map((recipe) => this.evaluator.realize(recipe, undefined, [], project));
        // what the site read: its callee, and what each of its calls read (those that came to nothing too)
        const resolvedFrom = provenanceOf(
          realized.map((r) => r.from),
          [name],
        );
        for (const { calls: found } of realized) for (const call of found) calls.push({ ...call, resolvedFrom });
      }
    }
    return { calls: calls.sort((a, b) => a.range.start.offset - b.range.start.offset), callees, kept: keptCalls };
  }
}
