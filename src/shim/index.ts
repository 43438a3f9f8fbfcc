// Runtime confirmation: read the shim's reports, symbolise, merge with the
// static findings, summarise and draw.

import type { Finding, Notice } from '../engine/types.js';
import { mergeRuntime } from './merge.js';
import { readReport, type ShimRecord } from './report.js';
import { summarize, type RuntimeSummary } from './summary.js';
import { symbolizeRecords } from './symbolize.js';

export * from './cflags.js';
export * from './merge.js';
export * from './report.js';
export * from './sarif.js';
export * from './summary.js';
export * from './symbolize.js';
export * from './vmmap.js';

export interface ApplyRuntimeOptions {
  /** Report files or folders of them (`granule --runtime`). */
  reports: string | string[];
  /** Project root: relative `__FILE__` paths resolve against it. */
  root: string;
  /** The program, to map return addresses to file:line (`--binary`). */
  binary?: string;
  compileDirs?: string[];
}

export interface ApplyRuntimeResult {
  /** The static findings, each with `runtime` set. */
  findings: Finding[];
  /** Wasting calls that no static finding covers. */
  runtimeOnly: Finding[];
  notices: Notice[];
  records: ShimRecord[];
  summary: RuntimeSummary;
}

/** Everything `granule --runtime REPORT [--binary PROG]` needs, in one call. */
export async function applyRuntime(findings: Finding[], opts: ApplyRuntimeOptions): Promise<ApplyRuntimeResult> {
  const read = await readReport(opts.reports);
  const notices = [...read.notices];
  if (opts.binary) notices.push(...(await symbolizeRecords(read.records, { binary: opts.binary })).notices);
  const merged = mergeRuntime(findings, read.records, { root: opts.root, compileDirs: opts.compileDirs });
  if (merged.unlocated > 0)
    notices.push({
      level: 'warning',
      code: 'runtime-unlocated',
      message: `${merged.unlocated} recorded call${merged.unlocated === 1 ? ' has' : 's have'} no source location${
        opts.binary ? ' in the given binary' : ': pass --binary PROG (built with -g) to map return addresses'
      }`,
    });
  return { findings: merged.findings, runtimeOnly: merged.runtimeOnly, notices, records: read.records, summary: summarize(read.records) };
}
