// Analysing one file on its own, as ESLint and the language server see it: no project-wide discovery, but the
// wrappers defined in the file itself are followed (to a fixpoint, like the CLI does across a run).

import * as fs from 'node:fs';
import type { AnalysisOptions, FileAnalysis, WrapperModel } from '../engine/analyze.js';
import { HeaderCache } from '../engine/header-cache.js';
import { analyzeText, type LintOptions } from '../engine/lint.js';

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
}

export function analyzeSingleFile(input: SingleFileInput): FileAnalysis {
  const known = input.wrappers ?? new Map<string, WrapperModel>();
  let wrappers: ReadonlyMap<string, WrapperModel> = known;
  const { language } = input;
  let analysis = analyzeText(input.file, input.text, input.options, wrappers, input.headers, { language, previousTree: input.previousTree });
  for (let round = 1; round < MAX_ROUNDS; round++) {
    const next = new Map(known);
    for (const w of analysis.wrappers) next.set(w.name, w);
    if (next.size === wrappers.size && [...next.keys()].every((k) => wrappers.has(k))) break;
    wrappers = next;
    // the text is unchanged: the tree of the previous round parses it again with nothing to redo
    const tree = analysis.tree;
    analysis = analyzeText(input.file, input.text, input.options, wrappers, input.headers, { language: analysis.language, previousTree: () => tree });
  }
  return analysis;
}

/**
 * A header cache that notices changes on disk by modification time. ESLint may run for a long time in an editor
 * (vscode-eslint keeps one process), and has no file-watching hook to call `invalidate` from.
 */
export class StatCheckedHeaderCache extends HeaderCache {
  private readonly stamps = new Map<string, number>();

  constructor() {
    super();
    const read = this.read;
    this.read = (file: string): string | undefined => {
      let stamp = -1;
      try {
        const st = fs.statSync(file);
        stamp = st.mtimeMs * 1000 + (st.size % 1000);
      } catch {
        stamp = -1;
      }
      if (this.stamps.get(file) !== stamp) {
        this.invalidate(file);
        this.stamps.set(file, stamp);
      }
      return read(file);
    };
  }
}
