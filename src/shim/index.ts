// Runtime confirmation: read the shim's reports, symbolise, merge with the
// static findings, summarise and draw.

import path from 'node:path';
import type { Finding, Notice } from '../engine/model/types.js';
import { RuntimeMerger } from './merge.js';
import { streamReport } from './report.js';
import { Summarizer, type RuntimeSummary } from './summary.js';
import { Symbolizer } from './symbolize.js';

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
  summary: RuntimeSummary;
}

/**
 * Everything `granule --runtime REPORT [--binary PROG]` needs, in one call. The reports are streamed (twice
 * with a binary: once for the return addresses to look up, once to merge), so memory holds the totals only.
 */
export async function applyRuntime(findings: Finding[], opts: ApplyRuntimeOptions): Promise<ApplyRuntimeResult> {
  const notices: Notice[] = [];
  let symbolizer: Symbolizer | undefined;
  if (opts.binary) {
    symbolizer = Symbolizer.open({ binary: opts.binary });
    const first = await streamReport(opts.reports, (r) => symbolizer!.collect(r));
    if (first.records > 0) await symbolizer.resolve();
  }
  const root = path.resolve(opts.root);
  const merger = new RuntimeMerger(findings, { root, compileDirs: opts.compileDirs, roots: [root] });
  const summarizer = new Summarizer();
  const read = await streamReport(opts.reports, (r) => {
    symbolizer?.apply(r);
    merger.add(r);
    summarizer.add(r);
  });
  notices.push(...read.notices);
  if (symbolizer) notices.push(...symbolizer.notices);
  const merged = merger.result();
  if (merged.outside > 0)
    notices.push({
      level: 'warning',
      code: 'runtime-outside',
      message: `${merged.outside} recorded call${merged.outside === 1 ? ' names a file' : 's name files'} outside ${root}; ${merged.outside === 1 ? 'it is' : 'they are'} counted without a location`,
    });
  const unplaced = merged.unlocated - merged.outside;
  if (unplaced > 0)
    notices.push({
      level: 'warning',
      code: 'runtime-unlocated',
      message: `${unplaced} recorded call${unplaced === 1 ? ' has' : 's have'} no source location${
        opts.binary ? ' in the given binary' : ': pass --binary PROG (built with -g) to map return addresses'
      }`,
    });
  return { findings: merged.findings, runtimeOnly: merged.runtimeOnly, notices, summary: summarizer.result() };
}
