// The per-file pipeline, the one every caller goes through (the CLI run and its threads, --stdin, the language
// server, the ESLint plugin): a file's text and the run's inputs (its settings, header cache, the wrappers known
// so far, and for the language server the previous version's parse) → its analysis → the rules → the disable
// comments. What comes out is one immutable FileLint. The run around it (which files, in which windows, in
// how many rounds of the wrapper fixpoint) is the caller's.

import * as path from 'node:path';
import { sdkTypes } from '../analysis/sdk-types.js';
import { analyzeFile, type AnalysisOptions, type FileAnalysis, type WrapperModel } from '../analysis/analyze.js';
import { applyDirectives, scanDisableDirectives } from '../linter/directives.js';
import { WindowSet, type Window, type WindowPurpose } from './window.js';
import { COLLECT_FROM, collectGarbage, type Pause } from './collect.js';
import { languageFor, type Language, type Tree } from '../parse/parse.js';
import type { HeaderCache } from '../preprocess/header-cache.js';
import type { PreprocessResult } from '../preprocess/preprocess.js';
import { activeRules, runRules, type ActiveRule, type RuleFailure } from '../linter/run-rules.js';
import { analysisTarget, targetModel } from '../model/target.js';
import type { Finding, Level, Notice } from '../model/types.js';
import { DEFAULT_FILE_TIMEOUT_MS, TimeLimitExceeded, timeLimitNotice, withTimeLimit } from '../model/limits.js';
import { headerConstantsFor, headerFunctionsFor, headerTypesFor, linkageFor, type RunReach } from './reach.js';
import { includeNotices } from './include-notices.js';
import type { LintOptions } from './options.js';

import type { SharedParses } from '../parse/shared-parses.js';
import { GrammarUnavailable } from '../parse/grammars.js';

/** What the language server carries from one version of a buffer to the next (see lsp/incremental.ts). */
export type PreviousVersion = Pick<
  AnalysisOptions,
  'previousTree' | 'previousPreprocess' | 'neutralizedAfterEdit' | 'previousCalls' | 'knownOccurrences' | 'parses'
>;

/** One file's text and everything besides it that its lint reads. */
export interface FileInput {
  readonly file: string;
  readonly text: string;
  /** The file's own options (config file and compile command merged in). */
  readonly options: LintOptions;
  readonly headers: HeaderCache;
  /** Wrappers other files define (the file's own are always followed). */
  readonly wrappers?: ReadonlyMap<string, WrapperModel>;
  /** Every wrapper of a name when several files define one (a project scan's; a caller's own file wins). */
  readonly overloads?: ReadonlyMap<string, readonly WrapperModel[]>;
  /** A run's facts across files: wrappers of the same name in several files, parses kept across rounds. */
  readonly reach?: RunReach;
  /** The grammar, when the file name does not decide it. */
  readonly language?: Language;
  /** The previous version of the buffer (language server): its parse is reused where the edit allows. */
  readonly previous?: PreviousVersion;
  /** The rules, set up once for these options (set up here when not given). */
  readonly rules?: ActiveRule[];
  /** Report disable comments that disabled nothing, at this level (default: the options' setting). */
  readonly unusedDirectives?: Level;
}

/** One file's lint: its analysis, its findings (the ones disabled by a comment marked `suppressed`), what it noted. */
export interface FileLint {
  readonly file: string;
  readonly analysis: FileAnalysis;
  readonly findings: readonly Finding[];
  /** What the analysis could not do in full, and rules that threw (their findings are missing). */
  readonly notices: readonly Notice[];
  readonly failures: readonly RuleFailure[];
  /** What the disable comments said (unused ones, problems). */
  readonly directiveNotices: readonly Notice[];
}

/** The whole pipeline for one text. Throws when the analysis fails (callers that must not, use safeAnalyze + checkAnalysis). */
export function lintFile(input: FileInput): FileLint {
  const previous = input.previous;
  const analysis = analyzeText(input.file, input.text, input.options, input.wrappers ?? new Map(), input.headers, {
    reach: input.reach,
    overloads: input.overloads,
    language: input.language,
    ...(previous && {
      previousTree: previous.previousTree,
      previousPreprocess: previous.previousPreprocess,
      neutralizedAfterEdit: previous.neutralizedAfterEdit,
      previousCalls: previous.previousCalls,
      knownOccurrences: previous.knownOccurrences,
      // (the parses of this version of the buffer, shared between its configurations)
      parses: previous.parses,
    }),
  });
  return checkAnalysis(analysis, input.options, input.rules ?? activeRules(input.options.rules), input.unusedDirectives);
}

/**
 * The steps after the analysis: its notices, the rules, the disable comments. `unused`: the level unused disable
 * comments are reported at (default: the options'); undefined text (a result that comes from a thread) skips them.
 */
export function checkAnalysis(analysis: FileAnalysis, options: LintOptions, rules: ActiveRule[], unused?: Level, directives = true): FileLint {
  const notices = analysisNotices(analysis, options.includeSearch !== false);
  const { findings, failures } = runRules(analysis, rules, options);
  for (const f of failures) notices.push(ruleFailureNotice(analysis.file, f));
  const level = unused ?? options.reportUnusedDisableDirectives ?? 'off';
  const directiveNotices = directives
    ? applyDirectives(analysis.file, findings, scanDisableDirectives(analysis.file, analysis.text, analysis.lines), level)
    : [];
  return { file: analysis.file, analysis, findings, notices, failures, directiveNotices };
}

function ruleFailureNotice(file: string, f: RuleFailure): Notice {
  return { level: 'error', file, code: 'internal-error', message: `rule ${f.ruleId} failed on this file, and its findings here are missing: ${f.message}` };
}

/** Analyses one file's text with the wrappers known so far. */
export function analyzeText(
  file: string,
  text: string,
  options: LintOptions,
  wrappers: ReadonlyMap<string, WrapperModel>,
  headers: HeaderCache,
  /** For the editor integrations: the grammar to use, and the incremental re-parse hook (see AnalysisOptions). */
  extra: Pick<
    AnalysisOptions,
    'language' | 'previousTree' | 'previousPreprocess' | 'neutralizedAfterEdit' | 'previousCalls' | 'knownOccurrences' | 'blank' | 'parses' | 'macroWords'
  > & {
    reach?: RunReach;
    overloads?: ReadonlyMap<string, readonly WrapperModel[]>;
  } = {},
): FileAnalysis {
  const { reach, overloads, ...rest } = extra;
  const model = targetModel(analysisTarget(options.target));
  const analysisOptions: AnalysisOptions = {
    model,
    sdk: sdkTypes(model),
    compiler: options.compiler,
    defines: options.defines,
    undefines: options.undefines,
    includePaths: options.includePaths.map((p) => path.resolve(options.cwd, p)),
    forceIncludes: options.forceIncludes.map((p) => path.resolve(options.cwd, p)),
    readFile: headers.read,
    directivesOf: headers.directivesOf,
    mainDirectivesOf: headers.mainDirectivesOf,
    headerEffects: headers.effects,
    ...(options.includeSearch === false ? {} : { searchInclude: headers.searchInclude }),
    headerConstant: headerConstantsFor(headers),
    headerFunction: headerFunctionsFor(headers),
    ...linkageFor(headers),
    ...(options.builds?.length ? { builds: options.builds } : {}),
    headerTypes: headerTypesFor(headers),
    ...rest,
  };
  const project = { wrappers, declared: options.wrappers, ...(overloads?.size ? { overloads } : {}) };
  return reach ? reach.analyze(file, text, analysisOptions, project) : analyzeFile(file, text, analysisOptions, project);
}

export interface Candidate {
  file: string;
  text: string;
  /** Spans of `text` blanked by its window (src/engine/runner/window.ts). */
  blank?: readonly (readonly [number, number])[];
  /** The grammar, chosen from the whole file (a window may hide what makes a header C++). */
  language?: Language;
  /** The tree of a narrower window, edited to match: only the code that came back is parsed again. */
  previousTree?: Tree;
  /** The run's parses shared between its configurations. */
  parses?: SharedParses;
  /** The preprocessor's result of a narrower window of the same text (every window of a file gives the same). */
  preprocessed?: PreprocessResult;
  /** The analysis gives the words of the file's macro bodies (AnalysisOptions.macroWords). */
  macroWords?: boolean;
}

/** A file to analyse in a window: its whole text, and the spans the window blanks. */
export function windowCandidate(file: string, whole: string, w: Window, parses?: SharedParses): Candidate {
  return { file, text: whole, blank: w.blanks, language: languageFor(file, whole), previousTree: w.previousTree, parses, preprocessed: w.preprocessed };
}

/**
 * A candidate's analysis in its windows (src/engine/runner/window.ts), within the file's time limit. The driver lets
 * the event loop turn after each attempt (yielded), since native trees are freed by finalizers that run only then;
 * after an attempt on a file of many megabytes, the garbage is collected first, so that its tree and texts are
 * gone before the next attempt builds its own. `outgrown`: the attempt just made is not the last (its parse will
 * not be used).
 */
export function* analyzeInWindows(
  c: Candidate,
  windows: WindowSet,
  needles: Iterable<string>,
  purpose: WindowPurpose,
  limitMs: number,
  analyzeWindow: (w: Window) => FileAnalysis | undefined,
  outgrown: () => void,
): Generator<Pause, FileAnalysis | undefined, void> {
  const started = performance.now();
  const attempts = windows.attempts<FileAnalysis>(c.file, c.text, needles, purpose);
  let step = attempts.next();
  while (!step.done) {
    const window = step.value;
    // (one time limit for the file, whatever the number of attempts)
    step = attempts.next(withTimeLimit(limitMs, () => analyzeWindow(window), started));
    if (!step.done) outgrown();
    yield c.text.length >= COLLECT_FROM ? 'collect' : 'turn';
  }
  return step.value;
}

/**
 * The whole pipeline for one text in its windows, as the CLI analyses a file (analyzeInWindows, driven to its end
 * without pausing): what the language server does with a buffer of UNITS_FROM characters or more, whose whole
 * parse (and an incremental tree kept of it) would cost many times the text. `names`: the names that matter
 * besides the APIs (declared and known wrappers). Throws when the analysis fails, as lintFile does.
 */
export function lintFileInWindows(input: FileInput, names: Iterable<string>): FileLint {
  const { file, text, options } = input;
  const language = input.language ?? languageFor(file, text);
  const analyzeWindow = (w: Window): FileAnalysis =>
    analyzeText(file, text, options, input.wrappers ?? new Map(), input.headers, {
      reach: input.reach,
      overloads: input.overloads,
      language,
      blank: w.blanks,
      previousTree: w.previousTree ? (_text, l) => (l === language ? w.previousTree : undefined) : undefined,
    });
  const limitMs = options.fileTimeout ?? DEFAULT_FILE_TIMEOUT_MS;
  const attempts = analyzeInWindows({ file, text, language }, new WindowSet(true), names, 'findings', limitMs, analyzeWindow, () => input.reach?.forget(file));
  // (synchronous: a 'collect' pause collects what the attempt left, though a native tree waits for the event loop)
  for (let step = attempts.next(); ; step = attempts.next()) {
    if (step.done) return checkAnalysis(step.value!, options, input.rules ?? activeRules(options.rules), input.unusedDirectives);
    if (step.value === 'collect') collectGarbage();
  }
}

export function fileNeedles(analysis: FileAnalysis): string[] {
  const names = macroNamesLeadingToCalls(analysis);
  if (definesCallMacro(analysis)) names.push(path.basename(analysis.file));
  return [...new Set(names)];
}

export function safeAnalyze(
  c: Candidate,
  options: LintOptions,
  wrappers: ReadonlyMap<string, WrapperModel>,
  headers: HeaderCache,
  notices: Notice[],
  reach?: RunReach,
  timedOut?: Set<string>,
): FileAnalysis | undefined {
  try {
    const previous = c.previousTree;
    const preprocessed = c.preprocessed;
    return analyzeText(c.file, c.text, options, wrappers, headers, {
      reach,
      blank: c.blank,
      language: c.language,
      parses: c.parses,
      previousTree: previous ? (_text, language) => (language === c.language ? previous : undefined) : undefined,
      previousPreprocess: preprocessed ? (_text, language) => (language === c.language ? preprocessed : undefined) : undefined,
      ...(c.macroWords ? { macroWords: true } : {}),
    });
  } catch (e) {
    if (e instanceof TimeLimitExceeded) {
      timedOut?.add(c.file);
      notices.push(timeLimitNotice(c.file, e));
      return undefined;
    }
    // a missing grammar is the run's problem, not the file's: said once (the command line stops on it, exit 2)
    if (e instanceof GrammarUnavailable) {
      if (!notices.some((n) => n.code === 'grammar-unavailable')) notices.push({ level: 'error', code: 'grammar-unavailable', message: e.message });
      return undefined;
    }
    // reported once, whichever round (or window) fails: a file that fails only in a later round must not vanish silently
    if (!notices.some((n) => n.file === c.file && n.code === 'internal-error')) {
      notices.push({ level: 'error', file: c.file, code: 'internal-error', message: `could not analyse this file: ${(e as Error).message}` });
    }
    return undefined;
  }
}

/** What an analysis could not do in full: regions tree-sitter could not parse, includes not followed. */
export function analysisNotices(analysis: FileAnalysis, includeSearch: boolean): Notice[] {
  const notices: Notice[] = [];
  if (analysis.errorCount > 0) {
    notices.push({
      level: 'note',
      file: analysis.file,
      code: 'parse-error',
      message: `${analysis.errorCount} region${analysis.errorCount === 1 ? '' : 's'} could not be parsed; calls there are read from tokens`,
    });
  }
  if (analysis.pre.headerLimitReached) {
    notices.push({
      level: 'warning',
      file: analysis.file,
      code: 'limit',
      message: `its includes entered headers ${analysis.pre.headerLimitReached} times (headers without include guards that include each other); the includes after that were not followed`,
    });
  }
  notices.push(...includeNotices(analysis.file, analysis.pre.includes, includeSearch));
  return notices;
}

/** Runs the rules on one file; a rule that throws costs only its own findings on that file (with a notice). */
export function safeRunRules(analysis: FileAnalysis, active: ActiveRule[], options: LintOptions, notices: Notice[]): Finding[] {
  const { findings, failures } = runRules(analysis, active, options);
  for (const f of failures) notices.push(ruleFailureNotice(analysis.file, f));
  return findings;
}

export function macroNamesLeadingToCalls(analysis: FileAnalysis): string[] {
  const names: string[] = [];
  const macros = analysis.pre.macros;
  // the macros calls go through (a pointer variable or a wrapper's name is of no use to other files here:
  // pointers are the file's own, and wrappers are looked for by name when found)
  for (const call of analysis.calls) if (call.callee !== call.api && macros.hasEvents(call.callee)) names.push(call.callee);
  names.push(...analysis.apiMacros.names);
  return names;
}

/**
 * A header that itself defines a macro calling an API makes every file that includes it a candidate.
 * (Merely declaring the APIs, as <windows.h> does, must not: that would make every file one.)
 */
export function definesCallMacro(analysis: FileAnalysis): boolean {
  if (!path.extname(analysis.file).toLowerCase().startsWith('.h')) return false;
  return analysis.apiMacros.definedHere;
}
