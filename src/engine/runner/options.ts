// The options of a lint run, in three parts: what each file is analysed with (FileSettings), how the run goes
// (RunPolicy) and what it tells its caller as it goes (RunCallbacks). The CLI builds them from the command line
// (src/cli/main.ts) and setUpConfig (src/config/cli.ts) returns them with the config lookup added; a run only
// reads them.

import type { DeclaredWrapper } from '../analysis/analyze.js';
import type { RuleSetting } from '../linter/run-rules.js';
import type { Compiler } from '../model/configuration.js';
import type { Level, Target, TargetSetting } from '../model/types.js';
import type { Concurrency } from './threads.js';
import type { Shard } from './shard.js';

/** What one file is analysed and reported with (a config file may set each of these per file). */
export interface FileSettings {
  cwd: string;
  /**
   * The targets checked (default x64 and x86): with a list, the file is analysed once per target and each call site
   * is reported once (src/engine/runner/configurations.ts); one target is a one-item list.
   */
  target: TargetSetting;
  /** Whose predefined macros apply: msvc (default), mingw or clang-cl. */
  compiler?: Compiler;
  /**
   * Look an `#include` the include path does not resolve up in the scanned tree by its path suffix (default true;
   * src/engine/preprocess/include-search.ts).
   */
  includeSearch?: boolean;
  defines: Record<string, string>;
  undefines: string[];
  includePaths: string[];
  forceIncludes: string[];
  /** Rule levels and options; rules not named run at their default level. */
  rules: Record<string, RuleSetting>;
  /** Report disable comments that disabled nothing, at this level (default off). */
  reportUnusedDisableDirectives?: Level;
  /**
   * compile_commands.json files: each file is read with its own macros, include paths and forced includes (a file in
   * several databases is in a configuration of each).
   */
  compileCommands?: string | string[];
  /** Visual Studio solutions and projects (`--project`): each file they compile is read as its project configurations say. */
  projects?: string[];
  /** `--project-configuration`: the configurations of the projects to check (`Release|Win32`); none: every one. */
  projectConfigurations?: string[];
  /**
   * The builds that list this file (the databases and projects above, by absolute path): set by the run for each
   * file those name (RunReach.optionsFor), never by a config. A listed file's calls bind to another source file's
   * functions only when a build lists both, unless a header both include declares them
   * (src/engine/analysis/linkage.ts); undefined or empty: no build of the run lists the file.
   */
  builds?: readonly string[];
  /** Functions that reserve memory, declared by the user: `{ name: 'os_reserve', sizeArg: 0 }` (0-based argument). */
  wrappers?: DeclaredWrapper[];
  /**
   * Parse only the code that can matter (default): function bodies that mention no API, macro, wrapper or
   * pointer are blanked first (src/engine/runner/window.ts). False parses every candidate file whole; the findings
   * are the same either way.
   */
  windowed?: boolean;
  /**
   * Share what does not depend on the file or the configuration (default): headers' effects replayed by the
   * includers that agree (preprocess/header-effects.ts), one parse and its lifetimes for the configurations whose
   * parsed text is the same (parse/shared-parses.ts). False runs every header's directives for each file and
   * configuration and parses each configuration on its own; the findings are the same either way (tests compare).
   */
  shared?: boolean;
  /** Files larger than this many bytes are skipped with a `limit` notice (default DEFAULT_MAX_FILE_SIZE; 0: no limit). */
  maxFileSize?: number;
  /** Milliseconds one file's analysis may take before it is skipped with a `limit` notice (default DEFAULT_FILE_TIMEOUT_MS; 0: no limit). */
  fileTimeout?: number;
}

/** How the run goes: which files, fixes, the cache, threads, shards. */
export interface RunPolicy {
  /** .gitignore-style patterns relative to each directory scanned (src/engine/files/ignore-pattern.ts). */
  ignores: string[];
  /** Options per file, from config files (src/config); without it these options apply to every file. */
  optionsFor?: FileOptionsLookup;
  /** Work out fixes; they come back as patches in the result, for the caller to write or show. */
  fix?: boolean;
  /** --cache: the cache file; unchanged files with unchanged headers are not analysed again. */
  cacheFile?: string;
  /**
   * Threads for the first pass (src/engine/runner/workers.ts): a number, `off`, or `auto` (default: the cores, up to
   * 4, for runs of 400 files or more). Runs with `fix` or `cacheFile` use one thread.
   */
  concurrency?: Concurrency;
  /** --shard: report only this share of the files (src/engine/runner/shard.ts). */
  shard?: Shard;
}

/** What the run tells its caller as it goes (never part of a cache key, never sent to a thread). */
export interface RunCallbacks {
  /** Called as files are analysed (the CLI draws a progress line from it). */
  onProgress?: (done: number, total: number) => void;
  /** Called after each round of the wrapper fixpoint with what it did (tests check the work stays linear). */
  onRound?: (stats: RoundStats) => void;
}

/** A run's options: the settings of its files (a config file may change them per file), its policy, its callbacks. */
export interface LintOptions extends FileSettings, RunPolicy, RunCallbacks {}

/** The options of one file (config file merged with the command line), or the config error that stops it. */
export type FileOptionsLookup = (file: string) => { options: LintOptions; ignored: boolean } | { error: { file: string; reason: string } };

/** What one round of the wrapper fixpoint did (src/engine/runner/fixpoint.ts): for tests and measurements. */
export interface RoundStats {
  round: number;
  /** Files analysed in the round (the others kept the last round's analysis: nothing they mention changed). */
  analysed: number;
  /** Files whose last analysis was kept. */
  kept: number;
  /** Wrapper names offered to the files analysed, summed over them (each file is offered only the names it mentions). */
  namesOffered: number;
  /** Wrapper names whose definitions changed in the round before (what made files be analysed again). */
  changed: number;
}

/** The targets checked when none is named: every build that ships, 64- and 32-bit. */
export const DEFAULT_TARGETS: readonly Target[] = ['x64', 'x86'];

/** The settings the preprocessor reads, in a fixed order: the part of a key that says two runs preprocess alike. */
export function preprocessorSettings(options: FileSettings): unknown[] {
  return [options.target, options.compiler, options.includeSearch, options.defines, options.undefines, options.includePaths, options.forceIncludes];
}

export function defaultLintOptions(cwd = process.cwd()): LintOptions {
  return { cwd, target: [...DEFAULT_TARGETS], compiler: 'msvc', defines: {}, undefines: [], includePaths: [], forceIncludes: [], rules: {}, ignores: [] };
}
