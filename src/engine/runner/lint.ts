// A lint run: discover → read and prefilter (candidates.ts, threads first on big runs) → analyse, wrappers to a
// fixpoint (fixpoint.ts, each file through the per-file pipeline in pipeline.ts) → rules and disable comments →
// fixes → report. Each step below takes what the ones before produced, as named data.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { rules as allRules } from '../../rules/index.js';
import type { FileAnalysis, WrapperModel } from '../analysis/analyze.js';
import { configurationCacheFile, LintCache } from '../cache/cache.js';
import { foreignFile } from '../cache/cache-files.js';
import { applyDirectives, scanDisableDirectives } from '../linter/directives.js';
import { discoverFiles } from '../files/discover.js';
import { FileReader } from '../files/file-reader.js';
import { shardFilter } from './shard.js';
import { WindowSet } from './window.js';
import { HeapWatch, releaseMemory } from './collect.js';
import type { FilePatch } from '../linter/fix.js';
import { HeaderCache } from '../preprocess/header-cache.js';
import { SharedParses } from '../parse/shared-parses.js';
import { RunReach } from './reach.js';
import { BuildConfigurations, databaseFiles, readProjects, type ReadProjects } from '../preprocess/build-configurations.js';
import { activeRules, runRules, type RuleSetting } from '../linter/run-rules.js';
import { decode } from '../text/source.js';
import { ownCopies } from '../text/own-copy.js';
import type { Finding, Notice, Target } from '../model/types.js';
import { analysisTarget, configurationsOf, mergeRuns, optionsIn, targetsOf, type ConfigurationRun } from './configurations.js';
import { toolVersion } from '../model/version.js';
import { keepRun, RunMemo } from '../cache/run-memo.js';
import { DEFAULT_FILE_TIMEOUT_MS, DEFAULT_MAX_FILE_SIZE } from '../model/limits.js';
import { mentionsAnyWord, wordsIn } from '../text/occurrences.js';
import { defaultLintOptions, type FileOptionsLookup, type LintOptions } from './options.js';
import { analyzeInWindows, analyzeText, checkAnalysis, fileNeedles, safeAnalyze, windowCandidate, type Candidate } from './pipeline.js';
import { byNoticePlace, collapseIncludeNotices } from './include-notices.js';
import { addContextFiles, memoActiveRules, resolvePerFile, runHeaderCache, shardNotices, type LintResult, type RunSetup } from './run-parts.js';
import { candidatesFor, collectCandidates, type CandidateFiles } from './candidates.js';
import { contextHeaders } from './context-headers.js';
import { buildRunFiles, lintEachConfiguration, type BuildRun } from './configuration-runs.js';
import { wrapperFixpoint, type FixpointFile, type FixpointResult } from './fixpoint.js';
import { compareText } from '../model/order.js';

export { HeaderCache, activeRules, runRules, analyzeText, defaultLintOptions, type RuleSetting, type LintOptions, type FileOptionsLookup, type LintResult };

/** Lints paths: the whole pipeline, never throwing for bad input. */
export async function lintPaths(paths: string[], options: LintOptions): Promise<LintResult> {
  const projects = options.projects?.length ? readProjects(options) : undefined;
  // each project configuration (or compilation database, when there are several) is a run of its own, merged
  // after; fixes apply to one text
  const build = projects || databaseFiles(options.compileCommands).length > 1 ? new BuildConfigurations(options, [], projects) : undefined;
  if (build && build.configurationNames.length > 0 && !options.fix) {
    return lintEachConfiguration(build, async (name, first) => {
      const done = await lintConfiguration(paths, options, projects, { build, name, first });
      return done.result.usageError && done.runs.length === 0 ? { stop: done.result } : done.runs;
    });
  }
  return (await lintConfiguration(paths, options, projects, undefined)).result;
}

/** The build configuration a run checks: a database or a project configuration of `build`. */
interface OnlyConfiguration {
  readonly build: BuildConfigurations;
  readonly name: string;
  /** The first configuration's run also checks the files no database or project lists. */
  readonly first: boolean;
}

/**
 * One run: of the paths, and of the files the projects compile in the configuration `only` (undefined: any). Its
 * report, and the report of each target it checked.
 */
async function lintConfiguration(
  paths: string[],
  options: LintOptions,
  projects: ReadProjects | undefined,
  only: OnlyConfiguration | undefined,
): Promise<{ result: LintResult; runs: BuildRun[] }> {
  // the files the projects compile are checked, beside the paths given (without paths, only they are)
  const projectFiles = (projects?.projects?.filesIn(only?.name) ?? []).filter((f) => fs.existsSync(f));
  const roots = projects ? [...paths, ...projectFiles] : paths.length ? paths : ['.'];
  const discovery = await discoverFiles(roots, options.cwd, options.ignores);
  // a path asked for that cannot be checked stops the run before any work (the caller says why, exit 2)
  if (discovery.errors.length > 0) {
    const result = {
      root: options.cwd,
      findings: [],
      notices: [],
      filesScanned: 0,
      rules: [],
      toolVersion: toolVersion(),
      usageError: true,
      errors: discovery.errors,
    };
    return { result, runs: [] };
  }
  // a file that another database or project configuration builds, but not this one, is checked in the runs of its own
  const own = only && buildRunFiles(only.build, discovery.files, only.name, only.first);
  const found = own?.files ?? discovery.files;
  const scope: BuildScope = { named: discovery.named, projects, only: only?.name, reported: own?.reported };
  // (a project configuration has its one platform: its target comes from the project, not from --target)
  const ownTarget = only !== undefined && !only.build.configurationNamed(only.name).targetOfRun;
  const passes = ownTarget ? projectPasses(found, options, only) : configurationPasses(found, options);
  if (passes.length <= 1) {
    const result = await lintFiles(found, discovery.notices, passes[0]?.options ?? options, scope);
    // (the target of the files no project lists: those a project configuration builds go by its name)
    const target = passes[0]?.name ?? analysisTarget(options.target);
    return { result, runs: [{ target, result, files: own ? found.filter(own.reported) : found }] };
  }
  const done = await lintConfigurations(found, discovery.notices, options, passes, scope);
  return own ? { ...done, runs: done.runs.map((r) => ({ ...r, files: r.files.filter(own.reported) })) } : done;
}

/** One configuration's run over the files found. */
async function lintFiles(found: string[], foundNotices: readonly Notice[], options: LintOptions, scope: BuildScope): Promise<LintResult> {
  const run = setUpRun(found, foundNotices, options, { perFileCache: ownCacheFile(options, scope.only) }, scope);
  if ('report' in run) return run.report;
  const files = await collectCandidates(run);
  return (await checkConfiguration(run, files)).result;
}

/**
 * Several configurations in one run. What does not depend on the configuration is done once: the files are read
 * and prefiltered by the first configuration (on threads for a big run), and the header texts and their
 * directives are shared; each configuration then analyses the candidates to its own wrapper fixpoint (the
 * preprocessor's branches, sizeof and the wrappers differ by target) and checks them. With --cache, each
 * configuration keeps a per-file cache of its own, and the whole merged report is the run memo.
 */
async function lintConfigurations(
  found: string[],
  foundNotices: readonly Notice[],
  options: LintOptions,
  passes: readonly Pass[],
  scope: BuildScope,
): Promise<{ result: LintResult; runs: BuildRun[] }> {
  // (the whole run keeps no per-file cache: each configuration keeps its own)
  const sharing = options.shared !== false;
  const shared: SharedSetup = {
    headers: runHeaderCache(found, options),
    parses: sharing ? new SharedParses() : undefined,
    windows: sharing ? new WindowSet(options.windowed !== false && !options.fix) : undefined,
    memoOptions: options,
    perFileCache: false,
  };
  // the whole run's setup reads and prefilters the files once, for every configuration
  const whole = setUpRun(found, foundNotices, options, shared, scope);
  if ('report' in whole) return { result: whole.report, runs: [] };
  const candidates = await collectCandidates(
    whole,
    passes.map((p) => p.name),
  );
  const runs: ConfigurationRun[] = [];
  const buildRuns: BuildRun[] = [];
  const headersRead = new Set<string>();
  let timedOut = 0;
  for (const [i, pass] of passes.entries()) {
    const perFileCache = ownCacheFile(options, scope.only, pass.name) ?? false;
    const reported = (file: string) => (pass.reportsListed?.(file) ?? true) && (scope.reported?.(file) ?? true);
    const run = setUpRun(found, i === 0 ? whole.notices : [], pass.options, { ...shared, memo: false, perFileCache }, { ...scope, reported });
    if ('report' in run) throw new Error('a configuration of a run has no run memo of its own');
    const files = candidatesFor(candidates, run, whole.notices, pass.name);
    const checked = await checkConfiguration(run, files, false);
    for (const h of checked.headersRead) headersRead.add(h);
    timedOut += files.timedOut.size;
    runs.push({ configuration: pass.name, result: checked.result });
    buildRuns.push({
      target: pass.name,
      result: checked.result,
      files: found.filter((f) => pass.reportsListed?.(f) ?? checkedIn(f, options, [pass]).length > 0),
    });
  }
  const merged = mergeRuns(runs, (file) => checkedIn(file, options, passes));
  if (whole.runMemo) keepRun(whole.runMemo, { report: merged, headers: [...headersRead], database: whole.reachOptions.compileCommands, timedOut });
  return { result: merged, runs: buildRuns };
}

/** A configuration's analysis, rules, disable comments and fixes on its candidates. */
async function checkConfiguration(run: RunSetup, files: CandidateFiles, memo = true): Promise<{ result: LintResult; headersRead: string[] }> {
  const { analyses, wrappers } = await analyseToFixpoint(run, files);
  const byFile = checkFiles(run, files, analyses, wrappers);
  const findings = applyDisableComments(run, files, byFile);
  const patches = run.options.fix ? await planPatches(run, files, findings, analyses) : undefined;
  return report(run, files, analyses, findings, patches, memo);
}

interface Pass {
  readonly name: Target;
  readonly options: LintOptions;
  /**
   * In a run of a project configuration: for a file the configuration builds (its target is the project's, not the
   * pass's; it is read in every pass for the wrappers it defines), whether this pass reports it; undefined for the
   * files no project lists, checked in the pass's target.
   */
  readonly reportsListed?: (file: string) => boolean | undefined;
}

/**
 * The passes of a project configuration's run. Its files have the project's one platform; but the first
 * configuration's run also checks the files no project lists (a path named beside --project, or found under one),
 * and those are checked as a plain run checks them: in each target of --target (and of their config files), a
 * pass per target. A file the configuration builds is reported by the pass of its own target (the first pass
 * when no pass has it). None: one run, in the project's target.
 */
function projectPasses(found: readonly string[], options: LintOptions, only: OnlyConfiguration): Pass[] {
  const listed = (file: string) => only.build.builds(file, only.name) !== undefined;
  const unlisted = only.first ? found.filter((f) => !listed(f)) : [];
  if (unlisted.length === 0) return [];
  const passes = configurationPasses(unlisted, options, listed);
  const names = passes.map((p) => p.name);
  const reportedIn = (file: string) => {
    const own = only.build.targetIn(file, only.name);
    return own !== undefined && names.includes(own) ? own : names[0];
  };
  return passes.map((p) => ({ ...p, reportsListed: (file) => (listed(file) ? reportedIn(file) === p.name : undefined) }));
}

/**
 * The configurations the files are checked in (the targets of the command line and of every config file, in
 * that order), each with the run's options narrowed to it: a file's options name the configuration's one target,
 * and a file not checked in the configuration is left out of its run. With --cache, each configuration keeps its
 * per-file results in a file of its own beside the run's (`lint-cache.x86.json`): they, like its wrappers, are its own.
 * `ownTarget`: the files whose target a build decides (a project configuration's), left as they are.
 */
function configurationPasses(files: readonly string[], options: LintOptions, ownTarget?: (file: string) => boolean): Pass[] {
  const names = targetsOf(options.target);
  const lookup = options.optionsFor;
  if (lookup) {
    const seen = new Set<object>();
    for (const file of files) {
      const r = lookup(file);
      if ('error' in r || r.ignored || seen.has(r.options)) continue;
      seen.add(r.options);
      for (const t of targetsOf(r.options.target)) if (!names.includes(t)) names.push(t);
    }
  }
  return names.map((name) => {
    const narrow = (o: LintOptions) => optionsIn(o, configurationsOf(o).find((c) => c.name === name) ?? { ...configurationsOf(o)[0]!, name, target: name });
    const passOptions: LintOptions = { ...narrow(options) };
    if (lookup) {
      passOptions.optionsFor = (file) => {
        const r = lookup(file);
        if ('error' in r || r.ignored || ownTarget?.(file)) return r;
        return targetsOf(r.options.target).includes(name) ? { options: narrow(r.options), ignored: false } : { options: r.options, ignored: true };
      };
    }
    return { name, options: passOptions };
  });
}

/** The configurations a file was checked in. */
function checkedIn(file: string, options: LintOptions, passes: readonly { name: Target }[]): Target[] {
  const r = options.optionsFor?.(file);
  const own = targetsOf(r && 'options' in r ? r.options.target : options.target);
  return passes.map((p) => p.name).filter((n) => own.includes(n));
}

/** The run's inputs; or, with --cache on a tree where nothing changed, the last run's report (src/engine/cache/run-memo.ts). */
function setUpRun(
  found: string[],
  foundNotices: readonly Notice[],
  options: LintOptions,
  shared: SharedSetup = {},
  scope: BuildScope = {},
): RunSetup | { report: LintResult } {
  const { named = [], projects, only } = scope;
  const notices: Notice[] = [...foundNotices];
  const perFile = resolvePerFile(found, options, notices);
  const reachOptions = options.compileCommands || !perFile.database ? options : { ...options, compileCommands: perFile.database };
  const reach = new RunReach(reachOptions, notices, projects, only);
  const optionsOf = (file: string) => reach.optionsFor(file, perFile.options.get(file) ?? options);
  const reader = new FileReader();
  // the headers the files named on the command line reach (the directory they sit in is not scanned)
  const runFiles = new Set(perFile.files);
  const context = new Set(
    addContextFiles(
      perFile,
      contextHeaders(
        named.filter((f) => runFiles.has(f)),
        runFiles,
        (f) => optionsOf(f).includePaths.map((p) => path.resolve(options.cwd, p)),
        reader,
        options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
      ),
      options,
      notices,
    ),
  );
  const runMemo =
    // (a run with projects is not memoised: the memo does not know the property sheets they import)
    // (nor is one configuration of a run over several databases: they would share one memo)
    options.cacheFile && !options.fix && !perFile.configError && !projects && only === undefined && shared.memo !== false
      ? RunMemo.open<LintResult>(options.cacheFile, toolVersion(), {
          files: perFile.files,
          optionsOf: (f) => perFile.options.get(f) ?? options,
          extra: { options: shared.memoOptions ?? options, database: perFile.database },
        })
      : undefined;
  const again = runMemo?.reuse();
  if (again)
    return { report: { ...again, root: options.cwd, cacheStats: { hits: (again.cacheStats?.hits ?? 0) + (again.cacheStats?.misses ?? 0), misses: 0 } } };
  const shard = shardFilter(options.shard, options.cwd);
  return {
    options,
    perFile,
    reachOptions,
    reach,
    headers: shared.headers ?? runHeaderCache(perFile.files, options),
    parses: shared.parses,
    windows: shared.windows,
    reader,
    cache: options.cacheFile && shared.perFileCache !== false ? openLintCache(shared.perFileCache ?? options.cacheFile, notices) : undefined,
    runMemo,
    reported: (file) => !context.has(file) && shard(file) && (scope.reported?.(file) ?? true),
    optionsOf,
    activeOf: memoActiveRules(),
    notices,
  };
}

/**
 * The per-file cache of one configuration (a database or project configuration, a target, or a target of a
 * database) in a run of several: a file of its own beside the run's, so that no configuration replaces another's
 * entries. Undefined: the run's own file.
 */
function ownCacheFile(options: LintOptions, only: string | undefined, target?: Target): string | undefined {
  if (!options.cacheFile || (only === undefined && target === undefined)) return undefined;
  return configurationCacheFile(options.cacheFile, [only, target].filter((n) => n !== undefined).join('|'));
}

/**
 * The per-file cache kept in `file`. The --cache location was checked when the run began; a configuration's file
 * beside it is checked here, and one that is not granule's is left alone (a notice; the configuration runs
 * without a cache).
 */
function openLintCache(file: string, notices: Notice[]): LintCache | undefined {
  const foreign = foreignFile(file);
  if (!foreign) return new LintCache(file, toolVersion());
  notices.push({ level: 'warning', file, code: 'cache', message: `not using the cache: ${foreign}` });
  return undefined;
}

/** What a run was asked to check besides the files found: the files named, and the projects' configuration. */
interface BuildScope {
  /** The files named on the command line (their headers are read as context). */
  readonly named?: readonly string[];
  readonly projects?: ReadProjects;
  /** The project configuration or database the run checks (undefined: the first that builds each file). */
  readonly only?: string;
  /** Whether the run reports a file's findings (the others it reads for their wrappers); undefined: every file. */
  readonly reported?: (file: string) => boolean;
}

/** What the configurations of a run share in their setup. */
interface SharedSetup {
  /** Header texts and directive scans (they do not depend on the configuration). */
  readonly headers?: HeaderCache;
  /** The options the run memo is keyed by (the whole run's, with every configuration). */
  readonly memoOptions?: LintOptions;
  /**
   * The per-file cache's file: the run's --cache file by default; a configuration's own in a run of several; false:
   * none (the whole of a run of several configurations, whose configurations each keep theirs).
   */
  readonly perFileCache?: string | false;
  /** false: no run memo (one configuration of a run of several: the whole run has the memo). */
  readonly memo?: boolean;
  /** Parses shared between the configurations. */
  readonly parses?: SharedParses;
  /**
   * The windows of the files, shared between the configurations: what one configuration learned of a file's window
   * is where the next starts (as a thread does with each file's configurations), so that its window, and with an
   * equal parsed text its parse, is the same.
   */
  readonly windows?: WindowSet;
}

/** Wrappers and macros found in one file make calls in other files relevant: the candidates analysed to a fixpoint. */
async function analyseToFixpoint(run: RunSetup, files: CandidateFiles): Promise<FixpointResult> {
  const { options, reach, notices, optionsOf, headers } = run;
  const windows = run.windows ?? new WindowSet(options.windowed !== false && !options.fix);
  const { candidates, cached, precomputed, timedOut, texts, needles } = files;
  const settled = (file: string) => cached.has(file) || precomputed.has(file) || timedOut.has(file);
  let done = 0;
  let total = 0;
  const fixpoint = wrapperFixpoint(
    {
      candidates: () => candidates.values(),
      grow: () => files.addCandidates(),
      settled,
      beforeRound: (_wrappers, fresh) => {
        // a cached result cannot see wrappers: files that mention one are analysed again (those that mention an
        // older one were dropped in an earlier round)
        for (const file of [...cached.keys()]) if (mentionsAnyWord(candidates.get(file)!.text, fresh)) cached.delete(file);
        for (const [file, r] of [...precomputed])
          if (r.macroWords.some((w) => fresh.has(w)) || (fresh.size > 0 && mentionsAnyWord(run.reader.readText(file) ?? '', fresh))) precomputed.delete(file);
      },
      analyze: function* (c: FixpointFile, wrappers: ReadonlyMap<string, WrapperModel>, round: number) {
        if (round === 0 && done === 0) total = candidates.size - cached.size - precomputed.size;
        if (!texts.has(c.file)) texts.set(c.file, c.text);
        if (round === 0) options.onProgress?.(done++, total);
        return yield* analyzeInWindows(
          c as Candidate,
          windows,
          windowNames(c.text, needles),
          run.reported(c.file) ? 'findings' : 'wrappers',
          options.fileTimeout ?? DEFAULT_FILE_TIMEOUT_MS,
          (w) => safeAnalyze(windowCandidate(c.file, c.text, w, run.parses), optionsOf(c.file), wrappers, headers, notices, reach, timedOut),
          () => reach.forget(c.file),
        );
      },
    },
    needles,
    reach,
    options.onRound,
  );
  const heap = new HeapWatch();
  for (let step = fixpoint.next(); ; step = fixpoint.next()) {
    if (step.done) return step.value;
    await (step.value === 'collect' ? releaseMemory() : heap.afterFile());
  }
}

/** Past this many needles, a file's window is given only those that occur in it as words (see windowNames). */
const MANY_WINDOW_NAMES = 256;

/**
 * The run's names that can matter to a file's window: all of them, or in a run that found thousands of wrappers,
 * those the text mentions as whole words (a window keeps the bodies that mention a name as a word; a name the text
 * does not hold keeps nothing) and those that are not words (a header's name).
 */
function windowNames(text: string, needles: ReadonlySet<string>): Iterable<string> {
  if (needles.size <= MANY_WINDOW_NAMES) return needles;
  const names = [...needles].filter((n) => !/^[\w$]+$/.test(n));
  for (const word of wordsIn(text)) if (needles.has(word)) names.push(word);
  return names;
}

/** The rules on every analysed file (cached and thread results as they are); results the cache can keep are stored. */
function checkFiles(
  run: RunSetup,
  files: CandidateFiles,
  analyses: Map<string, FileAnalysis>,
  wrappers: ReadonlyMap<string, WrapperModel>,
): Map<string, Finding[]> {
  const { cache, notices, reported } = run;
  const byFile = new Map<string, Finding[]>();
  for (const analysis of analyses.values()) {
    // with --shard, the other shards' files were analysed only for their wrappers
    if (!reported(analysis.file)) continue;
    const fileOptions = run.optionsOf(analysis.file);
    // (the disable comments come after, with those of cached and thread results: applyDisableComments)
    const checked = checkAnalysis(analysis, fileOptions, run.activeOf(fileOptions), undefined, false);
    // (held until the report, through every configuration's run: copies, so that they keep no parsed text alive)
    const fileNotices = ownCopies([...checked.notices]);
    const own = ownCopies([...checked.findings]);
    notices.push(...fileNotices);
    byFile.set(analysis.file, own);
    const key = files.cacheKeys.get(analysis.file);
    // a failure is not remembered: the next run tries the file again
    if (cache && key && !fileNotices.some((n) => n.code === 'internal-error')) {
      const usesWrappers = analysis.wrappers.length > 0 || analysis.calls.some((c) => wrappers.has(c.callee) || c.evidence.some((e) => e.kind === 'wrapper'));
      if (usesWrappers) cache.forget(analysis.file);
      else
        cache.store(analysis.file, key, [...analysis.pre.dependencies, ...analysis.pre.missing], {
          findings: own,
          notices: fileNotices,
          needles: fileNeedles(analysis),
        });
    }
  }
  for (const [file, entry] of files.cached) {
    if (!reported(file)) continue;
    byFile.set(
      file,
      entry.findings.map((f) => ({ ...f, suppressed: undefined })),
    );
    notices.push(...entry.notices);
  }
  for (const [file, r] of files.precomputed) {
    if (!reported(file)) continue;
    // (disable comments were applied by the thread: the file has no text here, so applyDisableComments skips it)
    byFile.set(file, r.findings);
    notices.push(...r.notices, ...r.directiveNotices);
  }
  if (cache) {
    cache.hits = files.cached.size;
    cache.misses = analyses.size;
    try {
      cache.save();
      files.scanner.saveMemo();
    } catch (e) {
      notices.push({ level: 'warning', file: cache.file, code: 'cache', message: `cannot write the cache: ${(e as Error).message}` });
    }
  }
  return byFile;
}

/** Inline disable comments, after the rules; files with no findings may still hold unused ones. The findings, sorted. */
function applyDisableComments(run: RunSetup, files: CandidateFiles, byFile: Map<string, Finding[]>): Finding[] {
  const findings: Finding[] = [];
  for (const [file, own] of byFile) {
    const text = files.texts.get(file);
    const level = run.optionsOf(file).reportUnusedDisableDirectives ?? 'off';
    if (text !== undefined) run.notices.push(...applyDirectives(file, own, scanDisableDirectives(file, text), level));
    findings.push(...own);
  }
  for (const file of files.scanner.markerFiles()) {
    if (!run.reported(file)) continue;
    const level = run.optionsOf(file).reportUnusedDisableDirectives ?? 'off';
    const bytes = level === 'off' ? undefined : files.scanner.reread(file);
    if (!bytes) continue;
    const decoded = decode(bytes);
    if (decoded.ok) run.notices.push(...applyDirectives(file, [], scanDisableDirectives(file, decoded.text), level));
  }
  return findings.sort((a, b) => compareText(a.file, b.file) || a.range.start.offset - b.range.start.offset || compareText(a.ruleId, b.ruleId));
}

/** With `fix`: the changed text of each file that has fixes. */
async function planPatches(run: RunSetup, files: CandidateFiles, findings: Finding[], analyses: Map<string, FileAnalysis>): Promise<FilePatch[]> {
  const textOf = (file: string) => {
    const known = files.texts.get(file);
    if (known !== undefined) return known;
    const bytes = files.scanner.reread(file);
    const decoded = bytes ? decode(bytes) : undefined;
    return decoded?.ok ? decoded.text : undefined;
  };
  const { planFixes } = await import('../linter/fix.js');
  const plan = planFixes({ findings, analyses, files: run.perFile.files, textOf });
  run.notices.push(...plan.notices);
  return plan.patches;
}

/** The report; with --cache, kept for the next run on an unchanged tree. */
function report(
  run: RunSetup,
  files: CandidateFiles,
  analyses: Map<string, FileAnalysis>,
  findings: Finding[],
  patches: FilePatch[] | undefined,
  memo: boolean,
): { result: LintResult; headersRead: string[] } {
  const { options, perFile, reported, cache } = run;
  const summary = run.activeOf(perFile.summaryOptions ?? options);
  const result: LintResult = {
    root: options.cwd,
    findings,
    // (a shard's include notes are its own files': `granule merge` joins them into the whole run's)
    notices: collapseIncludeNotices(shardNotices(run.notices, perFile.files, reported), options.cwd).sort(byNoticePlace),
    filesScanned: perFile.files.filter(reported).length,
    rules: allRules.map((r) => {
      const a = summary.find((x) => x.rule.name === r.name);
      return { id: r.name, level: a ? a.level : 'off' };
    }),
    toolVersion: toolVersion(),
    usageError: perFile.configError || run.reach.configError,
    ...(patches ? { patches } : {}),
    ...(cache ? { cacheStats: { hits: cache.hits, misses: cache.misses } } : {}),
  };
  const headersRead =
    run.runMemo || !memo
      ? [...[...analyses.values()].flatMap((a) => [...a.pre.dependencies, ...a.pre.missing]), ...[...files.cached.values()].flatMap((e) => Object.keys(e.deps))]
      : [];
  if (run.runMemo && memo)
    keepRun(run.runMemo, { report: result, headers: headersRead, database: run.reachOptions.compileCommands, timedOut: files.timedOut.size });
  return { result, headersRead };
}
