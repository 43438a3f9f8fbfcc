// --cache on a tree where nothing changed: the last run's whole report, reused. Per-file results cannot
// give that on their own: a file that defines or calls a wrapper depends on other files, so the per-file
// cache never keeps it, and every run analysed those files again (on wine, 450 ms of a 1 s cached run).
//
// The report is kept beside the cache file with a fingerprint of everything it was made from: granule's
// version, every file of the run with its size, modification and change times and inode (the scan memo's
// trust: any write moves the change time), each file's options (config and command line), and the same
// metadata of every header the analysis read and of the compilation database. When the fingerprint is the
// same, so is the report. A run whose files or headers changed less than a second before it started does
// not leave a report behind: a write in the same tick of the file system's clock could go unseen.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { READ_LIMITS, readRegularText } from '../files/regular-file.js';
import { hashData, hashText } from './cache.js';
import { statKey } from './scan-memo.js';
import type { Report } from '../model/types.js';
import { replaceFileAtomically } from '../files/atomic-write.js';

const FORMAT = 1;
/** Files changed this recently before a run make its report not worth keeping (timestamps are coarse). */
const SETTLE_MS = 1000;

/** Where the run memo of a cache file is kept: beside it. */
export function runMemoFile(cacheFile: string): string {
  return `${cacheFile.replace(/\.json$/, '')}.run.json`;
}

interface StoredRun<R> {
  format: number;
  tool: string;
  /** Fingerprint of the run's inputs: tool, files, their metadata and options, headers. */
  fingerprint: string;
  /** The headers (and other files outside the file list) the report depends on. */
  deps: string[];
  report: R;
}

export interface RunInputs {
  /** The run's files, in order. */
  files: readonly string[];
  /** Each file's options (files that share a config share an object); functions in it are ignored. */
  optionsOf: (file: string) => unknown;
  /** Everything else the report depends on (the run's own options, ...). */
  extra: unknown;
}

export class RunMemo<R extends Report> {
  private readonly started = Date.now();
  private readonly filesPart: string | undefined;
  private stored: StoredRun<R> | undefined;

  private constructor(
    readonly file: string,
    private readonly tool: string,
    inputs: RunInputs,
  ) {
    this.filesPart = filesFingerprint(inputs, this.started);
    try {
      const data = JSON.parse(readRegularText(file, READ_LIMITS.generated)) as StoredRun<R>;
      if (data && data.format === FORMAT && data.tool === tool && typeof data.fingerprint === 'string' && Array.isArray(data.deps)) this.stored = data;
    } catch {
      // missing or damaged: the run goes the long way (the memo is only an optimisation)
    }
  }

  /** The memo of a cache file for a run on these inputs. */
  static open<R extends Report>(cacheFile: string, tool: string, inputs: RunInputs): RunMemo<R> {
    return new RunMemo<R>(runMemoFile(cacheFile), tool, inputs);
  }

  /** The last run's report, when nothing it was made from has changed. */
  reuse(): R | undefined {
    const s = this.stored;
    if (!s || this.filesPart === undefined) return undefined;
    const deps = depsFingerprint(s.deps, this.started);
    if (deps === undefined || hashText(`${this.tool}\u0000${this.filesPart}\u0000${deps}`) !== s.fingerprint) return undefined;
    return s.report;
  }

  /**
   * Keeps this run's report for the next one (`deps`: the headers and other files it read besides the run's
   * files). Not kept when something changed just before the run: its change time may not tell the next one.
   */
  save(report: R, deps: Iterable<string>): void {
    if (this.filesPart === undefined) return this.drop();
    const list = [...new Set(deps)].sort();
    const depsPart = depsFingerprint(list, this.started);
    if (depsPart === undefined) return this.drop();
    const data: StoredRun<R> = {
      format: FORMAT,
      tool: this.tool,
      fingerprint: hashText(`${this.tool}\u0000${this.filesPart}\u0000${depsPart}`),
      deps: list,
      report,
    };
    // (a tree without candidates leaves the per-file cache nothing to write, so the directory may not exist yet)
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    replaceFileAtomically(this.file, JSON.stringify(data));
  }

  /** Removes a kept report that no longer describes the tree (so the next run does not read it in vain). */
  private drop(): void {
    if (this.stored) fs.rmSync(this.file, { force: true });
  }
}

/**
 * The run's files with their metadata and options, as one hash; undefined when one cannot be stat-ed or
 * changed too recently to be trusted.
 */
function filesFingerprint(inputs: RunInputs, started: number): string | undefined {
  const optionIds = new Map<unknown, number>();
  const optionHashes: string[] = [];
  const lines: string[] = [];
  for (const file of inputs.files) {
    const stat = statOf(file, started);
    if (!stat) return undefined;
    const options = inputs.optionsOf(file);
    let id = optionIds.get(options);
    if (id === undefined) {
      id = optionIds.size;
      optionIds.set(options, id);
      optionHashes.push(hashData(options));
    }
    lines.push(`${file}\u0000${stat.join(',')}\u0000${id}`);
  }
  return hashText(`${hashData(inputs.extra)}\n${optionHashes.join(',')}\n${lines.join('\n')}`);
}

/** The metadata of files outside the run's list (a missing one counts as missing); undefined when one is too recent. */
function depsFingerprint(deps: readonly string[], started: number): string | undefined {
  const lines: string[] = [];
  for (const dep of deps) {
    const stat = fs.statSync(dep, { throwIfNoEntry: false });
    if (stat && recent(stat, started)) return undefined;
    lines.push(`${dep}\u0000${stat ? statKey(stat).join(',') : 'missing'}`);
  }
  return hashText(lines.join('\n'));
}

function statOf(file: string, started: number): number[] | undefined {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
  if (!stat || recent(stat, started)) return undefined;
  return statKey(stat);
}

function recent(stat: fs.Stats, started: number): boolean {
  return stat.ctimeMs >= started - SETTLE_MS || stat.mtimeMs >= started - SETTLE_MS;
}

/** What a lint run hands over at its end for its report to be kept. */
export interface FinishedRun<R extends Report> {
  report: R & { usageError: boolean };
  /** The headers the files analysed and the files taken from the cache read. */
  headers: Iterable<string>;
  /** The compilation databases the run read, if any. */
  database: string | readonly string[] | undefined;
  /** Files whose analysis ran out of time (the next run may finish them: nothing is kept). */
  timedOut: number;
}

/** Keeps a run's report for the next run, unless it holds failures that the next run should try again. */
export function keepRun<R extends Report>(memo: RunMemo<R>, run: FinishedRun<R>): void {
  const { report } = run;
  // failures are not remembered (as in the per-file cache), nor is a run the cache could not be written for
  if (report.usageError || run.timedOut > 0 || report.notices.some((n) => n.code === 'internal-error' || n.code === 'cache')) return;
  const deps = [...run.headers];
  if (run.database !== undefined) deps.push(...(typeof run.database === 'string' ? [run.database] : run.database));
  try {
    memo.save(report, deps);
  } catch {
    // the memo is only an optimisation: the next run goes the long way
  }
}
