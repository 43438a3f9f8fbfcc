// Per-file options: the config that governs a file (found by walking up, or given with --config),
// with the command line on top. Files that share a config share one options object, so rules are
// set up once per config rather than once per file.

import * as path from 'node:path';
import type { LintOptions } from '../engine/runner/lint.js';
import type { RuleSetting } from '../engine/linter/run-rules.js';
import { ConfigError } from './errors.js';
import { ConfigFinder } from './find.js';
import { IgnoreMatcher } from './ignores.js';
import { ConfigLoader, emptyConfig, type ResolvedConfig } from './load.js';

export interface ResolverOptions {
  /** `--config FILE`: this config governs every file and no lookup happens. */
  configFile?: string;
  /** The command line named a target, which then wins over the config's. */
  targetFromCommandLine: boolean;
  /** The command line named a compiler, which then wins over the config's. */
  compilerFromCommandLine?: boolean;
}

export type FileOptions = { options: LintOptions; config: ResolvedConfig | undefined; ignored: boolean } | { error: ConfigError };

export class ConfigResolver {
  private readonly finder = new ConfigFinder();
  private readonly loader = new ConfigLoader();
  private readonly byConfig = new Map<string, { options: LintOptions; config: ResolvedConfig | undefined; ignores: IgnoreMatcher } | ConfigError>();
  private readonly explicit: string | undefined;

  /**
   * `base` holds the command line's settings (cwd, defines, include paths, rules...); they are applied
   * on top of each config.
   */
  constructor(
    private readonly base: LintOptions,
    private readonly options: ResolverOptions,
  ) {
    this.explicit = options.configFile === undefined ? undefined : path.resolve(base.cwd, options.configFile);
  }

  /** Loads the --config file up front, so a broken one stops the run before any file is read. */
  checkExplicit(): ConfigError | undefined {
    if (this.explicit === undefined) return undefined;
    const entry = this.entry(this.explicit);
    return entry instanceof ConfigError ? entry : undefined;
  }

  /** The config file that governs `file` (undefined: none; granule's defaults apply). */
  configFileFor(file: string): string | undefined {
    return this.explicit ?? this.finder.forFile(file);
  }

  forFile(file: string): FileOptions {
    let configFile: string | undefined;
    try {
      configFile = this.configFileFor(file);
    } catch (e) {
      if (e instanceof ConfigError) return { error: e };
      throw e;
    }
    const entry = this.entry(configFile);
    if (entry instanceof ConfigError) return { error: entry };
    return { options: entry.options, config: entry.config, ignored: !entry.ignores.empty && entry.ignores.ignores(path.resolve(file)) };
  }

  private entry(configFile: string | undefined) {
    const key = configFile ?? '';
    let entry = this.byConfig.get(key);
    if (!entry) {
      try {
        const config = configFile === undefined ? undefined : this.loader.load(configFile);
        entry = { options: applyConfig(this.base, config, this.options), config, ignores: new IgnoreMatcher(config?.ignores ?? []) };
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        entry = e;
      }
      this.byConfig.set(key, entry);
    }
    return entry;
  }
}

/** The options for files under `config`: config values first, the command line on top. */
export function applyConfig(base: LintOptions, config: ResolvedConfig | undefined, options: ResolverOptions): LintOptions {
  const c = config ?? emptyConfig('');
  const rules: Record<string, RuleSetting> = { ...c.rules };
  for (const [id, setting] of Object.entries(base.rules)) {
    const before = rules[id];
    rules[id] = !Array.isArray(setting) && Array.isArray(before) ? [setting, ...before.slice(1)] : setting;
  }
  const merged: LintOptions = {
    ...base,
    target: options.targetFromCommandLine ? base.target : (c.target ?? base.target),
    compiler: options.compilerFromCommandLine ? base.compiler : (c.compiler ?? base.compiler),
    // --no-include-search wins over a config that turns the search on
    includeSearch: base.includeSearch === false ? false : (c.includeSearch ?? base.includeSearch),
    defines: { ...c.defines, ...base.defines },
    undefines: [...new Set([...c.undefines, ...base.undefines])],
    // -I directories come first, as a compiler searches them
    includePaths: [...new Set([...base.includePaths.map((p) => path.resolve(base.cwd, p)), ...c.includePaths])],
    forceIncludes: [...new Set([...c.forceIncludes, ...base.forceIncludes.map((p) => path.resolve(base.cwd, p))])],
    rules,
  };
  if (c.wrappers.length) merged.wrappers = [...c.wrappers.filter((w) => !base.wrappers?.some((b) => b.name === w.name)), ...(base.wrappers ?? [])];
  if (c.compileCommands !== undefined && merged.compileCommands === undefined) merged.compileCommands = c.compileCommands;
  if (c.projects !== undefined && merged.projects === undefined) {
    merged.projects = c.projects;
    if (c.projectConfigurations !== undefined && merged.projectConfigurations === undefined) merged.projectConfigurations = c.projectConfigurations;
  }
  if (c.reportUnusedDisableDirectives !== undefined && merged.reportUnusedDisableDirectives === undefined) {
    merged.reportUnusedDisableDirectives = c.reportUnusedDisableDirectives;
  }
  return merged;
}
