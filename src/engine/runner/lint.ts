// A lint run: discover → read and prefilter → analyse (wrappers to a fixpoint) → rules → report.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { rules as allRules } from '../../rules/index.js';
import { analyzeFile, type AnalysisOptions, type DeclaredWrapper, type FileAnalysis, type WrapperModel } from '../analysis/analyze.js';
import { API_NEEDLES } from '../model/apis.js';
import type { MacroDef } from '../macros/macros.js';
import { hashData, LintCache, type CacheEntry } from '../cache/cache.js';
import { applyDirectives, scanDisableDirectives } from '../linter/directives.js';
import { discoverFiles, type PathError } from '../files/discover.js';
import { FileReader } from '../files/file-reader.js';
import { SourceScanner } from './prefilter.js';
import { ScanMemo, scanMemoFile } from '../cache/scan-memo.js';
import { shardFilter, type Shard } from './shard.js';
import { WindowSet, type Window, type WindowPurpose } from '../parse/window.js';
import { afterFile, COLLECT_FROM, releaseMemory } from './collect.js';
import { languageFor, type Language, type Tree } from '../parse/parse.js';
import { reportTimings, threadsAvailable, threadsFor, type Concurrency } from './threads.js';
import type { FileResult } from './workers.js';
import type { FilePatch } from '../linter/fix.js';
import { HeaderCache } from '../preprocess/header-cache.js';
import { headerConstantsFor, RunReach } from './reach.js';
import { activeRules, runRules, type ActiveRule, type RuleSetting } from '../linter/run-rules.js';
import { decode } from '../text/source.js';
import { targetModel } from '../model/target.js';
import type { Finding, Level, Notice, Report, Target } from '../model/types.js';
import { toolVersion } from '../model/version.js';
import { keepRun, RunMemo } from '../cache/run-memo.js';
import { DEFAULT_FILE_TIMEOUT_MS, DEFAULT_MAX_FILE_SIZE, TimeLimitExceeded, timeLimitNotice, withTimeLimit } from '../model/limits.js';
import { mentionsAnyWord } from '../text/occurrences.js';

export interface LintOptions {
  cwd: string;
  target: Target;
  defines: Record<string, string>;
  undefines: string[];
  includePaths: string[];
  forceIncludes: string[];
  /** Rule levels and options; rules not named run at their default level. */
  rules: Record<string, RuleSetting>;
  /** .gitignore-style patterns relative to each directory scanned (src/engine/files/ignore-pattern.ts). */
  ignores: string[];
  /** Options per file, from config files (src/config); without it these options apply to every file. */
  optionsFor?: FileOptionsLookup;
  /** Report disable comments that disabled nothing, at this level (default off). */
  reportUnusedDisableDirectives?: Level;
  /** Work out fixes; they come back as patches in the result, for the caller to write or show. */
  fix?: boolean;
  /** --cache: the cache file; unchanged files with unchanged headers are not analysed again. */
  cacheFile?: string;
  /** A compile_commands.json: each file is read with its own macros, include paths and forced includes. */
  compileCommands?: string;
  /** Functions that reserve memory, declared by the user: `{ name: 'os_reserve', sizeArg: 0 }` (0-based argument). */
  wrappers?: DeclaredWrapper[];
  /**
   * Parse only the code that can matter (default): function bodies that mention no API, macro, wrapper or
   * pointer are blanked first (src/engine/parse/window.ts). False parses every candidate file whole; the findings
   * are the same either way.
   */
  windowed?: boolean;
  /**
   * Threads for the first pass (src/engine/runner/workers.ts): a number, `off`, or `auto` (default: the cores, up to
   * 4, for runs of 400 files or more). Runs with `fix` or `cacheFile` use one thread.
   */
  concurrency?: Concurrency;
  /** --shard: report only this share of the files (src/engine/runner/shard.ts). */
  shard?: Shard;
  /** Called as files are analysed (the CLI draws a progress line from it). */
  onProgress?: (done: number, total: number) => void;
  /** Files larger than this many bytes are skipped with a `limit` notice (default DEFAULT_MAX_FILE_SIZE; 0: no limit). */
  maxFileSize?: number;
  /** Milliseconds one file's analysis may take before it is skipped with a `limit` notice (default DEFAULT_FILE_TIMEOUT_MS; 0: no limit). */
  fileTimeout?: number;
}

/** The options of one file (config file merged with the command line), or the config error that stops it. */
export type FileOptionsLookup = (file: string) => { options: LintOptions; ignored: boolean } | { error: { file: string; reason: string } };

export interface LintResult extends Report {
  usageError: boolean;
  /** Paths given that could not be checked (missing, unreadable, unlistable): nothing was linted. */
  errors?: PathError[];
  /** With `fix`: the changed text of each file that has fixes. */
  patches?: FilePatch[];
  /** With a cache: files whose results came from it, and files analysed. */
  cacheStats?: { hits: number; misses: number };
}

export { HeaderCache, activeRules, runRules, type RuleSetting };

export function defaultLintOptions(cwd = process.cwd()): LintOptions {
  return { cwd, target: 'x64', defines: {}, undefines: [], includePaths: [], forceIncludes: [], rules: {}, ignores: [] };
}

/** Analyses one file's text with the wrappers known so far. */
export function analyzeText(
  file: string,
  text: string,
  options: LintOptions,
  wrappers: ReadonlyMap<string, WrapperModel>,
  headers: HeaderCache,
  /** For the editor integrations: the grammar to use, and the incremental re-parse hook (see AnalysisOptions). */
  extra: Pick<AnalysisOptions, 'language' | 'previousTree' | 'previousPreprocess' | 'previousCalls' | 'knownOccurrences' | 'blank'> & { reach?: RunReach } = {},
): FileAnalysis {
  const { reach, ...rest } = extra;
  const analysisOptions: AnalysisOptions = {
    model: targetModel(options.target),
    defines: options.defines,
    undefines: options.undefines,
    includePaths: options.includePaths.map((p) => path.resolve(options.cwd, p)),
    forceIncludes: options.forceIncludes.map((p) => path.resolve(options.cwd, p)),
    readFile: headers.read,
    directivesOf: headers.directivesOf,
    headerConstant: headerConstantsFor(headers),
    ...rest,
  };
  const project = { wrappers, declared: options.wrappers };
  return reach ? reach.analyze(file, text, analysisOptions, project) : analyzeFile(file, text, analysisOptions, project);
}

export interface Candidate {
  file: string;
  text: string;
  /** Spans of `text` blanked by its window (src/engine/parse/window.ts). */
  blank?: readonly (readonly [number, number])[];
  /** The grammar, chosen from the whole file (a window may hide what makes a header C++). */
  language?: Language;
  /** The tree of a narrower window, edited to match: only the code that came back is parsed again. */
  previousTree?: Tree;
}

/** A file to analyse in a window: its whole text, and the spans the window blanks. */
export function windowCandidate(file: string, whole: string, w: Window): Candidate {
  return { file, text: whole, blank: w.blanks, language: languageFor(file, whole), previousTree: w.previousTree };
}

/** Lints paths: the whole pipeline, never throwing for bad input. */
export async function lintPaths(paths: string[], options: LintOptions): Promise<LintResult> {
  const discovery = await discoverFiles(paths.length ? paths : ['.'], options.cwd, options.ignores);
  // a path asked for that cannot be checked stops the run before any work (the caller says why, exit 2)
  if (discovery.errors.length > 0) {
    return { root: options.cwd, findings: [], notices: [], filesScanned: 0, rules: [], toolVersion: toolVersion(), usageError: true, errors: discovery.errors };
  }
  const notices: Notice[] = [...discovery.notices];
  const headers = new HeaderCache();
  // (texts read again on the main thread: files the threads analysed, when a wrapper found later may matter)
  const reader = new FileReader();
  const perFile = resolvePerFile(discovery.files, options, notices);
  // --cache on a tree where nothing changed: the last run's report (src/engine/cache/run-memo.ts)
  const runMemo =
    options.cacheFile && !options.fix && !perFile.configError
      ? RunMemo.open<LintResult>(options.cacheFile, toolVersion(), { files: perFile.files, optionsOf: (f) => perFile.options.get(f) ?? options, extra: { options, database: perFile.database } })
      : undefined;
  const again = runMemo?.reuse();
  if (again) return { ...again, root: options.cwd, cacheStats: { hits: (again.cacheStats?.hits ?? 0) + (again.cacheStats?.misses ?? 0), misses: 0 } };
  const reach = new RunReach(options.compileCommands || !perFile.database ? options : { ...options, compileCommands: perFile.database }, notices);
  const optionsOf = (file: string) => reach.optionsFor(file, perFile.options.get(file) ?? options);
  const activeOf = memoActiveRules();
  const cache = options.cacheFile ? new LintCache(options.cacheFile, toolVersion()) : undefined;
  const cacheKeys = new Map<string, string>();
  const cached = new Map<string, CacheEntry>();

  // read every file once; keep only those that can matter (byte prefilter; unreadable and binary files get a notice)
  const texts = new Map<string, string>();
  // (files over the size limit get a `limit` notice and are not read)
  const scanner = new SourceScanner(perFile.files, {
    // --cache: unchanged files the last run did not take are looked up instead of read
    memo: options.cacheFile ? ScanMemo.load(scanMemoFile(options.cacheFile), toolVersion()) : undefined,
    maxSize: options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
    marker: 'granule-',
    wantsMarker: (file) => (optionsOf(file).reportUnusedDisableDirectives ?? 'off') !== 'off',
  });
  const needles = new Set(API_NEEDLES);
  for (const d of options.wrappers ?? []) needles.add(d.name);
  // wrappers declared in config files make the files that call them candidates too
  for (const o of perFile.options.values()) for (const d of o.wrappers ?? []) needles.add(d.name);
  const candidates = new Map<string, Candidate>();
  /** Makes a file a candidate (false when its bytes cannot be decoded: binary). */
  const take = (file: string, bytes: Buffer): boolean => {
    const decoded = decode(bytes);
    if (!decoded.ok) {
      notices.push({ level: 'warning', file, code: decoded.code, message: decoded.message });
      return false;
    }
    if (decoded.note) notices.push({ level: 'note', file, code: 'encoding', message: decoded.note });
    candidates.set(file, { file, text: decoded.text });
    texts.set(file, decoded.text);
    if (cache) {
      const key = cache.keyFor(hashData(cacheableOptions(optionsOf(file))), bytes);
      cacheKeys.set(file, key);
      const entry = options.fix ? undefined : cache.lookup(file, key);
      if (entry) {
        cached.set(file, entry);
        for (const n of entry.needles) needles.add(n);
      }
    }
    return true;
  };
  const addCandidates = () => {
    let added = false;
    // (this scanner keeps each hit's bytes)
    for (const { file, bytes } of scanner.scan(needles)) if (take(file, bytes!)) added = true;
    return added;
  };
  // files whose analysis ran out of time are skipped in later rounds (they have their `limit` notice)
  const timedOut = new Set<string>();
  // big runs read and analyse on several threads first; the results stand unless a wrapper reaches the file
  const precomputed = new Map<string, FileResult>();
  const threads = options.fix || cache || !threadsAvailable() ? 0 : threadsFor(options.concurrency, perFile.files.length);
  const reachOptions = options.compileCommands || !perFile.database ? options : { ...options, compileCommands: perFile.database };
  // (loaded only here: a run on a few files should not pay for the threading code)
  const threaded = threads > 0 ? await import('./workers.js') : undefined;
  const parallel = threaded ? await threaded.lintInParallel(threaded.threadJob(perFile, options, reachOptions, needles), threads) : undefined;
  if (parallel) {
    scanner.resume(parallel.pending, parallel.searched, parallel.markers);
    notices.push(...parallel.notices);
    for (const r of parallel.results) {
      if (r.note) notices.push(r.note);
      // the text stays on disk: it is read again only if a wrapper found later makes the file worth analysing
      candidates.set(r.file, textOnDemand(r.file, reader));
      for (const n of r.needles) needles.add(n);
      if (r.timedOut) {
        timedOut.add(r.file);
        notices.push(...r.notices);
      } else if (!r.definesWrappers) precomputed.set(r.file, r);
    }
    // the files the threads found the names of that pass in (wrappers, macros): candidates now
    for (const file of parallel.taken) {
      let bytes: Buffer;
      try {
        bytes = reader.kept(reader.read(file).bytes!);
      } catch (e) {
        notices.push({ level: 'error', file, code: 'unreadable', message: `cannot read file: ${(e as Error).message}` });
        continue;
      }
      take(file, bytes);
    }
    for (const n of parallel.searched) needles.add(n);
    reportTimings({ threads, firstPassMs: parallel.timings.firstPassMs, candidates: parallel.timings.candidates });
  } else {
    addCandidates();
    notices.push(...scanner.notices);
  }

  // wrappers and macros found in one file make calls in other files relevant: iterate to a fixpoint
  const windows = new WindowSet(options.windowed !== false && !options.fix);
  // --shard: the files this run reports; the others are analysed only for the wrappers they define
  const reported = shardFilter(options.shard, options.cwd);
  let wrappers = new Map<string, WrapperModel>();
  let analyses = new Map<string, FileAnalysis>();
  for (let round = 0; round < 10; round++) {
    addCandidates();
    const next = new Map<string, WrapperModel>();
    analyses = new Map();
    // a cached result cannot see wrappers: files that mention one are analysed again
    for (const file of [...cached.keys()]) if (mentionsAnyWord(candidates.get(file)!.text, wrappers)) cached.delete(file);
    for (const [file, r] of [...precomputed]) if (r.macroWords.some((w) => wrappers.has(w)) || (wrappers.size > 0 && mentionsAnyWord(reader.readText(file) ?? '', wrappers))) precomputed.delete(file);
    let done = 0;
    const total = candidates.size - cached.size - precomputed.size;
    for (const c of candidates.values()) {
      if (cached.has(c.file) || precomputed.has(c.file) || timedOut.has(c.file)) continue;
      if (!texts.has(c.file)) texts.set(c.file, c.text);
      if (round === 0) options.onProgress?.(done++, total);
      const analysis = await analyzeInWindows(
        c,
        windows,
        needles,
        reported(c.file) ? 'findings' : 'wrappers',
        options.fileTimeout ?? DEFAULT_FILE_TIMEOUT_MS,
        (w) => safeAnalyze(windowCandidate(c.file, c.text, w), optionsOf(c.file), wrappers, headers, notices, reach, timedOut),
        () => reach.forget(c.file),
      );
      if (!analysis) continue;
      analyses.set(c.file, analysis);
      for (const w of analysis.wrappers) next.set(w.name, w);
      for (const name of macroNamesLeadingToCalls(analysis)) needles.add(name);
      if (definesCallMacro(analysis)) needles.add(path.basename(c.file));
    }
    // a static function of a .c file reaches no other file: its name need not be looked for elsewhere
    for (const a of analyses.values()) for (const w of a.wrappers) if (!w.fileLocal) needles.add(w.name);
    // several files may define a wrapper of the same name (static helpers): each caller picks its own
    reach.setWrappers([...analyses.values()].flatMap((a) => a.wrappers));
    const grew = addCandidates();
    const sameWrappers = next.size === wrappers.size && [...next.keys()].every((k) => wrappers.has(k));
    wrappers = next;
    if (sameWrappers && !grew) break;
  }

  const findings: Finding[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const analysis of analyses.values()) {
    // with --shard, the other shards' files were analysed only for their wrappers
    if (!reported(analysis.file)) continue;
    const fileNotices: Notice[] = [];
    fileNotices.push(...analysisNotices(analysis));
    const fileOptions = optionsOf(analysis.file);
    const own = safeRunRules(analysis, activeOf(fileOptions), fileOptions, fileNotices);
    notices.push(...fileNotices);
    byFile.set(analysis.file, own);
    const key = cacheKeys.get(analysis.file);
    // a failure is not remembered: the next run tries the file again
    if (cache && key && !fileNotices.some((n) => n.code === 'internal-error')) {
      const usesWrappers = analysis.wrappers.length > 0 || analysis.calls.some((c) => wrappers.has(c.callee) || c.evidence.some((e) => e.kind === 'wrapper'));
      if (usesWrappers) cache.forget(analysis.file);
      else cache.store(analysis.file, key, [...analysis.pre.dependencies, ...analysis.pre.missing], { findings: own, notices: fileNotices, needles: fileNeedles(analysis) });
    }
  }
  for (const [file, entry] of cached) {
    if (!reported(file)) continue;
    byFile.set(file, entry.findings.map((f) => ({ ...f, suppressed: undefined })));
    notices.push(...entry.notices);
  }
  for (const [file, r] of precomputed) {
    if (!reported(file)) continue;
    // (disable comments were applied by the thread: the file has no text here, so the loop below skips it)
    byFile.set(file, r.findings);
    notices.push(...r.notices, ...r.directiveNotices);
  }
  if (cache) {
    cache.hits = cached.size;
    cache.misses = analyses.size;
    try {
      cache.save();
      scanner.saveMemo();
    } catch (e) {
      notices.push({ level: 'warning', file: cache.file, code: 'cache', message: `cannot write the cache: ${(e as Error).message}` });
    }
  }

  // inline disable comments, after the rules; files with no findings may still hold unused ones
  for (const [file, own] of byFile) {
    const text = texts.get(file);
    const level = optionsOf(file).reportUnusedDisableDirectives ?? 'off';
    if (text !== undefined) notices.push(...applyDirectives(file, own, scanDisableDirectives(file, text), level));
    findings.push(...own);
  }
  for (const file of scanner.markerFiles()) {
    if (!reported(file)) continue;
    const level = optionsOf(file).reportUnusedDisableDirectives ?? 'off';
    const bytes = level === 'off' ? undefined : scanner.reread(file);
    if (!bytes) continue;
    const decoded = decode(bytes);
    if (decoded.ok) notices.push(...applyDirectives(file, [], scanDisableDirectives(file, decoded.text), level));
  }
  findings.sort((a, b) => a.file.localeCompare(b.file) || a.range.start.offset - b.range.start.offset || a.ruleId.localeCompare(b.ruleId));

  let patches: FilePatch[] | undefined;
  if (options.fix) {
    const textOf = (file: string) => {
      const known = texts.get(file);
      if (known !== undefined) return known;
      const bytes = scanner.reread(file);
      const decoded = bytes ? decode(bytes) : undefined;
      return decoded?.ok ? decoded.text : undefined;
    };
    const { planFixes } = await import('../linter/fix.js');
    const plan = planFixes({ findings, analyses, files: perFile.files, textOf });
    patches = plan.patches;
    notices.push(...plan.notices);
  }

  const summary = activeOf(perFile.summaryOptions ?? options);
  const result: LintResult = {
    root: options.cwd,
    findings,
    notices: shardNotices(notices, perFile.files, reported).sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0)),
    filesScanned: options.shard ? perFile.files.filter(reported).length : perFile.files.length,
    rules: allRules.map((r) => {
      const a = summary.find((x) => x.rule.name === r.name);
      return { id: r.name, level: a ? a.level : 'off' };
    }),
    toolVersion: toolVersion(),
    usageError: perFile.configError || reach.configError,
    ...(patches ? { patches } : {}),
    ...(cache ? { cacheStats: { hits: cache.hits, misses: cache.misses } } : {}),
  };
  if (runMemo) {
    const headersRead = [...[...analyses.values()].flatMap((a) => [...a.pre.dependencies, ...a.pre.missing]), ...[...cached.values()].flatMap((e) => Object.keys(e.deps))];
    keepRun(runMemo, { report: result, headers: headersRead, database: reachOptions.compileCommands, timedOut: timedOut.size });
  }
  return result;
}

/**
 * A candidate's analysis in its windows (src/engine/parse/window.ts), within the file's time limit. The event loop
 * turns after each attempt, since native trees are freed by finalizers that run only then; after an attempt
 * on a file of many megabytes, the garbage is collected first, so that its tree and texts are gone before the
 * next attempt builds its own. `outgrown`: the attempt just made is not the last (its parse will not be used).
 */
async function analyzeInWindows(
  c: Candidate,
  windows: WindowSet,
  needles: Iterable<string>,
  purpose: WindowPurpose,
  limitMs: number,
  analyzeWindow: (w: Window) => FileAnalysis | undefined,
  outgrown: () => void,
): Promise<FileAnalysis | undefined> {
  const started = performance.now();
  const attempts = windows.attempts<FileAnalysis>(c.file, c.text, needles, purpose);
  let step = attempts.next();
  while (!step.done) {
    const window = step.value;
    // (one time limit for the file, whatever the number of attempts)
    step = attempts.next(withTimeLimit(limitMs, () => analyzeWindow(window), started));
    if (!step.done) outgrown();
    await (c.text.length >= COLLECT_FROM ? releaseMemory() : afterFile());
  }
  return step.value;
}

/** A candidate whose text is read when first asked for (and then kept). */
function textOnDemand(file: string, reader: FileReader): Candidate {
  let text: string | undefined;
  return {
    file,
    get text() {
      return (text ??= reader.readText(file) ?? '');
    },
  };
}

/** With --shard, the notices about the run's files of other shards are theirs to report. */
function shardNotices(notices: Notice[], files: readonly string[], reported: (file: string) => boolean): Notice[] {
  const runFiles = new Set(files);
  return notices.filter((n) => !n.file || !runFiles.has(n.file) || reported(n.file));
}

/**
 * Applies config files: drops ignored files, and files whose config is broken (one error per config,
 * and the run ends with exit code 2).
 */
function resolvePerFile(files: string[], options: LintOptions, notices: Notice[]) {
  const result = {
    files: [] as string[],
    options: new Map<string, LintOptions>(),
    configError: false,
    summaryOptions: undefined as LintOptions | undefined,
    /** The compilation database a config names (the run reads one). */
    database: undefined as string | undefined,
  };
  const lookup = options.optionsFor;
  if (!lookup) {
    result.files = files;
    return result;
  }
  const reported = new Set<string>();
  for (const file of files) {
    const r = lookup(file);
    if ('error' in r) {
      result.configError = true;
      if (!reported.has(r.error.file)) {
        reported.add(r.error.file);
        notices.push({ level: 'error', file: r.error.file, code: 'config', message: `invalid config: ${r.error.reason}` });
      }
      continue;
    }
    if (r.ignored) continue;
    result.files.push(file);
    result.options.set(file, r.options);
    result.summaryOptions ??= r.options;
    result.database ??= r.options.compileCommands;
  }
  return result;
}

/** Rules set up once per options object (files that share a config share one). */
function memoActiveRules(): (options: LintOptions) => ActiveRule[] {
  const memo = new Map<LintOptions, ActiveRule[]>();
  return (options) => {
    let active = memo.get(options);
    if (!active) memo.set(options, (active = activeRules(options.rules)));
    return active;
  };
}

/** What a file's results depend on besides its text and headers. */
function cacheableOptions(options: LintOptions): unknown {
  const { cwd, optionsFor, fix, cacheFile, onProgress, reportUnusedDisableDirectives, ...rest } = options;
  void [optionsFor, fix, cacheFile, onProgress, reportUnusedDisableDirectives];
  return { ...rest, cwd, includePaths: rest.includePaths.map((p) => path.resolve(cwd, p)), forceIncludes: rest.forceIncludes.map((p) => path.resolve(cwd, p)) };
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
    return analyzeText(c.file, c.text, options, wrappers, headers, {
      reach,
      blank: c.blank,
      language: c.language,
      previousTree: previous ? (_text, language) => (language === c.language ? previous : undefined) : undefined,
    });
  } catch (e) {
    if (e instanceof TimeLimitExceeded) {
      timedOut?.add(c.file);
      notices.push(timeLimitNotice(c.file, e));
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
export function analysisNotices(analysis: FileAnalysis): Notice[] {
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
  return notices;
}

/** Runs the rules on one file; a rule that throws costs only its own findings on that file (with a notice). */
export function safeRunRules(analysis: FileAnalysis, active: ActiveRule[], options: LintOptions, notices: Notice[]): Finding[] {
  const { findings, failures } = runRules(analysis, active, options);
  for (const f of failures) {
    notices.push({ level: 'error', file: analysis.file, code: 'internal-error', message: `rule ${f.ruleId} failed on this file, and its findings here are missing: ${f.message}` });
  }
  return findings;
}

/** A macro body that calls an API: `NAME(` somewhere in it. */
function callsApi(def: MacroDef): boolean {
  return def.body.some((t, i) => t.kind === 'ident' && def.body[i + 1]?.text === '(' && API_NEEDLES.some((n) => t.text.includes(n)));
}

function macroNamesLeadingToCalls(analysis: FileAnalysis): string[] {
  const names: string[] = [];
  // the macros calls go through (a pointer variable or a wrapper's name is of no use to other files here:
  // pointers are the file's own, and wrappers are looked for by name when found)
  const macros = new Set(analysis.pre.macros.names());
  for (const call of analysis.calls) if (call.callee !== call.api && macros.has(call.callee)) names.push(call.callee);
  for (const name of analysis.pre.macros.names()) {
    if (analysis.pre.macros.definitions(name).some(callsApi)) names.push(name);
  }
  return names;
}

/**
 * A header that itself defines a macro calling an API makes every file that includes it a candidate.
 * (Merely declaring the APIs, as <windows.h> does, must not: that would make every file one.)
 */
function definesCallMacro(analysis: FileAnalysis): boolean {
  if (!path.extname(analysis.file).toLowerCase().startsWith('.h')) return false;
  for (const name of analysis.pre.macros.names()) {
    if (analysis.pre.macros.definitions(name).some((d) => d.file === analysis.file && callsApi(d))) return true;
  }
  return false;
}
