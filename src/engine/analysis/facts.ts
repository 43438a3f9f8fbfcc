// The facts an analysis produces, as plain data: the calls that reach an API, the wrappers and pointers a file
// defines, and what the language server keeps of an analysis for the next version of a buffer. Rules, the runner,
// the formats and the language server read these shapes; only analyze.ts and its parts produce them.

import type { ApiMacros } from './api-macros.js';
import type { PathValue } from './path-values.js';
import type { ApiFamily, ApiModel } from '../model/apis.js';
import type { Typed } from '../evaluate/evaluate.js';
import type { Language, SyntaxNode, Tree } from '../parse/parse.js';
import type { PointerBinding } from './pointers.js';
import type { PreprocessResult } from '../preprocess/preprocess.js';
import type { LineMap } from '../text/source.js';
import type { TextEdit } from '../text/occurrences.js';
import type { Token } from '../text/tokens.js';
import type { Reason } from '../model/reasons.js';
import type { EvidenceStep, Range, Value } from '../model/types.js';

export interface ArgValue {
  value: Value;
  /** The argument as written (after macro expansion when the call came from a macro). */
  text: string;
  /** Where the argument is written in this file, when it is written at the call itself. */
  sourceRange?: [number, number];
  /** Macros expanded to get the value, outermost first. */
  macros: string[];
  /** When the value depends on the path to the call (value unknown, `depends-on-path`): each path's value, all known. */
  paths?: PathValue[];
}

/** A call that reaches a known API: what rules visit. */
export interface AllocationCall {
  type: 'AllocationCall';
  api: string;
  family: ApiFamily;
  /** The name as written at the call: API, macro, pointer or wrapper name. */
  callee: string;
  file: string;
  range: Range;
  /** ESLint-style location: 1-based lines, 0-based columns. */
  loc: { start: { line: number; column: number }; end: { line: number; column: number } };
  size: ArgValue;
  flags?: ArgValue;
  address?: ArgValue;
  /** File offset of a mapped view. */
  offset?: ArgValue;
  /** True when the call reserves address space, false when it only commits/resets, undefined when unknown. */
  reserves: boolean | undefined;
  evidence: EvidenceStep[];
  callText: string;
  enclosingFunction: string;
  /** How long the reservation or view lives (lifetime.ts); undefined when not followed (a declared wrapper's file). */
  lifetime?: Lifetime;
  /** A VirtualFree(Ex) called by its name: the local it frees, when the address is one (lifetime.ts). */
  freed?: FreedAddress;
  /**
   * Set on a call through a wrapper when the waste comes from a wrapper's own arithmetic (wrappers.ts): this
   * call passes only multiples of the 64 KB granule for every value the size depends on, and the reservation the
   * wrapper makes is still not a multiple of 64 KB. Says which call in the wrapper's body makes it waste.
   */
  rootCause?: RootCause;
}

/** The call in a wrapper's body whose arithmetic makes every granule-aligned input waste (see AllocationCall.rootCause). */
export interface RootCause {
  file: string;
  range: Range;
  loc: AllocationCall['loc'];
  callText: string;
  enclosingFunction: string;
  /** The name called there (the API, or the next wrapper). */
  callee: string;
  /** The macro, pointer and wrapper steps from that call to the API. */
  evidence: EvidenceStep[];
  /**
   * When the call is in the analysed file: on the first call of the file with this root cause (and API), every
   * call of the file with it, in the order of the file (root-causes.ts); on the others, undefined and `grouped`.
   */
  callers?: readonly RootCauseCaller[];
  /** Another call of the file with the same root cause carries the group. */
  grouped?: boolean;
}

/** One call of a group with the same root cause: where it is, what it passes, the size the API reserves for it. */
export interface RootCauseCaller {
  file: string;
  range: Range;
  /** "zend_mm_init calls zend_mm_chunk_alloc_int(2097152, 2097152)". */
  text: string;
  size: bigint;
  lifetime?: Lifetime;
}

/** The local a free call passes as its address, and whether its function releases that local (or a copy) anywhere. */
export interface FreedAddress {
  name: string;
  releasedInFunction: boolean;
}

/**
 * How long a reservation or a view holds its address space: `transient` when every path of the function that
 * makes it releases it, `escapes` when the address is kept beyond the function, `unknown` otherwise.
 */
export type LifetimeKind = 'transient' | 'escapes' | 'unknown';

/**
 * Why: `released` (transient); where it escapes to (`returned`, `global`, `field`, `out-parameter`, `element`,
 * `static`); or why it is unknown (`not-held`: the address is not kept in a variable; `leaked-on-a-path`: some
 * path ends or overwrites it unreleased; `entry-point`: released only by the program's entry point (`main`), which
 * runs as long as the program; `not-followed`: code the analysis does not follow).
 */
export type LifetimeReason =
  'released' | 'returned' | 'global' | 'field' | 'out-parameter' | 'element' | 'static' | 'not-held' | 'leaked-on-a-path' | 'entry-point' | 'not-followed';

export interface Lifetime {
  kind: LifetimeKind;
  reason: LifetimeReason;
  /** The local that holds the address after the call, when one does. */
  holder?: string;
  /**
   * `escapes`: what the address is stored in, as the code writes it: the global's or the static's name, the field
   * (`a->base`), the place an out-parameter points to (`*out`), the element (`g_table[i]`) or the container
   * (`g_list`); undefined for a return, or when the analysis does not know it.
   */
  to?: string;
  /** `leaked-on-a-path`: where a path provably loses the address, when it is sure (lost-address.ts). */
  lost?: LostAddress;
}

/**
 * Where the address of a reservation is lost with nothing released: the assignment that overwrites the local
 * holding it (`overwritten`), the `return` that leaves the function with it (`returns`), or the function's closing
 * brace (`ends`). Every path that reaches that place holds the address, and the address never left the local.
 */
export interface LostAddress {
  how: 'overwritten' | 'returns' | 'ends';
  range: Range;
}

/** The value a wrapper's parameter takes at one call, and where the caller wrote it (so a fix can edit it there). */
export interface ArgBinding {
  value: Typed | { unknown: Reason };
  origin?: { range: [number, number]; text: string; macros: string[] };
}

/** A function that passes one of its parameters (maybe transformed) to an API's size: calls of it are checked too. */
export interface WrapperModel {
  name: string;
  params: string[];
  /**
   * The parameters of the template the function is (`template <size_t N>`), in order; '' for those that are not
   * values (`typename T`). A call binds them from its template arguments (`reserve<4096>()`).
   */
  templateParams?: string[];
  /**
   * The template parameters are the function's class template's (a member of `template <size_t N> class Arena`):
   * the class's template arguments bind them, written where the class is named (`Arena<4096> a;`,
   * `new Arena<4096>()`, `Pool<4096>::create()`).
   */
  classTemplateParams?: boolean;
  file: string;
  range: Range;
  /** A `static` function of a source file, or one in an anonymous namespace: only calls in that file reach it. */
  fileLocal?: boolean;
  /** Defined in a header: only files that include the header reach it (analysis/linkage.ts). */
  header?: boolean;
  /** The root of the defining file's project (files/project-root.ts); undefined when the run does not say. */
  project?: string;
  /** The builds that list the defining file (AnalysisOptions.builds); undefined or empty when the run knows none. */
  builds?: readonly string[];
  /** The headers the defining file includes that declare the wrapper's name. */
  declaredIn?: readonly string[];
  /** A member function: reached by `obj.name(...)`, `p->name(...)`, or a plain call in its own file. */
  member?: boolean;
  /** The class of a member function: other files reach it only if they name the class. */
  className?: string;
  /**
   * Not a function but a global function pointer of its file that holds an API (global-pointers.ts): a call
   * through it is the API's, with `origin` (where the file stores the API in it) as its evidence.
   */
  pointer?: { api: string; origin: EvidenceStep };
  /** What the wrapper reaches, as data: each call in it that passes a parameter on. */
  reaches: readonly WrapperReach[];
  /** The calls the wrapper makes, evaluated with the caller's argument values. `stack`: wrappers being expanded (cycles stop). */
  instantiate(args: readonly ArgBinding[], stack: readonly WrapperModel[], templateArgs?: readonly ArgBinding[]): AllocationCall[];
}

/** A call in a wrapper's body whose size, flags or address depends on the wrapper's parameters. */
export interface WrapperReach {
  /** An API, another wrapper, or a wrapper the configuration declares. */
  kind: 'api' | 'wrapper' | 'declared';
  /** The API's or the wrapper's name. */
  callee: string;
  /** The indexes of the parameters the call's values depend on. */
  parameters: readonly number[];
}

/** A wrapper named in the configuration: `{"name": "os_reserve", "sizeArg": 0}`; it reserves `sizeArg` bytes. */
export interface DeclaredWrapper {
  name: string;
  sizeArg: number;
}

export interface ProjectFacts {
  /** Wrappers found so far across the run. */
  wrappers: ReadonlyMap<string, WrapperModel>;
  /** Every wrapper of a name when several files define one (static helpers): a caller's own file wins. */
  overloads?: ReadonlyMap<string, readonly WrapperModel[]>;
  /** Wrappers declared in the configuration. */
  declared?: readonly DeclaredWrapper[];
}

export interface FileAnalysis {
  file: string;
  text: string;
  language: Language;
  tree: Tree;
  lines: LineMap;
  pre: PreprocessResult;
  calls: AllocationCall[];
  /** Functions of this file that wrap an API (or another wrapper). */
  wrappers: WrapperModel[];
  /** Function pointers of this file that hold an API. */
  pointers: PointerBinding[];
  errorCount: number;
  /** Every name whose calls reach an API here (APIs, macros, wrappers, pointers): a windowed parse keeps the code that mentions one. */
  callees?: string[];
  /**
   * The release APIs and the file's release wrappers the lifetimes of its calls depend on: a windowed parse keeps
   * the bodies that mention one (a wrapper that releases its parameter must be seen to count as a release).
   */
  releasers?: string[];
  /** The whole-word offsets of every name the analysis looked up, in the parsed text. */
  occurrences?: ReadonlyMap<string, readonly number[]>;
  /**
   * The names whose file-level declarations can change a result: those the analysis looked up anywhere, less
   * the names it resolved only as locals or parameters (a local or a parameter hides every global of its name)
   * and those it asked about only as type names.
   */
  lookups?: ReadonlySet<string>;
  /** Names looked up only as type names: only a `typedef` of theirs can change a result. */
  typeLookups?: ReadonlySet<string>;
  /** For the analysis of the next version of the buffer, when `previousCalls` was given. */
  reusable?: ReusableCalls;
  /** How much work finding the calls took, in counts rather than time (tests bound its growth). */
  effort: AnalysisEffort;
  /** The macros of its table that call an API (api-macros.ts): other files that mention one are candidates. */
  apiMacros: ApiMacros;
  /** Every word the bodies of its macros mention, when AnalysisOptions.macroWords asked for them. */
  macroWords?: readonly string[];
}

/** Counts of the analyzer's work on one file. */
export interface AnalysisEffort {
  /** Rounds of finding the file's own wrappers (each looks at every site again). */
  rounds: number;
  /** Places where a callee's name occurs that were looked at, over all rounds. */
  sitesExamined: number;
  /** Calls evaluated (sites and wrapper bodies instantiated), over all rounds. */
  evaluations: number;
}

/** A file preprocessed and parsed once; its calls are found again whenever the project's wrappers change. */
export interface PreparedFile {
  file: string;
  language: Language;
  pre: PreprocessResult;
  analyze(project: ProjectFacts): FileAnalysis;
}

/** How to evaluate one call again, with other values for the parameters of the function it sits in. */
export interface CallRecipe {
  target: { kind: 'api'; model: ApiModel } | { kind: 'wrapper'; name: string; member: boolean } | { kind: 'declared'; wrapper: DeclaredWrapper };
  callee: string;
  /** The call's arguments (after macro expansion when the call came from a macro); `range` when written at the call. */
  args: { tokens: Token[]; range?: [number, number] }[];
  /** The template arguments written at the call (`reserve<4096>()`), when there are any. */
  templateArgs?: { tokens: Token[]; range?: [number, number] }[];
  /** The class template arguments written where the call names the class (`Pool<4096>::create()`, `Arena<4096> a;`). */
  classArgs?: { tokens: Token[]; range?: [number, number] }[];
  line: number;
  site: CallSite;
  base: CallBase;
  /** Macro and pointer steps that lead from the call as written to the target. */
  evidence: EvidenceStep[];
}

export interface FoundCall extends AllocationCall {
  recipe: CallRecipe;
  /** What finding and evaluating the call's site read (the language server's reuse checks it, see call-reuse.ts). */
  resolvedFrom: Provenance;
}

/**
 * What a value or a call site was resolved from, kept with it: names whose occurrences anywhere can change it
 * (`names`: the callee, class and type names), names resolved as identifiers (`scoped`: of their occurrences
 * inside function bodies only those in the call's own function count, and enumerators), the offsets of the
 * occurrences that decided (declarations, writes, enumerators, typedefs), and the resolutions it used in turn.
 */
export interface Provenance {
  readonly names: readonly string[];
  readonly scoped: readonly string[];
  readonly spots: readonly number[];
  readonly via: readonly Provenance[];
}

export interface CallSite {
  start: number;
  end: number;
  calleeStart: number;
  args: { text: string; range: [number, number] }[];
  /** Template arguments written at the call (`reserve<4096>()`). */
  templateArgs?: { text: string; range: [number, number] }[];
  /**
   * The class template a call names, with its written arguments: `Pool<4096>::create()`, or an object of it made
   * by a declaration or `new` (`Arena<4096> a;`: a call of the constructor `Arena`).
   */
  classTemplate?: { name: string; args: { text: string; range: [number, number] }[] };
  node: SyntaxNode | undefined;
  /** Called as `obj.name(...)` or `p->name(...)`. */
  member: boolean;
}

export type CallBase = Pick<AllocationCall, 'file' | 'range' | 'callText' | 'enclosingFunction'>;

/** What a finished analysis leaves for the next version of the same buffer. */
export interface ReusableCalls {
  readonly calls: readonly FoundCall[];
  readonly occurrences: ReadonlyMap<string, readonly number[]>;
  readonly project: ProjectFacts;
  readonly callees: readonly string[];
  /** False when the file defines wrappers or fills function pointers: their reach crosses items, so all is redone. */
  readonly reusable: boolean;
  /** How many of the calls were taken over from the version before (for tests and the benchmark). */
  readonly kept: number;
}

/** The previous version's calls and how the buffer changed since, in offsets of the parsed text. */
export interface PreviousCalls {
  state: ReusableCalls;
  edit: TextEdit;
  /** Spans of the new text whose meaning may have changed: the edited line and every range whose syntax changed. */
  dirty: readonly (readonly [number, number])[];
  /** The edited line before and after the edit. */
  lineBefore: string;
  lineAfter: string;
  /**
   * The top-level items of the new tree found so far, by an offset they hold (call-reuse.ts): configurations that
   * share the new tree share them. Made by reusableCalls when absent.
   */
  items?: Map<number, TopLevelItem>;
}

/** A top-level item (function, declaration, ...) of a tree, namespaces looked into. */
export interface TopLevelItem {
  start: number;
  end: number;
  type: string;
}
