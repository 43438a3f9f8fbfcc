// A lint run's shared inputs (RunSetup) and result, and the parts of a run that are neither reading nor analysing: config files per file, rules per config,
// what a cache key depends on, and which notices a shard reports.

import * as path from 'node:path';
import type { FileReader } from '../files/file-reader.js';
import { activeRules, type ActiveRule } from '../linter/run-rules.js';
import type { Notice } from '../model/types.js';
import type { LintOptions } from './options.js';
import type { Candidate } from './pipeline.js';
import type { LintCache } from '../cache/cache.js';
import type { RunMemo } from '../cache/run-memo.js';
import type { PathError } from '../files/discover.js';
import type { FilePatch } from '../linter/fix.js';
import type { Report } from '../model/types.js';
import { HeaderCache } from '../preprocess/header-cache.js';
import type { WindowSet } from './window.js';
import type { SharedParses } from '../parse/shared-parses.js';
import type { RunReach } from './reach.js';

export interface LintResult extends Report {
  usageError: boolean;
  /** Paths given that could not be checked (missing, unreadable, unlistable): nothing was linted. */
  errors?: PathError[];
  /** With `fix`: the changed text of each file that has fixes. */
  patches?: FilePatch[];
  /** With a cache: files whose results came from it, and files analysed. */
  cacheStats?: { hits: number; misses: number };
}

/** What every step of a run reads: set up once, before any file is read. */
export interface RunSetup {
  readonly options: LintOptions;
  readonly perFile: PerFile;
  /** The options the run's RunReach is made with (the compilation database a config may name). */
  readonly reachOptions: LintOptions;
  readonly reach: RunReach;
  readonly headers: HeaderCache;
  /** The parses shared between the configurations of a run of several. */
  readonly parses?: SharedParses;
  /** The files' windows, shared between the configurations of a run of several (lint.ts SharedSetup.windows). */
  readonly windows?: WindowSet;
  /** Texts read again on the main thread: files the threads analysed, when a wrapper found later may matter. */
  readonly reader: FileReader;
  readonly cache?: LintCache;
  readonly runMemo?: RunMemo<LintResult>;
  /**
   * The files this run reports: with --shard, its shard's; never the headers read as context. The others are
   * analysed only for the wrappers and macros they define.
   */
  readonly reported: (file: string) => boolean;
  readonly optionsOf: (file: string) => LintOptions;
  readonly activeOf: (options: LintOptions) => ActiveRule[];
  /** Every notice of the run, in the order found (sorted in the report). */
  readonly notices: Notice[];
}

/** The files of a run with their config applied. */
export interface PerFile {
  files: string[];
  options: Map<string, LintOptions>;
  configError: boolean;
  summaryOptions: LintOptions | undefined;
  /** The compilation database a config names (the run reads one). */
  database: string | string[] | undefined;
}

/** A candidate whose text is read when first asked for (and then kept). */
export function textOnDemand(file: string, reader: FileReader): Candidate {
  let text: string | undefined;
  return {
    file,
    get text() {
      return (text ??= reader.readText(file) ?? '');
    },
  };
}

/**
 * The notices about the run's files it does not report (another shard's, headers read as context) are left out;
 * a config error stays, whatever file it names: it is the run's.
 */
export function shardNotices(notices: Notice[], files: readonly string[], reported: (file: string) => boolean): Notice[] {
  const runFiles = new Set(files);
  return notices.filter((n) => !n.file || n.code === 'config' || !runFiles.has(n.file) || reported(n.file));
}

/**
 * Applies config files: drops ignored files, and files whose config is broken (one error per config,
 * and the run ends with exit code 2).
 */
export function resolvePerFile(files: string[], options: LintOptions, notices: Notice[]): PerFile {
  const result: PerFile = { files: [], options: new Map(), configError: false, summaryOptions: undefined, database: undefined };
  const lookup = options.optionsFor;
  if (!lookup) {
    result.files = [...files];
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

/**
 * Adds headers read as context (src/engine/runner/context-headers.ts) to the run's files, with their config's
 * options; those a config ignores or cannot give options for are left out. Returns the headers added.
 */
export function addContextFiles(perFile: PerFile, headers: readonly string[], options: LintOptions, notices: Notice[]): string[] {
  if (headers.length === 0) return [];
  const resolved = resolvePerFile([...headers], options, notices);
  for (const file of resolved.files) {
    perFile.files.push(file);
    const o = resolved.options.get(file);
    if (o) perFile.options.set(file, o);
  }
  return resolved.files;
}

/** Rules set up once per options object (files that share a config share one). */
export function memoActiveRules(): (options: LintOptions) => ActiveRule[] {
  const memo = new Map<LintOptions, ActiveRule[]>();
  return (options) => {
    let active = memo.get(options);
    if (!active) memo.set(options, (active = activeRules(options.rules)));
    return active;
  };
}

/** What a file's results depend on besides its text and headers. */
export function cacheableOptions(options: LintOptions): unknown {
  const { cwd, optionsFor, fix, cacheFile, onProgress, onRound, reportUnusedDisableDirectives, ...rest } = options;
  void [optionsFor, fix, cacheFile, onProgress, onRound, reportUnusedDisableDirectives];
  return { ...rest, cwd, includePaths: rest.includePaths.map((p) => path.resolve(cwd, p)), forceIncludes: rest.forceIncludes.map((p) => path.resolve(cwd, p)) };
}

/**
 * The header cache of a run (or of one thread of it) over `files`: with `shared: false` (LintOptions) it keeps no
 * headers' effects, so every includer runs their directives.
 */
export function runHeaderCache(files: readonly string[], options: Pick<LintOptions, 'shared'>): HeaderCache {
  return new HeaderCache(files, options.shared === false ? 0 : undefined);
}
