// The parallel first pass of a lint run. The main thread and worker threads share the file list: each
// claims files through a counter in shared memory, reads and prefilters them (stage A); then, once every
// file is read, they claim the candidate files, largest first, and analyse each one with no wrappers known
// yet, rules included (stage B); then each searches the files it read for the names stage B found (stage C).
// The main thread takes over from there: it keeps each result unless the
// file defines a wrapper or mentions one found later (those it analyses again itself, as the single-threaded
// run does), so the report is the same as with one thread.
//
// How many threads, and whether threads can be used at all, is decided in threads.ts (loaded by every run;
// this module is loaded only by runs that use threads). A thread that fails makes the run start over on one.

import { fileURLToPath } from 'node:url';
import { isMainThread, Worker } from 'node:worker_threads';
import type { WrapperModel } from '../analysis/analyze.js';
import { HeapWatch } from './collect.js';
import type { HeaderCache } from '../preprocess/header-cache.js';
import { runHeaderCache } from './run-parts.js';
import { FileReader } from '../files/file-reader.js';
import { DEFAULT_FILE_TIMEOUT_MS, DEFAULT_MAX_FILE_SIZE, withTimeLimit } from '../model/limits.js';
import { analysisNotices, checkAnalysis, fileNeedles, safeAnalyze, windowCandidate } from './pipeline.js';
import type { LintOptions } from './options.js';
import { SourceScanner } from './prefilter.js';
import { RunReach } from './reach.js';
import { shardFilter } from './shard.js';
import { activeRules, type ActiveRule } from '../linter/run-rules.js';
import { decode } from '../text/source.js';
import { ownCopies } from '../text/own-copy.js';
import type { Finding, Notice, Target } from '../model/types.js';
import { SharedParses } from '../parse/shared-parses.js';
import { targetsOf } from '../model/target.js';
import { WindowSet } from './window.js';

/** What every thread needs to know: plain data only. */
export interface ThreadJob {
  files: string[];
  /** The needles every file is searched for in stage A. */
  needles: string[];
  /** The run's options and the distinct per-file options (functions removed). */
  options: LintOptions;
  fileOptions: LintOptions[];
  /** Index into `fileOptions` per file (-1: `options`). */
  optionIndex: number[];
  /** The options the run's RunReach is made with (the compilation database it reads). */
  reachOptions: LintOptions;
  /** The database or project configuration the run checks (RunReach's `only`). */
  only?: string;
  maxSize: number;
  /**
   * A run of several configurations (targets): each candidate is analysed in every one of them that its options
   * name, sharing the file's read and parse (FileResult.byConfiguration).
   */
  configurations?: Target[];
}

/** One candidate file, analysed with no wrappers known. */
export interface FileResult {
  file: string;
  /** The decoding note (UTF-16, invalid UTF-8). */
  note?: Notice;
  /** Analysis notices (internal error, time limit) and the parse-error note. */
  notices: Notice[];
  /** The findings, with inline disable comments applied. */
  findings: Finding[];
  /** What the disable comments said (unused ones, problems), as the single-threaded run reports them. */
  directiveNotices: Notice[];
  /** Names that make other files candidates (macros that lead to calls, the header's own name). */
  needles: string[];
  /** Identifiers in the bodies of the macros the file sees: a wrapper found later may be reached through one. */
  macroWords: readonly string[];
  /** The file defines a wrapper: the main thread must analyse it to have the wrapper's model. */
  definesWrappers: boolean;
  /** The names of the wrappers it defines that other files can call. */
  wrappers: string[];
  timedOut: boolean;
  /** In a run of several configurations: the result in each configuration the file is checked in. */
  byConfiguration?: Record<string, FileResult>;
}

export interface ShareResult {
  results: FileResult[];
  /** Readable text files no needle was found in. */
  pending: string[];
  /** Files the names found in stage B were found in (they become candidates). */
  taken: string[];
  /** The needles every pending file has been searched for. */
  searched: string[];
  /** Of those, the ones with the disable-comment marker. */
  markers: string[];
  /** Unreadable, binary, oversized and undecodable files. */
  notices: Notice[];
}

export interface ParallelTimings {
  threads: number;
  /** Wall time of the shared first pass (reading, prefilter, analysis, rules), in milliseconds. */
  firstPassMs: number;
  candidates: number;
}

// layout of the shared counters
const CLAIM_READ = 0;
const STARTED = 1;
const ARRIVED = 2;
const COUNT = 3;
const CLAIM_ANALYSIS = 4;
const ANALYSED = 5;
const PENDING = 6;
const CLAIM_RESCAN = 7;
const SLOTS = 8;
// the shared list of names found in stage B: a byte cursor, an overflow flag, then UTF-8 lines
const NAMES_BYTES = 1 << 20;
const NAMES_CURSOR = 0;
const NAMES_OVERFLOW = 1;
const NAMES_DATA = 8;

// eslint-disable-next-line no-restricted-syntax -- not state: an empty map that is never filled (typed read-only), shared as the answer "no wrappers"
const NO_WRAPPERS: ReadonlyMap<string, WrapperModel> = new Map();

/** Shared memory of one parallel pass. */
interface Memory {
  counters: SharedArrayBuffer;
  names: SharedArrayBuffer;
}

/** Waits until `ready()`; in a worker it may block, on the main thread it must not. */
export type Wait = (shared: Int32Array, slot: number, ready: () => boolean) => Promise<void>;

/** The blocking wait of a worker thread (Atomics.wait is allowed there). */
export const blockingWait: Wait = (shared, slot, ready) =>
  new Promise((resolve) => {
    while (!ready()) Atomics.wait(shared, slot, Atomics.load(shared, slot), 20);
    resolve();
  });

/**
 * A worker's young generation, in MB (V8's default is about 48, filled and kept committed by an analysis's
 * short-lived objects): a 20,000-file run peaked about 20 MB lower, at the same speed.
 */
const WORKER_YOUNG_GENERATION_MB = 16;

/** Runs the first pass on `threads` threads. Undefined when a thread failed: the caller then runs on one. */
export async function lintInParallel(job: ThreadJob, threads: number): Promise<(ShareResult & { timings: ParallelTimings }) | undefined> {
  const started = performance.now();
  // counters, then candidate (index, size) pairs, then the indices of the files left over after stage A
  const memory: Memory = { counters: new SharedArrayBuffer(4 * (SLOTS + 3 * job.files.length)), names: new SharedArrayBuffer(NAMES_DATA + NAMES_BYTES) };
  const workers: { worker: Worker; done: Promise<ShareResult | undefined> }[] = [];
  let failed = false;
  const entry = fileURLToPath(new URL('./worker.js', import.meta.url));
  for (let i = 1; i < threads; i++) {
    let worker: Worker;
    try {
      worker = new Worker(entry, { workerData: { job, memory }, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
    } catch {
      failed = true;
      break;
    }
    const done = new Promise<ShareResult | undefined>((resolve) => {
      let result: ShareResult | undefined;
      worker.once('message', (m: ShareResult) => (result = m));
      worker.once('error', () => {
        failed = true;
        resolve(undefined);
      });
      worker.once('exit', () => {
        if (!result) failed = true;
        resolve(result);
      });
    });
    workers.push({ worker, done });
  }
  try {
    // the main thread polls, so that it sees a worker that failed (and never arrives)
    let mine: ShareResult;
    try {
      mine = await lintShare(job, memory, async (_shared, _slot, ready) => {
        while (!ready() && !failed) await new Promise((r) => setTimeout(r, 1));
      });
    } catch {
      // the main thread's share failed as a worker's can: the caller starts the run over on one thread
      return undefined;
    }
    const theirs = await Promise.all(workers.map((w) => w.done));
    if (failed || theirs.some((t) => !t)) return undefined;
    const all = [mine, ...(theirs as ShareResult[])];
    const taken = new Set(all.flatMap((s) => s.taken));
    const order = orderOf(job);
    const merged: ShareResult = {
      // the order of the list, as a single thread would produce them
      results: all.flatMap((s) => s.results).sort((a, b) => order(a.file) - order(b.file)),
      pending: all.flatMap((s) => s.pending).sort((a, b) => order(a) - order(b)),
      taken: all.flatMap((s) => s.taken).sort((a, b) => order(a) - order(b)),
      searched: mine.searched,
      markers: all.flatMap((s) => s.markers).filter((f) => !taken.has(f)),
      notices: all.flatMap((s) => s.notices),
    };
    return { ...merged, timings: { threads, firstPassMs: performance.now() - started, candidates: merged.results.length } };
  } finally {
    for (const w of workers) void w.worker.terminate();
  }
}

/** The position of each file in the job's list, to sort by (files not in it last). */
function orderOf(job: ThreadJob): (file: string) => number {
  const at = new Map(job.files.map((f, i) => [f, i]));
  return (file) => at.get(file) ?? Number.MAX_SAFE_INTEGER;
}

/** Every item of a stage has been claimed, and every thread that may have claimed one has finished the stage. */
function stageDone(shared: Int32Array, claim: number, total: number, arrived: number): boolean {
  if (Atomics.load(shared, claim) < total) return false;
  return Atomics.load(shared, arrived) === Atomics.load(shared, STARTED);
}

/**
 * One thread's part of the first pass: stage A reads and prefilters the files it claims; stage B analyses the
 * candidate files it claims (largest first); stage C searches the files this thread read and did not take for
 * the names stage B found on every thread (macros that lead to calls, wrappers), so the second search of the
 * tree is shared too.
 */
export async function lintShare(job: ThreadJob, memory: Memory, wait: Wait): Promise<ShareResult> {
  const shared = new Int32Array(memory.counters);
  const reach = new RunReach(job.reachOptions, [], undefined, job.only);
  const optionsAt = (index: number) => reach.optionsFor(job.files[index]!, job.fileOptions[job.optionIndex[index]!] ?? job.options);
  const indexOf = new Map(job.files.map((f, i) => [f, i]));
  const optionsOf = (file: string) => optionsAt(indexOf.get(file)!);

  // stage A
  Atomics.add(shared, STARTED, 1);
  const scanner = new SourceScanner(job.files, {
    maxSize: job.maxSize,
    marker: 'granule-',
    wantsMarker: (file) => (optionsOf(file).reportUnusedDisableDirectives ?? 'off') !== 'off',
    claim: () => Atomics.add(shared, CLAIM_READ, 1),
    // a candidate is read again when a thread claims it in stage B
    keepBytes: false,
  });
  for (const hit of scanner.scan(job.needles)) {
    const slot = Atomics.add(shared, COUNT, 1);
    Atomics.store(shared, SLOTS + 2 * slot, hit.index);
    Atomics.store(shared, SLOTS + 2 * slot + 1, Math.min(hit.size, 0x7fffffff));
  }
  // the files left over go to a shared list, so that stage C can share them out evenly
  const pendingBase = SLOTS + 2 * job.files.length;
  for (const file of scanner.pendingFiles()) Atomics.store(shared, pendingBase + Atomics.add(shared, PENDING, 1), indexOf.get(file)!);
  Atomics.add(shared, ARRIVED, 1);
  Atomics.notify(shared, ARRIVED);
  await wait(shared, ARRIVED, () => stageDone(shared, CLAIM_READ, job.files.length, ARRIVED));

  // stage B
  const count = Atomics.load(shared, COUNT);
  const candidates: [number, number][] = [];
  for (let k = 0; k < count; k++) candidates.push([Atomics.load(shared, SLOTS + 2 * k), Atomics.load(shared, SLOTS + 2 * k + 1)]);
  candidates.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const headers = runHeaderCache(job.files, job.options);
  const reader = new FileReader();
  const windows = new WindowSet(job.options.windowed !== false);
  const rules = new Map<LintOptions, ActiveRule[]>();
  const results: FileResult[] = [];
  const parses = job.configurations && job.options.shared !== false ? new SharedParses() : undefined;
  const narrowed = new Map<LintOptions, Map<string, LintOptions>>();
  const heap = new HeapWatch();
  const notices: Notice[] = [...scanner.notices];
  const reported = shardFilter(job.options.shard, job.options.cwd);
  for (let k = Atomics.add(shared, CLAIM_ANALYSIS, 1); k < count; k = Atomics.add(shared, CLAIM_ANALYSIS, 1)) {
    const index = candidates[k]![0];
    const file = job.files[index]!;
    const state = { reach, headers, reader, windows, rules, parses, narrowed };
    const result = job.configurations
      ? analyseInConfigurations(file, optionsAt(index), job.configurations, job.needles, state, notices, reported(file))
      : analyseCandidate(file, optionsAt(index), job.needles, state, notices, reported(file));
    if (result) results.push(result);
    // native trees are freed by finalizers, which run only when the event loop turns
    await heap.afterFile();
  }
  shareNames(
    memory.names,
    results.flatMap((r) => Object.values(r.byConfiguration ?? { r }).flatMap((c) => [...c.needles, ...c.wrappers])),
  );
  Atomics.add(shared, ANALYSED, 1);
  Atomics.notify(shared, ANALYSED);
  await wait(shared, ANALYSED, () => stageDone(shared, CLAIM_ANALYSIS, count, ANALYSED));

  // stage C: the left-over files of every thread, claimed one by one, searched for the new names only
  const names = sharedNames(memory.names);
  const searched = names ? [...new Set([...job.needles, ...names])] : job.needles;
  const fresh = searched.filter((n) => !job.needles.some((s) => n.includes(s)));
  const pendingCount = Atomics.load(shared, PENDING);
  let taken: string[] = [];
  let pending: string[];
  if (names && fresh.length) {
    const claim = () => {
      const k = Atomics.add(shared, CLAIM_RESCAN, 1);
      return k < pendingCount ? Atomics.load(shared, pendingBase + k) : job.files.length;
    };
    // (a file that can no longer be read stays left over without a notice, as in a single-threaded run)
    const rescan = new SourceScanner(job.files, { claim, keepBytes: false });
    taken = rescan.scan(fresh).map((h) => h.file);
    pending = [...rescan.pendingFiles()];
  } else {
    // nothing new to look for: the main thread gets every left-over file, from whichever thread read it
    pending = scanner.pendingFiles().slice();
  }
  return { results, pending, taken, searched, markers: scanner.markerFiles(), notices };
}

/** Adds names to the shared list (UTF-8 lines); on overflow the list is marked unusable. */
function shareNames(memory: SharedArrayBuffer, names: string[]): void {
  const unique = [...new Set(names)].filter((n) => n && !n.includes('\n'));
  if (unique.length === 0) return;
  const bytes = Buffer.from(unique.join('\n') + '\n', 'utf8');
  const head = new Int32Array(memory, 0, 2);
  const at = Atomics.add(head, NAMES_CURSOR, bytes.length);
  if (at + bytes.length > NAMES_BYTES) {
    Atomics.store(head, NAMES_OVERFLOW, 1);
    return;
  }
  new Uint8Array(memory, NAMES_DATA + at, bytes.length).set(bytes);
}

/** The names every thread shared; undefined when they did not fit (the main thread then searches alone). */
function sharedNames(memory: SharedArrayBuffer): string[] | undefined {
  const head = new Int32Array(memory, 0, 2);
  if (Atomics.load(head, NAMES_OVERFLOW)) return undefined;
  const length = Math.min(Atomics.load(head, NAMES_CURSOR), NAMES_BYTES);
  return Buffer.from(new Uint8Array(memory, NAMES_DATA, length))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .sort();
}

interface ThreadState {
  reach: RunReach;
  headers: HeaderCache;
  reader: FileReader;
  windows: WindowSet;
  rules: Map<LintOptions, ActiveRule[]>;
  parses?: SharedParses;
  /** The options of each configuration, per file options (narrowedTo). */
  narrowed: Map<LintOptions, Map<string, LintOptions>>;
}

/**
 * A candidate analysed in each configuration its options name (of the run's), read and parsed once: the result
 * of the first, with the result of every one in byConfiguration.
 */
function analyseInConfigurations(
  file: string,
  options: LintOptions,
  configurations: readonly Target[],
  needles: readonly string[],
  state: ThreadState,
  notices: Notice[],
  reported: boolean,
): FileResult | undefined {
  const own = targetsOf(options.target);
  const byConfiguration: Record<string, FileResult> = {};
  let text: { text: string; note?: Notice } | undefined;
  for (const target of configurations.filter((t) => own.includes(t))) {
    text ??= readCandidate(file, state, notices);
    if (!text) return undefined;
    byConfiguration[target] = analyseText(file, text.text, text.note, narrowedTo(options, target, state), needles, state, reported);
  }
  state.windows.forget(file);
  state.parses?.forget(file);
  const first = Object.values(byConfiguration)[0];
  return first && { ...first, byConfiguration };
}

/** The options of one configuration (one object per options and target: rules are set up per options object). */
function narrowedTo(options: LintOptions, target: Target, state: ThreadState): LintOptions {
  let byTarget = state.narrowed.get(options);
  if (!byTarget) state.narrowed.set(options, (byTarget = new Map<string, LintOptions>()));
  let made = byTarget.get(target);
  if (!made) byTarget.set(target, (made = { ...options, target }));
  return made;
}

/** `reported`: false for a file of another shard, analysed only for its wrappers and names. */
function analyseCandidate(
  file: string,
  options: LintOptions,
  needles: readonly string[],
  state: ThreadState,
  notices: Notice[],
  reported: boolean,
): FileResult | undefined {
  const read = readCandidate(file, state, notices);
  if (!read) return undefined;
  const result = analyseText(file, read.text, read.note, options, needles, state, reported);
  // this thread analyses each file once: its text, outline and windows are not needed again
  state.windows.forget(file);
  return result;
}

/** A candidate's text (and its decoding note); undefined, with a notice, when it cannot be read or decoded. */
function readCandidate(file: string, state: ThreadState, notices: Notice[]): { text: string; note?: Notice } | undefined {
  let bytes: Buffer;
  try {
    // (valid until the thread's next read: only the decoded text is kept)
    bytes = state.reader.read(file).bytes!;
  } catch (e) {
    notices.push({ level: 'error', file, code: 'unreadable', message: `cannot read file: ${(e as Error).message}` });
    return undefined;
  }
  const decoded = decode(bytes);
  if (!decoded.ok) {
    notices.push({ level: 'warning', file, code: decoded.code, message: decoded.message });
    return undefined;
  }
  return { text: decoded.text, ...(decoded.note ? { note: { level: 'note', file, code: 'encoding', message: decoded.note } } : {}) };
}

/** A candidate's text analysed with no wrappers known, rules and disable comments included. */
function analyseText(
  file: string,
  text: string,
  note: Notice | undefined,
  options: LintOptions,
  needles: readonly string[],
  state: ThreadState,
  reported: boolean,
): FileResult {
  const fileNotices: Notice[] = [];
  const timedOut = new Set<string>();
  const analysis = withTimeLimit(options.fileTimeout ?? DEFAULT_FILE_TIMEOUT_MS, () =>
    state.windows.analyze(
      file,
      text,
      needles,
      // no RunReach here: it would keep every file's tree for later rounds, and these results are final
      (w) =>
        safeAnalyze(
          { ...windowCandidate(file, text, w, state.parses), macroWords: true },
          options,
          NO_WRAPPERS,
          state.headers,
          fileNotices,
          undefined,
          timedOut,
        ),
      reported ? 'findings' : 'wrappers',
    ),
  );
  if (!analysis) {
    return {
      file,
      note,
      notices: fileNotices,
      findings: [],
      directiveNotices: [],
      needles: [],
      macroWords: [],
      definesWrappers: false,
      wrappers: [],
      timedOut: timedOut.has(file),
    };
  }
  let active = state.rules.get(options);
  if (!active) state.rules.set(options, (active = activeRules(options.rules)));
  // the per-file pipeline's steps after the analysis (rules, then inline disable comments here, where the text
  // is: the main thread gets the findings as they will be reported); a rule that throws costs this file its
  // findings (with a notice), never the thread
  const checked = reported ? checkAnalysis(analysis, options, active) : undefined;
  fileNotices.push(...(checked ? checked.notices : analysisNotices(analysis, options.includeSearch !== false)));
  const findings = checked ? [...checked.findings] : [];
  const directiveNotices = checked ? [...checked.directiveNotices] : [];
  const macroWords = analysis.macroWords ?? analysis.pre.macros.bodyWords();
  // (held until the run's report: a worker's result is copied by its message; the main thread's own is copied here,
  // so that it keeps no parsed text alive, see ownCopy)
  const own = isMainThread ? ownCopies : <T>(result: T) => result;
  return own({
    file,
    note,
    notices: fileNotices,
    findings,
    directiveNotices,
    needles: fileNeedles(analysis),
    macroWords,
    definesWrappers: analysis.wrappers.length > 0,
    // (a static function of a .c file reaches no other file: its name is not looked for elsewhere)
    wrappers: analysis.wrappers.filter((w) => !w.fileLocal).map((w) => w.name),
    timedOut: false,
  });
}

/** The options as plain data a thread can receive (functions dropped). */
export function transferable(options: LintOptions): LintOptions {
  const { optionsFor, onProgress, onRound, ...rest } = options;
  void [optionsFor, onProgress, onRound];
  return rest as LintOptions;
}

/** The job of a run's threads. */
export function threadJob(
  perFile: { files: string[]; options: ReadonlyMap<string, LintOptions> },
  options: LintOptions,
  reachOptions: LintOptions,
  needles: Iterable<string>,
  configurations?: Target[],
  only?: string,
): ThreadJob {
  const distinct = new Map<LintOptions, number>();
  const optionIndex = perFile.files.map((file) => {
    const o = perFile.options.get(file);
    if (!o) return -1;
    let i = distinct.get(o);
    if (i === undefined) distinct.set(o, (i = distinct.size));
    return i;
  });
  return {
    files: perFile.files,
    needles: [...needles],
    options: transferable(options),
    fileOptions: [...distinct.keys()].map(transferable),
    optionIndex,
    reachOptions: transferable(reachOptions),
    maxSize: options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
    ...(configurations ? { configurations } : {}),
    ...(only !== undefined ? { only } : {}),
  };
}
