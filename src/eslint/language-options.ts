// The `languageOptions` granule's ESLint languages accept, and their validation.

import { isCompiler, type Compiler } from '../engine/model/compilers.js';
import { isTarget } from '../engine/model/target.js';
import type { TargetSetting } from '../engine/model/types.js';

export interface GranuleLanguageOptions {
  [key: string]: unknown;
  /** Type sizes and pointer width: x64, x86 or arm64, or a list checked together (default: x64 and x86). */
  target?: TargetSetting;
  /** Whose predefined macros apply: msvc (default), mingw or clang-cl. */
  compiler?: Compiler;
  /**
   * Look an `#include` the include path misses up among the files under `project` (default true when `project`
   * is given; without it ESLint sees no tree to search).
   */
  includeSearch?: boolean;
  /** Macros as `-D` defines them: `{ NAME: "value" }` (`"1"` for a bare `-D NAME`). */
  defines?: Record<string, string>;
  /** Macros as `-U` removes them. */
  undefines?: string[];
  /** Directories searched for `#include`, like `-I`; relative ones resolve against ESLint's working directory. */
  includePaths?: string[];
  /** Headers read before each file, like `-include`. */
  forceIncludes?: string[];
  /**
   * A compile_commands.json (or its directory), or several: each file is read with its own macros and include
   * paths, and a file that several list is checked in each.
   */
  compileCommands?: string | string[];
  /**
   * Visual Studio solutions and projects, as the CLI's `--project`: each file they compile is checked in every
   * configuration that compiles it (`Debug|Win32`, `Release|x64`, ...).
   */
  projects?: string[];
  /** The project configurations to check (`Release|Win32`), as the CLI's `--project-configuration`; none: every one. */
  projectConfigurations?: string[];
  /** Functions that reserve memory, as in granule.config.json: `[{ "name": "os_reserve", "sizeArg": 0 }]`. */
  wrappers?: { name: string; sizeArg: number }[];
  /**
   * Files and directories whose wrappers apply to every file (relative to ESLint's working directory), so a call
   * of a wrapper defined in another file is checked as the granule CLI checks it. Off by default: ESLint lints
   * one file at a time, and reading a project costs what a granule run costs (once per process, then on change).
   */
  project?: string[];
}

const KNOWN = new Set([
  'target',
  'compiler',
  'includeSearch',
  'defines',
  'undefines',
  'includePaths',
  'forceIncludes',
  'compileCommands',
  'wrappers',
  'project',
  'projects',
  'projectConfigurations',
]);

/** Throws one clear message naming the bad key. */
export function validateLanguageOptions(options: GranuleLanguageOptions): void {
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new TypeError(`granule: unknown language option "${key}" (expected one of: ${[...KNOWN].join(', ')})`);
  }
  const {
    target,
    compiler,
    includeSearch,
    defines,
    undefines,
    includePaths,
    forceIncludes,
    compileCommands,
    wrappers,
    project,
    projects,
    projectConfigurations,
  } = options;
  const targets: unknown[] = Array.isArray(target) ? target : [target];
  if (target !== undefined && (targets.length === 0 || !targets.every((t) => typeof t === 'string' && isTarget(t)))) {
    throw new TypeError(`granule: languageOptions.target must be "x64", "x86" or "arm64", or a list of them, got ${JSON.stringify(target)}`);
  }
  if (compiler !== undefined && !isCompiler(compiler)) {
    throw new TypeError(`granule: languageOptions.compiler must be "msvc", "mingw" or "clang-cl", got ${JSON.stringify(compiler)}`);
  }
  if (includeSearch !== undefined && typeof includeSearch !== 'boolean') {
    throw new TypeError(`granule: languageOptions.includeSearch must be a boolean, got ${JSON.stringify(includeSearch)}`);
  }
  if (defines !== undefined) {
    if (!defines || typeof defines !== 'object' || Array.isArray(defines))
      throw new TypeError('granule: languageOptions.defines must be an object of macro names to values');
    for (const [name, value] of Object.entries(defines)) {
      if (!/^[A-Za-z_]\w*$/.test(name)) throw new TypeError(`granule: languageOptions.defines: "${name}" is not a macro name`);
      if (typeof value !== 'string') throw new TypeError(`granule: languageOptions.defines.${name} must be a string, got ${typeof value}`);
    }
  }
  const databases: unknown[] = Array.isArray(compileCommands) ? compileCommands : [compileCommands];
  if (compileCommands !== undefined && (databases.length === 0 || databases.some((d) => typeof d !== 'string' || d === ''))) {
    throw new TypeError('granule: languageOptions.compileCommands must be the path of a compile_commands.json or of its directory, or a list of them');
  }
  if (projectConfigurations !== undefined && !projects?.length) {
    throw new TypeError('granule: languageOptions.projectConfigurations narrows the configurations of the projects: give languageOptions.projects');
  }
  if (wrappers !== undefined) {
    const ok =
      Array.isArray(wrappers) &&
      wrappers.every(
        (w) => w && typeof w === 'object' && typeof w.name === 'string' && /^[A-Za-z_]\w*$/.test(w.name) && Number.isInteger(w.sizeArg) && w.sizeArg >= 0,
      );
    if (!ok) throw new TypeError('granule: languageOptions.wrappers must be an array of { name: "function_name", sizeArg: 0-based argument index }');
  }
  for (const [key, list] of [
    ['undefines', undefines],
    ['includePaths', includePaths],
    ['forceIncludes', forceIncludes],
    ['project', project],
    ['projects', projects],
    ['projectConfigurations', projectConfigurations],
  ] as const) {
    if (list !== undefined && (!Array.isArray(list) || list.some((x) => typeof x !== 'string'))) {
      throw new TypeError(`granule: languageOptions.${key} must be an array of strings`);
    }
  }
}
