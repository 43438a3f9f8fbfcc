// Loads one config file with everything it extends: shareable configs (`granule:recommended`,
// `granule:strict`) and relative paths, merged base first. Paths become absolute, relative to the
// file that wrote them. Cycles in `extends` are an error.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { packagePath } from '../engine/model/package-files.js';
import type { RuleSetting } from '../engine/linter/run-rules.js';
import type { Compiler } from '../engine/model/compilers.js';
import type { Level, TargetSetting } from '../engine/model/types.js';
import { ConfigError } from './errors.js';
import { readJsonFile } from './json.js';
import type { DeclaredWrapper } from '../engine/analysis/analyze.js';
import { DataError, validateConfigData, type ConfigData } from './schema.js';

export const SHAREABLE: Record<string, string> = {
  'granule:recommended': packagePath('configs', 'recommended.json'),
  'granule:strict': packagePath('configs', 'strict.json'),
};

/** An `ignores` glob and the directory it is relative to (that of the file that wrote it). */
export interface IgnorePattern {
  base: string;
  pattern: string;
}

/** A config with its `extends` applied. Paths are absolute. */
export interface ResolvedConfig {
  /** The config file itself (a granule.config.json or a package.json). */
  file: string;
  /** Every file that contributed, bases first and the file itself last; shareable configs by name. */
  sources: string[];
  rules: Record<string, RuleSetting>;
  ignores: IgnorePattern[];
  defines: Record<string, string>;
  undefines: string[];
  includePaths: string[];
  forceIncludes: string[];
  target?: TargetSetting;
  compiler?: Compiler;
  includeSearch?: boolean;
  wrappers: DeclaredWrapper[];
  compileCommands?: string | string[];
  /** Visual Studio solutions and projects, absolute. */
  projects?: string[];
  projectConfigurations?: string[];
  reportUnusedDisableDirectives?: Level;
}

export function emptyConfig(file: string): ResolvedConfig {
  return {
    file,
    sources: [],
    rules: Object.create(null) as Record<string, RuleSetting>,
    ignores: [],
    defines: Object.create(null) as Record<string, string>,
    undefines: [],
    includePaths: [],
    forceIncludes: [],
    wrappers: [],
  };
}

/** Loads config files, remembering each so a tree with many files reads each config once. */
export class ConfigLoader {
  private readonly loaded = new Map<string, ResolvedConfig>();

  load(file: string): ResolvedConfig {
    return this.loadChain(path.resolve(file), []);
  }

  private loadChain(file: string, chain: string[]): ResolvedConfig {
    const key = realPath(file);
    if (chain.includes(key)) {
      const cycle = [...chain.slice(chain.indexOf(key)), key].map((f) => displayName(f)).join(' → ');
      throw new ConfigError(chain[chain.length - 1]!, `"extends" makes a cycle: ${cycle}`);
    }
    const known = this.loaded.get(key);
    if (known) return known;
    const data = readConfigData(file);
    const dir = path.dirname(file);
    let merged = emptyConfig(file);
    for (const spec of data.extends) {
      const target = resolveExtends(spec, file);
      let base: ResolvedConfig;
      try {
        base = this.loadChain(target, [...chain, key]);
      } catch (e) {
        // name the file that pulled a broken base in (a cycle already names its whole chain)
        if (e instanceof ConfigError && e.file !== file && !e.reason.includes('(extended by ') && !e.reason.startsWith('"extends" makes a cycle')) {
          throw new ConfigError(e.file, `${e.reason} (extended by ${file})`);
        }
        throw e;
      }
      merged = mergeConfigs(merged, base);
    }
    const own = fromData(data, file, dir);
    const result = { ...mergeConfigs(merged, own), file, sources: [...new Set([...merged.sources, displayName(file)])] };
    this.loaded.set(key, result);
    return result;
  }
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

function displayName(file: string): string {
  for (const [name, f] of Object.entries(SHAREABLE)) if (realPath(f) === file || f === file) return name;
  return file;
}

/** Reads a granule.config.json (comments allowed) or the "granule" key of a package.json. */
export function readConfigData(file: string): ConfigData {
  const isPackage = path.basename(file) === 'package.json';
  const json = readJsonFile(file, { comments: !isPackage });
  let data: unknown = json;
  if (isPackage) {
    if (!json || typeof json !== 'object' || Array.isArray(json) || !Object.hasOwn(json, 'granule')) {
      throw new ConfigError(file, 'package.json has no "granule" key');
    }
    data = (json as Record<string, unknown>).granule;
  }
  try {
    return validateConfigData(data);
  } catch (e) {
    if (e instanceof DataError)
      throw new ConfigError(file, isPackage ? `granule.${e.message}`.replace(/^granule\.a config/, '"granule" key: a config') : e.message);
    throw e;
  }
}

function resolveExtends(spec: string, from: string): string {
  const shareable = SHAREABLE[spec];
  if (shareable) return shareable;
  if (spec.startsWith('granule:')) {
    throw new ConfigError(from, `extends "${spec}": no such shareable config (expected ${Object.keys(SHAREABLE).join(' or ')})`);
  }
  // (an absolute path is refused too: a config in a repository must not read files elsewhere on the machine)
  if (!spec.startsWith('./') && !spec.startsWith('../')) {
    throw new ConfigError(from, `extends "${spec}": expected ${Object.keys(SHAREABLE).join(', ')} or a path starting with ./ or ../`);
  }
  let target = path.resolve(path.dirname(from), spec);
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) {
    const inDir = ['granule.config.json', 'package.json'].map((n) => path.join(target, n)).find((f) => fs.existsSync(f));
    if (!inDir) throw new ConfigError(from, `extends "${spec}": ${target} has no granule.config.json or package.json`);
    target = inDir;
  }
  if (!fs.existsSync(target)) throw new ConfigError(from, `extends "${spec}": file not found (${target})`);
  return target;
}

function fromData(data: ConfigData, file: string, dir: string): ResolvedConfig {
  const abs = (p: string) => path.resolve(dir, p);
  return {
    file,
    sources: [],
    rules: data.rules,
    ignores: data.ignores.map((pattern) => ({ base: dir, pattern })),
    defines: data.defines,
    undefines: data.undefines,
    includePaths: data.includePaths.map(abs),
    forceIncludes: data.forceIncludes.map(abs),
    target: data.target,
    compiler: data.compiler,
    includeSearch: data.includeSearch,
    wrappers: data.wrappers,
    compileCommands: databaseFiles(file, data.compileCommands, abs),
    projects: data.projects?.map((p) => projectFile(file, abs(p))),
    projectConfigurations: data.projectConfigurations,
    reportUnusedDisableDirectives: data.reportUnusedDisableDirectives,
  };
}

/** `compileCommands`: one entry (a string, as before) or several (a list). */
function databaseFiles(config: string, setting: string | string[] | undefined, abs: (p: string) => string): string | string[] | undefined {
  if (setting === undefined) return undefined;
  return typeof setting === 'string' ? databaseFile(config, abs(setting)) : setting.map((s) => databaseFile(config, abs(s)));
}

/** A `projects` entry: a .sln or .vcxproj that exists. */
function projectFile(config: string, file: string): string {
  if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) throw new ConfigError(config, `projects: ${file} does not exist`);
  return file;
}

/** `compileCommands` may name the build directory, as `-p` does, or the file itself. */
function databaseFile(config: string, p: string): string {
  const file = fs.existsSync(p) && fs.statSync(p).isDirectory() ? path.join(p, 'compile_commands.json') : p;
  if (!fs.existsSync(file)) throw new ConfigError(config, `compileCommands: ${file} does not exist`);
  return file;
}

/** `over` on top of `base`: later wins for scalars and per rule, lists accumulate. */
export function mergeConfigs(base: ResolvedConfig, over: ResolvedConfig): ResolvedConfig {
  const rules = Object.assign(Object.create(null) as Record<string, RuleSetting>, base.rules);
  for (const [id, setting] of Object.entries(over.rules)) {
    const before = rules[id];
    // a bare level keeps the options an extended config gave, as in ESLint
    rules[id] = !Array.isArray(setting) && Array.isArray(before) ? [setting, ...before.slice(1)] : setting;
  }
  return {
    file: over.file,
    sources: [...new Set([...base.sources, ...over.sources])],
    rules,
    ignores: [...base.ignores, ...over.ignores],
    defines: Object.assign(Object.create(null) as Record<string, string>, base.defines, over.defines),
    undefines: unique([...base.undefines, ...over.undefines]),
    // the nearer config's directories are searched first
    includePaths: unique([...over.includePaths, ...base.includePaths]),
    forceIncludes: unique([...base.forceIncludes, ...over.forceIncludes]),
    target: over.target ?? base.target,
    compiler: over.compiler ?? base.compiler,
    includeSearch: over.includeSearch ?? base.includeSearch,
    wrappers: [...base.wrappers.filter((w) => !over.wrappers.some((o) => o.name === w.name)), ...over.wrappers],
    compileCommands: over.compileCommands ?? base.compileCommands,
    projects: over.projects ?? base.projects,
    projectConfigurations: over.projectConfigurations ?? base.projectConfigurations,
    reportUnusedDisableDirectives: over.reportUnusedDisableDirectives ?? base.reportUnusedDisableDirectives,
  };
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}
