// Analysing one file on its own, as ESLint and the language server see it: the wrappers of other files come from
// a project scan (project.ts) when there is one; those the file defines itself are always followed.

import type { AnalysisOptions, FileAnalysis, WrapperModel } from '../engine/analysis/analyze.js';
import { HeaderCache } from '../engine/preprocess/header-cache.js';
import { analyzeText } from '../engine/runner/pipeline.js';
import type { LintOptions } from '../engine/runner/options.js';
import type { RunReach } from '../engine/runner/reach.js';
import { stampOf } from '../engine/runner/project-scan.js';

export { stampOf };

export interface SingleFileInput {
  file: string;
  text: string;
  options: LintOptions;
  headers: HeaderCache;
  /** Wrappers known from elsewhere (other files, config). */
  wrappers?: ReadonlyMap<string, WrapperModel>;
  previousTree?: AnalysisOptions['previousTree'];
  knownOccurrences?: AnalysisOptions['knownOccurrences'];
  previousPreprocess?: AnalysisOptions['previousPreprocess'];
  previousCalls?: AnalysisOptions['previousCalls'];
  /** The grammar, when the file name does not decide it. */
  language?: AnalysisOptions['language'];
  /** Every wrapper of a name several files define (a project scan's). */
  overloads?: ReadonlyMap<string, readonly WrapperModel[]>;
  /** Project facts from a scan (wrappers of the same name in several files, parses to reuse). */
  reach?: RunReach;
}

export function analyzeSingleFile(input: SingleFileInput): FileAnalysis {
  const { language, reach } = input;
  // the engine follows the wrappers a file defines within that file itself (FileAnalyzer.run): one pass suffices
  return analyzeText(input.file, input.text, input.options, input.wrappers ?? new Map(), input.headers, {
    language,
    reach,
    overloads: input.overloads,
    previousTree: input.previousTree,
    previousPreprocess: input.previousPreprocess,
    previousCalls: input.previousCalls,
    knownOccurrences: input.knownOccurrences,
  });
}

/**
 * Header text for a long-lived ESLint process (vscode-eslint keeps one), which has no file-watching hook to
 * invalidate from: before each file, the headers read so far are checked by modification time and size, and any
 * change starts a fresh cache (facts derived from headers are cached per HeaderCache too).
 */
export class HeadersOnDisk {
  private stamps = new Map<string, string>();
  private cache = this.fresh();

  /** The cache to use for the next file. */
  current(): HeaderCache {
    for (const [file, stamp] of this.stamps) {
      if (stampOf(file) !== stamp) {
        this.cache = this.fresh();
        break;
      }
    }
    return this.cache;
  }

  private fresh(): HeaderCache {
    const stamps = (this.stamps = new Map());
    const cache = new HeaderCache();
    const read = cache.read;
    cache.read = (file: string): string | undefined => {
      if (!stamps.has(file)) stamps.set(file, stampOf(file));
      return read(file);
    };
    return cache;
  }
}
