// A run over several compilation databases or Visual Studio projects checks each database (in each target) and each
// project configuration (`Debug|Win32`, `Release|x64`, ...) as a run of its own, with the files it builds, and
// merges the reports with the one merge of configurations (configurations.ts): a call site found in several
// configurations is reported once, with the configurations it holds in, each named as every front end names it
// (configurationLabel).

import type { Target } from '../model/types.js';
import type { BuildConfigurations } from '../preprocess/build-configurations.js';
import { configurationLabel, mergeRuns, type ConfigurationRun } from './configurations.js';
import type { LintResult } from './run-parts.js';

/** One run of a database or project configuration, in one target: its report and the files it checked. */
export interface BuildRun {
  /** The target of the run (a project configuration's own). */
  target: Target;
  result: LintResult;
  files: readonly string[];
}

/**
 * Runs `lintOne` for each configuration in turn (one at a time: each run already uses the machine) and merges the
 * reports. `lintOne` gives the runs of its configuration (one per target), or a report that stops the whole run.
 */
export async function lintEachConfiguration(
  build: BuildConfigurations,
  lintOne: (name: string, first: boolean) => Promise<readonly BuildRun[] | { stop: LintResult }>,
): Promise<LintResult> {
  const runs: ConfigurationRun[] = [];
  const checkedIn = new Map<string, Set<string>>();
  for (const [i, name] of build.configurationNames.entries()) {
    const done = await lintOne(name, i === 0);
    // a path that cannot be checked is the same in every configuration: stop at the first
    if ('stop' in done) return done.stop;
    for (const { target, result, files } of done) {
      // (a file no database or project lists is checked once, in its targets; see buildRunFiles)
      const labelOf = (file: string) =>
        build.builds(file, name) ? configurationLabel(target, build.configurationNamed(name), build.databasesOf(file)) : target;
      runs.push({ configuration: `${name}\u0000${target}`, result, labelOf });
      for (const file of files) {
        let names = checkedIn.get(file);
        if (!names) checkedIn.set(file, (names = new Set()));
        names.add(labelOf(file));
      }
    }
  }
  if (runs.length === 0) throw new Error('a run over build configurations has none');
  const merged = mergeRuns(runs, (file) => [...(checkedIn.get(file) ?? [])]);
  // a file is counted once however many configurations check it
  return { ...merged, filesScanned: checkedIn.size };
}

/**
 * The files of the run of configuration `name`: those it builds, and those no database or project lists (read with
 * the run's own settings). `reported`: whether the run reports a file's findings; a file no build lists is reported
 * by the first configuration's run alone (it is the same in every one), and read by the others for its wrappers.
 */
export function buildRunFiles(
  build: BuildConfigurations,
  found: readonly string[],
  name: string,
  first: boolean,
): { files: string[]; reported: (file: string) => boolean } {
  return {
    files: found.filter((f) => build.builds(f, name) !== false),
    reported: (f) => first || build.builds(f, name) === true,
  };
}
