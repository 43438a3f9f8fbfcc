// Lints one editor buffer: granule's analysis of the unsaved text (re-parsed incrementally), the rules, and the
// granule-disable comments, giving the findings the CLI would report for the same text.

import type { FileAnalysis, WrapperModel } from '../engine/analysis/analyze.js';
import { applyDirectives, scanDisableDirectives } from '../engine/linter/directives.js';
import type { LintOptions } from '../engine/runner/lint.js';
import type { HeaderCache } from '../engine/preprocess/header-cache.js';
import { activeRules, runRules, type RuleFailure } from '../engine/linter/run-rules.js';
import type { Finding } from '../engine/model/types.js';
import { analyzeSingleFile } from '../eslint/single-file.js';
import type { IncrementalTree } from './incremental.js';

export interface DocumentLint {
  analysis: FileAnalysis;
  /** Every finding, the ones disabled by a comment marked `suppressed`. */
  findings: Finding[];
  /** Rules that threw on this buffer: their findings are missing. */
  failures: RuleFailure[];
}

export function lintDocument(
  file: string,
  text: string,
  options: LintOptions,
  headers: HeaderCache,
  tree: IncrementalTree,
  /** Wrappers defined in other files of the workspace. */
  wrappers?: ReadonlyMap<string, WrapperModel>,
): DocumentLint {
  let analysis: FileAnalysis;
  // everything besides the buffer that the preprocessor reads
  tree.begin(JSON.stringify([file, options.cwd, options.target, options.defines, options.undefines, options.includePaths, options.forceIncludes]), headers);
  try {
    analysis = analyzeSingleFile({
      file,
      text,
      options,
      headers,
      wrappers,
      previousTree: tree.previousTree,
      previousPreprocess: tree.previousPreprocess,
      previousCalls: tree.previousCalls,
      knownOccurrences: tree.knownOccurrences,
    });
  } catch (e) {
    // the old tree may have been edited already: start from scratch next time
    tree.reset();
    throw e;
  }
  tree.commit(analysis);
  const { findings, failures } = runRules(analysis, activeRules(options.rules), options);
  applyDirectives(file, findings, scanDisableDirectives(file, text, analysis.lines), 'off');
  return { analysis, findings, failures };
}
