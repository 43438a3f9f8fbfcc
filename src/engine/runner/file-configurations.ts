// The configurations one file is checked in, and the options of each: its targets (x64 and x86 by default) or,
// when compilation databases or Visual Studio projects build it, each of their configurations in its targets
// (reach.ts, RunReach.configurationsFor), named the same way in every front end.

import * as path from 'node:path';
import type { Compiler, Configuration } from '../model/configuration.js';
import type { Target } from '../model/types.js';
import { targetsOf } from '../model/target.js';
import type { FileSettings, LintOptions } from './options.js';

/**
 * The configurations a file is checked in: its targets × the compiler, each with the file's defines, undefines,
 * include path and forced includes (config file and compilation database already merged into `options`). The one
 * place a configuration is made.
 */
export function configurationsOf(options: FileSettings): Configuration[] {
  const compiler: Compiler = options.compiler ?? 'msvc';
  return targetsOf(options.target).map((target) => ({
    name: target,
    target,
    compiler,
    defines: options.defines,
    undefines: options.undefines,
    includePaths: options.includePaths,
    forceIncludes: options.forceIncludes,
  }));
}

/**
 * A configuration one file is checked in, with the file's options in it. `run`: how the run's other files are read
 * in it (for the wrappers they define): the run's options in its target, and the database or project
 * configuration it checks (as `only` of a CLI run over that configuration).
 */
export interface FileConfiguration {
  /** What users see (configurationLabel). */
  readonly name: string;
  readonly options: LintOptions;
  readonly run: { readonly options: LintOptions; readonly only?: string };
}

/** The configurations of options that no database or project speaks of: its targets. */
export function targetConfigurations(options: LintOptions): FileConfiguration[] {
  return configurationsOf(options).map((c) => {
    const own = optionsIn(options, c);
    return { name: c.name, options: own, run: { options: own } };
  });
}

/**
 * The name a file's configuration goes by, the same in every front end: a project configuration's own
 * (`Release|Win32`); a target (`x86`), or, when several compilation databases list the file (`databasesOfFile`), the
 * database's build directory and the target (`build32|x86`; see databaseLabel).
 */
export function configurationLabel(target: Target, build: Pick<Configuration, 'name' | 'targetOfRun'> | undefined, databasesOfFile: readonly string[]): string {
  if (!build) return target;
  if (!build.targetOfRun) return build.name;
  if (databasesOfFile.length < 2) return target;
  return `${databaseLabel(build.name, databasesOfFile)}|${target}`;
}

/**
 * A database among the databases that list one file, by its build directory (a `compile_commands.json`'s
 * directory, another name's own path) with as many of the last folders as tell it from the others: `build32` and
 * `build64`; `a/build` and `b/build`. It depends on those databases alone, not on a working directory, so the
 * command line, the language server and ESLint name it alike.
 */
export function databaseLabel(database: string, databases: readonly string[]): string {
  const parts = (d: string) => (path.basename(d) === 'compile_commands.json' ? path.dirname(d) : d).split(/[\\/]+/).filter(Boolean);
  const own = parts(database);
  const others = databases.filter((d) => d !== database).map(parts);
  for (let n = 1; n < own.length; n++) {
    const tail = own.slice(-n).join('/');
    if (others.every((o) => o.slice(-n).join('/') !== tail)) return tail;
  }
  return own.join('/');
}

/**
 * An explicit cache: the options of each configuration, per options object, so that files sharing options share
 * the options of a configuration too (rules are set up once per options object, run-parts.ts memoActiveRules).
 * Keyed weakly by the options object, which a run never changes once made.
 */
// eslint-disable-next-line no-restricted-syntax -- the cache described above: keyed weakly by an options object a run never changes
const narrowed = new WeakMap<object, Map<string, unknown>>();

/** `options` narrowed to one configuration: its one target, defines and include path. */
export function optionsIn<T extends FileSettings>(options: T, configuration: Configuration): T {
  let byName = narrowed.get(options);
  if (!byName) narrowed.set(options, (byName = new Map<string, unknown>()));
  let made = byName.get(configuration.name) as T | undefined;
  if (!made) {
    made = {
      ...options,
      target: configuration.target,
      defines: configuration.defines,
      undefines: configuration.undefines,
      includePaths: configuration.includePaths,
      forceIncludes: configuration.forceIncludes,
    };
    byName.set(configuration.name, made);
  }
  return made;
}
