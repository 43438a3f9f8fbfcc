// Lints one editor buffer through the per-file pipeline (src/engine/runner/pipeline.ts), the CLI's: granule's
// analysis of the unsaved text in every configuration, each re-parsed incrementally from its own previous
// version, the rules, and the granule-disable comments, giving the findings the CLI would report for the same
// text. Hover and quick fixes read the same result (one analysis per version: a hover never analyses again). A
// buffer of UNITS_FROM characters or more is analysed as the CLI analyses such a file, in windows and with no tree
// kept: a whole parse of 12 MB, kept for the next edit, took about 670 MB.

import type { WrapperModel } from '../engine/analysis/analyze.js';
import { preprocessorSettings, type LintOptions } from '../engine/runner/options.js';
import type { HeaderCache } from '../engine/preprocess/header-cache.js';
import { lintFile, lintFileInWindows, type FileLint } from '../engine/runner/pipeline.js';
import { UNITS_FROM } from '../engine/runner/window.js';
import { lintInConfigurations, targetConfigurations, type FileConfiguration } from '../engine/runner/configurations.js';
import type { IncrementalTree } from './incremental.js';
import type { IncrementalStates } from './incremental-states.js';

export type DocumentLint = FileLint;

/** The wrappers the other files of the workspace define, as the workspace is read in one configuration. */
export interface WorkspaceWrappers {
  wrappers?: ReadonlyMap<string, WrapperModel>;
  /** Every wrapper of a name several files define. */
  overloads?: ReadonlyMap<string, readonly WrapperModel[]>;
}

export function lintDocument(
  file: string,
  text: string,
  /** The options of the file, or every configuration it is checked in (Workspace.optionsFor). */
  options: LintOptions | readonly FileConfiguration[],
  headers: HeaderCache,
  states: IncrementalStates,
  wrappersFor: (configuration: FileConfiguration) => WorkspaceWrappers = () => ({}),
): DocumentLint {
  // each configuration (x64 and x86 by default; each database or project configuration that builds the file),
  // merged per call site as the CLI merges them, each from its own previous version. Each configuration has the
  // workspace's wrappers as that configuration reads them (a header's wrapper may call another API on x86).
  const configurations = Array.isArray(options) ? (options as readonly FileConfiguration[]) : targetConfigurations(options as LintOptions);
  // (a configuration the settings no longer name lets its tree go before the others are analysed)
  states.keepOnly(configurations.map((c) => c.name));
  // (configurations whose parsed texts are equal share this version's parse: version-parses.ts)
  return states.inVersion(() =>
    lintInConfigurations(configurations, (configuration) => {
      const { wrappers, overloads } = wrappersFor(configuration);
      return lintInConfiguration(file, text, configuration.options, headers, states.of(configuration.name), wrappers, overloads);
    }),
  );
}

/** The lint in one configuration, starting from that configuration's previous version (`tree`), which it replaces. */
function lintInConfiguration(
  file: string,
  text: string,
  options: LintOptions,
  headers: HeaderCache,
  tree: IncrementalTree,
  /** Wrappers defined in other files of the workspace. */
  wrappers?: ReadonlyMap<string, WrapperModel>,
  /** Every wrapper of a name several files define (the workspace scan's): a caller's own file wins, as in the CLI. */
  overloads?: ReadonlyMap<string, readonly WrapperModel[]>,
): DocumentLint {
  if (text.length >= UNITS_FROM) {
    // (the previous version's tree, if any, is of no use to a windowed analysis, and not worth its memory)
    tree.reset();
    const names = [...(options.wrappers ?? []).map((d) => d.name), ...(wrappers?.keys() ?? []), ...(overloads?.keys() ?? [])];
    return lintFileInWindows({ file, text, options, headers, wrappers, overloads, unusedDirectives: 'off' }, names);
  }
  let lint: FileLint;
  // everything besides the buffer that the preprocessor reads, and the builds (the previous calls are kept only
  // with the preprocessor's facts, and which wrappers of other files they reach depends on the builds too)
  tree.begin(JSON.stringify([file, options.cwd, ...preprocessorSettings(options), options.builds ?? []]), headers);
  try {
    // (unused disable comments are the CLI's to report: an editor shows what a comment disables)
    lint = lintFile({ file, text, options, headers, wrappers, overloads, previous: tree, unusedDirectives: 'off' });
  } catch (e) {
    // the old tree may have been edited already: start from scratch next time
    tree.reset();
    throw e;
  }
  tree.commit(lint.analysis);
  return lint;
}
