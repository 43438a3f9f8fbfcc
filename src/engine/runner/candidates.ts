// The candidate files of a lint run: every file read once, and kept only when it can matter (a byte prefilter for
// the needles: API names, declared wrappers; unreadable and binary files get a notice). Big runs read and analyse
// on several threads first (workers.ts); their results stand unless a wrapper found later reaches the file.

import { API_NEEDLES } from '../model/apis.js';
import type { Notice, Target } from '../model/types.js';
import { hashData, type CacheEntry } from '../cache/cache.js';
import { SourceScanner } from './prefilter.js';
import { ScanMemo, scanMemoFile } from '../cache/scan-memo.js';
import { reportTimings, threadsAvailable, threadsFor } from './threads.js';
import type { FileResult, ShareResult } from './workers.js';
import { decode } from '../text/source.js';
import { toolVersion } from '../model/version.js';
import { DEFAULT_MAX_FILE_SIZE } from '../model/limits.js';
import type { Candidate } from './pipeline.js';
import { cacheableOptions, textOnDemand, type RunSetup } from './run-parts.js';

/** The candidate files and what the run knows of each before the fixpoint. */
export interface CandidateFiles {
  /** In the order they were found (the order files are analysed in). */
  readonly candidates: Map<string, Candidate>;
  /** The text of each file read on the main thread (disable comments and fixes need it). */
  readonly texts: Map<string, string>;
  /** --cache: files whose results the cache holds (dropped when a wrapper found later reaches them). */
  readonly cached: Map<string, CacheEntry>;
  readonly cacheKeys: Map<string, string>;
  /** Results of the threads' first pass (dropped when a wrapper found later reaches them). */
  readonly precomputed: Map<string, FileResult>;
  /** Files whose analysis ran out of time: skipped in later rounds (they have their `limit` notice). */
  readonly timedOut: Set<string>;
  /** The names that make a file a candidate; grows with the fixpoint. */
  readonly needles: Set<string>;
  readonly scanner: SourceScanner;
  /** Makes candidates of the files a needle is found in; true when one was added. */
  addCandidates(): boolean;
  /** In a run of several configurations: every result of the threads' first pass (each has its byConfiguration). */
  readonly threadResults?: readonly FileResult[];
}

/** Reads the run's files and keeps the candidates (on threads when the run is big enough). */
export async function collectCandidates(run: RunSetup, configurations?: Target[]): Promise<CandidateFiles> {
  const { options, perFile, notices, optionsOf } = run;
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
  const files: CandidateFiles = {
    candidates: new Map(),
    texts: new Map(),
    cached: new Map(),
    cacheKeys: new Map(),
    precomputed: new Map(),
    timedOut: new Set(),
    needles,
    scanner,
    addCandidates: () => {
      let added = false;
      // (this scanner keeps each hit's bytes)
      for (const { file, bytes } of scanner.scan(needles)) if (take(file, bytes!)) added = true;
      return added;
    },
  };
  /** Makes a file a candidate (false when its bytes cannot be decoded: binary). */
  const take = (file: string, bytes: Buffer): boolean => {
    const decoded = decode(bytes);
    if (!decoded.ok) {
      notices.push({ level: 'warning', file, code: decoded.code, message: decoded.message });
      return false;
    }
    if (decoded.note) notices.push({ level: 'note', file, code: 'encoding', message: decoded.note });
    files.candidates.set(file, { file, text: decoded.text });
    files.texts.set(file, decoded.text);
    lookUpCache(run, files, file, bytes);
    return true;
  };
  // (--cache: results are looked up per file on the main thread, in each configuration of a run of several too)
  const threads = options.fix || options.cacheFile || !threadsAvailable() ? 0 : threadsFor(options.concurrency, perFile.files.length);
  // (loaded only here: a run on a few files should not pay for the threading code)
  const threaded = threads > 0 ? await import('./workers.js') : undefined;
  const parallel = threaded
    ? await threaded.lintInParallel(threaded.threadJob(perFile, options, run.reachOptions, needles, configurations, run.reach.only), threads)
    : undefined;
  if (parallel) {
    takeThreadResults(run, files, parallel, take);
    if (configurations) Object.assign(files, { threadResults: parallel.results });
    reportTimings({ threads, firstPassMs: parallel.timings.firstPassMs, candidates: parallel.timings.candidates });
  } else {
    files.addCandidates();
    notices.push(...scanner.notices);
  }
  return files;
}

/** --cache: a file's key, and its entry when the cache holds a valid one (the run then looks for the entry's needles). */
function lookUpCache(run: RunSetup, files: Pick<CandidateFiles, 'cached' | 'cacheKeys' | 'needles'>, file: string, content: Uint8Array | string): void {
  const { cache, options, optionsOf } = run;
  if (!cache) return;
  const key = cache.keyFor(hashData(cacheableOptions(optionsOf(file))), content);
  files.cacheKeys.set(file, key);
  const entry = options.fix ? undefined : cache.lookup(file, key);
  if (!entry) return;
  files.cached.set(file, entry);
  for (const n of entry.needles) files.needles.add(n);
}

/** The threads' first pass, taken over: its results, and the files the names it found make candidates. */
function takeThreadResults(run: RunSetup, files: CandidateFiles, parallel: ShareResult, take: (file: string, bytes: Buffer) => boolean): void {
  const { notices, reader } = run;
  files.scanner.resume(parallel.pending, parallel.searched, parallel.markers);
  notices.push(...parallel.notices);
  for (const r of parallel.results) {
    if (r.note) notices.push(r.note);
    // the text stays on disk: it is read again only if a wrapper found later makes the file worth analysing
    files.candidates.set(r.file, textOnDemand(r.file, reader));
    for (const c of Object.values(r.byConfiguration ?? { r })) for (const n of c.needles) files.needles.add(n);
    // (several configurations: each takes its own results, candidatesFor)
    if (r.byConfiguration) continue;
    if (r.timedOut) {
      files.timedOut.add(r.file);
      notices.push(...r.notices);
    } else if (!r.definesWrappers) files.precomputed.set(r.file, r);
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
  for (const n of parallel.searched) files.needles.add(n);
}

/**
 * The candidates of a run of the same files in another configuration: the files the first configuration read
 * and kept (its texts, its scanner and needles, which grow with either's wrappers), limited to the files this
 * configuration checks, with this configuration's thread results and --cache entries. Notices of files taken
 * later (binary, encoding) go to this configuration's run.
 */
export function candidatesFor(shared: CandidateFiles, run: RunSetup, sharedNotices: Notice[], configuration: string): CandidateFiles {
  const checks = new Set(run.perFile.files);
  const candidates = new Map<string, Candidate>();
  const cached = new Map<string, CacheEntry>();
  const cacheKeys = new Map<string, string>();
  const sync = () => {
    for (const [file, c] of shared.candidates) {
      if (!checks.has(file) || candidates.has(file)) continue;
      candidates.set(file, c);
      // (keyed by the decoded text: a configuration's entries are only ever looked up here; without a cache the
      // text of a file the threads analysed is not read, as a run of one configuration does not read it)
      if (run.cache) lookUpCache(run, { cached, cacheKeys, needles: shared.needles }, file, c.text);
    }
  };
  sync();
  // the threads' results in this configuration, taken as a run of one configuration takes them
  const precomputed = new Map<string, FileResult>();
  const timedOut = new Set<string>();
  for (const all of shared.threadResults ?? []) {
    const r = all.byConfiguration?.[configuration];
    if (!r || !checks.has(r.file)) continue;
    if (r.timedOut) {
      timedOut.add(r.file);
      run.notices.push(...r.notices);
    } else if (!r.definesWrappers) precomputed.set(r.file, r);
  }
  return {
    candidates,
    texts: shared.texts,
    cached,
    cacheKeys,
    precomputed,
    timedOut,
    needles: shared.needles,
    scanner: shared.scanner,
    addCandidates: () => {
      const before = sharedNotices.length;
      shared.addCandidates();
      run.notices.push(...sharedNotices.splice(before));
      const had = candidates.size;
      sync();
      return candidates.size > had;
    },
  };
}
