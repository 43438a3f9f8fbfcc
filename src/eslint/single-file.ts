// Analysing one file on its own, as ESLint and the language server see it: no project-wide discovery, but the
// wrappers defined in the file itself are followed (to a fixpoint, like the CLI does across a run).

import * as fs from 'node:fs';
import type { AnalysisOptions, FileAnalysis, WrapperModel } from '../engine/analyze.js';
import { HeaderCache } from '../engine/header-cache.js';
import { analyzeText, type LintOptions } from '../engine/lint.js';
import type { RunReach } from '../engine/reach.js';

const MAX_ROUNDS = 10;

export interface SingleFileInput {
  file: string;
  text: string;
  options: LintOptions;
  headers: HeaderCache;
  /** Wrappers known from elsewhere (other files, config). */
  wrappers?: ReadonlyMap<string, WrapperModel>;
  previousTree?: AnalysisOptions['previousTree'];
  /** The grammar, when the file name does not decide it. */
  language?: AnalysisOptions['language'];
  /** Project facts from a scan (wrappers of the same name in several files, parses to reuse). */
  reach?: RunReach;
}

export function analyzeSingleFile(input: SingleFileInput): FileAnalysis {
  const known = input.wrappers ?? new Map<string, WrapperModel>();
  let wrappers: ReadonlyMap<string, WrapperModel> = known;
  const { language, reach } = input;
  let analysis = analyzeText(input.file, input.text, input.options, wrappers, input.headers, { language, reach, previousTree: input.previousTree });
  for (let round = 1; round < MAX_ROUNDS; round++) {
    const next = new Map(known);
    for (const w of analysis.wrappers) next.set(w.name, w);
    if (next.size === wrappers.size && [...next.keys()].every((k) => wrappers.has(k))) break;
    wrappers = next;
    // the text is unchanged: the tree of the previous round parses it again with nothing to redo
    const tree = analysis.tree;
    analysis = analyzeText(input.file, input.text, input.options, wrappers, input.headers, { language: analysis.language, reach, previousTree: () => tree });
  }
  return analysis;
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

function stampOf(file: string): string {
  try {
    const st = fs.statSync(file);
    return `${st.mtimeMs}:${st.size}`;
  } catch {
    return 'missing';
  }
}
